"""Options and error handling shared by the `unres` commands."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from index.errors import UnresError

IndexOption = Annotated[
    Path | None, typer.Option("--index", help="Index directory (default: $UNRES_INDEX, else ./unres-index).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]


class Mode(str, Enum):
    dense = "dense"
    lexical = "lexical"
    hybrid = "hybrid"


class Kind(str, Enum):
    operative = "operative"
    preambular = "preambular"
    annex = "annex"


class Backend(str, Enum):
    flat = "flat"
    hnsw = "hnsw"


@contextmanager
def errors() -> Iterator[None]:
    """The library raises; the CLI prints one line and exits 1."""
    try:
        yield
    except UnresError as error:
        print(f"unres: {error}", file=sys.stderr, flush=True)
        raise typer.Exit(code=1) from None


def index_dir(index: Path | None) -> Path:
    from index.builder import default_index_dir

    return index if index is not None else default_index_dir()
