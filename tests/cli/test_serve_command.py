"""`unres serve` start-up failures: one line and exit 1, before any model is loaded; the no-auth warning."""

from __future__ import annotations

import socket

from typer.testing import CliRunner

from unres.cli.app import app

runner = CliRunner()


def test_missing_index_is_one_line_and_exit_1(tmp_path):
    result = runner.invoke(app, ["serve", "--index", str(tmp_path / "nowhere"), "--port", "0"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("unres: ") and "nowhere" in lines[0]
    assert "Traceback" not in result.output


def test_non_localhost_bind_warns_that_there_is_no_authentication(tmp_path):
    result = runner.invoke(app, ["serve", "--index", str(tmp_path / "nowhere"), "--host", "0.0.0.0", "--port", "0"])
    assert result.exit_code == 1
    warning, failure = result.stderr.splitlines()
    assert warning.startswith("unres: warning:") and "0.0.0.0" in warning and "no authentication" in warning
    assert "nowhere" in failure
    quiet = runner.invoke(app, ["serve", "--index", str(tmp_path / "nowhere"), "--host", "localhost", "--port", "0"])
    assert "warning" not in quiet.stderr


def test_busy_port_is_one_line_and_exit_1(built_index):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = runner.invoke(app, ["serve", "--index", str(built_index), "--port", str(port)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [result.stderr.strip()] and f"127.0.0.1:{port}" in result.stderr


def test_port_out_of_range_is_refused(built_index):
    result = runner.invoke(app, ["serve", "--index", str(built_index), "--port", "70000"])
    assert result.exit_code == 2 and "65535" in result.output


def test_workers_below_one_are_refused(built_index):
    result = runner.invoke(app, ["serve", "--index", str(built_index), "--port", "0", "--workers", "0"])
    assert result.exit_code == 2 and "--workers" in result.output


def test_the_ready_line_says_how_many_searches_run_at_once(built_index, tmp_path):
    """`unres serve --workers 3` in its own process: it says so once the model is loaded, and answers."""
    import json
    import re
    import subprocess
    import sys
    import time
    from urllib.request import urlopen

    log = tmp_path / "stderr.log"
    with log.open("w") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "unres.cli", "serve", "--index", str(built_index), "--port", "0",
                                    "--workers", "3"], stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        deadline = time.monotonic() + 120
        while not (found := re.search(r"at (http://127\.0\.0\.1:\d+)/ with (\d+) workers", log.read_text())):
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        assert found.group(2) == "3"
        with urlopen(found.group(1) + "/search?q=south-south+cooperation&k=2", timeout=60) as response:
            assert len(json.load(response)["hits"]) == 2
    finally:
        process.terminate()
        process.wait(timeout=30)
