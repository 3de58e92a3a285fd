"""Where the CLI writes fails in one line: standard output (a full disk, a closed pipe), output files (checked before
any work starts, and on write), and a benchmark run that `bench eval` could not read back."""

from __future__ import annotations

import errno
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.conftest import one_error_line, run_cli

FULL = "/dev/full"
CLOSED = "closed pipe"
NO_SPACE = "unres: standard output: No space left on device"


def run_into(sink: str, args: list[str], *, buffered: bool, limit: int | None = None) -> subprocess.CompletedProcess:
    """`unres ARGS` with standard output on `sink` (/dev/full, /dev/null) or on a pipe nobody reads, block-buffered as
    in a shell unless `buffered` is false; `limit` caps the size of any file it writes (RLIMIT_FSIZE)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    reader, writer = os.pipe()
    os.close(reader)
    try:
        with open(sink, "wb") if sink != CLOSED else os.fdopen(os.dup(writer), "wb") as stdout:
            return subprocess.run(
                [sys.executable, "-m", "unres.cli", *args], stdout=stdout, stderr=subprocess.PIPE, env=env, timeout=120,
                preexec_fn=None if limit is None else lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)),
            )
    finally:
        os.close(writer)


# (command, sink, buffered): a full disk is one line and exit 1; a reader that went away ends the command quietly
# with 141, as SIGPIPE ends a C program; buffered output is flushed before exit, unbuffered output fails mid-command.
STDOUT_CASES = [
    pytest.param(["--help"], FULL, False, id="help-to-full-disk"),
    pytest.param(["search", "peace", "-k", "3"], FULL, True, id="search-to-full-disk"),
    pytest.param(["search", "peace", "--json"], CLOSED, False, id="search-json-to-closed-pipe"),
    pytest.param(["stats"], FULL, False, id="stats-to-full-disk-unbuffered"),
    pytest.param(["stats", "--json"], FULL, True, id="stats-json-to-full-disk-buffered"),
    pytest.param(["stats", "--json"], CLOSED, True, id="stats-json-to-closed-pipe-buffered"),
    pytest.param(["export-graph"], FULL, True, id="export-graph-to-full-disk"),
    pytest.param(["trend", "international"], CLOSED, True, id="trend-to-closed-pipe"),
]


@pytest.mark.parametrize(("args", "sink", "buffered"), STDOUT_CASES)
def test_standard_output_failures_are_one_line_or_quiet(built_index, args, sink, buffered):
    result = run_into(sink, [*args, "--index", str(built_index)] if args[0] != "--help" else args, buffered=buffered)
    if sink == FULL:
        assert one_error_line(result) == NO_SPACE
    else:
        assert (result.returncode, result.stderr) == (141, b""), result


def test_a_read_only_command_ends_at_once_with_all_its_output_and_its_status(built_index):
    """`search` ends without tearing the model and index down (`os._exit`): what it printed, piped and
    block-buffered, arrives whole, and "nothing matches" is still exit 1."""
    found = run_cli("search", "peace", "-k", "40", "--format", "line", "--index", str(built_index))
    lines = found.stdout.decode("utf-8").splitlines()
    assert found.returncode == 0 and len(lines) == 40 and all(line.count("\t") >= 1 for line in lines), found
    nothing = run_cli("search", '"xyzzy plugh"', "--format", "line", "--index", str(built_index))
    assert (nothing.returncode, nothing.stdout, nothing.stderr) == (1, b"", b"")


def queries(tmp_path: Path) -> Path:
    path = tmp_path / "queries.tsv"
    path.write_text("q1\tpeace\n", encoding="utf-8")
    return path


# (command after its paths are made, expected part of the one error line); every check comes before the index is
# opened, so a missing index never hides it. `{tmp}` is a scratch directory, `{queries}` a valid queries file.
PATH_CASES = [
    pytest.param("bench run {queries} --out {tmp}/missing/run.txt", "{tmp}/missing/run.txt: cannot write (no directory {tmp}/missing)", id="bench-out-missing-directory"),
    pytest.param("bench run {queries} --out {tmp}", "{tmp}: is a directory", id="bench-out-directory"),
    pytest.param("bench run {queries} --out /dev/full", "/dev/full: not a regular file", id="bench-out-device"),
    pytest.param("bench run {queries} --out {tmp}/queries.tsv/run.txt", "({tmp}/queries.tsv is not a directory)", id="bench-out-under-a-file"),
    pytest.param("export-graph --out {tmp}/missing/g.graphml", "{tmp}/missing/g.graphml: cannot write (no directory {tmp}/missing)", id="graph-out-missing-directory"),
    pytest.param("export-graph -o {tmp}", "{tmp}: is a directory", id="graph-out-directory"),
    pytest.param("export-graph --out /dev/full", "/dev/full: not a regular file", id="graph-out-device"),
    pytest.param("trend peace --plot {tmp}/chart.txt", "{tmp}/chart.txt: cannot draw a chart as .txt (formats: ", id="plot-unsupported-format"),
    pytest.param("trend peace --plot {tmp}/chart.PNG.txt", "cannot draw a chart as .txt", id="plot-last-suffix-counts"),
    pytest.param("trend peace --plot {tmp}", "{tmp}: is a directory", id="plot-directory"),
    pytest.param("trend peace --plot /dev/full", "/dev/full: not a regular file", id="plot-device"),
    pytest.param("trend peace --plot {tmp}/missing/chart.png", "cannot write (no directory {tmp}/missing)", id="plot-missing-directory"),
]


@pytest.mark.parametrize(("command", "expected"), PATH_CASES)
def test_output_paths_are_checked_before_work_starts(tmp_path, command, expected):
    fill = {"tmp": str(tmp_path), "queries": str(queries(tmp_path))}
    result = run_cli(*command.format(**fill).split(), "--index", str(tmp_path / "no-index"))
    assert expected.format(**fill) in one_error_line(result)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["queries.tsv"]
    assert not Path(f"{FULL}.png").exists()


# (command, file it writes): output bigger than the file size limit (RLIMIT_FSIZE, above the 32 KB an SQLite
# reader's shared-memory file needs) fails on write, after the checks: one line naming the file, and no file left.
WRITE_CASES = [
    pytest.param(["bench", "run", "{queries}", "--mode", "lexical", "--out", "{out}"], "run.txt", id="bench-run-out"),
    pytest.param(["trend", "international", "--plot", "{out}"], "chart.png", id="trend-plot"),
]


@pytest.mark.parametrize(("args", "name"), WRITE_CASES)
def test_a_write_that_fails_is_one_line_and_leaves_no_file(built_index, tmp_path, args, name):
    many = tmp_path / "many.tsv"
    many.write_text("".join(f"q{n}\tUnited Nations States resolution\n" for n in range(40)), encoding="utf-8")
    out = tmp_path / name
    command = [a.format(queries=many, out=out) for a in args]
    result = run_into(os.devnull, [*command, "--index", str(built_index)], buffered=True, limit=40_000)
    assert one_error_line(result) == f"unres: {out}: cannot write (File too large)"
    assert not out.exists()


def test_a_chart_without_a_suffix_is_a_png_at_that_very_path(built_index, tmp_path):
    chart = tmp_path / "chart"
    result = run_cli("trend", "international", "--plot", str(chart), "--index", str(built_index))
    assert result.returncode == 0, result
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and [p.name for p in tmp_path.iterdir()] == ["chart"]


# (queries file, command options, expected part of the one error line): what `bench run` would write and
# `bench eval` could not read back (fields are separated by whitespace) is refused before any search.
QID_CASES = [
    pytest.param("q 1\tpeace\n", [], "queries.txt:1: qid 'q 1' holds whitespace", id="tsv-qid-with-a-space"),
    pytest.param('q1\tpeace\n{"qid": "q\\u00a02", "query": "war"}\n', [], "queries.txt:2: qid 'q\\xa02' holds whitespace", id="jsonl-qid-with-a-no-break-space"),
    pytest.param('{"qid": "a\\nb", "query": "war"}\n', [], "queries.txt:1: qid 'a\\nb' holds whitespace", id="jsonl-qid-with-a-newline"),
    pytest.param('{"qid": "#1", "query": "war"}\n', [], "queries.txt:1: qid '#1' holds whitespace or starts with '#'", id="jsonl-qid-read-back-as-a-comment"),
    pytest.param("q1\tpeace\n", ["--tag", "my run"], "run tag 'my run' holds whitespace", id="tag-with-a-space"),
    pytest.param("q1\tpeace\n", ["--tag", ""], "run tag '' is empty", id="empty-tag"),
]


@pytest.mark.parametrize(("text", "options", "expected"), QID_CASES)
def test_bench_run_refuses_what_bench_eval_cannot_read(tmp_path, text, options, expected):
    path = tmp_path / "queries.txt"
    path.write_text(text, encoding="utf-8")
    result = run_cli("bench", "run", str(path), *options, "--index", str(tmp_path / "no-index"))
    assert expected in one_error_line(result)



class FullStream:
    """A buffered standard output on a full disk: writes are kept, the flush fails."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


# (exit of the command, expected status, expected stderr): output that could not be flushed is one line for a command
# that succeeded; one that failed has already said why in its own line and keeps its status.
FLUSH_CASES = [
    pytest.param(0, 1, [NO_SPACE], id="succeeded"),
    pytest.param(3, 3, ["unres: failed"], id="failed-already"),
]


@pytest.mark.parametrize(("code", "status", "lines"), FLUSH_CASES)
def test_output_flushed_at_the_end_fails_in_one_line_at_most(monkeypatch, capsys, code, status, lines):
    from unres.cli.output import standard_output

    monkeypatch.setattr(sys, "stdout", FullStream())
    with pytest.raises(SystemExit) as exited, standard_output():
        print("a hit")
        if code:
            print("unres: failed", file=sys.stderr)
        sys.exit(code)
    assert exited.value.code == status
    assert capsys.readouterr().err.splitlines() == lines
