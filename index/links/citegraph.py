"""Who cites what: each paragraph's citations, from its own text and from its footnotes, kept apart,
recorded at index time (`record`) and read back grouped by citing resolution (`cited_by`).

Most references in GA resolutions sit in footnotes ("Resolution 57/263, annex."); the parser keeps
in `citations` only what the paragraph's text names, so the footnotes' symbols are found here, at
store time, from each footnote's resolved text (`Ibid.` expanded).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from itertools import groupby

from .. import sql
from ..errors import NotFoundError
from ..parse.citations import citations
from ..store import Store

VIA = ("text", "footnote")
_CAPITAL = re.compile(r"^(?:See (?:also )?)?Resolutions?\b")
_LISTING = re.compile(r"^(?:see (?:also )?)?resolutions?\s+\d", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"(?<![\w/.])(\d{1,3})/(\d{1,4})(?:\s?([A-Z])\b)?(?![\w/])")


def record(db: sqlite3.Connection, rows: Iterable[int]) -> None:
    """Store the citations of these (new) paragraphs, each marked as made in the text or in a footnote."""
    for row, symbol, footnotes, named in db.execute(sql.CITATION_SOURCES, (json.dumps(list(rows)),)).fetchall():
        cited = [(s, "text") for s in json.loads(named)]
        cited += [(s, "footnote") for note in json.loads(footnotes) for s in footnote_citations(note["resolved"])]
        for target, via in cited:
            if target != symbol:
                db.execute(sql.INSERT_CITE, (row, target, via))


def footnote_citations(text: str) -> tuple[str, ...]:
    """Symbols a footnote cites. Footnotes write "Resolution 57/263, annex." with a capital and list
    "Resolutions 52/214, sect. C; 55/222, sect. III", which `citations` reads only in part; in a footnote
    that lists resolutions, every bare session/number stands for a GA resolution."""
    text = _CAPITAL.sub(lambda m: m.group().lower(), text.strip())
    found = list(citations(text))
    if _LISTING.match(text):
        found += [f"A/RES/{m[1]}/{m[2]}{m[3] or ''}" for m in _BARE_NUMBER.finditer(text)]
    return tuple(dict.fromkeys(found))


def normalize(symbol: str) -> str:
    """A symbol as stored: `57/263` or `resolution 57/263` → `A/RES/57/263`, `S/RES/242 (1967)` → `S/RES/242(1967)`."""
    text = " ".join(symbol.split())
    if text[:1].isdigit() or text.lower().startswith("resolution"):
        found = citations(text if text.lower().startswith("resolution") else f"resolution {text}")
        if found:
            return found[0]
    return text.replace(" (", "(").upper() if "/" in text else text


def citing(db: sqlite3.Connection, symbol: str) -> list[tuple[str, str, str | None, str | None, str, tuple[str, ...]]]:
    """Paragraphs that cite `symbol`: (id, symbol, adopted, title, text, via), by date and position."""
    return [
        (pid, owner, adopted, title, text, tuple(v for v in VIA if v in vias.split(",")))
        for pid, owner, adopted, title, text, vias in db.execute(sql.CITING, (symbol,))
    ]


def is_cited(db: sqlite3.Connection, symbol: str) -> bool:
    return db.execute(sql.CITED_ANYWHERE, (symbol,)).fetchone() is not None


def all_citations(db: sqlite3.Connection) -> list[tuple[str, str, str, str, int | None]]:
    """Every citation: (paragraph id, its symbol, cited symbol, via, 1 if the cited one is indexed)."""
    return db.execute(sql.ALL_CITES).fetchall()


@dataclass(frozen=True)
class Citing:
    """A paragraph that cites the resolution; `via` says where: its own text, a footnote, or both."""

    id: str
    text: str
    via: tuple[str, ...]


@dataclass(frozen=True)
class CitingResolution:
    symbol: str
    title: str | None
    adopted: str | None
    paragraphs: tuple[Citing, ...]


@dataclass(frozen=True)
class CitedBy:
    """Every citation of `symbol` in the index; `in_index` is False for a resolution cited but not indexed."""

    symbol: str
    in_index: bool
    paragraphs: int
    resolutions: tuple[CitingResolution, ...]

    def to_dict(self) -> dict:
        return asdict(self)


def cited_by(store: Store, symbol: str) -> CitedBy:
    """The citations of a resolution (or any document symbol); unknown to the index and uncited is an error."""
    db = store.connection
    wanted = normalize(symbol)
    in_index = store.contains(wanted)
    if not in_index and not is_cited(db, wanted):
        council = re.fullmatch(r"(?:resolution\s+|S/RES/)?(\d{1,5})", " ".join(symbol.split()), re.IGNORECASE)
        completed = store.resolve_symbol(f"S/RES/{int(council[1])}(") if council else None  # `242`: S/RES/242(1967)
        if completed is None:
            raise NotFoundError(f"{wanted}: not in the index and cited by none of its paragraphs")
        wanted, in_index = completed, True
    rows = citing(db, wanted)
    groups = []
    for (owner, adopted, title), members in groupby(rows, key=lambda r: (r[1], r[2], r[3])):
        paragraphs = tuple(Citing(pid, text, via) for pid, _, _, _, text, via in members)
        groups.append(CitingResolution(owner, title, adopted, paragraphs))
    return CitedBy(wanted, in_index, len(rows), tuple(groups))
