"""One search is one read of one committed state, and its query is read once: from the CLI, the
HTTP API and the Python API alike."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from unres.cli.app import app

QUERY = "has the Assembly urged States to finance South-South cooperation"


def test_unres_search_reads_one_snapshot_and_the_query_once(built_index, counted):
    result = CliRunner().invoke(app, ["search", QUERY, "--index", str(built_index), "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["understood"]["body"] == "GA" and answer["hits"][0]["symbol"] == "A/RES/58/220"
    assert counted == {"snapshots": 1, "understood": 1}


@pytest.mark.parametrize("mode", ["dense", "lexical", "hybrid"])
def test_a_python_search_reads_one_snapshot(searcher, counted, mode):
    result = searcher.search(QUERY, k=3, mode=mode, verbs=["urges"])
    assert [h.rank for h in result.hits] == [1, 2, 3] and all(h.verb == "urges" for h in result.hits)
    assert result.understood.body == "GA" and "states" in result.terms
    assert counted == {"snapshots": 1, "understood": 1}
