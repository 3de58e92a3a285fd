"""`bench run` / `bench eval`: formats, metrics through ir-measures, comparison, and bad files."""

from __future__ import annotations

import json
import re
import sys

import pytest
from typer.testing import CliRunner

from unres.cli.app import app
from unres.evaluation.benchmark import BenchmarkError, RunEntry, compare, evaluate, read_qrels, read_queries, read_run

runner = CliRunner()


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_run_writes_trec_lines_with_paragraph_ids(built_index, tmp_path):
    queries = write(tmp_path / "q.tsv", "day\ta day to celebrate cooperation among southern countries\n"
                    "slovak\tSlovakia becoming a member of the UN\n")
    jsonl = write(tmp_path / "q.jsonl", json.dumps({"qid": "urge", "query": "human rights",
                                                    "filters": {"verbs": ["urges"]}}) + "\n")
    out = tmp_path / "run.txt"
    result = runner.invoke(app, ["bench", "run", str(queries), "--mode", "dense", "--k", "5", "--tag", "d",
                                 "--index", str(built_index), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert len(lines) == 10 and lines[0].split()[1:4:2] == ["Q0", "1"] and lines[0].endswith(" d")
    assert {line.split()[0] for line in lines} == {"day", "slovak"}
    assert lines[5].split()[2] == "S/RES/800(1993)#1"
    filtered = runner.invoke(app, ["bench", "run", str(jsonl), "--index", str(built_index), "--k", "3"])
    assert filtered.exit_code == 0 and len(filtered.stdout.splitlines()) == 3


def test_eval_uses_top_grade_for_mrr_and_compares_runs(tmp_path):
    qrels = {"a": {"x": 2, "y": 1}, "b": {"z": 1}}
    good = [RunEntry("a", "x", 1, 2.0), RunEntry("a", "y", 2, 1.0), RunEntry("b", "z", 1, 1.0)]
    worse = [RunEntry("a", "y", 1, 2.0), RunEntry("a", "x", 2, 1.0), RunEntry("b", "w", 1, 1.0)]
    best, other = evaluate("good", qrels, good), evaluate("worse", qrels, worse)
    assert best.means["nDCG@10"] == pytest.approx(1.0) and best.means["MRR@10"] == pytest.approx(1.0)
    # query a: the grade-2 paragraph at rank 2 → 0.5; query b (top grade 1): nothing relevant → 0
    assert other.per_query["MRR@10"] == {"a": 0.5, "b": 0.0}
    assert best.means["Recall@10"] == 1.0 and other.means["Recall@10"] == pytest.approx(0.5)
    result = compare(best, other)
    assert (result.wins, result.losses, result.ties) == (0, 2, 0) and result.delta < 0 and 0 <= result.p_value <= 1


def test_eval_command_table_and_json(built_index, tmp_path):
    qrels = write(tmp_path / "qrels.txt", "day 0 A/RES/58/220#11 2\nday 0 A/RES/58/220#4 1\n")
    run_a = write(tmp_path / "a.txt", "day Q0 A/RES/58/220#11 1 2.0 a\nday Q0 A/RES/58/220#4 2 1.0 a\n")
    run_b = write(tmp_path / "b.txt", "day Q0 A/RES/58/220#4 1 2.0 b\nday Q0 A/RES/58/220#1 2 1.0 b\n")
    table = runner.invoke(app, ["bench", "eval", str(qrels), str(run_a), str(run_b), "--index", str(built_index)])
    assert table.exit_code == 0, table.output
    assert "nDCG@10" in table.stdout and "wins" in table.stdout
    data = json.loads(runner.invoke(app, ["bench", "eval", str(qrels), str(run_a), str(run_b), "--json",
                                          "--index", str(built_index)]).stdout)
    assert data["runs"][0]["nDCG@10"] == pytest.approx(1.0) and data["runs"][1]["MRR@10"] == 0.0
    assert data["comparisons"][0]["losses"] == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("q1\tone\tthree\n", "q.tsv:1: expected 'qid<TAB>query', found 3 column(s)"),
        ("q1\tfine\nq2\t   \n", "q.tsv:2: empty query for q2"),
        ("q1\tfine\n\nq1\tagain\n", "q.tsv:3: duplicate qid q1"),
        ('{"qid": "q1", "query": "x", "filters": {"colour": "red"}}\n', "q.tsv:1: unknown filter colour"),
        ("{not json\n", "q.tsv:1: not a {qid, query, filters} JSON object"),
    ],
)
def test_bad_query_lines_name_their_line(tmp_path, text, message):
    with pytest.raises(BenchmarkError, match=re.escape(message)):
        read_queries(write(tmp_path / "q.tsv", text))


