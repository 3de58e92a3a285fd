"""The seed text rendering of A/RES/58/220 parses exactly as the official document reads."""

from __future__ import annotations

import pytest

from tests.conftest import SEED
from unres.index import parse_file
from unres.index.parse.citations import Citation


@pytest.fixture(scope="module")
def seed(corpus):
    return parse_file(SEED)


def test_metadata(seed):
    assert seed.symbol == "A/RES/58/220"
    assert seed.body == "GA"
    assert seed.session == 58
    assert seed.title == "Economic and technical cooperation among developing countries"
    assert seed.adopted == "2003-12-23"
    assert seed.meeting == "78th plenary meeting"
    assert seed.agenda_items == ("97 (b)",)
    assert seed.report == "A/58/487"
    assert len(seed.sha256) == 64


def test_paragraph_counts_and_verbs(seed):
    assert len(seed.preamble) == 3
    assert [p.id for p in seed.preamble] == [f"A/RES/58/220#p{n}" for n in (1, 2, 3)]
    assert [p.verb for p in seed.operative] == [
        "takes note", "takes note", "reaffirms", "notes", "recognizes", "recognizes",
        "reiterates", "notes", "urges", "recognizes", "decides", "decides",
    ]
    assert [p.id for p in seed.operative] == [f"A/RES/58/220#{n}" for n in range(1, 13)]
    phrases = [p.phrase for p in seed.operative]
    assert phrases[3] == "Notes with interest"
    assert phrases[5] == "Also recognizes" and seed.operative[5].modifiers == ("also",)
    assert phrases[11] == "Also decides"


def test_paragraph_nine_is_whole_with_only_footnote_seven(seed):
    nine = seed.operative[8]
    assert "human, technical and financial resources for supporting South-South cooperation initiatives" in nine.text
    assert "See resolution 55/2" not in nine.text
    assert [f.marker for f in nine.footnotes] == ["7"]
    assert nine.text.endswith("the second South Summit in 2005;")


def test_footnotes_attach_by_marker_and_ibid_resolves(seed):
    assert [f.marker for f in seed.operative[3].footnotes] == ["6"]
    one = seed.operative[0]
    assert [f.marker for f in one.footnotes] == ["2", "3"]
    ibid = one.footnotes[1]
    assert ibid.text == "Ibid., annex I."
    assert "Supplement No. 39 (A/58/39)" in ibid.resolved and ibid.resolved.endswith("annex I.")
    assert Citation("A/58/39", ("footnote",)) in one.citations  # named only in a footnote


def test_citations_and_clean_text(seed):
    assert "A/RES/57/263" in {c.symbol for c in seed.operative[9].citations}
    for paragraph in seed.paragraphs:
        assert not any(ch in paragraph.text for ch in "¹²³⁴⁵⁶⁷⁸*")
        assert paragraph.text.startswith(paragraph.phrase)
