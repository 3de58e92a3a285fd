"""Hand-checked expectations for diverse official GA PDFs (each read against the PDF itself)."""

from __future__ import annotations

from functools import cache

from tests.conftest import GA
from unres.index import parse_file


@cache
def ga(name: str):
    return parse_file(GA / f"A_RES_{name}.pdf")


def test_footnotes_subparagraphs_and_metadata_78_220(corpus):
    r = ga("78_220")
    assert (r.symbol, r.session, r.adopted, r.meeting) == ("A/RES/78/220", 78, "2023-12-19", "50th plenary meeting")
    assert r.title == "Situation of human rights in the Islamic Republic of Iran"
    assert r.agenda_items == ("71 (c)",) and r.report == "A/78/481/Add.3"
    assert (len(r.preamble), len(r.operative), len(r.annexes)) == (3, 35, 0)
    assert [f.marker for f in r.preamble[0].footnotes] == ["1", "2"]
    one = r.operative[0]
    assert one.text.startswith("Takes note of the report of the Secretary-General submitted pursuant to resolution 77/228 and")
    assert "77/2285" not in one.text and [f.marker for f in one.footnotes] == ["5", "6"]
    cited = {c.symbol: c.via for c in one.citations}
    assert cited["A/RES/77/228"] == ("text",) and cited["A/78/511"] == ("footnote",)
    thirty = r.operative[29]
    assert [s.label for s in thirty.subparagraphs] == ["(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)"]
    assert thirty.subparagraphs[0].text.startswith("Cooperating fully with the Special Rapporteur")
    assert "(g) Following through on its commitment" in thirty.text
    ibid = r.footnotes[3]
    assert ibid.text == "Ibid., chap. V., sect. A."
    assert ibid.resolved == (
        "Official Records of the General Assembly, Seventy-eighth Session, Supplement No. 53 (A/78/53), chap. V., sect. A."
    )
    ten = r.operative[9]
    assert "violation of the International Covenant on Civil and Political Rights; expresses serious concern" in ten.text
    assert "23-25993" not in ten.text and "3/8" not in ten.text


def test_single_unnumbered_paragraph_and_annex_78_1(corpus):
    r = ga("78_1")
    assert len(r.operative) == 1 and not r.preamble
    endorses = r.operative[0]
    assert (endorses.id, endorses.number, endorses.verb) == ("A/RES/78/1#1", 1, "endorses")
    assert endorses.text.endswith("contained in the annex to the present resolution.")
    assert r.meeting == "15th plenary meeting" and r.agenda_items == ("13", "117")
    assert r.report is None
    annex = {p.id: p for p in r.annexes}
    assert annex["A/RES/78/1#annex1.1"].text.startswith("We, the Heads of State and Government")
    assert annex["A/RES/78/1#annex1.2"].text.startswith("We reaffirm our commitment to effectively implement the 2030")
    assert all(p.kind == "annex" for p in r.annexes)


def test_sections_and_a_hundred_paragraphs_78_245(corpus):
    r = ga("78_245")
    assert len(r.operative) == 124
    assert [p.number for p in r.operative] == list(range(1, 125))
    assert r.operative[0].section is None and r.operative[1].section == "I"
    assert r.operative[12].section == "II" and r.operative[-1].section == "V"
    twenty = r.operative[19]
    assert (twenty.phrase, twenty.verb) == ("Reiterates its request", "reiterates")
    assert r.meeting == "50th (resumed) plenary meeting"


def test_roman_sections_78_234(corpus):
    r = ga("78_234")
    assert (len(r.preamble), len(r.operative)) == (31, 55)
    assert r.operative[0].section == "I" and r.operative[-1].section == "VIII"
    assert r.preamble[-1].phrase == "Recognizing and affirming"
    assert r.operative[0].citations[0].symbol == "A/RES/2106(XX)"


def test_missing_opening_line_78_225(corpus):
    r = ga("78_225")
    assert (len(r.preamble), len(r.operative)) == (8, 15)
    assert r.preamble[0].phrase == "Reaffirming"


def test_nested_numbered_list_stays_inside_its_paragraph_78_223(corpus):
    r = ga("78_223")
    assert [p.number for p in r.operative] == list(range(1, 25))
    eleven = r.operative[10]
    assert eleven.text.startswith("Approves the following provisional agenda for the Fifteenth Congress")
    assert [s.label for s in eleven.subparagraphs] == ["1.", "2.", "3.", "4.", "5.", "6.", "7."]


