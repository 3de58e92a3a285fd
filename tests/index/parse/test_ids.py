"""The id grammar and the legacy rules of `ids`, on small synthetic drafts (no corpus)."""

from __future__ import annotations

from pathlib import Path

import pytest

from unres.index.parse.assembly import Draft
from unres.index.parse.blocks import Block, Layout, Run
from unres.index.parse.ga import build_ga
from unres.index.parse.ids import (
    PARAGRAPH_ID,
    RetiredCounts,
    annex_id,
    ga_ids,
    numbers_restart,
    operative_id,
    part_letter,
    preambular_id,
    sc_ids,
    unique,
    unnumbered_annex_id,
    was_heading,
)
from unres.index.parse.sc import read_sc

GA = "A/RES/78/999"
SC = "S/RES/999(1990)"


def _draft(kind: str, number: int | None = None, **fields) -> Draft:
    return Draft(kind, number, None, [Run("text")], **fields)


def _ids(assigned) -> list[str]:
    return [a.id.split("#", 1)[1] for a in assigned]


def test_grammar_spells_each_kind():
    assert preambular_id(GA, 3) == "A/RES/78/999#p3"
    assert preambular_id(GA, 1, "XIX") == "A/RES/78/999#XIX.p1"
    assert operative_id(GA, 0) == "A/RES/78/999#0"
    assert operative_id(SC, 2, part_letter(1)) == "S/RES/999(1990)#B.2"
    assert annex_id(GA, 2, 10) == "A/RES/78/999#annex2.10"
    assert unnumbered_annex_id(GA, 1, 19) == "A/RES/78/999#annex1.p19"
    assert [part_letter(k) for k in range(4)] == ["A", "B", "C", "D"]


def test_unique_marks_repeats_bis_ter_quater_then_numbers():
    taken: set[str] = set()
    given = []
    for _ in range(6):
        given.append(unique("#3", taken))
        taken.add(given[-1])
    assert given == ["#3", "#3bis", "#3ter", "#3quater", "#3-5", "#3-6"]
    assert unique("#4", taken) == "#4"


@pytest.mark.parametrize(
    ("pid", "groups"),
    [
        ("A/RES/58/220#9", {"symbol": "A/RES/58/220", "number": "9"}),
        ("A/RES/78/145#p8bis", {"p": "p", "number": "8", "repeat": "bis"}),
        ("A/RES/78/253#XIX.p1", {"qualifier": "XIX", "p": "p", "number": "1"}),
        ("A/RES/78/10#s8.7", {"qualifier": "s8", "number": "7"}),
        ("S/RES/101(1953)#A.1", {"symbol": "S/RES/101(1953)", "qualifier": "A", "number": "1"}),
        ("A/RES/79/243#annex1.p3", {"annex": "1", "p": "p", "number": "3", "qualifier": None}),
        ("A/RES/79/1#annex1.10", {"annex": "1", "p": None, "number": "10"}),
        ("A/RES/79/281#1bis", {"number": "1", "repeat": "bis"}),
        ("A/RES/1/1#3-5", {"number": "3", "repeat": "-5"}),
    ],
)
def test_pattern_reads_the_grammar(pid, groups):
    match = PARAGRAPH_ID.fullmatch(pid)
    assert match is not None and {k: match[k] for k in groups} == groups


@pytest.mark.parametrize("pid", ["A/RES/1/1#", "#3", "A/RES/1/1#pp3", "A/RES/1/1#3bisbis", "A/RES/1/1#3.bis", "A/RES/1/1 #3"])
def test_pattern_rejects_what_the_grammar_never_spells(pid):
    assert PARAGRAPH_ID.fullmatch(pid) is None


def test_every_published_id_follows_the_grammar():
    published = Path(__file__).with_name("published_ids.txt").read_text(encoding="utf-8").split()
    assert len(published) > 30000
    assert [pid for pid in published if not PARAGRAPH_ID.fullmatch(pid)] == []


def test_numbers_restart_only_at_one_after_a_paragraph():
    assert numbers_restart([1, 2, 1, 2])
    assert numbers_restart([0, 1, 2, None, 1])
    assert not numbers_restart([0, 1, 2, 3])
    assert not numbers_restart([None, 1, None, 2])


