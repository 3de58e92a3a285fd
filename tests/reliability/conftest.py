"""Shared pieces of the reliability suite: the number of race rounds, and the CLI as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys

ROUNDS = int(os.environ.get("UNRES_RELIABILITY_ROUNDS", "1"))  # the race tests' repetitions (20 to soak them)


def run_cli(*args: str | bytes, timeout: float = 120) -> subprocess.CompletedProcess:
    """`unres ARGS` in a fresh process (arguments may be bytes, as a shell passes them)."""
    return subprocess.run(
        [os.fsencode(sys.executable), b"-m", b"unres.cli", *(os.fsencode(a) for a in args)],
        capture_output=True, timeout=timeout,
    )


def one_error_line(result: subprocess.CompletedProcess, code: int = 1) -> str:
    """The stderr of a failed command, checked to be one `unres: ...` line and no traceback (exit 2: usage)."""
    assert result.returncode == code, result
    lines = result.stderr.decode("utf-8", "replace").splitlines()
    assert len(lines) == 1 and lines[0].startswith("unres: "), lines
    return lines[0]
