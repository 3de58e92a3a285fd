"""The acronym glossary: definitions mined from real resolutions, stored in the index and kept in step."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import GA
from unres.index import Indexer, IndexOpenError, glossary, parse_file
from unres.index.check import check_index
from unres.index.glossary import definitions, mine, names
from unres.search import Searcher

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


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (f"Commends the {UNRWA} for its work", {("UNR", "United Nations Relief"), ("UNRWA", "United Nations Relief and Works Agency"),
          ("PRNE", "Palestine Refugees in the Near East")}),
        ("the World Health Organization and Member States", {("WHO", "World Health Organization"),
                                                             ("WHOMS", "World Health Organization and Member States")}),
        ("United Nations Educational, Scientific and Cultural Organization",
         {("UNES", "United Nations Educational Scientific"),
          ("UNESCO", "United Nations Educational Scientific and Cultural Organization")}),
        ("Requests the Secretary-General to report", set()),  # a paragraph's verb is no part of a name
    ],
)
def test_names_by_initials(text, found):
    assert {(key, name) for key, name, joined in names(text) if not joined} == found


def test_names_by_every_initial():
    assert ("UNIFIL", "United Nations Interim Force in Lebanon", True) in names("the United Nations Interim Force in Lebanon")


def test_mined_from_real_documents():
    resolution = parse_file(GA / "A_RES_79_118.pdf")
    defined, used = mine([resolution.title, *(p.text for p in resolution.paragraphs)])
    assert defined[("UNCITRAL", "United Nations Commission on International Trade Law")] >= 1
    assert used[("UNCITL", "United Nations Commission on International Trade Law", False)] >= 1


def test_index_glossary_is_searchable(searcher):
    understood = searcher.understand("what did the UN say about WTO rules")
    assert understood.text == "WTO rules"
    assert [(e.acronym, e.expansion) for e in understood.expansions] == [("WTO", "World Trade Organization")]
    named = searcher.understand("UDHR and ICCPR")  # never defined in these documents: spelled out by their names
    assert [(e.acronym, e.expansion) for e in named.expansions] == [
        ("UDHR", "Universal Declaration of Human Rights"), ("ICCPR", "International Covenant on Civil and Political Rights"),
    ]


def test_glossary_follows_removal(index_copy):
    def defined() -> dict[str, str]:
        with sqlite3.connect(index_copy / "unres.sqlite") as db:
            return glossary.load(db, index_copy / "unres.sqlite")

    def rows() -> int:
        with sqlite3.connect(index_copy / "unres.sqlite") as db:
            return db.execute("SELECT COUNT(*) FROM glossary WHERE symbol = 'A/RES/78/1'").fetchone()[0]

    assert {"INC", "WTO"} <= set(defined()) and rows() > 0
    Indexer(index_copy).remove(["A/RES/78/1"])  # the resolution that defines both
    assert not {"INC", "WTO"} & set(defined()) and rows() == 0
    Indexer(index_copy).add([GA / "A_RES_78_1.pdf"])
    assert {"INC", "WTO"} <= set(defined()) and rows() > 0


def test_an_index_without_glossary_says_how_to_add_it(index_copy):
    with sqlite3.connect(index_copy / "unres.sqlite") as db:
        db.execute("DROP TABLE glossary")
        db.execute("DELETE FROM meta WHERE key = 'glossary'")
    with Searcher.open(index_copy) as searcher:
        assert searcher.search("trade", 3, mode="lexical").hits  # nothing to look up: the glossary is not read
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
        assert searcher.search("WTO", 3, mode="lexical").hits
