"""Indexing progress on stderr: a rich bar per stage on a terminal, plain timed lines for a log otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

Callback = Callable[[str, int, int], None]
LOG_EVERY = 5.0  # seconds between two lines of the same stage in a log


@contextmanager
def progress_bar() -> Iterator[Callback]:
    """Yield a callback `(stage, done, total)`: bars on a terminal, else `log_lines` on stderr."""
    if not sys.stderr.isatty():
        yield log_lines(lambda line: print(line, file=sys.stderr, flush=True))
        return
    columns = (
        TextColumn("{task.description:<6}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
        TextColumn("[dim]{task.fields[rate]}"), TimeElapsedColumn(),
    )
    progress = Progress(*columns, console=Console(stderr=True), transient=False)
    tasks: dict[str, int] = {}

    def update(stage: str, done: int, total: int) -> None:
        if not tasks:
            progress.start()  # drawn from the first stage on, so a run that fails first prints only its error
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=total, rate="")
        task = progress.tasks[tasks[stage]]
        elapsed = task.elapsed or 0.0
        rate = f"{done / elapsed:,.1f}/s" if elapsed > 0 else ""
        progress.update(tasks[stage], completed=done, total=total, rate=rate)

    try:
        yield update
    finally:
        if tasks:
            progress.stop()


def log_lines(write: Callable[[str], None], every: float = LOG_EVERY, clock: Callable[[], float] = time.monotonic) -> Callback:
    """A callback that writes `stage done/total, rate/s, elapsed s` at a stage's start, end, and every `every` s between."""
    started: dict[str, float] = {}
    last: dict[str, float] = {}

    def update(stage: str, done: int, total: int) -> None:
        now = clock()
        start = started.setdefault(stage, now)
        finished = done >= total
        if stage in last and not finished and now - last[stage] < every:
            return
        if finished and last.get(stage) == -1.0:
            return
        elapsed = now - start
        rate = f"{done / elapsed:,.1f}/s" if elapsed > 0 else "-"
        write(f"unres: {stage} {done:,}/{total:,} ({rate}, {elapsed:,.1f} s)")
        last[stage] = -1.0 if finished else now

    return update
