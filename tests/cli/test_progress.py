"""Progress a log can read: a line per stage at its start and end, and at most one every few seconds between."""

from __future__ import annotations

from unres.cli.progress import log_lines


def test_log_lines_are_spaced_and_carry_count_rate_and_time():
    lines: list[str] = []
    now = [100.0]
    update = log_lines(lines.append, every=5.0, clock=lambda: now[0])
    for done in range(0, 1001, 10):  # 101 calls, one per 0.1 s: 10 s in all
        update("embed", done, 1000)
        now[0] += 0.1
    update("embed", 1000, 1000)  # a repeated final call adds nothing
    assert lines[0] == "unres: embed 0/1,000 (-, 0.0 s)"
    assert lines[-1] == "unres: embed 1,000/1,000 (100.0/s, 10.0 s)"
    assert 3 <= len(lines) <= 4
    update("parse", 1, 1)
    assert lines[-1].startswith("unres: parse 1/1")
