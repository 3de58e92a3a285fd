"""`unres index/search/show/similar/stats/remove` through typer's CliRunner on a real index."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from tests.conftest import SEED
from unres.cli.app import app

runner = CliRunner()

HIT_FIELDS = {
    "id", "rank", "score", "symbol", "title", "adopted", "session", "body", "number", "kind", "verb", "phrase",
    "text", "footnotes", "citations", "previous_id", "next_id", "also_in", "explain", "earlier_versions", "later_versions",
    "cited_by", "reference",
}


def test_search_json_schema(built_index):
    result = runner.invoke(app, ["search", "a day to celebrate cooperation among southern countries", "-k", "3",
                                 "--index", str(built_index), "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["query"] == "a day to celebrate cooperation among southern countries"
    assert len(answer["hits"]) == 3 and set(answer["hits"][0]) == HIT_FIELDS
    top = answer["hits"][0]
    assert top["id"] == "A/RES/58/220#11" and top["rank"] == 1
    assert top["footnotes"][0]["marker"] == "8" and set(top["footnotes"][0]) == {"marker", "text", "resolved"}


def test_search_terminal_output_with_filters(built_index):
    result = runner.invoke(app, ["search", "arbitrary detention", "--verb", "urges", "--body", "GA", "--session", "78",
                                 "--from", "2023", "--to", "2023-12-31", "--mode", "dense", "-k", "2",
                                 "--index", str(built_index)])
    assert result.exit_code == 0, result.output
    assert " 1. A/RES/78/220#" in result.stdout and "urges" in result.stdout
    assert "Situation of human rights in the Islamic Republic of Iran — 2023-12-19" in result.stdout


def test_show_similar_stats(built_index):
    shown = runner.invoke(app, ["show", "A/RES/58/220#9", "--index", str(built_index)])
    assert shown.exit_code == 0 and "[7] A/55/74, annex II." in shown.stdout
    whole = runner.invoke(app, ["show", "A/RES/58/220", "--index", str(built_index)])
    assert whole.exit_code == 0 and "Operative part" in whole.stdout and "p3" in whole.stdout
    similar = runner.invoke(app, ["similar", "A/RES/58/220#4", "-k", "2", "--index", str(built_index), "--json"])
    assert [h["rank"] for h in json.loads(similar.stdout)["hits"]] == [1, 2]
    stats = runner.invoke(app, ["stats", "--index", str(built_index)])
    assert stats.exit_code == 0 and "multilingual-e5-small (384-d)" in stats.stdout and "4 GA" in stats.stdout


def test_errors_are_one_line_and_exit_1(built_index, tmp_path):
    for args, message in [
        (["search", "", "--index", str(built_index)], "unres: empty query"),
        (["search", "x", "--verb", "flies", "--index", str(built_index)], "unres: unknown verb flies"),
        (["search", "x", "--index", str(tmp_path / "none")], "no index here"),
        (["show", "A/RES/1/1", "--index", str(built_index)], "no resolution 'A/RES/1/1'"),
        (["similar", "A/RES/1/1#1", "--index", str(built_index)], "no paragraph 'A/RES/1/1#1'"),
    ]:
        result = runner.invoke(app, args)
        assert result.exit_code == 1, args
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_index_then_remove(index_copy, tmp_path):
    copy = tmp_path / "seed-copy.txt"
    copy.write_text(SEED.read_text(encoding="utf-8").replace("sixtieth session", "sixty-first session"), encoding="utf-8")
    indexed = runner.invoke(app, ["index", str(copy), "--index", str(index_copy)])
    assert indexed.exit_code == 0, indexed.output
    assert "0 added, 1 replaced, 0 unchanged; 15 paragraphs embedded" in indexed.stdout
    assert "unres: parse 1/1" in indexed.stderr and "unres: embed 15/15" in indexed.stderr  # a log's progress lines
    removed = runner.invoke(app, ["remove", "A/RES/58/220", "--index", str(index_copy)])
    assert removed.exit_code == 0 and "1 removed" in removed.stdout
    gone = runner.invoke(app, ["show", "A/RES/58/220#1", "--index", str(index_copy)])
    assert gone.exit_code == 1


def test_query_commands_do_not_import_torch_or_bm25s(built_index):
    code = (
        "import sys; from typer.testing import CliRunner; from unres.cli.app import app; from unres.search import Searcher; "
        f"index = {str(built_index)!r}; run = CliRunner().invoke; "
        "codes = [run(app, ['search', 'South-South cooperation', '--index', index]).exit_code, "
        "run(app, ['show', 'A/RES/58/220#9', '--index', index]).exit_code, "
        "run(app, ['similar', 'A/RES/58/220#9', '--index', index]).exit_code, "
        "run(app, ['stats', '--index', index]).exit_code]; "
        "hits = Searcher.open(index).search('embargo on Iraq', k=3, mode='dense').hits; "
        "print(codes, len(hits), [m for m in ('torch', 'sentence_transformers', 'transformers', 'bm25s', 'scipy') if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "[0, 0, 0, 0] 3 []", result.stderr


def test_a_search_loads_neither_the_parsers_nor_what_other_commands_need(built_index):
    """What a cold `unres search` imports is its start-up time: no parser, process pool, GraphML writer, linking
    code (a search reads only the links' counts) or pydantic."""
    code = (  # a search ends in os._exit (cli/app.py): the modules are listed there
        "import os, sys; from unres.cli.app import run\n"
        "leave = os._exit\n"
        "def listed(code):\n"
        "    print([m for m in ('unres.index.parse.files', 'unres.index.parse.assembly', 'multiprocessing', 'xml.sax.saxutils', "
        "'unres.index.links.lineage', 'unres.index.links.citegraph', 'pydantic') if m in sys.modules], file=sys.stderr, flush=True)\n"
        "    leave(code)\n"
        "os._exit = listed\n"
        f"sys.argv = ['unres', 'search', 'South-South cooperation', '--index', {str(built_index)!r}]\n"
        "run()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stderr.strip() == "[]", result.stderr


def test_search_shows_what_was_understood_and_explains(built_index):
    query = "has the General Assembly ever urged States to abolish the death penalty in 2023"
    result = runner.invoke(app, ["search", query, "-k", "2", "--explain", "--index", str(built_index)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "understood: “urged States to abolish the death penalty in 2023” · body GA · verb urges · year 2023"
    explained = [line.strip() for line in lines if line.strip().startswith("explain:")]
    assert len(explained) == 2
    assert all(" · fused " in line and line.startswith("explain: lexical ") for line in explained)
    assert any("boosts body GA" in line for line in explained)
    answer = json.loads(runner.invoke(app, ["search", query, "-k", "2", "--json", "--index", str(built_index)]).stdout)
    assert list(answer) == ["query", "understood", "hits", "matched", "suggestion", "total", "facets", "offset", "sort"]
    assert answer["understood"]["body"] == "GA" and answer["understood"]["verbs"] == ["urges"]
    assert answer["understood"]["years"] == [2023] and answer["understood"]["expansions"] == []
    assert all(hit["explain"] is None for hit in answer["hits"])  # no explanation unless asked
    explained_json = json.loads(runner.invoke(app, ["search", query, "-k", "2", "--json", "--explain",
                                                    "--index", str(built_index)]).stdout)
    explanation = explained_json["hits"][0]["explain"]
    assert set(explanation) == {"lexical_rank", "dense_rank", "fused", "boosts"}
    assert explanation["fused"] <= explained_json["hits"][0]["score"]


def test_search_of_only_a_wrapper_falls_back_to_plain_text(built_index):
    result = runner.invoke(app, ["search", "which resolution", "-k", "1", "--index", str(built_index), "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["understood"]["text"] == "which resolution" and len(answer["hits"]) == 1


def test_every_command_takes_dash_h():
    for command in ([], ["search"], ["index"], ["bench"], ["bench", "run"], ["trend"]):
        result = runner.invoke(app, [*command, "-h"])
        assert result.exit_code == 0 and "Usage: unres" in result.output, (command, result.output)