def test_ga_counts_unnumbered_paragraphs_and_marks_repeats():
    drafts = [
        _draft("preambular"),
        _draft("preambular", inserted=True),
        _draft("preambular", inserted=True),
        _draft("preambular"),
        _draft("operative", 0),
        _draft("operative", 1),
        _draft("operative", 2),
        _draft("operative", 2),
        _draft("operative", 3),
    ]
    assigned = ga_ids(GA, drafts)
    # an inserted draft takes the id before it with `bis`, so `p2` stays the paragraph published as `p2`
    assert _ids(assigned) == ["p1", "p1bis", "p1ter", "p2", "0", "1", "2", "2bis", "3"]
    assert [a.number for a in assigned] == [1, 1, 1, 2, 0, 1, 2, 2, 3]


def test_ga_qualifies_ids_where_numbering_restarts():
    by_section = [
        _draft("operative", 1, section="I"),
        _draft("preambular", section="II"),
        _draft("operative", 1, section="II"),
        _draft("operative", None, section="Special subjects"),
        _draft("operative", 1, section="Special subjects"),
    ]
    assert _ids(ga_ids(GA, by_section)) == ["I.1", "II.p1", "II.1", "s3.1", "s3.1bis"]
    by_part = [_draft("preambular"), _draft("operative", 1), _draft("preambular", part=1), _draft("operative", 1, part=1)]
    assert _ids(ga_ids(GA, by_part)) == ["A.p1", "A.1", "B.p1", "B.1"]
    unqualified = [_draft("operative", 1, section="I"), _draft("operative", 2, section="II")]
    assert _ids(ga_ids(GA, unqualified)) == ["1", "2"]


def test_ga_annex_ids_printed_repeated_unnumbered_and_retired():
    drafts = [
        _draft("annex", 1, annex=1),
        _draft("annex", None, annex=1),
        _draft("annex", 1, annex=1),
        _draft("annex", None, annex=1, retired_before=2),
        _draft("annex", None, annex=2),
    ]
    assigned = ga_ids(GA, drafts)
    # a repeated number is counted unnumbered; two retired counts are skipped before `p5`; each annex counts apart
    assert _ids(assigned) == ["annex1.1", "annex1.p1", "annex1.p2", "annex1.p5", "annex2.p1"]
    assert [a.number for a in assigned] == [1, None, 1, None, None]


def test_sc_counts_inserted_first_clause_as_p0_and_later_ones_as_bis():
    drafts = [
        _draft("preambular", inserted=True),
        _draft("preambular"),
        _draft("preambular", inserted=True),
        _draft("preambular"),
        _draft("operative"),
        _draft("operative"),
    ]
    assigned = sc_ids(SC, drafts)
    assert _ids(assigned) == ["p0", "p1", "p1bis", "p2", "1", "2"]
    assert [a.number for a in assigned] == [0, 1, 1, 2, 1, 2]


def test_sc_restart_letters_every_operative_id_but_not_the_preamble():
    drafts = [_draft("preambular"), _draft("operative", 1), _draft("operative", 2), _draft("operative", 1), _draft("operative", 2)]
    assert _ids(sc_ids(SC, drafts)) == ["p1", "A.1", "A.2", "B.1", "B.2"]


def test_sc_parts_with_an_opening_of_their_own_count_afresh():
    drafts = [
        _draft("preambular"),
        _draft("preambular"),
        _draft("operative", 1),
        _draft("preambular", part=1),
        _draft("operative", 1, part=1),
        _draft("operative", 2, part=1),
    ]
    assert _ids(sc_ids(SC, drafts)) == ["A.p1", "A.p2", "A.1", "B.p1", "B.1", "B.2"]


def test_sc_annex_numbers_then_repeats_unnumbered():
    drafts = [_draft("operative", 1), _draft("annex", 1), _draft("annex", 2), _draft("annex", 1)]
    assert _ids(sc_ids(SC, drafts)) == ["1", "annex1.1", "annex1.2", "annex1.p1"]