def test_paragraph_starting_a_page_flush_left_78_64(corpus):
    r = ga("78_64")
    assert [p.number for p in r.operative] == list(range(1, 16))
    assert r.operative[5].text == "Welcomes the work of the Implementation Support Unit;"
    assert r.operative[6].phrase == "Calls upon"


def test_long_annex_after_resumed_meeting_79_233(corpus):
    r = ga("79_233")
    assert [(p.id, p.verb) for p in r.operative] == [("A/RES/79/233#1", "adopts")]
    assert r.meeting == "55th (resumed) plenary meeting" and r.adopted == "2024-12-24"
    numbered = [p.number for p in r.annexes if p.number is not None]
    assert numbered == list(range(1, 357))


def test_ibid_chain_78_108(corpus):
    r = ga("78_108")
    notes = {f.marker: f for f in r.footnotes}
    for marker, locator in (("6", "para. 38."), ("7", "para. 29."), ("8", "para. 249.")):
        assert notes[marker].text == f"Ibid., {locator}"
        assert notes[marker].resolved == (
            f"Official Records of the General Assembly, Seventy-eighth Session, Supplement No. 10 (A/78/10), {locator}"
        )


def test_short_resolution_78_192(corpus):
    r = ga("78_192")
    assert [(p.id, p.verb) for p in r.operative] == [("A/RES/78/192#1", "reaffirms"), ("A/RES/78/192#2", "urges")]
    assert len(r.preamble) == 12
    assert r.preamble[4].phrase == "Recalling also"
    assert r.preamble[4].modifiers == ("also",)


def test_lead_ins_before_numbered_paragraphs_79_1_and_78_256(corpus):
    pact = ga("79_1")
    assert (pact.operative[0].id, pact.operative[0].number, pact.operative[0].verb) == ("A/RES/79/1#0", 0, "adopts")
    assert pact.operative[1].id == "A/RES/79/1#1" and pact.operative[1].text.startswith("We, the Heads of State")
    fund = ga("78_256")
    assert [p.number for p in fund.operative] == list(range(1, len(fund.operative) + 1))
    assert {p.verb for p in fund.operative} == {"resolves"}
    assert fund.operative[0].text.startswith("The Working Capital Fund shall be established for 2024")


def test_tables_stay_with_their_paragraph_one_row_per_line_79_249_and_78_253(corpus):
    scale = ga("79_249")
    twelve = next(p for p in scale.operative if p.id == "A/RES/79/249#12")
    lines = twelve.text.split("\n")
    assert lines[0].endswith("shall be as follows:")
    assert lines[1] == "Member State Percentage" and lines.count("Member State Percentage") == 1
    assert "Afghanistan 0.005" in lines and "China 20.004" in lines and "Bosnia and Herzegovina 0.014" in lines
    assert not any(p.text.startswith(("Angola", "Member State")) for p in scale.paragraphs)
    budget = ga("78_253")
    six = next(p for p in budget.operative if p.id == "A/RES/78/253#VII.6")
    assert "New post Information Systems Officer P-4 1" in six.text.split("\n")
    # a cell wrapped over four lines is one cell of its row
    assert "Redeployment from Office of the Representative of the Secretary-General to Legal Team Senior Legal Officer P-5 1" in six.text.split("\n")
    assert next(p for p in budget.operative if p.id == "A/RES/78/253#VII.7").text.startswith("Approves the estimates of 139,789,700 dollars")


