"""Benchmark correctness: the rank order written is the one evaluated, bad runs are refused, labels differ."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from unres.cli.app import app
from unres.evaluation.benchmark import BenchmarkError, evaluate, format_run, read_run, run_labels

runner = CliRunner()
QRELS = {"q": {"d1": 2, "d2": 0, "d3": 0}}


def write(path, lines):
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def test_tied_scores_are_written_strictly_decreasing_in_rank_order():
    lines = format_run("q", [("d3", 0.0325), ("d2", 0.0325), ("d1", 0.0325), ("d4", 0.01)], "hybrid")
    scores = [float(line.split()[4]) for line in lines]
    assert [line.split()[2] for line in lines] == ["d3", "d2", "d1", "d4"]
    assert all(a > b for a, b in zip(scores, scores[1:], strict=False)) and scores[0] == 0.0325
    assert format_run("q", [("d1", 0.1234567890123)], "t")[0].split()[4] == "0.1234567890123"  # full precision


def test_a_reversed_ranking_scores_differently(tmp_path):
    ranked = [("d2", 1 / 61), ("d3", 1 / 61), ("d1", 1 / 61)]  # RRF ties: the relevant one is ranked last
    forward = read_run(write(tmp_path / "f.run", format_run("q", ranked, "f")))
    backward = read_run(write(tmp_path / "b.run", format_run("q", ranked[::-1], "b")))
    assert evaluate("f", QRELS, forward).means["MRR@10"] == pytest.approx(1 / 3)
    assert evaluate("b", QRELS, backward).means["MRR@10"] == 1.0


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        (["q Q0 d1 1 nan t"], "score nan is not a finite number"),
        (["q Q0 d1 1 inf t"], "score inf is not a finite number"),
        (["q Q0 d1 1 0.1 t", "q Q0 d2 2 0.9 t"], "rank 2 scores 0.9, above rank 1"),
        (["q Q0 d1 1 0.9 t", "q Q0 d2 1 0.5 t"], "rank 1 twice"),
        (["q Q0 d1 1 0.9 t", "q Q0 d1 2 0.5 t"], "ranks d1 twice"),
    ],
)
def test_runs_whose_scores_and_ranks_disagree_are_refused(tmp_path, lines, problem):
    with pytest.raises(BenchmarkError, match=problem):
        read_run(write(tmp_path / "bad.run", lines))


def test_equal_scores_in_rank_order_are_accepted(tmp_path):
    entries = read_run(write(tmp_path / "old.run", ["q Q0 d1 1 0.5 t", "q Q0 d2 2 0.5 t"]))
    assert [e.docid for e in entries] == ["d1", "d2"]


def test_runs_with_one_stem_get_distinct_labels(tmp_path):
    a, b = tmp_path / "a" / "hybrid.txt", tmp_path / "b" / "hybrid.txt"
    assert run_labels([a, b, tmp_path / "dense.txt"]) == [str(a), str(b), "dense"]
    assert run_labels([a, a]) == [f"{a}#1", f"{a}#2"]
    qrels = write(tmp_path / "qrels.txt", ["q 0 d1 2", "q 0 d2 0"])
    for folder, order in (("a", ["d1", "d2"]), ("b", ["d2", "d1"])):
        (tmp_path / folder).mkdir()
        write(tmp_path / folder / "hybrid.txt", format_run("q", [(d, 0.5) for d in order], "h"))
    result = runner.invoke(app, ["bench", "eval", str(qrels), str(a), str(b), "--index", str(tmp_path / "none")])
    assert result.exit_code == 0, result.output
    rows = [line.split()[0] for line in result.stdout.splitlines()[2:4]]
    assert rows == [str(a), str(b)]
