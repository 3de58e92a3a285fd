"""The `unres` typer application."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from cli.summary import print_summary

app = typer.Typer(
    name="unres",
    help="Semantic search over UN resolutions, one operative paragraph at a time.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main() -> None:
    """unres: parse, index and search UN General Assembly and Security Council resolutions."""


@app.command()
def parse(
    paths: Annotated[list[Path], typer.Argument(help="Resolution files, or directories to parse every PDF and .txt below.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per document per line (JSON Lines).")] = False,
) -> None:
    """Parse resolutions into paragraphs and print a summary (or JSON Lines) per document."""
    from index import parse_paths

    failed = 0
    for parsed in parse_paths(paths):
        if parsed.error is not None:
            failed += 1
            print(f"unres: {parsed.error}", file=sys.stderr, flush=True)
        elif as_json:
            print(json.dumps(parsed.resolution.to_dict(), ensure_ascii=False), flush=True)
        else:
            print_summary(parsed.resolution)
    if failed:
        raise typer.Exit(code=1)
