"""The acronym glossary: definitions mined from real resolutions, stored in the index and kept in step."""

from __future__ import annotations

import sqlite3

import pytest
from unres.index import Indexer, IndexOpenError, parse_file
from unres.index.check import check_index
from unres.index.glossary import definitions, mine
from unres.search import Searcher

from tests.conftest import GA

UNRWA = "United Nations Relief and Works Agency for Palestine Refugees in the Near East"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (f"Commends the {UNRWA} (UNRWA) for its work", [("UNRWA", UNRWA)]),
        ("the special needs of small island developing States (SIDS),", [("SIDS", "small island developing States")]),
        ("in favour of the least developed countries (LDCs)", [("LDC", "least developed countries")]),
        ("the Economic Community of West African States (ECOWAS)", [("ECOWAS", "Economic Community of West African States")]),
        ("disarmament, demobilization and reintegration (DDR) of", [("DDR", "disarmament, demobilization and reintegration")]),
        ("the United Nations Conference on Trade and Development (UNCTAD)",
         [("UNCTAD", "United Nations Conference on Trade and Development")]),
        ("the United Nations Multidimensional Integrated Stabilization Mission in Mali (MINUSMA)",
         [("MINUSMA", "United Nations Multidimensional Integrated Stabilization Mission in Mali")]),
        ("as set out in document A/78/L.5 (A/78/5) and resolution 2250 (2015)", []),
        ("the report of the Secretary-General (see annex) (A)", []),
        ("its sixty-fifth session (XV 1599)", []),
        ("the world (UNESCO)", []),  # the letters do not match the words before
    ],
)
def test_definitions(text, found):
    assert definitions(text) == found


def test_mined_from_real_documents():
    resolution = parse_file(GA / "A_RES_79_118.pdf")
    counts = mine([resolution.title, *(p.text for p in resolution.paragraphs)])
    assert counts[("UNCITRAL", "United Nations Commission on International Trade Law")] >= 1


def test_index_glossary_is_searchable(searcher):
    understood = searcher.understand("what did the UN say about WTO rules")
    assert understood.text == "WTO rules"
    assert [(e.acronym, e.expansion) for e in understood.expansions] == [("WTO", "World Trade Organization")]


def test_glossary_follows_removal(index_copy):
    with Searcher.open(index_copy) as searcher:
        assert searcher.understand("INC and WTO").expansions
    Indexer(index_copy).remove(["A/RES/78/1"])  # the resolution that defines both
    with Searcher.open(index_copy) as searcher:
        assert searcher.understand("INC and WTO").expansions == ()
    Indexer(index_copy).add([GA / "A_RES_78_1.pdf"])
    with Searcher.open(index_copy) as searcher:
        assert [e.acronym for e in searcher.understand("INC and WTO").expansions] == ["INC", "WTO"]


def test_an_index_without_glossary_says_how_to_add_it(index_copy):
    with sqlite3.connect(index_copy / "unres.sqlite") as db:
        db.execute("DROP TABLE glossary")
        db.execute("DELETE FROM meta WHERE key = 'glossary'")
    with Searcher.open(index_copy) as searcher:
        with pytest.raises(IndexOpenError) as error:
            searcher.search("WTO", 3, mode="lexical")
        message = str(error.value)
        assert str(index_copy / "unres.sqlite") in message and "unres check --repair" in message
        assert "\n" not in message
    report = check_index(index_copy)
    assert any("acronym glossary" in problem for problem in report.problems)
    repaired = check_index(index_copy, repair=True)
    assert "acronym glossary mined from the stored text" in repaired.repairs
    with Searcher.open(index_copy) as searcher:
        assert [e.acronym for e in searcher.understand("WTO").expansions] == ["WTO"]
        assert searcher.search("WTO", 3, mode="lexical")
