"""Building and updating an index: incremental, atomic, and strict about the model it was built with."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from tests.bad_files import make_bad_files
from tests.conftest import GA, SC, SEED, SUBSET
from unres.index import Indexer
from unres.index.config import IndexConfig
from unres.index.errors import ConfigError, IndexOpenError, NotFoundError
from unres.search import Searcher


def files(directory) -> list[str]:
    """The index's files, without SQLite's WAL files (present while any connection is open)."""
    return sorted(p.name for p in directory.iterdir() if not p.name.endswith(("-wal", "-shm")))


def test_config_records_how_the_index_was_built(built_index):
    config = IndexConfig.load(built_index)
    assert (config.model, config.dimension, config.normalize) == ("multilingual-e5-small", 384, True)
    assert config.template == "{title}: {text}" and config.backend == "flat"
    assert files(built_index) == ["config.json", "encoder", "lexical.1", "unres.sqlite", "vectors.1.faiss"]
    assert sorted(p.name for p in (built_index / "encoder").iterdir()) == [
        "embeddings.npy", "encoder.json", "files.json", "model.onnx", "model.onnx.data", "query-tokenizer.json", "tokenizer.json",
        "vocab.npy"
    ]


def test_unchanged_documents_are_skipped(index_copy):
    report = Indexer(index_copy).add(SUBSET)
    assert (report.added, report.replaced, report.skipped, report.paragraphs) == (0, 0, len(SUBSET), 0)
    assert (index_copy / "vectors.1.faiss").exists()


def test_changed_document_replaces_its_paragraphs(index_copy, tmp_path):
    changed = tmp_path / "A_RES_58_220.txt"
    changed.write_text(SEED.read_text(encoding="utf-8").replace("19 December", "12 September"), encoding="utf-8")
    with Searcher.open(index_copy) as searcher:
        before = searcher.stats().vectors
    report = Indexer(index_copy).add([changed])
    assert (report.added, report.replaced, report.paragraphs) == (0, 1, 15)
    with Searcher.open(index_copy) as searcher:
        assert searcher.stats().vectors == before
        assert "12 September" in searcher.paragraph("A/RES/58/220#11").text
        hit = searcher.search("United Nations Day for South-South Cooperation", k=1, mode="lexical").hits[0]
        assert hit.id == "A/RES/58/220#11" and "19 December" not in hit.text
    assert sorted(p.name for p in index_copy.glob("vectors.*")) == ["vectors.1.faiss", "vectors.2.faiss"]  # the new vectors only


def test_remove_deletes_paragraphs_and_vectors(index_copy):
    Indexer(index_copy).remove(["S/RES/661(1990)"])
    with Searcher.open(index_copy) as searcher:
        facts = searcher.stats()
        assert facts.resolutions == {"GA": 4, "SC": 1}
        assert facts.vectors == sum(n for kinds in facts.paragraphs.values() for n in kinds.values())
        assert all(h.symbol != "S/RES/661(1990)" for h in searcher.search("Iraq Kuwait", k=20, mode="dense").hits)
    with pytest.raises(NotFoundError, match="no resolution A/RES/1/1"):
        Indexer(index_copy).remove(["A/RES/1/1"])


def test_another_model_is_a_clear_error(index_copy, tmp_path):
    other = tmp_path / "other-model"
    other.mkdir()
    with pytest.raises(IndexOpenError, match="built with model multilingual-e5-small"):
        Searcher.open(index_copy, model=str(other))
    with pytest.raises(IndexOpenError, match="built with model multilingual-e5-small"):
        Indexer(index_copy, model=str(other)).add([SEED])


def test_vectors_of_another_size_are_a_clear_error(index_copy):
    config = json.loads((index_copy / "config.json").read_text())
    (index_copy / "config.json").write_text(json.dumps({**config, "dimension": 768}))
    with pytest.raises(IndexOpenError, match="dimension 384 → 768"):
        Searcher.open(index_copy)


def test_corrupt_parts_are_clear_errors(index_copy):
    (index_copy / "vectors.1.faiss").write_bytes(b"not faiss")
    with pytest.raises(IndexOpenError, match="corrupt vectors file"):
        Searcher.open(index_copy)
    (index_copy / "unres.sqlite").write_bytes(b"not sqlite either, just bytes " * 100)
    with pytest.raises(IndexOpenError, match="corrupt index database"):
        Searcher.open(index_copy)


def test_bad_document_writes_nothing(index_copy, tmp_path):
    before = {p.relative_to(index_copy): p.read_bytes() for p in index_copy.rglob("*") if p.is_file() and not p.name.startswith("unres.sqlite-")}
    bad = make_bad_files(tmp_path)
    report = Indexer(index_copy).add([GA / "A_RES_78_64.pdf", bad["truncated"]])
    assert [f.path for f in report.failures] == [str(bad["truncated"])] and report.added == 0
    assert {p.relative_to(index_copy): p.read_bytes() for p in index_copy.rglob("*") if p.is_file() and not p.name.startswith("unres.sqlite-")} == before


def test_refuses_a_directory_that_is_not_an_index(tmp_path):
    (tmp_path / "thesis.tex").write_text("precious")
    with pytest.raises(ConfigError, match="not an unres index and not empty"):
        Indexer(tmp_path).add([SEED])
    assert (tmp_path / "thesis.tex").read_text() == "precious"


def test_build_killed_midway_leaves_the_old_index_usable(index_copy):
    with Searcher.open(index_copy) as searcher:
        before = searcher.stats()
    process = subprocess.Popen(
        [sys.executable, "-m", "unres.cli", "index", "--index", str(index_copy), str(SC)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    journal = index_copy / "unres.sqlite-wal"  # the run has opened the index
    deadline = time.monotonic() + 120
    while not journal.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert journal.exists(), "the build never started writing"
    time.sleep(0.5)  # well inside the transaction: the model is still loading or embedding
    process.send_signal(signal.SIGKILL)
    process.wait()
    with Searcher.open(index_copy) as searcher:
        after = searcher.stats()
        assert after.resolutions == before.resolutions and after.vectors == before.vectors
        assert searcher.search("a day to celebrate cooperation among southern countries", k=1).hits[0].id == "A/RES/58/220#11"
    report = Indexer(index_copy).add([GA / "A_RES_78_64.pdf"])
    assert report.added == 1


@pytest.mark.model
def test_two_files_with_one_symbol_are_reported(tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_text(SEED.read_text(encoding="utf-8").replace("sixtieth", "sixty-first"), encoding="utf-8")
    report = Indexer(tmp_path / "index").add([SEED, copy])
    assert report.added == 1
    first, later = sorted([SEED, copy], key=str)  # the later path wins, whatever order the files are given in
    assert report.warnings == (f"{first} and {later} both read as A/RES/58/220; keeping {later}, the later path",)


@pytest.mark.model
def test_a_file_named_for_another_resolution_than_its_heading_keeps_both(tmp_path):
    """S_RES_0542_1983 is headed `Resolution 538 (1983)` like S_RES_0538_1983: both are kept, the one named
    542 under its name's symbol with the heading marked as conflicting, and said."""
    named_542, named_538 = SC / "S_RES_0542_1983_EN_GOLD.txt", SC / "S_RES_0538_1983_EN_GOLD.txt"
    report = Indexer(tmp_path / "index").add([named_542, named_538])
    assert report.added == 2
    assert report.warnings == (
        f"{named_542}: headed S/RES/538(1983), named S/RES/542(1983), and another file is S/RES/538(1983); "
        "indexed as S/RES/542(1983) with its heading marked as conflicting",
    )
    with Searcher.open(tmp_path / "index") as searcher:
        kept = searcher.resolution("S/RES/542(1983)")
        assert kept.heading_symbol == "S/RES/538(1983)" and kept.operative[0].id == "S/RES/542(1983)#1"
        assert searcher.resolution("S/RES/538(1983)").heading_symbol is None
        hits = searcher.search("extend the mandate of the Interim Force in Lebanon until 19 April 1984", k=5).hits
        found = {h.symbol for h in hits} | {other.partition("#")[0] for h in hits for other in h.also_in}
        assert {"S/RES/542(1983)", "S/RES/538(1983)"} <= found  # identical texts: one folded into the other


