"""Readable terminal summaries of parsed resolutions."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from unres.index import Resolution

from .common import clean

_console = Console(highlight=False, soft_wrap=True)


def _safe(text: str) -> str:
    """Document text as rich markup: control characters and escape sequences removed, brackets escaped."""
    return escape(clean(text))


def print_summary(resolution: Resolution) -> None:
    """Symbol, title, adoption, counts, then each operative paragraph's number, verb, first words and markers."""
    r = resolution
    _console.print(f"[bold]{_safe(r.symbol)}[/bold]  {_safe(r.title or '')}")
    details = [f"adopted {r.adopted or '?'}"]
    if r.meeting:
        details.append(r.meeting)
    if r.agenda_items:
        details.append("agenda " + ", ".join(r.agenda_items))
    if r.report:
        details.append(f"report {r.report}")
    _console.print("  " + _safe("; ".join(details)))
    _console.print(
        f"  {len(r.preamble)} preambular, {len(r.operative)} operative, "
        f"{len(r.annexes)} annex paragraphs, {len(r.footnotes)} footnotes"
    )
    for p in r.operative:
        label = p.id.split("#", 1)[1]
        words = " ".join(p.text.split()[:10])
        markers = f"  [dim]fn {_safe(', '.join(f.marker for f in p.footnotes))}[/dim]" if p.footnotes else ""
        _console.print(f"  {_safe(label):>6}  [cyan]{_safe(p.verb):<14}[/cyan] {_safe(words)} …{markers}")
    _console.print()
