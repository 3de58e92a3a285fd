"""Options and error handling shared by the `unres` commands."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from unres.index.config import BACKENDS, default_index_dir
from unres.index.errors import UnresError
from unres.index.filters import KINDS, MODES

IndexOption = Annotated[
    Path | None, typer.Option("--index", help="Index directory (default: $UNRES_INDEX, else ./unres-index).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]


# Choices for typer, made from the library's one vocabulary of modes, kinds and backends.
Mode = Enum("Mode", {name: name for name in MODES}, type=str)
Kind = Enum("Kind", {name: name for name in KINDS}, type=str)
Backend = Enum("Backend", {name: name for name in BACKENDS}, type=str)


@contextmanager
def errors() -> Iterator[None]:
    """The library raises; the CLI prints one line and exits 1."""
    try:
        yield
    except UnresError as error:
        print(f"unres: {error}", file=sys.stderr, flush=True)
        raise typer.Exit(code=1) from None


def index_dir(index: Path | None) -> Path:
    """The --index option, else the default index directory."""
    return index if index is not None else default_index_dir()
