"""Hand-checked expectations for Security Council texts of several eras and OCR quirks."""

from __future__ import annotations

from tests.conftest import SC
from unres.index import parse_file


def sc(name: str):
    return parse_file(next(SC.glob(f"S_RES_{name}_*.txt")))


def test_modern_heading_and_slash_footnote_800(corpus):
    r = sc("0800")
    assert (r.symbol, r.body, r.adopted, r.meeting) == ("S/RES/800(1993)", "SC", "1993-01-08", "3157th meeting")
    assert r.preamble[0].phrase == "Having examined" and [f.text for f in r.preamble[0].footnotes] == ["S/25046."]
    assert r.preamble[0].text.endswith("admission to the United Nations,")
    assert [(p.id, p.verb) for p in r.operative] == [("S/RES/800(1993)#1", "recommends")]


def test_numbered_paragraphs_and_subparagraphs_661(corpus):
    r = sc("0661")
    assert r.symbol == "S/RES/661(1990)" and r.adopted == "1990-08-06"
    assert [p.number for p in r.operative] == list(range(1, len(r.operative) + 1))
    assert r.operative[0].verb == "determines"
    three = r.operative[2]
    assert [s.label for s in three.subparagraphs] == ["(a)", "(b)", "(c)"]
    assert "S/RES/660(1990)" in {c.symbol for c in r.operative[0].citations}
    assert r.operative[4].phrase == "Calls upon"


def test_comma_for_period_ocr_quirk_282(corpus):
    r = sc("0282")
    assert [p.number for p in r.operative] == [1, 2, 3, 4, 5, 6]
    assert r.operative[3].id == "S/RES/282(1970)#4" and r.operative[3].verb == "calls upon"
    assert not r.operative[3].text.startswith("4")


def test_unnumbered_operative_paragraphs_1948_style_48(corpus):
    r = sc("0048")
    assert r.symbol == "S/RES/48(1948)" and r.adopted == "1948-04-23"
    assert r.preamble[0].phrase == "Referring"
    assert [p.verb for p in r.operative][:2] == ["establishes", "requests"]
    assert [p.id for p in r.operative][:2] == ["S/RES/48(1948)#1", "S/RES/48(1948)#2"]


def test_bare_number_footnote_and_no_blank_line_150(corpus):
    r = sc("0150")
    assert r.preamble[0].text == "Having examined the application of the Republic of the Ivory Coast,"
    assert [f.text for f in r.preamble[0].footnotes] == ["Ibid., document S/4431."]
    assert r.operative[0].verb == "recommends" and r.meeting == "891st meeting"


def test_ocr_letter_digits_853(corpus):
    r = sc("0853")
    assert [p.number for p in r.operative][:12] == list(range(1, 13))
    assert r.operative[10].phrase == "Calls once again" and r.operative[10].modifiers == ("once", "again")


def test_resolves_lead_in_gives_its_verb_to_clauses_6(corpus):
    r = sc("0006")
    assert [p.number for p in r.operative] == [1, 2]
    assert all(p.verb == "resolves" for p in r.operative)
    assert r.operative[0].text.startswith("That applications for membership")


def test_parts_with_their_own_opening_161(corpus):
    r = sc("0161")
    assert [p.id.split("#")[1] for p in r.preamble] == ["A.p1", "A.p2", "A.p3", "A.p4", "B.p1", "B.p2", "B.p3", "B.p4", "B.p5"]
    assert [p.id.split("#")[1] for p in r.operative] == ["A.1", "A.2", "A.3", "A.4", "A.5", "B.1", "B.2", "B.3"]
    assert not r.annexes
    assert r.operative[4].text.endswith("reminds all States of their obligations under these resolutions.")
    assert r.preamble[4].text.startswith("Gravely concerned at the continuing deterioration")
    assert [f.marker for f in r.preamble[3].footnotes] == ["3"]


