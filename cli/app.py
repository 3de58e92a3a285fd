"""The `unres` typer application: each command is one call into `unres.index` or `unres.search`."""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
from pathlib import Path
from typing import Annotated

import typer

from unres.index.filters import Backend, Engine, ExportFormat, Kind, Mode, Sort

from .bench import bench
from .common import IndexOption, JsonOption, WaitOption, clean, errors, index_dir, kept, warn
from .link_commands import cites, export_graph, lineage, trend
from .output import standard_output
from .summary import print_summary

MAX_CONTEXT = 50  # paragraphs -A and -B print around a hit
# Commands that only read the index and print: once they have, the process ends without tearing anything down.
READ_ONLY = frozenset({"search", "show", "similar", "lineage", "cites", "trend", "stats"})

app = typer.Typer(
    name="unres",
    help="Semantic search over UN resolutions, one operative paragraph at a time.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)
app.add_typer(bench, name="bench")
app.command()(lineage)
app.command()(cites)
app.command("export-graph")(export_graph)
app.command()(trend)

@app.callback()
def main() -> None:
    """unres: parse, index and search UN General Assembly and Security Council resolutions."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")  # a file name that was not UTF-8 still prints


@app.command()
def parse(
    paths: Annotated[list[Path], typer.Argument(help="Resolution files, or directories to parse every PDF and .txt below.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per document per line (JSON Lines).")] = False,
    workers: Annotated[int | None, typer.Option(min=1, help="Parser processes (default: one per CPU; 1 parses in this process).")] = None,
) -> None:
    """Parse resolutions into paragraphs and print a summary (or JSON Lines) per document."""
    from unres.index.config import default_workers
    from unres.index.parse.files import parse_paths

    failed = 0
    for parsed in parse_paths(paths, workers=workers or default_workers()):
        for warning in parsed.warnings:
            warn(f"warning: {warning}")
        if parsed.error is not None:
            failed += 1
            warn(str(parsed.error))
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
    model: Annotated[str | None, typer.Option(help="Model of a new index: multilingual-e5-small (the default) or all-MiniLM-L6-v2, both shipped, or the path of a sentence-transformers model.")] = None,
    backend: Annotated[Backend | None, typer.Option(help="Vector search: exact inner product (flat) or HNSW for large corpora.")] = None,
    template: Annotated[str | None, typer.Option(help="Text embedded per paragraph, from {text}, {title}, {verb}, {phrase} (default '{title}: {text}').")] = None,
    max_document_mb: Annotated[float, typer.Option("--max-document-mb", help="Refuse a document larger than this many MB.")] = 50.0,
    wait: WaitOption = True,
    workers: Annotated[int | None, typer.Option(min=1, help="Parser processes of a local build (default: one per CPU; 1 parses in this process).")] = None,
    int8: Annotated[bool, typer.Option("--int8", help="Embed with the int8-quantized model (a new index only; see benchmarks/README.md for its effect).")] = False,
    adapter: Annotated[str | None, typer.Option(help="Query adapter of a new index: NAME (un-minilm, for all-MiniLM-L6-v2) or 'none', the default.")] = None,
    engine: Annotated[Engine, typer.Option(help="Parse and embed here (local) or on Ray (ray: a local Ray instance, or --address; needs unres[cluster]).")] = Engine.local,
    address: Annotated[str | None, typer.Option(help="Ray cluster to run on with --engine ray (ADDR:PORT, ray://ADDR:PORT or 'auto').")] = None,
) -> None:
    """Parse, embed and store documents; unchanged ones are skipped, changed ones replaced."""
    from unres.index import ConfigError, Indexer
    from unres.index.config import default_workers

    from .progress import progress_bar

    directory = index_dir(index)
    with errors():
        if not 0 < max_document_mb < 1e6:
            raise ConfigError(f"--max-document-mb must be a positive size in MB, not {max_document_mb}")
        if workers is not None and engine is Engine.ray:
            raise ConfigError("--workers sets a local build's parser processes; with --engine ray, Ray parses on every CPU it has")
        with progress_bar() as progress:
            report = Indexer(
                directory, model=model, template=template, backend=backend.value if backend else None, progress=progress,
                int8=True if int8 else None, adapter=adapter, wait=wait, on_wait=warn, max_document_bytes=int(max_document_mb * 2**20),
                workers=workers or default_workers(), engine=engine.value, address=address,
            ).add(paths)
    for warning in report.warnings:
        warn(f"warning: {warning}")
    for failure in report.failures:
        warn(str(failure))
    if report.failures:
        warn(f"nothing written to {directory}: {len(report.failures)} file(s) failed")
        raise typer.Exit(code=1)
    print(
        f"{clean(directory)}: {report.added} added, {report.replaced} replaced, {report.skipped} unchanged; "
        f"{report.paragraphs} paragraphs embedded; {report.seconds:.1f} s in all"
    )


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='What to look for, in your own words; "a phrase", -word, -"a phrase" and symbols (A/RES/79/171, resolution 242) as in README.')],
    k: Annotated[int, typer.Option("-k", help="How many paragraphs.")] = 10,
    verb: Annotated[list[str] | None, typer.Option("--verb", help="Only paragraphs with this verb, in any form (repeatable).")] = None,
    body: Annotated[str | None, typer.Option("--body", help="GA or SC.")] = None,
    session: Annotated[list[int] | None, typer.Option("--session", help="GA session (repeatable).")] = None,
    adopted_from: Annotated[str | None, typer.Option("--from", help="Adopted on or after (YYYY[-MM[-DD]]).")] = None,
    adopted_to: Annotated[str | None, typer.Option("--to", help="Adopted on or before (YYYY[-MM[-DD]]).")] = None,
    mode: Annotated[Mode, typer.Option(help="dense (vectors), lexical (BM25) or hybrid (both, fused; the default, see benchmarks/relevance).")] = Mode.hybrid,
    kind: Annotated[list[Kind] | None, typer.Option("--kind", help="Paragraph kind (repeatable; default operative).")] = None,
    symbol: Annotated[list[str] | None, typer.Option("--symbol", help="Only this resolution (repeatable).")] = None,
    sort: Annotated[Sort, typer.Option(help="relevance, or date: the paragraphs holding every word, latest first.")] = Sort.relevance,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many hits (the next page: --offset 10).")] = 0,
    output: Annotated[ExportFormat | None, typer.Option("--format", help="Print the hits as csv, jsonl, ris (reference managers) or line (id<TAB>text).")] = None,
    after: Annotated[int, typer.Option("-A", min=0, max=MAX_CONTEXT, help="Also print this many paragraphs after each hit.")] = 0,
    before: Annotated[int, typer.Option("-B", min=0, max=MAX_CONTEXT, help="Also print this many paragraphs before each hit.")] = 0,
    index: IndexOption = None,
    as_json: JsonOption = False,
    explain: Annotated[bool, typer.Option("--explain", help="Show each hit's lexical and dense rank, fused score and boosts.")] = False,
) -> None:
    """Ranked paragraphs for a query, with resolution, verb and footnotes, what was understood of it, and how
    many paragraphs hold every word; exits 1 when none holds any (like grep)."""
    from unres.index.filters import Filters
    from unres.search import Searcher
    from unres.search.export import export

    from .render import neighbours, print_result

    if as_json and output:
        warn("give --json or --format, not both")
        raise typer.Exit(code=2)
    with errors(), kept(Searcher.open(index_dir(index), preload=mode.value != "lexical")) as searcher:
        filters = Filters.of(
            kinds=kind, verbs=verb, body=body, sessions=session, adopted_from=adopted_from, adopted_to=adopted_to, symbols=symbol,
        )
        result = searcher.search(query, k, filters=filters, mode=mode.value, explain=explain, offset=offset, sort=sort.value)
        context = {hit.id: neighbours(searcher, hit, before, after) for hit in result.hits} if before or after else {}
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    elif output:
        print(export(result.hits, output.value), end="")
    else:
        print_result(result, context)
    if not result.matched:  # like grep: a script can tell "nothing matches" from "here are the hits"
        raise typer.Exit(code=1)


@app.command()
def show(
    target: Annotated[str, typer.Argument(help="A paragraph id (A/RES/58/220#9) or a resolution symbol.")],
    after: Annotated[int, typer.Option("-A", min=0, max=MAX_CONTEXT, help="Also print this many paragraphs after the one asked for.")] = 0,
    before: Annotated[int, typer.Option("-B", min=0, max=MAX_CONTEXT, help="Also print this many paragraphs before it.")] = 0,
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """One paragraph with its resolution, verb and footnotes (and its neighbours with -A/-B), or a whole resolution with its structure."""
    from unres.search import Searcher

    from .render import neighbours, print_hits, print_resolution

    with errors(), kept(Searcher.open(index_dir(index))) as searcher:
        if "#" in target:
            hit = searcher.paragraph(target)
            context = neighbours(searcher, hit, before, after)
            if as_json:
                print(json.dumps(hit.to_dict(), ensure_ascii=False))
            else:
                print_hits([hit], context={hit.id: context})
        else:
            resolution = searcher.resolution(target)
            cited = searcher.cited_by(target) if searcher.linked else None
            if as_json:
                print(json.dumps(resolution.to_dict(), ensure_ascii=False))
            else:
                print_resolution(resolution)
                if cited is not None:
                    print(f"\ncited by {_count(cited.paragraphs, 'paragraph')} in {_count(len(cited.resolutions), 'resolution')}")


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

    with errors(), kept(Searcher.open(index_dir(index))) as searcher:
        hits = searcher.similar(paragraph_id, k)
    if as_json:
        print(json.dumps({"id": paragraph_id, "hits": [h.to_dict() for h in hits]}, ensure_ascii=False))
    else:
        print_hits(hits)


@app.command()
def stats(index: IndexOption = None, as_json: JsonOption = False) -> None:
    """Documents, paragraphs by kind and body, the years and sessions covered, model, the index's files on disk."""
    from unres.search import Searcher

    with errors(), kept(Searcher.open(index_dir(index))) as searcher:
        facts = searcher.stats()
    if as_json:
        print(json.dumps(facts.to_dict()))
        return
    print(f"index      {clean(facts.index)}")
    print(clean(f"model      {facts.model} ({facts.dimension}-d), template {facts.template!r}, {facts.backend}"))
    print("documents  " + ", ".join(f"{n} {body}" for body, n in sorted(facts.resolutions.items())))
    for body, kinds in sorted(facts.paragraphs.items()):
        print(f"paragraphs {body}: " + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())))
    for body, years in sorted(facts.years.items()):
        dated = sorted(year for year in years if year != "unknown")
        span = f"{dated[0]}-{dated[-1]} ({len(dated)} years with resolutions)" if dated else "no year known"
        sessions = sorted(map(int, facts.sessions)) if body == "GA" else []
        held = f", sessions {sessions[0]}-{sessions[-1]}" if sessions else ""
        lost = facts.dates_unknown.get(body)
        print(f"covers     {body} {span}{held}" + (f"; {lost} without a printed date, counted in their symbol's year" if lost else ""))
    print(f"vectors    {facts.vectors}")
    print("on disk    " + ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in facts.bytes_on_disk.items()))


