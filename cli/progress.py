"""A rich progress bar on stderr for indexing: counts and rate per stage."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn


@contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """Yield a callback `(stage, done, total)` that draws one bar per stage."""
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
