"""Terminal rendering of hits, paragraphs and resolutions with rich; document text is cleaned of
control characters and escape sequences first, so a document cannot drive the user's terminal."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from unres.index.parse.records import Resolution
from unres.search import Hit, Searcher, SearchResult

from .common import clean

console = Console(highlight=False)
ALSO_IN_SHOWN = 4  # ids of identical paragraphs listed under a hit
YEARS_SHOWN = 6  # years listed in the line of totals


def indented(text: Text, indent: int, below: int = 0) -> None:
    """Text indented under its heading: wrapped to a terminal's width, or, piped to a file or another
    program, one line each, full length, with no trailing spaces (what `grep` and `cut` expect)."""
    if console.is_terminal:
        console.print(Padding(text, (0, 0, below, indent)))
    else:
        line = Text(" " * indent) + text
        line.rstrip()
        console.print(line, soft_wrap=True)
        console.print("\n" * below, end="")


def print_result(result: SearchResult, context: Mapping[str, tuple[list[Hit], list[Hit]]] | None = None) -> None:
    """What was understood of the query (one dim line), a spelling offered, how many paragraphs hold every
    word and how they divide, then the hits (`print_hits`), each between its `context` (before, after).
    Hits of a query nothing matches are announced as the closest."""
    understood = result.understood.summary()
    if understood:
        console.print(Text(clean(f"understood: {understood}"), style="dim"), soft_wrap=True)
    if result.suggestion:
        console.print(Text(clean(f"did you mean: {result.suggestion}"), style="bold"), soft_wrap=True)
    if result.total is not None:
        console.print(Text(clean(totals(result)), style="dim"), soft_wrap=True)
    if result.hits and not result.matched:
        console.print("no paragraph holds these words; the closest:", style="bold")
    print_hits(result.hits, result.terms, context)


def totals(result: SearchResult) -> str:
    """`106 paragraphs hold every word · GA 104, SC 2 · 2025 7, 2024 47, … · hits 11-20, latest first`."""
    facets = {facet.name: facet.values for facet in result.facets}
    parts = [f"{result.total} paragraph{'' if result.total == 1 else 's'} hold{'s' if result.total == 1 else ''} every word"]
    parts += [", ".join(f"{v.value or 'date unknown'} {v.count}" for v in facets.get(name, ())[:limit])
              for name, limit in (("body", 2), ("year", YEARS_SHOWN)) if facets.get(name)]
    if result.hits and (result.offset or result.sort != "relevance"):
        shown = f"hits {result.offset + 1}-{result.offset + len(result.hits)}"
        parts.append(shown + (", latest first" if result.sort == "date" else ""))
    return " · ".join(parts)


def print_hits(
    hits: tuple[Hit, ...] | list[Hit], terms: tuple[str, ...] = (), context: Mapping[str, tuple[list[Hit], list[Hit]]] | None = None,
) -> None:
    """Per hit: rank, id, highlighted verb, title and date, the wrapped paragraph with query terms marked,
    footnotes, and its explanation if asked for; the paragraphs around it (`-B`, `-A`) dim, marked `-`."""
    if not hits:
        console.print("no paragraph matches")
        return
    for hit in hits:
        before, after = (context or {}).get(hit.id, ([], []))
        for near in before:
            print_neighbour(near)
        print_hit(hit, terms, below=0 if after else 1)
        for near in after:
            print_neighbour(near)
        if after:
            console.print()


def neighbours(searcher: Searcher, hit: Hit, before: int, after: int) -> tuple[list[Hit], list[Hit]]:
    """Up to `before` paragraphs before the hit and `after` after it in its resolution, in document order."""
    found: tuple[list[Hit], list[Hit]] = ([], [])
    for side, count, step in ((0, before, "previous_id"), (1, after, "next_id")):
        current = hit
        while len(found[side]) < count and getattr(current, step):
            current = searcher.paragraph(getattr(current, step))
            found[side].append(current)
    found[0].reverse()
    return found


def print_neighbour(hit: Hit) -> None:
    """A paragraph printed for context: its id and text, dim, like grep's `-` context lines."""
    indented(Text(clean(f"- {hit.id}  {hit.text}"), style="dim"), 4)


def print_hit(hit: Hit, terms: tuple[str, ...] = (), below: int = 1) -> None:
    head = Text()
    if hit.rank:
        head.append(f"{hit.rank:>2}. ", style="bold")
    head.append(clean(hit.id), style="bold cyan")
    head.append("  ")
    head.append(clean(hit.verb or hit.kind), style="bold magenta")
    if hit.rank:
        head.append(f"  {hit.score:.4f}", style="dim")
    console.print(head)
    heading = clean(f"{hit.title or hit.symbol} — {hit.adopted or 'date unknown'}")
    indented(Text(heading, style="italic"), 4)
    body = Text(clean(hit.text))
    phrase = clean(hit.phrase or "")
    if phrase:
        start = body.plain.find(phrase)
        if start >= 0:
            body.stylize("bold magenta", start, start + len(phrase))
    for term in terms:
        for match in re.finditer(rf"\b{re.escape(term)}\w*", body.plain, re.IGNORECASE):
            body.stylize("bold yellow", match.start(), match.end())
    indented(body, 4)
    for note in hit.footnotes:
        indented(Text(clean(f"[{note.marker}] {note.resolved}"), style="dim"), 6)
    if hit.citations:
        cited = ", ".join(clean(c.symbol + (" (footnote)" if "text" not in c.via else "")) for c in hit.citations)
        indented(Text(f"cites {cited}", style="dim"), 4)
    if hit.also_in:
        shown = ", ".join(clean(pid) for pid in hit.also_in[:ALSO_IN_SHOWN])
        more = f" and {len(hit.also_in) - ALSO_IN_SHOWN} more" if len(hit.also_in) > ALSO_IN_SHOWN else ""
        indented(Text(f"same text also in {shown}{more}", style="dim"), 4)
    if hit.explain is not None:
        console.print(Text(f"    explain: {hit.explain.summary()}", style="dim"), soft_wrap=True)
    console.print("\n" * below, end="")


def print_resolution(resolution: Resolution) -> None:
    """A whole resolution with its structure."""
    r = resolution
    console.print(Text(clean("  ".join(filter(None, (r.symbol, r.title)))), style="bold"), soft_wrap=True)
    console.print(Text(clean("  ".join(filter(None, (f"adopted {r.adopted or '?'}", r.meeting))))), soft_wrap=True)
    if r.heading_symbol:
        console.print(Text(clean(f"its text is headed {r.heading_symbol}: the file's name and its heading conflict"), style="yellow"))
    section = None
    headings = {s.label: s.heading for s in r.sections}
    for part, paragraphs in (("Preamble", r.preamble), ("Operative part", r.operative), ("Annexes", r.annexes)):
        if not paragraphs:
            continue
        console.print(Text(f"\n{part}", style="bold underline"))
        for p in paragraphs:
            if p.section and p.section != section:
                section = p.section
                heading = headings.get(section, section)
                console.print(Text(clean(f"\n  {section if heading == section else f'{section} {heading}'}"), style="bold"))
            label = clean(p.id.split("#", 1)[1])
            line = Text(f"  {label:>8}  ")
            text = clean(p.text)
            line.append(text)
            phrase = clean(p.phrase)
            if phrase and text.startswith(phrase):
                start = len(f"  {label:>8}  ")
                line.stylize("bold magenta", start, start + len(phrase))
            console.print(line, soft_wrap=not console.is_terminal)
            for note in p.footnotes:
                console.print(Text(clean(f"            [{note.marker}] {note.resolved}"), style="dim"), soft_wrap=not console.is_terminal)
