"""Table tests of the parser's pure functions: no model, no corpus, each well under a second."""

from __future__ import annotations

from pathlib import Path

import pytest

from unres.index.parse.assembly import strip_control
from unres.index.parse.blocks import Block, Layout, Run, ends_in_hyphen, join_runs, normalize_lines, normalize_space
from unres.index.parse.citations import Citation, citations, read_citations
from unres.index.parse.footnotes import resolve_footnotes
from unres.index.parse.ga import build_ga
from unres.index.parse.ids import unique
from unres.index.parse.pdf import Line, Segment, _clean, is_word_space
from unres.index.parse.sc import read_sc
from unres.index.parse.tables import cells, in_tables, table_block
from unres.index.parse.verbs import Phrase, completed, leading_phrase, split_phrase

OR = "Official Records of the General Assembly"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Recalling its resolution 57/263 of 20 December 2002", ("A/RES/57/263",)),
        ("resolutions 1325 (2000) and 2467 (2019)", ("S/RES/1325(2000)", "S/RES/2467(2019)")),
        ("General Assembly resolution 2106 A (XX)", ("A/RES/2106(XX)",)),
        ("Human Rights Council resolution 52/1", ("A/HRC/RES/52/1",)),
        ("Economic and Social Council resolution 2023/5", ("E/RES/2023/5",)),
        ("its resolution 76/245, and its decision 77/548 B of 18 April 2023", ("A/RES/76/245",)),
        ("resolution 78/100 and decision 77/568", ("A/RES/78/100",)),
        ("the report of the Secretary-General (A/78/511)", ("A/78/511",)),
        ("Security Council resolution 242 (1967) and document S/25046.", ("S/RES/242(1967)", "S/25046")),
        ("no symbols here", ()),
        # a list read through dates, old-style and special-session numbers (78/298)
        ("as stated in its resolutions 1874 (S-IV) of 27 June 1963, 3101 (XXVIII) of 11 December 1973 and 55/235 "
         "of 23 December 2000,", ("A/RES/1874(S-IV)", "A/RES/3101(XXVIII)", "A/RES/55/235")),
        ("Recalling its resolutions 216 (1965) of 12 November and 217(1965) of 20 November 1965, 221 (1966)",
         ("S/RES/216(1965)", "S/RES/217(1965)", "S/RES/221(1966)")),
        ("its resolutions 63/71 of 2 December 2008 on the Convention on Cluster Munitions and 70/54 of 7 December 2015",
         ("A/RES/63/71", "A/RES/70/54")),
        ("resolution 70/1 of 25 September 2015, entitled “Transforming our world”, and 71/313 of 6 July 2017",
         ("A/RES/70/1", "A/RES/71/313")),
        ("Resolutions 52/214, sect. C, para. 3; 55/222, sect. III; and 61/121 B, sect. IV, paras. 65–77.",
         ("A/RES/52/214", "A/RES/55/222", "A/RES/61/121")),
        ("Recalling its resolution ES-10/15 and resolution S-32/1", ("A/RES/ES-10/15", "A/RES/S-32/1")),
        # other bodies keep their own symbols, or none; the Assembly's numbering starts at session 31
        ("Economic and Social Council resolution 155 C (VII)", ("E/RES/155(VII)",)),
        ("the Human Rights Council, in its resolution 27/21, to appoint", ("A/HRC/RES/27/21",)),
        ("Commission on Human Rights resolution 2005/69", ("E/CN.4/RES/2005/69",)),
        ("United Nations Environment Assembly resolution 5/14 of 2 March 2022", ()),
        ("Commission on Crime Prevention and Criminal Justice resolution 32/1", ()),
        ("Commission on the Status of Women resolutions 49/7 and 52/3", ()),
        ("Economic Commission for Africa resolution 2023/7", ()),
        ("the Commission on Narcotic Drugs, recalling its resolution 70/1", ("A/RES/70/1",)),
        ("the cost-sharing arrangements GB.344/POL/2(Rev.1) (A/78/511)", ("GB.344/POL/2(Rev.1)", "A/78/511")),
        ("Commission on Human Rights resolution 2005/69 and CRPD/C/PRK/Q/1", ("E/CN.4/RES/2005/69", "CRPD/C/PRK/Q/1")),
        ("decision VII/11 of the Conference of the Parties, HIV/AIDS", ()),
        ("resolution 8/24600.", ()),
        ("Resolutions 75/239 and 77/248 and decisions 74/543, 75/570 and 77/556.", ("A/RES/75/239", "A/RES/77/248")),
        ("See A/71/53/Add.1", ("A/71/53/Add.1",)),
    ],
)
def test_citations(text, expected):
    assert citations(text) == expected


