"""Links written at index time: citations from text and footnotes, incremental lineage, removals."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pypdfium2
import pytest

from tests.conftest import GA, LINEAGE_SUBSET
from unres.index import Indexer, parse_file
from unres.index.errors import IndexOpenError, NotFoundError
from unres.index.links.items import item_key, section_pairs
from unres.index.links.textdiff import similarity
from unres.index.parse.citations import read_citations
from unres.search import Searcher


@pytest.fixture
def lineage_copy(lineage_index, tmp_path) -> Path:
    return Path(shutil.copytree(lineage_index, tmp_path / "unres-index"))


@pytest.mark.parametrize(
    ("footnote", "symbols"),
    [
        ("Resolution 57/263, annex.", ("A/RES/57/263",)),
        ("Resolution 217 A (III).", ("A/RES/217(III)",)),
        ("Resolutions 52/214, sect. B, 57/283 B, sect. III, and 58/250, sect. III.",
         ("A/RES/52/214", "A/RES/57/283", "A/RES/58/250")),
        ("See resolution 63/120, para. 20.", ("A/RES/63/120",)),
        ("Official Records of the General Assembly, Seventy-ninth Session, Supplement No. 23 (A/79/23).", ("A/79/23",)),
        ("Security Council resolution 242 (1967).", ("S/RES/242(1967)",)),
    ],
)
def test_footnote_citations(footnote, symbols):
    found = read_citations("Recalling", [footnote])
    assert tuple(c.symbol for c in found) == symbols and all(c.via == ("footnote",) for c in found)


def test_budget_sections_pair_with_the_section_on_the_same_subject(corpus):
    """78/253 and 79/258 number their sections differently; each pairs by heading, never across subjects."""
    earlier, later = (parse_file(GA / f"A_RES_{name}.pdf") for name in ("78_253", "79_258"))
    first, second = ({s.label: s.heading for s in r.sections} for r in (earlier, later))
    pairs = section_pairs(first, second)
    assert pairs["III"] == "II" and "Sierra Leone" in first["III"] and "Sierra Leone" in second["II"]
    assert pairs["XIII"] == "XIV" and "Economic and Social Commission for Asia" in second["XIV"]
    assert pairs["XXVI"] == "XXV"  # Contingency fund
    assert "VIII" not in pairs  # section 34, Safety and security: no 2025 counterpart (79/258 IV is on section 26)
    for label, other in pairs.items():
        assert similarity(item_key(first[label]), item_key(second[other])) >= 0.75


def test_item_key_sets_aside_ordinals_and_years():
    assert item_key("Report of the International Law Commission on the work of its seventy-fourth session") == \
        item_key("Report of the International Law Commission on the work of its seventy-fifth session")
    assert item_key("Working Capital Fund for 2024") == item_key("Working Capital Fund for 2025")
    assert item_key("Regional disarmament") != item_key("Nuclear disarmament")


def test_footnote_citations_count_as_the_paragraphs_own_and_are_marked(lineage_searcher):
    cited = lineage_searcher.cited_by("A/RES/45/110")  # cited only in footnotes of 78/224 and 79/187
    vias = {p.via for r in cited.resolutions for p in r.paragraphs}
    assert ("footnote",) in vias and not cited.in_index
    by_text = lineage_searcher.cited_by("78/113")  # 79/127 names it in its text
    assert by_text.symbol == "A/RES/78/113" and by_text.in_index
    assert all("text" in p.via for r in by_text.resolutions for p in r.paragraphs)


@pytest.mark.parametrize("symbol", ["A/RES/78/113", "A/RES/64/117", "A/RES/70/175", "A/RES/78/224", "A/RES/73/48"])
def test_cites_agrees_with_a_grep_of_the_documents(lineage_searcher, symbol):
    """The resolutions `cites` lists are those whose PDF text names the symbol's number."""
    number = symbol.removeprefix("A/RES/")
    pattern = re.compile(r"(?<![\d/.])" + re.escape(number) + r"(?![\d/])")
    grep = set()
    for path in LINEAGE_SUBSET:
        document = pypdfium2.PdfDocument(path)
        text = "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
        own = "A/RES/" + path.stem.removeprefix("A_RES_").replace("_", "/")
        if pattern.search(text) and own != symbol:
            grep.add(own)
    assert grep, f"{symbol} is cited by none of the test documents; choose another"
    assert {r.symbol for r in lineage_searcher.cited_by(symbol).resolutions} == grep