def test_bad_qrels_and_runs_name_their_line(tmp_path):
    with pytest.raises(BenchmarkError, match=r"qrels:2: expected 'qid 0 docid grade', found 3"):
        read_qrels(write(tmp_path / "qrels", "q 0 A/RES/58/220#1 1\nq 0 x\n"))
    with pytest.raises(BenchmarkError, match=r"qrels:1: grade '5' is not 0, 1 or 2"):
        read_qrels(write(tmp_path / "qrels", "q 0 A/RES/58/220#1 5\n"))
    with pytest.raises(BenchmarkError, match=r"qrels:1: unknown docid A/RES/1/1#1"):
        read_qrels(write(tmp_path / "qrels", "q 0 A/RES/1/1#1 1\n"), {"A/RES/58/220#1"})
    with pytest.raises(BenchmarkError, match=r"run:1: rank and score must be numbers"):
        read_run(write(tmp_path / "run", "q Q0 d first 1.0 t\n"))


def test_run_for_another_corpus_is_reported(built_index, tmp_path):
    qrels = write(tmp_path / "qrels.txt", "day 0 A/RES/58/220#11 2\n")
    foreign = write(tmp_path / "msmarco.txt", "1048585 Q0 7187158 1 12.3 bm25\n1048585 Q0 7187157 2 11.0 bm25\n")
    result = runner.invoke(app, ["bench", "eval", str(qrels), str(foreign), "--index", str(built_index)])
    assert result.exit_code == 1 and "a run for another corpus?" in result.stderr


def test_the_judged_set_reads_cleanly():
    """benchmarks/relevance: every query parses, every query has a relevant paragraph, ids look like ours."""
    from pathlib import Path

    here = Path(__file__).resolve().parents[2] / "benchmarks" / "relevance"
    queries = read_queries(here / "queries.jsonl") + read_queries(here / "grammar-queries.jsonl")
    qrels = read_qrels(here / "qrels.txt")
    assert len(queries) >= 80 and {q.qid for q in queries} == set(qrels) and len({q.qid for q in queries}) == len(queries)
    assert all(max(judged.values()) >= 1 for judged in qrels.values())
    assert all(re.fullmatch(r"(A|S)/RES/[\w/()]+#[\w.]+", docid) for judged in qrels.values() for docid in judged)


def test_missing_bench_extra_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "ir_measures", None)  # as if not installed
    with pytest.raises(BenchmarkError, match=r"ir_measures is not installed; .*pip install 'unres\[bench\]'"):
        evaluate("run", {"q1": {"d": 1}}, [RunEntry("q1", "d", 1, 1.0)])


def test_queries_carry_their_half_of_the_judged_set(tmp_path):
    from pathlib import Path

    path = write(tmp_path / "q.jsonl", '{"qid": "a", "query": "x", "split": "dev"}\n{"qid": "b", "query": "y"}\n')
    assert [q.split for q in read_queries(path)] == ["dev", None]
    assert {q.split for q in read_queries(Path(__file__).resolve().parents[2] / "benchmarks/relevance/queries.jsonl")} == {"dev", "test"}