def test_a_citation_says_where_and_which_part():
    found = read_citations("Recalling its resolution 78/242 A and A/78/6", ["Resolutions 78/242 A and B, annex.", "See A/79/1"])
    assert found == (
        Citation("A/RES/78/242", ("text", "footnote"), ("A", "B")),
        Citation("A/78/6", ("text",)),
        Citation("A/79/1", ("footnote",)),
    )


@pytest.mark.parametrize(
    ("written", "verb", "modifiers"),
    [
        ("Also strongly urges", "urges", ("also", "strongly")),
        ("Takes note with appreciation", "takes note", ()),
        ("Calls on", "calls upon", ()),
        ("Calls once again upon", "calls upon", ("once", "again")),
        ("Calls, in this context, for", "calls for", ()),
        ("Calls attention to", "calls attention", ()),
        ("Recognising", "recognizing", ()),
        ("Reiterates its request", "reiterates", ()),
        ("Deeply concerned", "concerned", ("deeply",)),
        # the preambular forms as the operative ones: `Notes with appreciation` is `notes`
        ("Noting with appreciation also", "noting", ("also",)),
        ("Expressing its deep concern", "expressing", ()),
        ("Recalling with satisfaction further", "recalling", ("further",)),
    ],
)
def test_split_phrase(written, verb, modifiers):
    phrase = split_phrase(written)
    assert phrase is not None and (phrase.verb, phrase.modifiers) == (verb, modifiers)


def test_split_phrase_without_a_lexicon_verb():
    assert split_phrase("The Working Capital Fund") is None


@pytest.mark.parametrize(
    ("text", "phrase", "verb"),
    [
        ("The Security Council, Recalling its resolution 242 (1967),", "Recalling", "recalling"),
        ("Strongly condemns the attack", "Strongly condemns", "condemns"),
        ("Calls once again upon all States to", "Calls once again", "calls upon"),
        ("We, the Heads of State, recognize that", "We, the Heads of State, recognize", "recognizes"),
        ("1946 was a year", None, None),
    ],
)
def test_leading_phrase(text, phrase, verb):
    found = leading_phrase(text)
    assert (found.phrase, found.verb) == (phrase, verb) if phrase else found is None


def test_completed_verb_when_italics_stop_inside_it():
    italic = Phrase("Calls", "calls", ())
    assert completed(italic, "Calls, in this context, for dialogue").verb == "calls for"
    assert completed(italic, "Calls for advancing the elaboration").verb == "calls for"
    assert completed(italic, "Calls the attention").verb == "calls"