@app.command()
def serve(
    index: IndexOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on; anything but localhost exposes the API, which has no authentication.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on (0: any free port, printed at start).")] = 8700,
    allow_host: Annotated[list[str] | None, typer.Option(
        "--allow-host", metavar="NAME",
        help="Also answer requests addressed to this host name (repeatable): for a reverse proxy, or the name other "
        "machines use. Otherwise only the --host address (and localhost, when it reaches the server) is answered.",
    )] = None,
    workers: Annotated[int | None, typer.Option(
        min=1, help="Searches answered at once, each on one core, sharing one copy of the model (default: one per core).",
    )] = None,
) -> None:
    """Serve the HTTP API (/search, /paragraphs, /resolutions, /docs) and the web page at / until Ctrl-C."""
    from unres.serve import is_loopback
    from unres.serve import serve as run

    if not is_loopback(host):
        print(f"unres: warning: listening on {host}, reachable from other machines; the API has no authentication", file=sys.stderr)
    try:
        with errors():
            run(index_dir(index), host, port, allow_host or (), workers)
    except KeyboardInterrupt:  # Ctrl-C while the model loads, before uvicorn handles it
        raise typer.Exit(code=130) from None


@app.command()
def remove(
    symbols: Annotated[list[str], typer.Argument(help="Resolution symbols to delete from the index.")],
    index: IndexOption = None,
    wait: WaitOption = True,
) -> None:
    """Delete resolutions (and their paragraphs and vectors) from the index."""
    from unres.index import Indexer

    directory = index_dir(index)
    with errors():
        report = Indexer(directory, wait=wait, on_wait=warn).remove(symbols)
    print(f"{clean(directory)}: {report.removed} removed")


