"""Misuse of the Python API gets an `UnresError` saying what is expected, not a bare TypeError; and a search
keeps no log the user never asked for.

Cases from the issue-23 audit, each with its expectation.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest

from unres.index import Indexer
from unres.index.errors import IndexOpenError, QueryError
from unres.index.filters import Filters
from unres.search import Searcher

QUERY = "a day to celebrate cooperation among southern countries"

WRONG_ARGUMENTS = {  # id: (call on an open Searcher, the error's type and message)
    "ranking-as-dict": (lambda s: s.search(QUERY, ranking={"dense_weight": 1.0}), QueryError, "ranking must be a Ranking"),
    "filters-as-dict": (lambda s: s.search(QUERY, filters={"body": "GA"}), QueryError, "filters must be a Filters"),
    "sessions-as-text": (lambda s: s.search(QUERY, sessions="58th"), QueryError, "sessions must be positive whole numbers"),
    "filters-sessions-as-int": (lambda s: Filters(sessions=58), QueryError, "sessions must be a list of session numbers"),
    "embed-bytes": (lambda s: s.embed(b"peace"), QueryError, "a query is text, not bytes"),
}


@pytest.mark.parametrize("case", list(WRONG_ARGUMENTS))
def test_wrong_arguments_are_query_errors(searcher, case):
    call, kind, message = WRONG_ARGUMENTS[case]
    with pytest.raises(kind, match=message):
        call(searcher)


def test_dates_may_be_given_as_dates(searcher):
    hits = searcher.search(QUERY, k=3, adopted_from=datetime.date(2003, 1, 1), adopted_to=datetime.date(2003, 12, 31)).hits
    assert hits and all(hit.adopted.startswith("2003") for hit in hits)


def test_an_index_path_may_be_bytes_and_nothing_else(built_index):
    with Searcher.open(os.fsencode(built_index)) as searcher:
        assert searcher.directory == built_index
    for wrong in (42, ["index"]):
        with pytest.raises(IndexOpenError, match="an index is named by a path"):
            Searcher.open(wrong)
        with pytest.raises(IndexOpenError, match="an index is named by a path"):
            Indexer(wrong)


def test_a_closed_searcher_refuses_every_call(built_index):
    searcher = Searcher.open(built_index)
    searcher.embed("warm the model up")
    searcher.close()
    for call in (lambda: searcher.embed("peace"), lambda: searcher.search(QUERY), lambda: searcher.stats()):
        with pytest.raises(IndexOpenError, match="this Searcher is closed"):
            call()


def test_a_search_writes_nothing_under_home(built_index, tmp_path):
    """onnxruntime's telemetry (a device id and an event row per session under ~/.cache/Microsoft) is off."""
    home = tmp_path / "home"
    home.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "unres.cli", "search", QUERY, "--index", str(built_index), "-k", "1"],
        capture_output=True, env={k: v for k, v in os.environ.items() if k != "ORT_DISABLE_TELEMETRY"} | {"HOME": str(home)},
    )
    assert result.returncode == 0, result.stderr
    assert [p.relative_to(home).as_posix() for p in home.rglob("*") if "Microsoft" in p.as_posix()] == []
