"""Footnotes: expanding `Ibid.` and looking footnotes up by the markers paragraphs carry."""

from __future__ import annotations

import re

from .records import Footnote

_LOCATOR = re.compile(r",\s*(?:chap|chaps|para|paras|annex|annexes|sect|sects|p|pp|art|arts|vol|appendix|part|table)\b\.?")
_IBID = re.compile(r"^\s*Ibid\.?\s*,?\s*(?P<rest>.*)$", re.IGNORECASE)


def resolve_footnotes(notes: list[tuple[str, str]]) -> tuple[Footnote, ...]:
    """Expand each `Ibid.` from the footnote before it; a locator after `Ibid.,` replaces the old one
    (`chap. III` of the work cited before gives way to the `chap. V` of the Ibid.).

    `Ibid.` alone repeats the previous reference whole; `Ibid., annex I.` takes the work of the
    last full reference and adds its own locator, so chains of Ibid. do not pile up locators.
    """
    resolved: list[Footnote] = []
    work = ""
    previous = ""
    for marker, text in notes:
        match = _IBID.match(text)
        if match and (work or previous):
            rest = match.group("rest").strip()
            stem = _stem(work, rest).rstrip(". ")
            full = (f"{stem}, {rest}" if stem else rest) if rest else previous
            work = _LOCATOR.split(full, maxsplit=1)[0]
        else:
            full = text
            work = _LOCATOR.split(re.sub(r"^See (also )?", "", text), maxsplit=1)[0]
        resolved.append(Footnote(marker, text, full))
        previous = full
    return tuple(resolved)


def _stem(work: str, rest: str) -> str:
    """The part of the work an `Ibid.` keeps: all of it before a locator, or only what comes before
    the element the Ibid. replaces (`Ibid., Sixty-eighth Session, Supplement No. 17 …` gives a new
    session and supplement of the same Official Records)."""
    for element in _ELEMENTS:
        if element.match(rest) and (found := element.search(work)):
            return work[: found.start()].rstrip(", ")
    return work


_ELEMENTS = (
    re.compile(r"(?:(?<=,)\s*|^)(?:19|20)\d\d(?=,\s*(?:Supplement|Resumed|Special)\b)"),  # ECOSOC records by year
    re.compile(r"(?:(?<=,)\s*|^)(?:[A-Z][a-z]+-)?[A-Z]?[a-z]+(?:\s+\([a-z]+\))?\s+(?:Special\s+|Emergency\s+Special\s+)?Session\b"),
    re.compile(r"(?:(?<=,)\s*|^)Supplement\s+No\."),
    re.compile(r"(?:(?<=,)\s*|^)(?:document\s+)?[ASE]/\d"),
)


def by_marker(footnotes: tuple[Footnote, ...]) -> dict[str, tuple[Footnote, ...]]:
    """Footnotes grouped by marker, in document order, for looking markers up in constant time."""
    index: dict[str, list[Footnote]] = {}
    for note in footnotes:
        index.setdefault(note.marker, []).append(note)
    return {marker: tuple(notes) for marker, notes in index.items()}
