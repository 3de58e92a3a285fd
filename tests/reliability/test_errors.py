"""Every failure is an `UnresError` in Python and one line with exit 1 on the command line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import GA, SEED
from tests.reliability.conftest import one_error_line, run_cli
from unres.index import Indexer
from unres.index.check import check_index
from unres.index.errors import IndexOpenError, IndexWriteError, QueryError
from unres.index.store import Store
from unres.index.vectors import VectorIndex
from unres.search import Searcher


@pytest.mark.parametrize("k", [2**63, 2.5, 0, -1, True, "3"])
def test_bad_k_is_a_query_error(searcher, k):
    with pytest.raises(QueryError, match="k must be a whole number"):
        searcher.search("peace", k=k, mode="lexical")
    with pytest.raises(QueryError, match="k must be a whole number"):
        searcher.similar("A/RES/58/220#11", k=k)


@pytest.mark.parametrize("query", ["peace \ud800 and security", "\udcff", "caf\udce9"])
def test_lone_surrogates_in_a_query_are_a_query_error(searcher, query):
    with pytest.raises(QueryError, match="lone surrogate"):
        searcher.search(query, mode="lexical")


@pytest.mark.parametrize(
    "query", ['"', "AND OR NOT", "NEAR(a b)", "'; DROP TABLE paragraphs; --", "*", "a:b", "\x00\x1b[31m",
              "مجلس الأمن", "安全理事会", "x" * 2000],
)
def test_hostile_queries_stay_safe(searcher, query):
    """Cases that already passed, kept passing: FTS5 syntax, SQL, control characters, RTL and CJK text."""
    hits = searcher.search(query, k=5, mode="lexical").hits
    assert all(h.rank == i for i, h in enumerate(hits, 1))


def test_bad_arguments_on_the_command_line_are_one_line(built_index):
    index = ("--index", str(built_index))
    cases = [
        (("search", *index, "peace", "--from", "2003-13-45"), "adopted_from '2003-13-45' is not a date"),
        (("similar", *index, "-k", "0", "A/RES/58/220#11"), "k must be a whole number"),
        (("search", *index, "-k", str(2**63), "peace"), "k must be a whole number"),
        (("search", *index, b"peace \xff"), "lone surrogate"),
        (("show", *index, "A/RES/1/1#1"), "no paragraph"),
        (("index", "--index", "/proc/unres-index", str(SEED), "--template", "{nope}"), "template '{nope}'"),
    ]
    for args, expected in cases:
        assert expected in one_error_line(run_cli(*args)), args
    usage = [(("search", *index, "-k", "2.5", "peace"), "Invalid value for '-k'"), (("frobnicate",), "No such command")]
    for args, expected in usage:
        assert expected in one_error_line(run_cli(*args), code=2), args


def test_calls_after_close_are_index_errors(built_index):
    searcher = Searcher.open(built_index)
    searcher.close()
    for call in (lambda: searcher.search("peace", mode="lexical").hits, lambda: searcher.paragraph("A/RES/58/220#11"),
                 searcher.stats, searcher.paragraph_ids, searcher.refresh):
        with pytest.raises(IndexOpenError, match="this Searcher is closed"):
            call()
    searcher.close()  # closing twice is harmless


def test_a_bad_template_on_a_new_index_writes_nothing(tmp_path):
    result = run_cli("index", "--index", str(tmp_path / "new"), "--template", "{nope}", str(SEED))
    assert "template '{nope}'" in one_error_line(result)
    assert not (tmp_path / "new").exists()


@pytest.mark.model
def test_a_failed_first_build_leaves_no_index(tmp_path, monkeypatch):
    def full(self, path, generation, index):
        raise IndexWriteError(f"{path}: cannot write the vectors file (No space left on device)")

    monkeypatch.setattr(VectorIndex, "_write", full)
    with pytest.raises(IndexWriteError, match="No space left on device"):
        Indexer(tmp_path / "new").add([SEED])
    assert list((tmp_path / "new").iterdir()) == []


def test_cleanup_never_hides_the_original_error(index_copy, monkeypatch):
    """A full disk in SQLite, then a cleanup that fails too (read-only directory): the SQLite error is reported."""
    with Searcher.open(index_copy) as searcher:
        before = searcher.stats()

    def disk_full(self, resolution):
        raise sqlite3.OperationalError("database or disk is full")

    def read_only(self, missing_ok=False):
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr(Store, "add", disk_full)
    monkeypatch.setattr(Path, "unlink", read_only)
    with pytest.raises(IndexWriteError, match="database or disk is full"):
        Indexer(index_copy).add([GA / "A_RES_78_64.pdf"])
    monkeypatch.undo()
    with Searcher.open(index_copy) as searcher:
        after = searcher.stats()
    assert (after.resolutions, after.paragraphs, after.vectors) == (
        before.resolutions, before.paragraphs, before.vectors)
    assert check_index(index_copy).problems == ()