def _block(*runs: tuple[str, bool], heading: bool = False, regained: tuple[Block, ...] = ()) -> Block:
    return Block(tuple(Run(text, italic) for text, italic in runs), heading=heading, regained=regained)


@pytest.mark.parametrize(
    ("block", "was"),
    [
        (_block(("Article 1 Statement of purpose", True)), False),  # italic: a paragraph before stop 8
        (_block(("IV. Programme budget", True)), True),  # an italic section label
        (_block(("Rule 65 Representatives", False), heading=True), True),  # bold
        (_block(("Connectivity and transport", False)), True),  # short, capitalized, unpunctuated
        (_block(("Connectivity and transport.", False)), False),
        (_block(("in the territory of that State", False)), False),
        (_block(("x" * 130, False)), False),
    ],
)
def test_was_heading_is_the_heading_test_before_stop_8(block, was):
    assert was_heading(block) is was


def test_retired_counts_go_to_the_next_annex_paragraph_of_the_same_annex():
    drafts: list[Draft] = []
    retired = RetiredCounts()
    retired.next_block(drafts)
    retired.heading(_block(("Article 1 Purpose", True)))  # italic: was a paragraph, its count retires
    retired.next_block(drafts)
    retired.heading(_block(("Chapter I", False), heading=True))  # bold: a heading then too, nothing retires
    retired.next_block(drafts)
    drafts.append(_draft("annex", annex=1))
    retired.next_block(drafts)
    assert drafts[0].retired_before == 1
    retired.absorbed()  # a clause after a list
    retired.annex_opened()  # a new annex: what was pending is dropped
    retired.next_block(drafts)
    drafts.append(_draft("annex", annex=2))
    retired.finish(drafts)
    assert drafts[1].retired_before == 0


def test_regained_lines_count_before_the_paragraph_after_their_block():
    drafts: list[Draft] = []
    retired = RetiredCounts()
    block = _block(("A heading", False), heading=True, regained=(_block(("2 persons per household;", False)), _block(("Title", False))))
    retired.next_block(drafts)
    retired.regained(block)  # one regained line was a paragraph before stop 8, the other a heading
    drafts.append(_draft("annex", annex=1))
    retired.next_block(drafts)
    assert drafts[0].retired_before == 0
    drafts.append(_draft("annex", annex=1))
    retired.finish(drafts)
    assert drafts[1].retired_before == 1
    assert _ids(ga_ids(GA, drafts)) == ["annex1.p1", "annex1.p3"]


def test_clause_after_a_list_keeps_its_old_id_taken_in_a_built_annex():
    layout = Layout(
        (
            _block(("78/999. A title", False), heading=True),
            _block(("The General Assembly,", True)),
            _block(("1. ", False), ("Adopts", True), (" the Convention annexed to the present resolution;", False)),
            _block(("1st plenary meeting", False)),
            _block(("Annex", False), heading=True),
            _block(("Each State Party shall ensure access to:", False)),
            _block(("(a) A computer system;", False)),
            _block(("(b) A data storage medium;", False)),
            _block(("in the territory of that State Party.", False)),
            _block(("Each State Party shall adopt such measures as may be necessary.", False)),
        ),
        (),
    )
    r = build_ga(layout, Path("A_RES_78_999.pdf"), "")
    assert [p.id for p in r.annexes] == ["A/RES/78/999#annex1.p1", "A/RES/78/999#annex1.p3"]
    assert r.annexes[0].text.endswith("(b) A data storage medium; in the territory of that State Party.")


def test_sc_text_first_clause_without_a_phrase_is_p0():
    text = """Resolution 999 (1990)
of 1 January 1990

The Security Council,

In virtue of the powers conferred upon it,

Recalling its resolution 998 (1990),

1. Demands that the parties cease fire;

Adopted at the 2900th meeting.
"""
    r = read_sc(text, Path("S_RES_0999_1990.txt"), "")
    assert [p.id for p in r.paragraphs] == ["S/RES/999(1990)#p0", "S/RES/999(1990)#p1", "S/RES/999(1990)#1"]
