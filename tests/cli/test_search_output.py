"""`unres search` as scripts and people use it: exports (`--format`), grep's context (`-A`/`-B`), pages and
sorting, the line of totals, and `stats` coverage; through typer's CliRunner on the real subset index."""

from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from unres.cli.app import app

runner = CliRunner()


def _search(index, *args: str):
    return runner.invoke(app, ["search", *args, "--index", str(index)])


def test_format_prints_the_hits_as_a_file(built_index):
    shown = json.loads(_search(built_index, "South-South cooperation", "-k", "3", "--json").stdout)["hits"]
    as_csv = _search(built_index, "South-South cooperation", "-k", "3", "--format", "csv")
    assert as_csv.exit_code == 0
    assert [row["id"] for row in csv.DictReader(io.StringIO(as_csv.stdout))] == [h["id"] for h in shown]
    lines = _search(built_index, "South-South cooperation", "-k", "3", "--format", "line").stdout.splitlines()
    assert [line.split("\t") for line in lines] == [[h["id"], " ".join(h["text"].split())] for h in shown]
    ris = _search(built_index, "South-South cooperation", "-k", "3", "--format", "ris").stdout
    assert ris.count("ER  - ") == 3 and "N1  - General Assembly resolution 58/220, para." in ris
    jsonl = _search(built_index, "South-South cooperation", "-k", "3", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["id"] for line in jsonl] == [h["id"] for h in shown]
    both = _search(built_index, "x", "--format", "csv", "--json")
    assert both.exit_code == 2 and "--json or --format" in both.stderr


def test_a_format_prints_nothing_and_exits_1_when_nothing_matches(built_index):
    result = _search(built_index, '"xyzzy plugh"', "--format", "line")
    assert result.exit_code == 1 and result.stdout == ""


def test_context_lines_come_before_and_after_each_hit_like_grep(built_index):
    result = _search(built_index, "A/RES/58/220#9 international day", "-k", "1", "--symbol", "A/RES/58/220", "-B", "2", "-A", "1")
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    hit = next(i for i, line in enumerate(lines) if line.startswith("1. A/RES/58/220#"))
    number = int(lines[hit].split()[1].split("#")[1])
    context = [line.split()[1] for line in lines if line.startswith("- ")]
    assert context == [f"A/RES/58/220#{n}" for n in (number - 2, number - 1, number + 1)]
    assert lines[hit - 1].startswith(f"- A/RES/58/220#{number - 1} ")
    shown = runner.invoke(app, ["show", "A/RES/58/220#9", "-A", "1", "-B", "1", "--index", str(built_index)])
    assert "- A/RES/58/220#8 " in shown.stdout and "- A/RES/58/220#10 " in shown.stdout


def test_the_totals_line_pages_and_dates(built_index):
    first = _search(built_index, "cooperation", "-k", "3", "--kind", "operative", "--kind", "preambular")
    totals = first.stdout.splitlines()[0]
    assert "paragraphs hold every word · GA" in totals, first.stdout
    later = _search(built_index, "cooperation", "-k", "3", "--offset", "3", "--sort", "date")
    assert "hits 4-6, latest first" in later.stdout.splitlines()[0]
    dates = [line.split(" — ")[-1].strip() for line in later.stdout.splitlines() if " — " in line]
    assert dates == sorted(dates, reverse=True)


def test_stats_shows_coverage_and_only_the_index_files(built_index):
    (built_index / "notes.txt").write_text("not the index's")
    try:
        result = runner.invoke(app, ["stats", "--index", str(built_index)])
        answer = json.loads(runner.invoke(app, ["stats", "--index", str(built_index), "--json"]).stdout)
    finally:
        (built_index / "notes.txt").unlink()
    assert "covers     GA 2003-2023" in result.stdout and "sessions 58-78" in result.stdout, result.stdout
    assert "covers     SC 1990-1993" in result.stdout
    assert "notes.txt" not in result.stdout and set(answer["bytes_on_disk"]) >= {"unres.sqlite", "config.json", "encoder/"}
    assert answer["years"]["SC"] == {"1990": 1, "1993": 1} and answer["sessions"] == {"58": 1, "78": 3}
