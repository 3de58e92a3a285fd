"""What a paragraph cites, read from its text and its footnotes: normalized resolution symbols and
document symbols as printed, each marked with where it was found.

`resolution 57/263` becomes `A/RES/57/263`, `resolution 1325 (2000)` `S/RES/1325(2000)`, `resolution
ES-10/15` `A/RES/ES-10/15`, `resolution 78/242 A` `A/RES/78/242` part A; another body's resolution
carries its body's symbol (`E/RES/2023/5`, `A/HRC/RES/52/1`, `E/CN.4/RES/2005/69`) or, for a body
without one here, is left out. A list after "resolutions" is read item by item through dates,
sections, parts and titles ("resolutions 1874 (S-IV) of 27 June 1963, 3101 (XXVIII) … and 55/235").
Document symbols such as `A/58/39`, `A/71/53/Add.1` or `CRPD/C/PRK/Q/1` are kept as printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

VIA = ("text", "footnote")  # where a citation is made, in the order `via` lists them
FIRST_NEW_STYLE_SESSION = 31  # GA resolutions are numbered `session/number` from the 31st session (1976)


@dataclass(frozen=True)
class Citation:
    """A document a paragraph cites: its symbol, the parts named (`78/242 A`: "A"), and where: the
    paragraph's own text, one of its footnotes, or both."""

    symbol: str
    via: tuple[str, ...]
    parts: tuple[str, ...] = ()


# A document symbol: a series (`A`, `S`, `E`, `CRPD`, `FCCC`, `UNEP` …) and slash-separated parts, one with a digit.
_DOCUMENT = re.compile(r"(?<![\w/.-])(?P<series>[A-Z]{1,8})(?:\.\d+)?(?:/[\w.()-]*[\w)])+")
_NOT_A_SERIES = re.compile(r"[IVXL]+|[B-DF-RT-Z]")  # `VII/11` (a decision of a conference), single letters but A, S, E
_ANCHOR = re.compile(r"\bresolutions?\b", re.IGNORECASE)
_PART = r"(?:\s?(?P<part>[A-Z]{1,2})(?![\w/-]))?"
_ITEM = re.compile(
    r"(?P<sc>(?P<sc_number>\d{1,4})\s?\((?P<year>(?:19|20)\d\d)\))"
    r"|(?P<old>(?P<old_number>\d{1,4})(?:\s?(?P<old_part>[A-Z]))?\s?\((?P<roman>(?:ES-|S-)?[IVXLC]+)\))"
    r"|(?P<new>(?P<prefix>ES-|S-)?(?P<session>\d{1,4})/(?P<number>\d{1,4})(?![\d/])" + _PART + ")"
)
# What may stand between two items of one list: separators, dates, sections, parts, titles.
_BETWEEN = re.compile(
    r"(?:\s|,|;|\band\b|\bor\b|\bas well as\b|\b(?:of|on)\s+(?:\d{1,2}\s+)?[A-Z][a-z]+(?:\s+\d{3,4})?"
    r"|\b(?:on|concerning)\s[^,;()“”\"]{1,150}?(?=,|;|\s+and\s+(?:ES-|S-)?\d)"
    r"|\b(?:paras?\.|paragraphs?)\s+\d+(?:\s*(?:[–-]|to)\s*\d+)?"
    r"|\b(?:sections?|sect\.|parts?|chapters?|chap\.)\s+(?:[IVXLC\d]+(?:\.?[A-Z])?|[A-Z])\b|\b(?:annex(?:es)?|in particular|respectively)\b"
    r"|\bentitled\b|[“\"][^”\"]{0,400}[”\"]|\(\s*(?:A|S|E)/[^)]{1,40}\)|\b[A-Z]\b(?!-|\s?\())+"
)
_BODY = re.compile(
    r"(?P<body>Security Council|Economic and Social Council|ECOSOC|Human Rights Council|Commission on Human Rights"
    r"|Trusteeship Council)\s*$"
)
_OTHER_BODY = re.compile(  # a named body other than the Assembly: "World Health Assembly", "Governing Council"
    r"(?:\b(?![A-Z][a-z]+ing\b)[A-Z][\w-]*\s+(?:Assembly|Council|Commission|Conference|Board|Committee|Organization|Forum|Meeting)"
    r"|\b(?:Commission|Conference|Board|Committee|Sub-Commission|Convention|Parties|Session)|\b[A-Z]{3,}[\w-]*"
    r"|\bWHA|\bConference of the Parties)\s*$"
)


_MORE_PARTS = re.compile(r"(?:,\s*|\s+and\s+)([A-Z]{1,2})\b(?!\s?[(/-])")
_OWN = re.compile(r"(?<!\bin )(?<!\bby )(?<!\bthrough )\bits\s*$")  # "Recalling its resolution": the Assembly's
_IN_ITS = re.compile(r"(?:,?\s*(?:as \w+ )?(?:in|by|through)\s+)(?:its|their)\s*$")
_NAMED_BODY = re.compile(  # "Commission on the Status of Women", "Economic Commission for Africa"
    r"\b(?:Commission|Committee|Conference|Board|Council|Assembly|Forum|Meeting|Programme|Organization)"
    r"\s+(?:on|for|of|against)\s+(?:the\s+)?[A-Z][^,;]*$"
)


