"""The `unres` typer application: each command is one call into `unres.index` or `unres.search`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from .bench import bench
from .common import Backend, IndexOption, JsonOption, Kind, Mode, errors, index_dir
from .summary import print_summary

app = typer.Typer(
    name="unres",
    help="Semantic search over UN resolutions, one operative paragraph at a time.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(bench, name="bench")

@app.callback()
def main() -> None:
    """unres: parse, index and search UN General Assembly and Security Council resolutions."""


@app.command()
def parse(
    paths: Annotated[list[Path], typer.Argument(help="Resolution files, or directories to parse every PDF and .txt below.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per document per line (JSON Lines).")] = False,
) -> None:
    """Parse resolutions into paragraphs and print a summary (or JSON Lines) per document."""
    from unres.index import parse_paths

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


@app.command("index")
def index_command(
    paths: Annotated[list[Path], typer.Argument(help="Resolution files or directories to index.")],
    index: IndexOption = None,
    model: Annotated[str | None, typer.Option(help="Path of a sentence-transformers model (default all-MiniLM-L6-v2, shipped).")] = None,
    backend: Annotated[Backend | None, typer.Option(help="Vector search: exact inner product (flat) or HNSW for large corpora.")] = None,
    template: Annotated[str | None, typer.Option(help="Text embedded per paragraph, from {text}, {title}, {verb}, {phrase} (default '{title}: {text}').")] = None,
    int8: Annotated[bool, typer.Option("--int8", help="Embed with the int8-quantized model (a new index only; see benchmarks/README.md for its effect).")] = False,
) -> None:
    """Parse, embed and store documents; unchanged ones are skipped, changed ones replaced."""
    from unres.index import Indexer

    from .progress import progress_bar

    directory = index_dir(index)
    with errors(), progress_bar() as progress:
        report = Indexer(
            directory, model=model, template=template, backend=backend.value if backend else None,
            int8=True if int8 else None, progress=progress,
        ).add(paths)
    for warning in report.warnings:
        print(f"unres: warning: {warning}", file=sys.stderr)
    for failure in report.failures:
        print(f"unres: {failure}", file=sys.stderr)
    if report.failures:
        print(f"unres: nothing written to {directory}: {len(report.failures)} file(s) failed", file=sys.stderr)
        raise typer.Exit(code=1)
    print(
        f"{directory}: {report.added} added, {report.replaced} replaced, {report.skipped} unchanged; "
        f"{report.paragraphs} paragraphs embedded; {report.seconds:.1f} s in all"
    )


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for, in your own words.")],
    k: Annotated[int, typer.Option("-k", help="How many paragraphs.")] = 10,
    verb: Annotated[list[str] | None, typer.Option("--verb", help="Only paragraphs with this verb (repeatable).")] = None,
    body: Annotated[str | None, typer.Option("--body", help="GA or SC.")] = None,
    session: Annotated[list[int] | None, typer.Option("--session", help="GA session (repeatable).")] = None,
    adopted_from: Annotated[str | None, typer.Option("--from", help="Adopted on or after (YYYY[-MM[-DD]]).")] = None,
    adopted_to: Annotated[str | None, typer.Option("--to", help="Adopted on or before (YYYY[-MM[-DD]]).")] = None,
    mode: Annotated[Mode, typer.Option(help="dense (vectors), lexical (BM25) or hybrid (both, fused; the default, see benchmarks/relevance).")] = Mode.hybrid,
    kind: Annotated[list[Kind] | None, typer.Option("--kind", help="Paragraph kind (repeatable; default operative).")] = None,
    symbol: Annotated[list[str] | None, typer.Option("--symbol", help="Only this resolution (repeatable).")] = None,
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ranked paragraphs for a query, with resolution, verb and footnotes."""
    from unres.index.filters import DEFAULT_KINDS, Filters
    from unres.search import Searcher

    from .render import print_hits

    with errors(), Searcher.open(index_dir(index), preload=mode.value != "lexical") as searcher:
        filters = Filters(
            kinds=tuple(x.value for x in kind) if kind else DEFAULT_KINDS, verbs=tuple(verb or ()), body=body,
            sessions=tuple(session or ()), adopted_from=adopted_from, adopted_to=adopted_to, symbols=tuple(symbol or ()),
        )
        hits = searcher.search(query, k, filters=filters, mode=mode.value)
    if as_json:
        print(json.dumps({"query": query, "hits": [h.to_dict() for h in hits]}, ensure_ascii=False))
    else:
        print_hits(hits, query)


@app.command()
def show(
    target: Annotated[str, typer.Argument(help="A paragraph id (A/RES/58/220#9) or a resolution symbol.")],
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """One paragraph in its resolution's context, or a whole resolution with its structure."""
    from unres.search import Searcher

    from .render import print_hit, print_resolution

    with errors(), Searcher.open(index_dir(index)) as searcher:
        if "#" in target:
            hit = searcher.paragraph(target)
            if as_json:
                print(json.dumps(hit.to_dict(), ensure_ascii=False))
            else:
                print_hit(hit)
        else:
            resolution = searcher.resolution(target)
            if as_json:
                print(json.dumps(resolution.to_dict(), ensure_ascii=False))
            else:
                print_resolution(resolution)


@app.command()
def similar(
    paragraph_id: Annotated[str, typer.Argument(help="A paragraph id such as A/RES/58/220#9.")],
    k: Annotated[int, typer.Option("-k", help="How many paragraphs.")] = 10,
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """Paragraphs closest to a given one: the same paragraph in other years, related language elsewhere."""
    from unres.search import Searcher

    from .render import print_hits

    with errors(), Searcher.open(index_dir(index)) as searcher:
        hits = searcher.similar(paragraph_id, k)
    if as_json:
        print(json.dumps({"id": paragraph_id, "hits": [h.to_dict() for h in hits]}, ensure_ascii=False))
    else:
        print_hits(hits)


@app.command()
def stats(index: IndexOption = None, as_json: JsonOption = False) -> None:
    """Documents, paragraphs by kind and body, model, sizes on disk."""
    from unres.search import Searcher

    with errors(), Searcher.open(index_dir(index)) as searcher:
        facts = searcher.stats()
    if as_json:
        print(json.dumps(facts))
        return
    print(f"index      {facts['index']}")
    print(f"model      {facts['model']} ({facts['dimension']}-d), template {facts['template']!r}, {facts['backend']}")
    print("documents  " + ", ".join(f"{n} {body}" for body, n in sorted(facts["resolutions"].items())))
    for body, kinds in sorted(facts["paragraphs"].items()):
        print(f"paragraphs {body}: " + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())))
    print(f"vectors    {facts['vectors']}")
    print("on disk    " + ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in facts["bytes_on_disk"].items()))


@app.command()
def remove(
    symbols: Annotated[list[str], typer.Argument(help="Resolution symbols to delete from the index.")],
    index: IndexOption = None,
) -> None:
    """Delete resolutions (and their paragraphs and vectors) from the index."""
    from unres.index import Indexer

    directory = index_dir(index)
    with errors():
        report = Indexer(directory).remove(symbols)
    print(f"{directory}: {report.removed} removed")
