"""Damage to an index is a clear error on open, `unres check` finds it and `--repair` fixes what it can."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from tests.conftest import GA
from tests.reliability.conftest import one_error_line, run_cli
from unres.index import Indexer
from unres.index.check import check_index
from unres.index.config import model_path
from unres.index.errors import IndexOpenError
from unres.index.integrity import VECTORS_KEY
from unres.index.vectors import VectorIndex
from unres.search import Searcher

QUERY = "a day to celebrate cooperation among southern countries"


def answers(directory) -> list[str]:
    with Searcher.open(directory) as searcher:
        return [h.id for h in searcher.search(QUERY, k=10, mode="dense").hits]


def test_a_healthy_index_checks_clean(built_index):
    report = check_index(built_index)
    assert report.problems == () and report.paragraphs == report.vectors > 0
    result = run_cli("check", "--index", str(built_index))
    assert result.returncode == 0 and result.stdout.decode().strip().endswith("healthy")


def test_flipped_bytes_are_found_and_repaired(index_copy):
    before = answers(index_copy)
    path = index_copy / "vectors.1.faiss"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    data[len(data) // 2 + 7] ^= 0x10
    path.write_bytes(bytes(data))
    Searcher.open(index_copy).close()  # a reader checks sizes and counts only: no whole-file hash at every open
    assert "checksum differs" in one_error_line(run_cli("check", "--index", str(index_copy)))
    result = run_cli("check", "--repair", "--index", str(index_copy))
    assert result.returncode == 0, result.stderr
    assert "vectors re-embedded" in result.stdout.decode()
    assert check_index(index_copy).problems == ()
    assert answers(index_copy) == before
    assert sorted(p.name for p in index_copy.glob("vectors.*")) == ["vectors.2.faiss"]


def test_a_write_leaves_damaged_vectors_as_they_are_and_never_copies_them(index_copy):
    """A write hashes only the files it writes again: one that only adds a file or records removals leaves a
    damaged file for `unres check` to find (not copied under a new checksum); one that merges it refuses."""
    path = index_copy / "vectors.1.faiss"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    Indexer(index_copy).remove(["A/RES/58/220"])
    assert "checksum differs" in one_error_line(run_cli("check", "--index", str(index_copy)))
    with pytest.raises(IndexOpenError, match="corrupt vectors file .its checksum differs"):  # over a quarter removed: all written again
        Indexer(index_copy).remove(["S/RES/661(1990)", "S/RES/800(1993)", "A/RES/78/220", "A/RES/78/192"])
    assert check_index(index_copy, repair=True).repairs and check_index(index_copy).problems == ()


def test_vectors_file_from_another_index_is_refused(index_copy, built_index, tmp_path):
    other = shutil.copytree(built_index, tmp_path / "other")
    run_cli("remove", "--index", str(other), "A/RES/58/220", "S/RES/661(1990)", "S/RES/800(1993)", "A/RES/78/220", "A/RES/78/192")
    shutil.copy(other / "vectors.2.faiss", index_copy / "vectors.1.faiss")  # over a quarter removed: written whole
    with pytest.raises(IndexOpenError, match="corrupt vectors file"):
        Searcher.open(index_copy)
    report = check_index(index_copy, repair=True)
    assert report.repairs and check_index(index_copy).problems == ()


def test_missing_vectors_of_an_old_index_are_re_embedded(index_copy):
    """The damage the two-writer bug left: paragraphs without vectors, in an index with no records."""
    before = answers(index_copy)
    vectors = VectorIndex.load(index_copy, 1, None, 384, "flat", writable=True)
    lost = vectors.rows()[:83]
    vectors.remove(lost)
    vectors.commit(index_copy, 1, whole=True)
    with sqlite3.connect(index_copy / "unres.sqlite") as db:
        db.execute("DELETE FROM meta WHERE key != 'generation'")  # an index written before the records existed
    with Searcher.open(index_copy) as searcher:
        assert searcher.stats().vectors == report_paragraphs(index_copy) - 83
    found = check_index(index_copy)
    assert any("83 of" in problem and "have no vector" in problem for problem in found.problems)
    repaired = check_index(index_copy, repair=True)
    assert "83 vectors re-embedded" in repaired.repairs
    assert check_index(index_copy).problems == ()
    assert answers(index_copy) == before


def report_paragraphs(directory) -> int:
    return check_index(directory).paragraphs


def test_full_text_rows_are_checked_and_restored(index_copy):
    with sqlite3.connect(index_copy / "unres.sqlite") as db:
        db.execute("DELETE FROM paragraph_text WHERE rowid IN (SELECT row FROM paragraphs LIMIT 5)")
    assert any("full-text" in p for p in check_index(index_copy).problems)
    check_index(index_copy, repair=True)
    assert check_index(index_copy).problems == ()
    with Searcher.open(index_copy) as searcher:
        assert searcher.search(QUERY, k=1, mode="lexical").hits[0].id == "A/RES/58/220#11"


def test_tampered_backend_is_refused_and_restored(index_copy):
    config = json.loads((index_copy / "config.json").read_text())
    (index_copy / "config.json").write_text(json.dumps({**config, "backend": "hnsw"}))
    with pytest.raises(IndexOpenError, match="backend 'flat' → 'hnsw'"):
        Searcher.open(index_copy)
    assert "differs from the configuration" in one_error_line(run_cli("search", "--index", str(index_copy), "peace"))
    with pytest.raises(IndexOpenError, match="differs from the configuration"):
        Indexer(index_copy).remove("A/RES/58/220")  # a writer does not commit the tampered value either
    assert check_index(index_copy, repair=True).repairs
    assert json.loads((index_copy / "config.json").read_text())["backend"] == "flat"
    assert answers(index_copy)


def test_tampered_backend_of_an_old_index_is_refused_by_the_file_itself(index_copy):
    with sqlite3.connect(index_copy / "unres.sqlite") as db:
        db.execute("DELETE FROM meta WHERE key != 'generation'")  # written before the records existed
    config = json.loads((index_copy / "config.json").read_text())
    (index_copy / "config.json").write_text(json.dumps({**config, "backend": "hnsw"}))
    with pytest.raises(IndexOpenError, match="holds a FAISS IndexFlatIP index, the configuration says backend 'hnsw'"):
        Searcher.open(index_copy)


def test_model_swapped_at_the_same_path_is_refused(index_copy, tmp_path):
    model = shutil.copytree(model_path(None), tmp_path / "model")
    config = json.loads((index_copy / "config.json").read_text())
    config["model"] = str(model)
    (index_copy / "config.json").write_text(json.dumps(config))
    spec = json.loads((index_copy / "encoder" / "encoder.json").read_text())
    (index_copy / "encoder" / "encoder.json").write_text(json.dumps({**spec, "model": str(model)}))
    with sqlite3.connect(index_copy / "unres.sqlite") as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'config'", (json.dumps(config, sort_keys=True),))
    assert answers(index_copy)  # the same files at another path: the same model
    (model / "README.md").write_text("another model now lives here\n")
    with pytest.raises(IndexOpenError, match="is not the one that built this index"):
        Indexer(index_copy).add([GA / "A_RES_78_64.pdf"])  # its vectors would not match the others
    with Searcher.open(index_copy) as searcher:  # queries embed with the index's own exported model
        assert searcher.search(QUERY, k=1, mode="dense").hits
    assert any("not the model that built" in p for p in check_index(index_copy).problems)


def test_vectors_record_is_committed_with_the_generation(built_index):
    with sqlite3.connect(built_index / "unres.sqlite") as db:
        record = json.loads(db.execute("SELECT value FROM meta WHERE key = ?", (VECTORS_KEY,)).fetchone()[0])
    assert [(s["generation"], s["size"]) for s in record["segments"]] == [(1, (built_index / "vectors.1.faiss").stat().st_size)]
    assert record["dimension"] == 384 and record["count"] == check_index(built_index).vectors
