"""Terminal rendering of hits, paragraphs and resolutions with rich; document text is cleaned of
control characters and escape sequences first, so a document cannot drive the user's terminal."""

from __future__ import annotations

import re

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from unres.index.parse.records import Resolution
from unres.search import Hit

from .common import clean

console = Console(highlight=False)
ALSO_IN_SHOWN = 4  # ids of identical paragraphs listed under a hit


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


def print_hits(
    hits: tuple[Hit, ...] | list[Hit], terms: tuple[str, ...] = (), understood: str = "", *, matched: bool = True,
    suggestion: str | None = None,
) -> None:
    """What was understood of the query (one dim line), then per hit: rank, id, highlighted verb, title and
    date, the wrapped paragraph with query terms marked, footnotes, and its explanation if asked for. Hits
    of a query nothing matches are announced as the closest."""
    if understood:
        console.print(Text(clean(f"understood: {understood}"), style="dim"), soft_wrap=True)
    if suggestion:
        console.print(Text(clean(f"did you mean: {suggestion}"), style="bold"), soft_wrap=True)
    if not hits:
        console.print("no paragraph matches")
        return
    if not matched:
        console.print("no paragraph holds these words; the closest:", style="bold")
    for hit in hits:
        print_hit(hit, terms)


def print_hit(hit: Hit, terms: tuple[str, ...] = ()) -> None:
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
    console.print()


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