@pytest.mark.parametrize(
    ("notes", "resolved"),
    [
        (
            [("1", f"{OR}, Seventy-eighth Session, Supplement No. 17 (A/78/17), annex I."), ("2", "Ibid., chap. V.")],
            f"{OR}, Seventy-eighth Session, Supplement No. 17 (A/78/17), chap. V.",
        ),
        (
            [("1", f"{OR}, Seventy-eighth Session, Supplement No. 17 (A/78/17), annex I."),
             ("2", "Ibid., Sixty-eighth Session, Supplement No. 17 (A/68/17), annex I.")],
            f"{OR}, Sixty-eighth Session, Supplement No. 17 (A/68/17), annex I.",
        ),
        (
            [("1", f"{OR}, Seventy-eighth Session, Supplement No. 10 (A/78/10), para. 3."),
             ("2", "Ibid., Supplement No. 53 (A/78/53), chap. V.")],
            f"{OR}, Seventy-eighth Session, Supplement No. 53 (A/78/53), chap. V.",
        ),
        (
            [("1", "See Official Records of the Economic and Social Council, 2014, Supplement No. 8 (E/2014/28), chap. I."),
             ("2", "Ibid., 2009, Supplement No. 8 (E/2009/28), chap. I, sect. C.")],
            "Official Records of the Economic and Social Council, 2009, Supplement No. 8 (E/2009/28), chap. I, sect. C.",
        ),
        ([("1", "United Nations, Treaty Series, vol. 976, No. 14152."), ("2", "Ibid.")], "United Nations, Treaty Series, vol. 976, No. 14152."),
        ([("1", "Ibid., document S/4431.")], "Ibid., document S/4431."),
    ],
)
def test_ibid_expansion(notes, resolved):
    assert resolve_footnotes(notes)[-1].resolved == resolved


def test_ibid_chain_keeps_one_locator():
    notes = resolve_footnotes([("1", f"{OR}, Seventy-eighth Session, Supplement No. 10 (A/78/10)."), ("2", "Ibid., para. 38."), ("3", "Ibid., para. 29.")])
    assert notes[2].resolved == f"{OR}, Seventy-eighth Session, Supplement No. 10 (A/78/10), para. 29."


@pytest.mark.parametrize(
    ("gap", "size", "space"),
    [(1.15, 10.0, False), (1.12, 10.0, False), (0.0, 10.0, False), (2.5, 10.0, True), (1.8, 10.0, True), (3.0, 12.0, True)],
)
def test_false_space_decision(gap, size, space):
    # `Secre tariat` and `sustainabl e` kern by about 0.11 em; word spaces are at least about 0.17 em.
    assert is_word_space(gap, size) is space


@pytest.mark.parametrize(
    ("lines", "text"),
    [
        ([[Run("requests the Secretary-")], [Run("General to continue")]], "requests the Secretary-General to continue"),
        ([[Run("of Non-Self-")], [Run("Governing Territories")]], "of Non-Self-Governing Territories"),
        ([[Run("Recalling", italic=True), Run(" its")], [Run("resolution")]], "Recalling its resolution"),
        ([[Run("the report-"), Run("5", marker=True)], [Run("which")]], "the report-which"),
        ([[Run("2018 – ")], [Run("2028")]], "2018 – 2028"),
    ],
)
def test_line_joining_keeps_a_line_end_hyphen(lines, text):
    assert normalize_space("".join(r.text for r in join_runs(lines) if not r.marker)) == text


def test_hyphen_ends():
    assert ends_in_hyphen([Run("Secretary"), Run("-")])
    assert not ends_in_hyphen([Run("2018 –")])
    assert not ends_in_hyphen([Run("-")])


@pytest.mark.parametrize(
    ("piece", "hyphens", "cleaned"),
    [
        ("Secretary\x02", {9}, "Secretary-"),
        ("self\ufffe", {4}, "self-"),
        ("self\ufffe", set(), "self"),
        ("a\x00b\x07c", set(), "abc"),
        ("plain text", set(), "plain text"),
    ],
)
def test_pdf_characters_cleaned(piece, hyphens, cleaned):
    assert _clean(piece, lambda k: k in hyphens) == cleaned


def test_control_characters_stripped_and_ids_unique():
    assert strip_control("a\x00b\x1bc\td\ne") == "abc\td\ne"
    taken = {"#3", "#3bis"}
    assert unique("#3", taken) == "#3ter" and unique("#4", taken) == "#4"