def read_citations(text: str, footnotes: Iterable[str] = ()) -> tuple[Citation, ...]:
    """Every document cited in a paragraph's `text` and in its (resolved) `footnotes`, in order of first
    mention, each once, with where it was found; the one reading both the parser and the index use."""
    found: dict[str, tuple[list[str], list[str]]] = {}
    for via, passage in [("text", text), *(("footnote", note) for note in footnotes)]:
        for symbol, part in cited_symbols(passage):
            vias, parts = found.setdefault(symbol, ([], []))
            if via not in vias:
                vias.append(via)
            if part and part not in parts:
                parts.append(part)
    return tuple(
        Citation(symbol, tuple(v for v in VIA if v in vias), tuple(parts)) for symbol, (vias, parts) in found.items()
    )


def citations(text: str) -> tuple[str, ...]:
    """The symbols cited in `text`, normalized, in order, without repeats."""
    return tuple(dict.fromkeys(symbol for symbol, _ in cited_symbols(text)))


def cited_symbols(text: str) -> list[tuple[str, str | None]]:
    """(symbol, part) for every resolution and document symbol in `text`, in order, repeats kept."""
    found: list[tuple[int, str, str | None]] = []
    for anchor in _ANCHOR.finditer(text):
        body = _body(text[max(0, anchor.start() - 60) : anchor.start()])
        position = anchor.end()
        while True:
            gap = _BETWEEN.match(text, position)
            start = gap.end() if gap else position
            item = _ITEM.match(text, start)
            if item is None or (gap is None and position != anchor.end()):
                break
            symbol, part = _symbol(item, body)
            position = item.end()
            if symbol:
                found.append((item.start(), symbol, part))
                while part and (more := _MORE_PARTS.match(text, position)):  # `78/242 A and B`
                    found.append((more.start(1), symbol, more[1]))
                    position = more.end()
    for match in _DOCUMENT.finditer(text):
        if _NOT_A_SERIES.fullmatch(match["series"]) or not any(c.isdigit() for c in match.group()):
            continue
        symbol = match.group().rstrip(".,;:")
        while symbol.endswith(")") and symbol.count("(") < symbol.count(")"):  # `(A/78/511)`, not `2(Rev.1)`
            symbol = symbol[:-1].rstrip(".,;:")
        found.append((match.start(), symbol, None))
    return [(symbol, part) for _, symbol, part in sorted(found, key=lambda f: f[0])]


def _body(before: str) -> str | None:
    """Whose resolutions follow: "GA" (the Assembly's own, or no body named), "SC", another body with
    symbols ("ECOSOC", "HRC", "CHR", "TC"), "Council" unnamed, or None for a body whose symbols this reader does not make."""
    before = re.split(r"[.;:]\s|\n", before)[-1]
    if _OWN.search(before):
        return "GA"
    before = _IN_ITS.sub("", before)  # "the Human Rights Council, in its resolution …"
    if match := _BODY.search(before):
        return {"Security": "SC", "Economic": "ECOSOC", "ECOSOC": "ECOSOC", "Human": "HRC", "Commission": "CHR",
                "Trusteeship": "TC"}[match["body"].split()[0]]
    if re.search(r"\bGeneral\s+Assembly\s*$", before):
        return "GA"
    if _OTHER_BODY.search(before) or _NAMED_BODY.search(before):
        return None
    return "Council" if re.search(r"\bCouncil\s*$", before) else "GA"


def _symbol(item: re.Match, body: str | None) -> tuple[str | None, str | None]:
    if body is None or body == "TC":
        return None, None
    if item["sc"]:
        return f"S/RES/{int(item['sc_number'])}({item['year']})", None
    if body in ("SC", "Council") and not (item["new"] and len(item["session"]) == 4):
        return None, None
    if item["old"]:
        organ = "E/RES" if body == "ECOSOC" else "A/RES"
        return (f"{organ}/{int(item['old_number'])}({item['roman']})" if body in ("GA", "ECOSOC") else None), item["old_part"]
    session, number, prefix, part = item["session"], int(item["number"]), item["prefix"] or "", item["part"]
    if body == "HRC":
        return f"A/HRC/RES/{prefix}{int(session)}/{number}", part
    if len(session) == 4:  # `2023/5`: the Economic and Social Council's and its commissions' numbering
        return (f"E/CN.4/RES/{session}/{number}" if body == "CHR" else f"E/RES/{session}/{number}"), part
    if body != "GA" or (not prefix and int(session) < FIRST_NEW_STYLE_SESSION):
        return None, None
    return f"A/RES/{prefix}{int(session)}/{number}", part