@app.command()
def check(
    repair: Annotated[bool, typer.Option("--repair", help="Re-embed missing vectors, re-export a damaged model, and restore what else was found damaged (which compacts too).")] = False,
    full: Annotated[bool, typer.Option("--full", help="SQLite's integrity_check (slower, checks its indexes too) instead of quick_check.")] = False,
    compact: Annotated[bool, typer.Option("--compact", help="Write a healthy index's BM25 index and vectors as one segment each, deleted rows left out.")] = False,
    index: IndexOption = None,
    wait: WaitOption = True,
) -> None:
    """Check every part of the index against the others (database, vectors, rows, full text, configuration, model files)."""
    from unres.index.check import check_index

    from .progress import progress_bar

    directory = index_dir(index)
    with errors(), progress_bar() as progress:
        report = check_index(
            directory, repair=repair, full=full, compact=compact, wait=wait, on_wait=warn, progress=progress if repair else None
        )
    for problem in report.problems:
        warn(f"problem: {problem}")
    for done in report.repairs:
        print(f"repaired: {clean(done)}")
    if report.compacted is not None:
        print(f"compacted: {report.compacted}")
    elif compact and report.problems and not report.repairs:
        warn("not compacted: repair the problems first (--repair compacts too)")
    print(f"{clean(directory)}: {report.paragraphs} paragraphs, {report.vectors} vectors; "
          + ("healthy" if not report.problems else "repaired" if report.repairs else f"{len(report.problems)} problem(s)"))
    if not report.healthy:
        raise typer.Exit(code=1)