def test_cites_and_the_paragraph_json_agree_on_every_paragraph(lineage_index, lineage_searcher):
    """One truth: each paragraph's JSON `citations` (symbol and where) is what `cites` reports for it."""
    with sqlite3.connect(lineage_index / "unres.sqlite") as db:
        ids = [pid for (pid,) in db.execute("SELECT id FROM paragraphs")]
    from_json = {
        (pid, c["symbol"].upper(), tuple(c["via"]))
        for pid in ids
        for c in lineage_searcher.paragraph(pid).to_dict()["citations"]
    }
    symbols = {symbol for _, symbol, _ in from_json}
    from_cites = {
        (p.id, symbol.upper(), p.via) for symbol in symbols for r in lineage_searcher.cited_by(symbol).resolutions
        for p in r.paragraphs
    }
    assert len(from_json) > 100 and from_json == from_cites


def test_cites_matches_a_document_symbol_in_any_case_and_prints_it_as_cited(lineage_index, lineage_searcher):
    with sqlite3.connect(lineage_index / "unres.sqlite") as db:
        (cited,) = db.execute("SELECT cited FROM cites WHERE cited LIKE 'A/%/Add.%' LIMIT 1").fetchone()
    found = lineage_searcher.cited_by(cited.upper())
    assert found.symbol == cited and found.paragraphs > 0


def test_an_index_written_before_citations_said_where_reads_them_again_on_its_next_write(lineage_copy):
    """Old rows hold bare symbols, or none where only footnotes cited; the upgrade reads them again."""
    with sqlite3.connect(lineage_copy / "unres.sqlite") as db:
        db.execute("UPDATE paragraphs SET citations = '[]' WHERE citations LIKE '%\"footnote\"]%'")
        db.execute("UPDATE paragraphs SET citations = '[\"A/RES/78/113\"]' WHERE id = 'A/RES/79/127#3'")
        db.execute("DELETE FROM cites")
        db.execute("DROP TABLE items")
        db.execute("UPDATE meta SET value = '1' WHERE key = 'links'")
    with Searcher.open(lineage_copy) as searcher:
        assert searcher.lineage("A/RES/79/127#3").found  # titles still pair it, before any write
        with pytest.raises(IndexOpenError, match="before items were kept"):
            searcher.items()
    Indexer(lineage_copy).remove("A/RES/78/224")  # any write relinks the whole index
    with Searcher.open(lineage_copy) as searcher:
        cited = searcher.cited_by("A/RES/45/110")  # only in footnotes of 79/187 now
        assert [r.symbol for r in cited.resolutions] == ["A/RES/79/187"]
        assert {c.symbol: c.via for c in searcher.paragraph(cited.resolutions[0].paragraphs[0].id).citations}[
            "A/RES/45/110"] == ("footnote",)
        assert ("A/RES/78/113", "A/RES/79/127") in {(i.earlier, i.later) for i in searcher.items()}


def test_unknown_symbol_neither_indexed_nor_cited_is_not_found(lineage_searcher):
    with pytest.raises(NotFoundError, match="A/RES/12/345"):
        lineage_searcher.cited_by("A/RES/12/345")


def test_removing_a_resolution_removes_its_links_and_adding_it_back_relinks(lineage_copy):
    database = lineage_copy / "unres.sqlite"
    before = _link_count(database)
    Indexer(lineage_copy).remove("A/RES/79/127")
    with Searcher.open(lineage_copy) as searcher:
        assert not searcher.lineage("A/RES/78/113#3").found
        assert not searcher.cited_by("A/RES/78/113").resolutions
    Indexer(lineage_copy).add(LINEAGE_SUBSET[1])  # incremental: the new one links to the stored 78/113
    with Searcher.open(lineage_copy) as searcher:
        assert [v.id for v in searcher.lineage("A/RES/78/113#3").versions] == ["A/RES/78/113#3", "A/RES/79/127#3"]
    assert _link_count(database) == before


def test_an_index_made_before_links_gains_them_on_its_next_write(lineage_copy):
    database = lineage_copy / "unres.sqlite"
    with sqlite3.connect(database) as db:
        db.executescript("DROP TABLE lineage; DROP TABLE cites; DELETE FROM meta WHERE key = 'links';")
    with Searcher.open(lineage_copy) as searcher, pytest.raises(IndexOpenError, match="before lineage"):
        searcher.lineage("A/RES/79/127#3")
    Indexer(lineage_copy).remove("A/RES/78/224")
    with Searcher.open(lineage_copy) as searcher:
        assert searcher.lineage("A/RES/79/127#3").found


def _link_count(database: Path) -> tuple[int, int]:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT COUNT(*) FROM lineage").fetchone()[0], db.execute("SELECT COUNT(*) FROM cites").fetchone()[0]