def test_running_headers_do_not_split_or_enter_paragraphs_1445(corpus):
    # pages of the typeset 2002 texts start with the job number "02-72318 (E)" and the symbol alone on a line
    r = sc("1445")
    assert [p.number for p in r.operative] == list(range(1, 26))
    assert not [p.id for p in r.paragraphs if "S/RES/1445" in p.text or "72318" in p.text]
    assert r.operative[1].text.endswith("to report to the Council on this matter;")  # runs on across the page
    assert "Secretary-General" in r.operative[23].text  # hyphen at a line end before a capital kept


def test_annex_with_a_letter_ends_the_operative_part_1454(corpus):
    r = sc("1454")
    assert [p.number for p in r.operative] == [1, 2, 3, 4, 5]
    assert r.operative[-1].text == "Decides to remain seized of the matter."


def test_numbers_garbled_or_lost_in_ocr_484_713_591_864(corpus):
    lost = sc("0484")  # the text prints no `2.`: the paragraph between 1 and 3 is 2
    assert [(p.number, p.verb) for p in lost.operative] == [(1, "reaffirms"), (2, "calls upon"), (3, "declares"), (4, "requests")]
    assert lost.operative[0].text.endswith("occupied by Israel in 1967;")
    assert sc("0713").operative[4].text.startswith("Appeals urgently to and encourages all parties")  # printed `S.`
    misread = sc("0591")  # `8.` printed for 5, then 6, `7 Calls`, 8 …
    assert [p.number for p in misread.operative] == list(range(1, 16)) and not misread.annexes
    angola = sc("0864")  # `16. | Demands`, `24. ~— Requests`
    assert [p.number for p in angola.operative] == list(range(1, 30))
    assert angola.operative[23].text.startswith("Requests all States to report to the Secretary-General by 15 October 1993")


def test_section_labels_head_their_paragraphs_687_864_101(corpus):
    ceasefire = sc("0687")
    assert [p.section for p in ceasefire.operative[:3]] == [None, "A", "A"] and ceasefire.operative[-1].section == "I"
    assert ceasefire.operative[0].text.endswith("including a formal cease-fire;")
    angola = sc("0864")  # part B opens with a preamble of its own after operative paragraph 16
    b_preamble = [p for p in angola.preamble if p.section == "B"]
    assert b_preamble[0].text.startswith("Strongly condemning the National Union") and b_preamble[-1].phrase == "Acting under"
    assert angola.operative[15].text.endswith("damage to foreign property,")
    qibya = sc("0101")  # numbering starts again under each label: parts, not an annex
    assert [p.id.split("#")[1] for p in qibya.operative] == ["A.1", "A.2", "B.1", "B.2", "B.3", "C.1", "C.2", "C.3", "C.4"]
    assert not qibya.annexes


def test_participle_clause_after_a_footnote_marker_538(corpus):
    r = sc("0538")
    assert [p.id for p in r.preamble][-2:] == ["S/RES/538(1983)#p6", "S/RES/538(1983)#p6bis"]
    assert r.preamble[-1].text == "Responding to the request of the Government of Lebanon,"


def test_adoption_dates_are_read_through_ocr_damage_in_their_own_year(corpus):
    """`of 3 Apri] 1991`, `of 3f July 1989`, `of 15 August. 1991`, and a date below a statement that comes
    first; a date the text never prints stays unknown (its year is the symbol's)."""
    dates = {name: sc(name).adopted for name in ("0687", "0638", "0705", "0851", "0226", "0462", "0801")}
    assert dates == {"0687": "1991-04-03", "0638": "1989-07-31", "0705": "1991-08-15", "0851": "1993-07-15",
                     "0226": None, "0462": None, "0801": None}
    assert any('"of 3 Apri] 1991" as 1991-04-03' in w for w in sc("0687").warnings)


def test_a_damaged_date_of_another_year_is_not_taken():
    from pathlib import Path

    from unres.index.parse.sc import read_sc

    text = "Resolution 900 (1994)\nof 3 Apri] 1991\n\nThe Security Council,\n\nRecalling its work,\n\n1. Decides to remain seized.\n"
    assert read_sc(text, Path("S_RES_0900_1994_EN.txt"), "0" * 64).adopted is None