def _line(*pieces: tuple[float, float, str], y: float, size: float = 7.0, bold: bool = False) -> Line:
    """A line of segments given as (x0, x1, text) on baseline `y`."""
    return Line([Segment(text, size, False, bold, x0, y, x1) for x0, x1, text in pieces])


def _rows(*lines: Line) -> list[str]:
    block = table_block([0] * len(lines), list(lines))
    return normalize_lines("".join(r.text for r in block.runs if not r.marker)).split("\n")


def test_table_header_wrapped_above_its_row_goes_on_top_of_its_cells():
    assert _rows(
        _line((400, 490, "Threshold in United States"), (523, 553, "Discount"), y=654.4),
        _line((60, 100, "Level Criterion"), (400, 465, "dollars (2025–2027)"), (519, 557, "(percentage)"), y=646.5),
        _line((60, 65, "A"), (100, 300, "Permanent members"), (400, 440, "Not applicable"), (528, 552, "Premium"), y=630),
        _line((60, 65, "B"), (100, 300, "All Member States"), (400, 440, "Not applicable"), (538, 542, "0"), y=621),
        # a cell wrapped under its row, centred in its column
        _line((60, 65, "H"), (100, 300, "Member States"), (400, 440, "Under 13,768"), (515, 565, "80 (or 70 on a"), y=610),
        _line((100, 200, "contributions)"), (512, 568, "voluntary basis) a"), y=602),
    ) == [
        "Level Criterion Threshold in United States dollars (2025–2027) Discount (percentage)",
        "A Permanent members Not applicable Premium",
        "B All Member States Not applicable 0",
        "H Member States contributions) Under 13,768 80 (or 70 on a voluntary basis) a",
    ]


def test_table_header_over_an_empty_corner_or_a_line_of_figures_stays_a_row_of_its_own():
    assert _rows(
        _line((200, 230, "2024"), (300, 330, "2025"), y=700),
        _line((60, 100, "Posts"), (205, 215, "10"), (305, 315, "12"), y=690),
        _line((205, 220, "(1)"), (305, 320, "(2)"), y=680),
        _line((60, 90, "Net"), (205, 215, "12"), (305, 315, "14"), y=670),
        _line((60, 80, "D-2"), (205, 215, "1"), (305, 315, "1"), y=660),
        _line((60, 120, "General Service"), y=651),  # a heading right under a short label
        _line((60, 110, "Principal level"), (205, 215, "4"), (305, 315, "4"), y=642),
    ) == ["2024 2025", "Posts 10 12", "(1) (2)", "Net 12 14", "D-2 1 1", "General Service", "Principal level 4 4"]


def test_table_first_cell_goes_on_where_its_line_broke_and_nowhere_else():
    figures = ((453, 500, "27 553 750"), (520, 561, "25 176 900"))
    assert _rows(
        _line((123, 223, "Total assessment for 2024"), y=700),
        _line((123, 208, "Requirements for 2024"), *figures, y=691),
        _line((123, 394, "Contributions assessed on Member States in accordance with the scale of"), y=682),
        _line((123, 426, "assessments applicable to the regular budget of the United Nations"), *figures, y=673),
        _line((123, 140, "D-1"), *figures, y=664),
        _line((123, 250, "Posts funded from the regular budget"), y=655),  # a group heading wider than the labels
        _line((123, 140, "P-5"), *figures, y=646),
        _line((123, 200, "General Service"), y=637),  # a heading right under a row
        _line((131, 190, "a See A/78/534."), y=625),
        _line((131, 190, "b See A/78/634."), y=616),
    ) == [
        "Total assessment for 2024",
        "Requirements for 2024 27 553 750 25 176 900",
        "Contributions assessed on Member States in accordance with the scale of assessments applicable to the regular budget of the United Nations 27 553 750 25 176 900",
        "D-1 27 553 750 25 176 900",
        "Posts funded from the regular budget",
        "P-5 27 553 750 25 176 900",
        "General Service",
        "a See A/78/534.",
        "b See A/78/634.",
    ]


