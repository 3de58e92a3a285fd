"""Commands over the links an index keeps: lineage, cites, export-graph and trend."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from unres.index.filters import Body, GraphFormat, Period

from .common import IndexOption, JsonOption, clean, errors, index_dir, kept
from .output import check_output, write_file


def lineage(
    paragraph_id: Annotated[
        str | None, typer.Argument(help="A paragraph id such as A/RES/79/83#3; with --items, a resolution (optional).")
    ] = None,
    items: Annotated[bool, typer.Option("--items", help="How resolutions are paired into items, and why.")] = False,
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """How a paragraph read in earlier and later resolutions on its item, with word-level diffs; with
    --items, which resolutions the index holds on one item (same title, renamed, a Council resolution citing
    the one it follows)."""
    from unres.search import Searcher

    from .render_links import print_items, print_lineage

    if paragraph_id is None and not items:
        raise typer.BadParameter("give a paragraph id (or --items)", param_hint="PARAGRAPH_ID")
    with errors(), kept(Searcher.open(index_dir(index))) as searcher:
        found = searcher.items(paragraph_id) if items else searcher.lineage(paragraph_id)
    if as_json:
        data = {"items": [asdict(link) for link in found]} if items else found.to_dict()
        print(json.dumps(data, ensure_ascii=False))
    elif items:
        print_items(found)
    else:
        print_lineage(found)


def cites(
    symbol: Annotated[str, typer.Argument(help="A resolution symbol (A/RES/57/263, 57/263, S/RES/242(1967)) or document symbol.")],
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every paragraph that cites a resolution, in its text or its footnotes, by citing resolution and date."""
    from unres.search import Searcher

    from .render_links import print_cited_by

    with errors(), kept(Searcher.open(index_dir(index))) as searcher:
        found = searcher.cited_by(symbol)
    if as_json:
        print(json.dumps(found.to_dict(), ensure_ascii=False))
    else:
        print_cited_by(found)


def export_graph(
    graph_format: Annotated[GraphFormat, typer.Option("--format", help="graphml (Gephi, networkx.read_graphml) or csv (one edge a line).")] = GraphFormat.graphml,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write (default: standard output).")] = None,
    index: IndexOption = None,
) -> None:
    """Citation and lineage edges of the index, for networkx or Gephi."""
    from unres.index.links import to_csv, to_graphml
    from unres.search import Searcher

    with errors():
        if out is not None:
            check_output(out)
        with Searcher.open(index_dir(index)) as searcher:
            edges = searcher.graph()
    text = to_graphml(edges) if graph_format.value == "graphml" else to_csv(edges)
    if out is None:
        sys.stdout.write(text)
        return
    with errors():
        write_file(out, text.encode("utf-8"))
    print(f"{clean(out)}: {len(edges.edges)} edges", file=sys.stderr)


def trend(
    query: Annotated[str, typer.Argument(help="Words every counted paragraph must hold (stemmed: 'urge' matches 'urges').")],
    verb: Annotated[list[str] | None, typer.Option("--verb", help="Only paragraphs with this verb (repeatable).")] = None,
    by: Annotated[Period, typer.Option("--by", help="Count per adoption year, or per GA session (SC by year).")] = Period.year,
    body: Annotated[Body | None, typer.Option("--body", help="Only GA or only SC.")] = None,
    adopted_from: Annotated[str | None, typer.Option("--from", help="Adopted on or after (YYYY[-MM[-DD]]).")] = None,
    adopted_to: Annotated[str | None, typer.Option("--to", help="Adopted on or before (YYYY[-MM[-DD]]).")] = None,
    plot: Annotated[Path | None, typer.Option("--plot", help="Draw the counts as a chart in this file: PNG, or the format its suffix names (svg, pdf, ...; needs the 'plot' extra: pip install 'unres\\[plot]').")] = None,
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """Matching operative paragraphs per year (or session) and body: a table, and a chart with --plot."""
    from unres.search import Searcher

    from .render_links import print_trend

    if plot is not None:
        from .plot import chart_format

        with errors():
            chart = chart_format(plot)
    with errors(), kept(Searcher.open(index_dir(index))) as searcher:
        counts = searcher.trend(query, verbs=tuple(verb or ()), by=by.value, body=body.value if body else None,
                                adopted_from=adopted_from, adopted_to=adopted_to)
    if as_json:
        print(json.dumps(counts.to_dict(), ensure_ascii=False))
    else:
        print_trend(counts)
    if plot is not None:
        from .plot import plot_trend

        with errors():
            plot_trend(counts, plot, chart)
        print(f"{clean(plot)}: chart written", file=sys.stderr)
