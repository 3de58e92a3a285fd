"""Terminal rendering of lineage (diffs in colour), cited-by lists and trend tables."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from unres.index.links import CitedBy, ItemLink, Lineage
from unres.search.trend import Trend

from .render import console, indented

_STYLE = {"equal": "", "insert": "bold green", "delete": "red strike"}
_HOW = {"title": "same title", "renamed": "renamed", "cites": "cites the earlier"}
_MARKS = {"equal": ("", ""), "insert": ("{+", "+}"), "delete": ("[-", "-]")}  # wdiff's, when there is no colour


def print_lineage(found: Lineage) -> None:
    """Each version by date, with its changes from the one before; then first and last seen, and new language."""
    if not found.found:
        console.print(f"{found.id}: no lineage — no version of this paragraph in another resolution of the index")
    for previous, version in zip((None, *found.versions[:-1]), found.versions, strict=True):
        head = Text()
        head.append(version.id, style="bold cyan")
        head.append(f"  {version.adopted or 'date unknown'}", style="italic")
        if version.similarity is not None:
            head.append(f"  similarity {version.similarity:.2f}", style="dim")
        if previous is not None and previous.verb and version.verb and previous.verb != version.verb:
            head.append(f"  act: {previous.verb} → {version.verb}", style="bold yellow")
        if version.id == found.id:
            head.append("  (asked)", style="dim")
        console.print(head)
        body = Text()
        if version.diff:
            plain = not console.is_terminal or console.no_color
            for span in version.diff:
                opening, closing = _MARKS[span.op] if plain else ("", "")
                body.append(f"{opening}{span.text}{closing} ", style=_STYLE[span.op])
        else:
            body.append(version.text)
        indented(body, 4, below=1)
    if found.found:
        console.print(f"first appeared in {found.first_appeared}; last seen in {found.last_seen}")
        if found.dropped:
            console.print(f"dropped: {found.latest_resolution}, the latest resolution on the item, no longer has it")
    if found.new_in_latest:
        console.print(f"new language in {found.latest_resolution} (no earlier version): {', '.join(found.new_in_latest)}")
    for other in found.elsewhere:
        console.print(
            Text(f"same language elsewhere: {other.id}  {other.adopted or ''}  similarity {other.similarity:.2f}  "
                 f"{other.title or ''}", style="dim")
        )


def print_items(links: tuple[ItemLink, ...]) -> None:
    """One line per pair of resolutions on one item: earlier, later, how, and how much they share."""
    if not links:
        console.print("no resolutions paired into items")
    for link in links:
        share = "" if link.how == "title" else f"  {link.score:.0%} of paragraphs carried"
        console.print(Text(f"{link.earlier} → {link.later}  {_HOW[link.how]}{share}"))


def print_cited_by(found: CitedBy) -> None:
    """Citing paragraphs grouped by resolution and date; footnote citations marked."""
    where = "" if found.in_index else " (not in the index)"
    resolutions = len(found.resolutions)
    console.print(Text(f"{found.symbol}{where}: cited by {found.paragraphs} paragraph{'' if found.paragraphs == 1 else 's'} "
                         f"in {resolutions} resolution{'' if resolutions == 1 else 's'}",
                       style="bold"))
    for group in found.resolutions:
        console.print(Text(f"\n{group.symbol}  {group.adopted or '?'}  {group.title or ''}", style="bold cyan"))
        for citing in group.paragraphs:
            label = citing.id.split("#", 1)[1]
            line = Text(f"  {label:>6}  ")
            line.append(f"[{' + '.join(citing.via)}] ", style="magenta")
            line.append(citing.text if len(citing.text) <= 160 else citing.text[:157] + "…")
            console.print(line)


def print_trend(found: Trend) -> None:
    """One row per period and body: matching paragraphs, all paragraphs, and the share."""
    table = Table(title=f"“{found.query}”" + (f", verb {', '.join(found.verbs)}" if found.verbs else ""))
    table.add_column(found.by)
    table.add_column("body")
    table.add_column("matching", justify="right")
    table.add_column("paragraphs", justify="right")
    table.add_column("share", justify="right")
    for point in found.points:
        table.add_row(str(point.period), point.body, str(point.matching), str(point.paragraphs), f"{point.share:.1%}")
    console.print(table)
    console.print(f"{found.total} matching paragraphs")