def test_a_failed_first_build_writes_nothing(tmp_path):
    bad = make_bad_files(tmp_path)
    report = Indexer(tmp_path / "new").add(bad["truncated"])
    assert len(report.failures) == 1 and report.added == 0
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [({"backend": "annoy"}, "unknown vector backend 'annoy'"), ({"template": "{title}"}, "use {text} with optional"),
     ({"model": "/no/such/model"}, "no sentence-transformers model directory")],
)
def test_bad_options_fail_before_anything_is_written(tmp_path, options, message):
    with pytest.raises(ConfigError, match=message):
        Indexer(tmp_path / "new", **options).add([SEED])
    assert not (tmp_path / "new").exists()



def test_int8_on_an_fp32_index_refuses(index_copy):
    before = (index_copy / "unres.sqlite").read_bytes()
    with pytest.raises(ConfigError, match="index holds fp32 vectors; --int8 vectors would mix with them"):
        Indexer(index_copy, int8=True).add([GA / "A_RES_78_64.pdf"])
    assert (index_copy / "unres.sqlite").read_bytes() == before


def test_an_index_made_before_the_kind_index_searches_and_gains_it_by_its_next_write(index_copy):
    """A search's default filter reads operative rows through `paragraphs_kind`; an older index without it is
    still searched (by a scan of the table), and its next write adds it."""
    import sqlite3

    from unres.index import sql
    from unres.index.filters import Filters

    where, params = Filters().where()  # the default filter: operative paragraphs
    plan = "EXPLAIN QUERY PLAN " + sql.FILTERED_ROWS.format(filters=where)
    with sqlite3.connect(index_copy / "unres.sqlite") as db:
        assert "paragraphs_kind" in str(db.execute(plan, params).fetchall())
        db.execute("DROP INDEX paragraphs_kind")
    with Searcher.open(index_copy) as searcher:
        assert searcher.search("South-South cooperation", 3, mode="lexical").hits
    Indexer(index_copy).remove(["A/RES/78/1"])
    with sqlite3.connect(index_copy / "unres.sqlite") as db:
        assert "paragraphs_kind" in str(db.execute(plan, params).fetchall())