def test_table_cells_keep_a_raised_note_letter_apart_and_only_small_lines_open_a_table():
    row = Line([Segment("2025", 8.5, False, False, 123, 100, 150), Segment("a", 5.5, False, False, 150, 103, 153), Segment("62 287 400", 8.5, False, False, 453, 100, 500)])
    assert [cell.text for cell in cells(row)] == ["2025 a", "62 287 400"]
    text = [_line((72, 540, "running text of the paragraph above the table"), y=700 - 12 * k, size=10) for k in range(6)]
    signatures = [_line((72, 200, "For the Government of X"), (400, 540, "For the Government of Y"), y=600 - 12 * k, size=10) for k in range(2)]
    assert in_tables([*text, *signatures]) == set()
    small = [_line((72, 200, "Member State"), (400, 440, "0.005"), y=500 - 10 * k) for k in range(3)]
    assert in_tables([*text, *small]) == {id(line) for line in small}


def test_table_header_repeated_where_a_page_opens_is_left_out():
    header = ((60, 120, "Member State"), (300, 350, "Percentage"))
    lines = [
        _line(*header, y=700),
        _line((60, 120, "Afghanistan"), (300, 320, "0.005"), y=690),
        _line(*header, y=720),
        _line((60, 120, "Albania"), (300, 320, "0.010"), y=710),
    ]
    block = table_block([0, 0, 1, 1], lines)
    rows = normalize_lines("".join(r.text for r in block.runs)).split("\n")
    assert rows == ["Member State Percentage", "Afghanistan 0.005", "Albania 0.010"]


SC_TEXT = """Resolution 999 (1990)
of 1 January 1990

The Security Council,

Recalling its resolution 998 (1990),

1. Demands that the parties cease fire;

Calls upon all States to cooperate;

3. Requests the Secretary-General to report;

4. Welcomes the report;

S. Decides to remain seized of the matter.

B

6. Urges all States to comply with
B
the measures above;

Adopted at the 2900th meeting.
"""


def test_sc_numbers_lost_or_garbled_and_section_labels():
    r = read_sc(SC_TEXT, Path("S_RES_0999_1990.txt"), "")
    assert [(p.number, p.verb, p.section) for p in r.operative] == [
        (1, "demands", None), (2, "calls upon", None), (3, "requests", None), (4, "welcomes", None), (5, "decides to remain seized", None), (6, "urges", "B")
    ]
    assert r.operative[4].text == "Decides to remain seized of the matter."
    # a label inside a paragraph, with no blank line before it, is the paragraph's text
    assert r.operative[5].text == "Urges all States to comply with B the measures above;"


def _block(*runs: tuple[str, bool], heading: bool = False) -> Block:
    return Block(tuple(Run(text, italic) for text, italic in runs), heading=heading)


def test_ga_list_items_set_like_headings_and_italic_annex_headings():
    layout = Layout(
        (
            _block(("78/1. A title", False), heading=True),
            _block(("The General Assembly,", True)),
            _block(("Recalling", True), (" its resolutions,", False)),
            _block(("1. ", False), ("Decides", True), (" that the areas are as follows:", False)),
            _block(("Priority area 1: Trade", False)),
            _block(("Priority area 2: Transit", False)),
            _block(("2. ", False), ("Requests", True), (" a report;", False)),
            _block(("1st plenary meeting", False)),
            _block(("Annex", False), heading=True),
            _block(("Article 1 Purpose", True)),
            _block(("The purposes of this Convention are to promote cooperation.", False)),
        ),
        (),
    )
    r = build_ga(layout, Path("A_RES_78_1.pdf"), "")
    assert r.operative[0].text == "Decides that the areas are as follows: Priority area 1: Trade Priority area 2: Transit"
    # the italic heading was `annex1.p1` in earlier versions: the paragraph under it keeps `p2`
    assert [(p.id, p.section) for p in r.annexes] == [("A/RES/78/1#annex1.p2", "Article 1 Purpose")]
