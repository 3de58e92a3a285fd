"""What GA and SC assembly share: the paragraph draft, sub-paragraph labels, dates, and turning
drafts into `Paragraph` records and the three parts of a `Resolution`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from .blocks import Run, normalize_lines, normalize_space
from .records import Footnote, Paragraph, SubParagraph, paragraph_citations
from .verbs import Phrase

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
SUB = re.compile(r"^\((?:[a-z]{1,2}|[ivxl]{1,6}|\d{1,2})\)\s")
# The `Resolution` field holding each of `records.KINDS`, in document order.
_FIELDS = {"preamble": "preambular", "operative": "operative", "annexes": "annex"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass
class Draft:
    """A paragraph while its text is being collected."""

    kind: str
    number: int | None
    phrase: Phrase | None
    runs: list[Run]
    section: str | None = None
    part: int = 0
    annex: int = 0
    subparagraphs: list[SubParagraph] = field(default_factory=list)
    # Found by a rule added after ids were published that glued it to the paragraph before: it takes
    # that paragraph's id with `bis` (a legacy rule of `ids`).
    inserted: bool = False
    # Blocks just before this annex paragraph that ids published before stop 8 counted as annex
    # paragraphs of their own: their counts stay taken (`ids.RetiredCounts`).
    retired_before: int = 0

    def add(self, runs: list[Run] | tuple[Run, ...], sub: SubParagraph | None = None, *, within_sub: bool = False) -> None:
        """Continue the paragraph with more text, recording it as a sub-paragraph when it is one, or
        as more of the last sub-paragraph (`within_sub`: its text went on in a block of its own)."""
        self.runs.extend([Run(" "), *runs])
        if sub is not None:
            self.subparagraphs.append(sub)
        elif within_sub and self.subparagraphs:
            last = self.subparagraphs[-1]
            more = normalize_space("".join(r.text for r in runs if not r.marker))
            self.subparagraphs[-1] = SubParagraph(last.label, f"{last.text} {more}")

    @property
    def text(self) -> str:
        """The text without markers; a table's rows each on a line of their own."""
        return normalize_lines("".join(r.text for r in self.runs if not r.marker))


def strip_control(text: str) -> str:
    """Remove NUL and other control characters (tabs and line breaks become spaces later)."""
    return _CONTROL.sub("", text)


def iso_date(text: str) -> str | None:
    """`23 December 2003` → `2003-12-23`; None when it is not such a date."""
    try:
        return datetime.strptime(" ".join(text.split()), "%d %B %Y").date().isoformat()
    except ValueError:
        return None


def adoption_date(printed: Iterable[str], warn: Callable[[str], None]) -> str | None:
    """The first adoption date printed (the page head's, then the closing line's) that is a calendar date, ISO;
    each that is none (`30 February 2003`, a year of five digits) is a warning naming the text read."""
    texts = list(dict.fromkeys(" ".join(text.split()) for text in printed))
    dates = [iso_date(text) for text in texts]
    adopted = next((d for d in dates if d), None)
    for text in (t for t, d in zip(texts, dates, strict=True) if d is None):
        warn(f'adoption date "{text}" is not a calendar date; ' + (f"adopted read as {adopted}" if adopted else "adopted left empty"))
    return adopted


def paragraph(pid: str, draft: Draft, number: int | None, footnotes: dict[str, tuple[Footnote, ...]]) -> Paragraph:
    """The public record of a draft: its text without markers, its footnotes (from `by_marker`) and citations.

    An annex paragraph takes the last footnote with its marker, as annex footnotes restart from 1.
    """
    text = draft.text
    notes: list[Footnote] = []
    for run in draft.runs:
        if run.marker and run.text in footnotes:
            candidates = footnotes[run.text]
            note = candidates[-1] if draft.kind == "annex" else candidates[0]
            if note not in notes:
                notes.append(note)
    phrase = draft.phrase
    return Paragraph(
        id=pid,
        kind=draft.kind,
        number=number,
        section=draft.section,
        phrase=phrase.phrase if phrase else "",
        verb=phrase.verb if phrase else "",
        modifiers=phrase.modifiers if phrase else (),
        text=text,
        subparagraphs=tuple(draft.subparagraphs),
        footnotes=tuple(notes),
        citations=paragraph_citations(pid, text, tuple(notes)),
    )


def partition(paragraphs: list[Paragraph]) -> dict[str, tuple[Paragraph, ...]]:
    """The `preamble`, `operative` and `annexes` fields of a `Resolution`, in document order."""
    return {name: tuple(p for p in paragraphs if p.kind == kind) for name, kind in _FIELDS.items()}
