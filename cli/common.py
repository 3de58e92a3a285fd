"""Options and error handling shared by the `unres` commands."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from unres.index.config import default_index_dir
from unres.index.errors import UnresError

T = TypeVar("T")

IndexOption = Annotated[
    Path | None, typer.Option("--index", help="Index directory (default: $UNRES_INDEX, else ./unres-index).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]
WaitOption = Annotated[
    bool, typer.Option("--wait/--no-wait", help="If another unres process is writing the index, wait for it (default) or fail.")
]

# Terminal escape sequences (CSI in 7 or 8 bits, OSC, other ESC sequences) and every C0/C1 control but tab and newline.
_CONTROL = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -~]?|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# The searcher the last command opened: a read-only command's process ends in `os._exit` (`run`), so what it holds
# (the model, the mapped index) is freed by the OS, not torn down when the command returns (10 ms of a 0.34 s search).
_KEPT: list = []


def kept(searcher: T) -> T:
    """`searcher`, held until the next command's (one at a time: tests run many commands in one process)."""
    _KEPT[:] = [searcher]
    return searcher


def clean(text: object) -> str:
    """Text safe to print on a terminal: no escape sequences or control characters (tab and newline
    stay), and bytes of a name that was not UTF-8 shown as `\\udcNN` instead of failing to print."""
    return _CONTROL.sub("", str(text)).encode("utf-8", "backslashreplace").decode("utf-8")


def warn(message: str) -> None:
    """One line on stderr, `unres: ...`, cleaned."""
    print(f"unres: {clean(' '.join(message.splitlines()))}", file=sys.stderr, flush=True)


@contextmanager
def errors() -> Iterator[None]:
    """The library raises; the CLI prints one line and exits 1."""
    try:
        yield
    except UnresError as error:
        warn(str(error))
        raise typer.Exit(code=1) from None


def index_dir(index: Path | None) -> Path:
    """The --index option, else the default index directory."""
    return index if index is not None else default_index_dir()
