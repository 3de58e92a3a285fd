"""Footnotes: expanding `Ibid.` and attaching footnotes to the paragraphs whose text carries their markers."""

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
            full = f"{work.rstrip('. ')}, {rest}" if rest else previous
        else:
            full = text
            work = _LOCATOR.split(re.sub(r"^See (also )?", "", text), maxsplit=1)[0]
        resolved.append(Footnote(marker, text, full))
        previous = full
    return tuple(resolved)


def find_footnote(footnotes: tuple[Footnote, ...], marker: str, *, later: bool = False) -> Footnote | None:
    """The footnote a marker points to; `later` takes the last one with that marker, for annexes
    whose footnote numbers start again from 1."""
    matches = [note for note in footnotes if note.marker == marker]
    if not matches:
        return None
    return matches[-1] if later else matches[0]