def test_table_headers_note_letters_and_wrapped_cells_79_250_78_249_79_255_78_252(corpus):
    def rows(name: str, pid: str) -> list[str]:
        return next(p for p in ga(name).paragraphs if p.id == pid).text.split("\n")

    levels = rows("79_250", "A/RES/79/250#11")
    # the header's cells wrapped above the line that holds `Level` and `Criterion`
    assert levels[1] == "Level Criterion Threshold in United States dollars (2025–2027) Discount (percentage)"
    assert levels[9].endswith("Under 13,768 80 (or 70 on a voluntary basis) a")
    budget = rows("78_249", "A/RES/78/249#annex1.p1")
    assert "Estimated appropriation for 2024 a 63 930 800 58 552 400" in budget
    assert "Recommendations of the Advisory Committee on Administrative and Budgetary Questions c (2 061 900) (1 897 200)" in budget
    assert "Total assessment for 2024" in budget and "Requirements for 2024 65 459 100 60 132 400" in budget
    assert (
        "Contributions assessed on Member States in accordance with the scale of assessments applicable to the "
        "regular budget of the United Nations for 2024 27 553 750 25 176 900"
    ) in budget
    assert budget[-3:] == ["a See A/78/534.", "b See A/78/634.", "c Reflects amounts after recosting."]
    assert "Surplus resulting from the final expenditure for the budget for the year 2023 (4 067 100) (4 073 600)" in rows(
        "79_255", "A/RES/79/255#annex1.p1"
    )
    staffing = rows("78_252", "A/RES/78/252#annex1.p1")
    header = "Category Number of posts (excluding special political missions) Number of posts (special political missions) Total"
    assert staffing[:2] == ["Staffing table for 2024", header] and staffing.count(header) == 1  # not again where page 11 opens


def test_clause_after_a_list_goes_on_in_its_paragraph_79_243(corpus):
    convention = ga("79_243")
    by_id = {p.id: p for p in convention.paragraphs}
    search = by_id["A/RES/79/243#annex1.p112"]
    assert search.text.endswith("(b) An electronic data storage medium in which the electronic data sought may be stored; in the territory of that State Party.")
    assert not any(p.text[:1].islower() for p in convention.paragraphs)
    # the clause's old id stays unused so the ids after it are the ones published before
    assert "A/RES/79/243#annex1.p113" not in by_id
    assert by_id["A/RES/79/243#annex1.p114"].text.startswith("Each State Party shall adopt such legislative and other measures as may be necessary to ensure that, where its authorities search")


def test_bold_heading_with_a_footnote_marker_is_one_heading_78_128(corpus):
    rules = {p.id: p for p in ga("78_128").paragraphs if p.id.startswith("A/RES/78/128#annex3.")}
    expected = "Rule 65 Representatives of non-governmental organizations, major groups and other relevant stakeholders"
    # the title's last line was a paragraph of its own (`annex3.p81`); the ids after it stay as they were
    assert rules["A/RES/78/128#annex3.p82"].section == expected and "A/RES/78/128#annex3.p81" not in rules
    assert rules["A/RES/78/128#annex3.p82"].text.startswith("Non-governmental organizations, major groups and other relevant stakeholders approved")
    assert rules["A/RES/78/128#annex3.p76"].section.startswith("Rule 60 Intergovernmental organizations and other entities having received a standing")
    assert not any(p.text == "relevant stakeholders" for p in rules.values())


def test_italic_headings_head_their_paragraphs_keeping_later_ids_79_243_79_1(corpus):
    convention = {p.id: p for p in ga("79_243").paragraphs}
    purpose = convention["A/RES/79/243#annex1.p19"]
    assert purpose.section == "Article 1 Statement of purpose" and purpose.text.startswith("The purposes of this Convention are to:")
    # `Article 1 Statement of purpose` was `annex1.p18`: the count stays taken, the ids after it stay
    assert "A/RES/79/243#annex1.p18" not in convention
    assert convention["A/RES/79/243#annex1.p21"].section == "Article 2 Use of terms"
    assert not any(p.text.startswith("Article ") and len(p.text) < 80 for p in convention.values())
    compact = {p.id: p for p in ga("79_1").paragraphs}
    assert compact["A/RES/79/1#annex1.10"].section == "Connectivity"
    assert not any(p.text == "Connectivity" for p in compact.values())


def test_list_items_set_like_headings_stay_in_the_paragraph_that_introduces_them_79_233(corpus):
    programme = {p.id: p for p in ga("79_233").paragraphs}
    areas = programme["A/RES/79/233#annex1.34"].text
    assert areas.startswith("The present Programme of Action will have five priority areas for action, as follows: Priority area 1:")
    assert areas.endswith("Priority area 2: Trade, trade facilitation and regional integration Priority area 3: Transit, transport and connectivity")
    assert not any((p.section or "").startswith("Priority area 3: Transit") for p in programme.values())
    # items 4 and 5 read as paragraphs (too long for a heading, or ending in a full stop): published ids, kept
    assert programme["A/RES/79/233#annex1.p1"].text.startswith("Priority area 4:")