def run() -> None:
    """The `unres` console script: a usage error is one line too (`unres: ...`, exit 2), like every failure, and
    so is standard output that cannot be written (output.py), whichever command wrote it."""
    command = readable_help(typer.main.get_command(app))
    try:
        with standard_output():
            if len(sys.argv) < 2:
                command(prog_name="unres")  # no arguments: the help
            try:
                code = command(prog_name="unres", standalone_mode=False)
            except typer.Abort:
                warn("interrupted")
                sys.exit(130)
            except typer.TyperException as error:
                warn(error.format_message())
                sys.exit(getattr(error, "exit_code", 2))
            sys.exit(code or 0)
    except SystemExit as exited:
        if sys.argv[1:2] and sys.argv[1] in READ_ONLY and isinstance(exited.code, int | None):
            for thread in threading.enumerate():  # what the interpreter's exit waits for (a model still loading)
                if thread is not threading.current_thread() and not thread.daemon:
                    thread.join()
            sys.stderr.flush()  # standard output is flushed (standard_output)
            os._exit(exited.code or 0)  # the OS frees the model and the index: 10 ms of a 0.34 s cold search
        raise
    finally:
        gc.freeze()  # the interpreter's last collection, on exit, then skips what is left: 30 ms of a 0.4 s cold search


def readable_help(command):
    """The help as a person reads it: nothing after a flag (typer writes `<bool>`), a repeatable option's
    value by its own name (`--verb <verb>`, `--kind <operative|preambular|annex>`, not `<list[str]>`)."""
    for sub in getattr(command, "commands", {}).values():
        readable_help(sub)
    made = command.get_help_option

    def help_option(ctx):  # made per context, not among the params: the flag -h/--help
        option = made(ctx)
        if option is not None:
            option.metavar = ""
        return option

    command.get_help_option = help_option
    for param in command.params:
        described = getattr(param, "type_descriptor", None)
        if param.metavar is not None or described is None:
            continue
        label = param.display_type(None)[1:-1].removeprefix("list[").removesuffix("]")
        if getattr(param, "is_flag", False):
            param.metavar = ""
        elif described.is_list and param.param_type_name == "argument":  # its name is shown already
            param.display_type_rich = _shown_as(f"<{label.lower()}>")
        elif described.is_list:
            param.metavar = f"<{label if '|' in label else param.name.replace('_', '-')}>"
    return command


def _shown_as(label: str):
    return lambda ctx: label


def _count(n: int, noun: str) -> str:
    """`1 paragraph`, `3 paragraphs`."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
