"""Errors name the real cause — a full disk, read-only media, a permission, damage — and reads go on where they can.

Before, all of these were "corrupt index database", which tells a user to rebuild an index that is
fine, and a read-only index could not be searched at all. The cases need a small tmpfs, a read-only
bind mount or a second user: they run as root (as CI does) and are skipped with the reason otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import GA
from tests.reliability.conftest import one_error_line, run_cli

ROOT = os.geteuid() == 0
NOBODY = 65534
QUERY = "a day to celebrate cooperation among southern countries"


def _mount(*args: str) -> None:
    result = subprocess.run(["mount", *args], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount here ({result.stderr.strip()}); needs root with CAP_SYS_ADMIN")


@pytest.fixture
def mounted():
    """Mount points made by a test, unmounted after it."""
    points: list[Path] = []
    yield points
    for point in reversed(points):
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def _searches(index: Path) -> None:
    result = run_cli("search", QUERY, "--index", str(index), "-k", "1", "--json")
    assert result.returncode == 0, result.stderr
    assert b"A/RES/58/220#11" in result.stdout


@pytest.mark.skipif(not ROOT, reason="a read-only bind mount needs root")
def test_a_read_only_index_answers_reads_and_refuses_writes(index_copy, tmp_path, mounted):
    view = tmp_path / "ro"
    view.mkdir()
    _mount("--bind", str(index_copy), str(view))
    mounted.append(view)
    _mount("-o", "remount,ro,bind", str(view))
    _searches(view)
    for command in (["stats"], ["check"], ["show", "A/RES/58/220#11"]):
        result = run_cli(*command, "--index", str(view))
        assert result.returncode == 0, (command, result.stderr)
    line = one_error_line(run_cli("index", "--index", str(view), str(GA / "A_RES_78_64.pdf")))
    assert "read-only file system; the index can be searched, not written" in line
    assert "corrupt" not in line


@pytest.mark.skipif(not ROOT, reason="a small tmpfs needs root")
def test_a_full_disk_is_named_and_the_index_stays_readable(index_copy, tmp_path, mounted):
    disk = tmp_path / "disk"
    disk.mkdir()
    size = sum(p.stat().st_size for p in index_copy.rglob("*") if p.is_file())
    _mount("-t", "tmpfs", "-o", f"size={size + (8 << 20)}", "tmpfs", str(disk))
    mounted.append(disk)
    index = Path(shutil.copytree(index_copy, disk / "index"))
    (index / "unres.sqlite-shm").unlink(missing_ok=True)  # as after the last reader closed: it must be made again
    with (disk / "filler").open("wb") as filler:
        try:
            while True:
                filler.write(b"\0" * (1 << 20))
        except OSError:
            pass
    _searches(index)
    line = one_error_line(run_cli("index", "--index", str(index), str(GA / "A_RES_78_64.pdf")))
    assert "disk full" in line and "corrupt" not in line
    result = run_cli("index", "--index", str(disk / "new"), str(GA / "A_RES_78_64.pdf"))
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    assert "cannot create the index (No space left on device)" in result.stderr.decode().splitlines()[-1]
    assert not (disk / "new").exists() or list((disk / "new").iterdir()) == []  # no 20 MB encoder.tmp left


@pytest.mark.skipif(not ROOT, reason="acting as another user needs root")
def test_permissions_are_named_as_permissions(index_copy):
    place = Path(tempfile.mkdtemp(prefix="unres-perm-"))
    try:
        index = Path(shutil.copytree(index_copy, place / "index"))
        place.chmod(0o755)

        def as_nobody(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run(
                ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", sys.executable, "-m", "unres.cli", *args],
                capture_output=True, env=os.environ | {"HOME": str(place)}, cwd=place,
            )

        result = as_nobody("search", QUERY, "--index", str(index), "-k", "1")  # readable, not writable: reads work
        assert result.returncode == 0 and b"A/RES/58/220#11" in result.stdout, result.stderr
        line = one_error_line(as_nobody("index", "--index", str(index), str(GA / "A_RES_78_64.pdf")))
        assert "permission denied; the index can be searched, not written" in line
        index.chmod(0o777)  # a writable folder, a database file only its owner may write
        (index / "unres.sqlite").chmod(0o644)
        result = as_nobody("search", QUERY, "--index", str(index), "-k", "1")
        assert result.returncode == 0 and b"A/RES/58/220#11" in result.stdout, result.stderr
        line = one_error_line(as_nobody("index", "--index", str(index), str(GA / "A_RES_78_64.pdf")))
        assert "permission denied; the index can be searched, not written" in line
        (index / "unres.sqlite").chmod(0o600)
        line = one_error_line(as_nobody("search", QUERY, "--index", str(index)))
        assert "permission denied" in line and "corrupt" not in line
    finally:
        shutil.rmtree(place, ignore_errors=True)
