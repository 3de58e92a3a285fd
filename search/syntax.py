"""The query grammar, one for the CLI, the API and the page: `"exact phrase"`, `-word` and `-"phrase"`
to exclude, and resolution symbols anywhere in the query.

Nothing a person types is an error here: an unclosed quote is an ordinary character, a lone `-` a
dash, and a symbol the index does not hold stays words of the query. Phrases keep their words in the
text the rankings read; excluded words leave it. Symbols are recognized in the forms people write
them, in any case: `A/RES/79/171`, `79/171` (bare, from the 31st session on, when the numbering
began: `2/3 majority` and `24/7` stay words), `A/RES/ES-10/15`, `S/RES/242 (1967)`, `S/RES/242`,
`resolution 242` (a Security Council resolution by number), `resolution 79/171`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_QUOTES = "\"“”„«»"
_PHRASE = re.compile(rf"(?<![\w-])(-?)[{_QUOTES}]([^{_QUOTES}]+)[{_QUOTES}]")
_EXCLUDED = re.compile(r"(?<!\S)-(\w[\w'’-]*)")
_GA = re.compile(r"(?<![\w/])(?:A/RES/((?:ES-|S-)?\d{1,3})|((?:ES-|S-)?(?:3[1-9]|[4-9]\d|\d{3})))/(\d{1,3})(?![\w/])", re.IGNORECASE)
_SC = re.compile(r"\bS/RES/(\d{1,5})(?:\s*\(\s*(\d{4})\s*\))?|\bresolutions?\s+(\d{1,5})(?:\s*\(\s*(\d{4})\s*\))?(?![\w/])", re.IGNORECASE)
_LEAD_WORD = re.compile(r"\b(?:the\s+)?(?:security\s+council\s+|general\s+assembly\s+)?resolutions?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class SymbolMention:
    """A resolution named in a query: the text that named it, and the symbol it stands for. An SC number
    without its year is `S/RES/242(`, a prefix the index completes."""

    text: str
    symbol: str


@dataclass(frozen=True)
class Syntax:
    """A query taken apart: what the rankings read, and the constraints the grammar expressed."""

    query: str  # as given, whitespace normalized
    text: str  # the query without exclusions and quote marks (phrases' words kept), whitespace normalized
    free: str = ""  # the query's words outside phrases and exclusions
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    mentions: tuple[SymbolMention, ...] = ()

    def without(self, mentions: tuple[SymbolMention, ...]) -> str:
        """The text with these mentions (and a `resolution` word leading into one) taken out."""
        text = self.text
        for mention in mentions:
            before, found, after = text.partition(mention.text)
            if found:
                text = f"{_LEAD_WORD.sub('', before)} {after}"
        return " ".join(text.split())


def parse(query: str) -> Syntax:
    """The query's phrases, exclusions and symbol mentions (see the module's docstring)."""
    phrases: list[str] = []
    excluded: list[str] = []

    def phrase(match: re.Match) -> str:
        (excluded if match.group(1) else phrases).append(" ".join(match.group(2).split()))
        return " " if match.group(1) else f" {match.group(2)} "

    def word(match: re.Match) -> str:
        excluded.append(match.group(1))
        return " "

    text = " ".join(_EXCLUDED.sub(word, _PHRASE.sub(phrase, query)).split())
    free = " ".join(_EXCLUDED.sub(" ", _PHRASE.sub(" ", query)).split())
    return Syntax(" ".join(query.split()), text, free, tuple(p for p in phrases if p), tuple(excluded), _mentions(text))


def _mentions(text: str) -> tuple[SymbolMention, ...]:
    found: list[SymbolMention] = []
    for match in _SC.finditer(text):
        number, year = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        found.append(SymbolMention(match.group(0), f"S/RES/{int(number)}({year})" if year else f"S/RES/{int(number)}("))
    taken = " ".join(m.text for m in found)
    for match in _GA.finditer(text):
        if match.group(0) in taken:
            continue
        session = (match.group(1) or match.group(2)).upper()
        found.append(SymbolMention(match.group(0), f"A/RES/{session}/{int(match.group(3))}"))
    return tuple(found)
