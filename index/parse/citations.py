"""Normalized symbols of the documents a paragraph or footnote cites.

`resolution 57/263` becomes `A/RES/57/263`, `resolution 1325 (2000)` becomes `S/RES/1325(2000)`,
and document symbols such as `A/58/39` or `S/25046` are kept as written.
"""

from __future__ import annotations

import re

_DOCUMENT = re.compile(r"(?<![\w/])(?:A|S|E)/(?:[A-Z]+\.?\d*/|\d+/)?[\w.()-]*\d[\w.()-]*(?:/[\w.()-]+)*")
_RESOLUTIONS = re.compile(
    r"(?P<organ>Security Council|Human Rights Council|Economic and Social Council|Council|Assembly)?"
    r"\s*\bresolutions?\s+(?P<list>(?:\d[\w/ ()]*?(?:,\s*|\s+and\s+|\s+of\s+\d{1,2}\s+\w+\s+\d{4}(?:,\s*|\s+and\s+)?))*"
    r"\d[\w/ ()]*)"
)
_NOT_RESOLUTIONS = re.compile(r"\b(?:decisions?|documents?|reports?|annex|paragraphs?|para|sections?|articles?)\b", re.IGNORECASE)
_GA_NEW = re.compile(r"^(\d{1,4})/(\d{1,4})(?:\s?([A-Z])\b)?")
_GA_OLD = re.compile(r"^(\d{1,4})\s?(?:[A-Z]\s)?\(([IVXLC]+|ES-[IVXLC]+|S-[IVXLC]+)\)")
_SC = re.compile(r"^(\d{1,4})\s?\((\d{4})\)")
_ITEM = re.compile(r"\d{1,4}(?:/\d{1,4}(?:\s?[A-Z]\b)?|\s?(?:[A-Z]\s)?\((?:\d{4}|[IVXLC]+|ES-[IVXLC]+|S-[IVXLC]+)\))")


def citations(text: str) -> tuple[str, ...]:
    """Every resolution or document symbol cited in `text`, normalized, in order, without repeats."""
    found: list[str] = []
    for match in _RESOLUTIONS.finditer(text):
        organ = match.group("organ") or ""
        resolutions = _NOT_RESOLUTIONS.split(match.group("list"), maxsplit=1)[0]  # `… and decision 77/568`
        for item in _ITEM.finditer(resolutions):
            symbol = _resolution_symbol(item.group(), organ)
            if symbol:
                found.append(symbol)
    for match in _DOCUMENT.finditer(text):
        symbol = match.group().rstrip(".,;:)")
        if symbol.count("(") < symbol.count(")"):
            symbol = symbol[: symbol.rindex(")")]
        found.append(symbol)
    return tuple(dict.fromkeys(found))


def _resolution_symbol(item: str, organ: str) -> str | None:
    if match := _SC.match(item):
        return f"S/RES/{match[1]}({match[2]})"
    if match := _GA_OLD.match(item):
        return f"A/RES/{match[1]}({match[2]})"
    if match := _GA_NEW.match(item):
        if organ == "Human Rights Council":
            return f"A/HRC/RES/{match[1]}/{match[2]}"
        if organ == "Economic and Social Council" or len(match[1]) == 4:
            return f"E/RES/{match[1]}/{match[2]}"
        if organ in ("Council", "Security Council"):
            return None
        return f"A/RES/{match[1]}/{match[2]}{match[3] or ''}"
    return None