def test_a_renamed_item_is_paired_by_its_shared_paragraphs(items_searcher):
    (pair,) = [i for i in items_searcher.items("A/RES/79/174") if i.how == "renamed"]
    assert (pair.earlier, pair.later) == ("A/RES/78/212", "A/RES/79/174") and pair.score >= 0.5
    found = items_searcher.lineage("A/RES/79/174#1")
    assert found.first_appeared.startswith("A/RES/78/212#") and found.last_seen == "A/RES/79/174#1"


def test_a_council_resolution_follows_the_ones_it_cites_and_carries(items_searcher):
    chain = {(i.earlier, i.later) for i in items_searcher.items() if i.how == "cites"}
    assert ("S/RES/444(1979)", "S/RES/450(1979)") in chain and ("S/RES/434(1978)", "S/RES/444(1979)") in chain
    renewal = next(p.id for p in items_searcher.resolution("S/RES/450(1979)").operative if "renew the mandate" in p.text)
    found = items_searcher.lineage(renewal)
    dates = [v.adopted for v in found.versions]
    assert len(found.versions) >= 3 and dates == sorted(dates)
    assert found.first_appeared == found.versions[0].id and found.latest_resolution == "S/RES/450(1979)"


def test_an_act_that_changed_is_a_version_with_its_new_verb(items_searcher):
    versions = items_searcher.lineage("A/RES/79/40#33").versions
    assert [(v.id, v.verb) for v in versions] == [("A/RES/78/46#32", "encourages"), ("A/RES/79/40#33", "decides")]


def test_items_of_an_unknown_resolution_is_not_found(items_searcher):
    with pytest.raises(NotFoundError, match="A/RES/12/345"):
        items_searcher.items("A/RES/12/345")


def test_the_resolutions_citing_one_are_found_through_the_index_of_cited_symbols(items_searcher):
    """Through cites_cited_nocase, not by reading every paragraph: that made linking each Council resolution
    cost the whole index (benchmarks/README.md, *A whole index of N paragraphs*)."""
    from unres.index import sql

    connection = sqlite3.connect(f"file:{items_searcher.directory / 'unres.sqlite'}?mode=ro", uri=True)
    try:
        plan = " | ".join(row[-1] for row in connection.execute("EXPLAIN QUERY PLAN " + sql.CITING_IN_TEXT, {"symbol": "S/RES/425(1978)"}))
        citing = {symbol for (symbol,) in connection.execute(sql.CITING_IN_TEXT, {"symbol": "S/RES/425(1978)"})}
        lower = {symbol for (symbol,) in connection.execute(sql.CITING_IN_TEXT, {"symbol": "s/res/425(1978)"})}
    finally:
        connection.close()
    assert "USING INDEX cites_cited_nocase" in plan and "SCAN" not in plan, plan
    assert citing == {"S/RES/434(1978)", "S/RES/444(1979)", "S/RES/450(1979)"} and lower == set()  # the exact symbol only


def test_chains_walked_side_by_side_are_each_row_walked_alone(lineage_index):
    """`chains` walks a page of rows together, one statement per step for all: each row's versions must be
    what walking it alone gives, the same links and similarities, ties included (in link order), and the
    counts a page shows are made of them."""
    from unres.index.links.counts import chain, chains, link_counts
    from unres.index.store import Store

    db = sqlite3.connect(f"file:{lineage_index / 'unres.sqlite'}?mode=ro", uri=True)
    linked = [row for (row,) in db.execute("SELECT DISTINCT earlier FROM lineage WHERE relation = 'version' ORDER BY earlier")]
    tied = db.execute("SELECT COUNT(*) FROM lineage WHERE relation = 'version' AND similarity = 1.0").fetchone()[0]
    assert len(linked) > 30 and tied > 0  # identical paragraphs tie at 1.0
    for page in (linked[:10], linked[::3][:12], [linked[0], linked[0], 10**9]):  # neighbours, spread, a repeat and no such row
        together = chains(db, page)
        assert {row: together[row] for row in page} == {row: chain(db, row) for row in page}
    assert chain(db, 10**9) == {10**9: 1.0}
    store = Store.open(lineage_index / "unres.sqlite")
    try:
        ids = dict(db.execute("SELECT row, id FROM paragraphs WHERE row IN (SELECT value FROM json_each(?))", (str(linked[:10]),)))
        counts = link_counts(store, ids.values())
        for row, pid in ids.items():
            versions = chain(db, row)
            assert counts[pid].earlier_versions + counts[pid].later_versions == len(versions) - 1
    finally:
        store.close()
