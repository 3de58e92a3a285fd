"""Who cites what: each paragraph's citations, from its own text and from its footnotes, kept apart,
recorded at index time (`record`) and read back grouped by citing resolution (`cited_by`).

One truth: the rows written here are the paragraph's own `citations` (symbol and `via`), as the
parser read them and the paragraph JSON shows them, so `cites` and the JSON never disagree.
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
from ..parse.citations import VIA, citations
from ..parse.records import Footnote, citations_from_json
from ..store import Store

_RESOLUTION_SYMBOL = re.compile(r"[ASE]/(?:[A-Z]+/)?RES/", re.IGNORECASE)
_PART = re.compile(r"(?<=\d)\s?([A-Z]{1,2})$")  # a part letter after the number: `61/121 B`


def record(store: Store, rows: Iterable[int]) -> None:
    """Store the citations of these (new) paragraphs, one row per place (text, footnote) each is made."""
    db = store.connection
    for row, pid, text, footnotes, stored in db.execute(sql.CITATION_SOURCES, (json.dumps(list(rows)),)).fetchall():
        notes = tuple(Footnote(**f) for f in json.loads(footnotes))
        for citation in citations_from_json(json.loads(stored), pid, text, notes):
            for via in citation.via:
                db.execute(sql.INSERT_CITE, (row, citation.symbol, via))


def normalize(symbol: str) -> str:
    """A symbol as stored: `57/263` or `resolution 57/263` → `A/RES/57/263`, `s/res/242 (1967)` →
    `S/RES/242(1967)`; other document symbols as written (they are matched without regard to case)."""
    text = " ".join(symbol.split())
    if text[:1].isdigit() or text.lower().startswith(("resolution", "es-", "s-")):
        found = citations(text.upper() if text.lower().startswith("resolution") else f"resolution {text.upper()}")
        if found:
            return found[0]
    if _RESOLUTION_SYMBOL.match(text):
        return _PART.sub(r"\1", text.replace(" (", "(").upper())  # `A/RES/78/242 A`, as stored: A/RES/78/242A
    return text


def resolve(store: Store, symbol: str, *, cited: bool = True) -> tuple[str, bool]:
    """A symbol as the user wrote it, as the index knows it: (symbol, whether a resolution of the index).
    Completes a Council number (`242`: S/RES/242(1967)); with `cited`, a symbol only cited also does,
    printed as cited. Neither is a `NotFoundError`."""
    wanted = normalize(symbol)
    if store.contains(wanted):
        return wanted, True
    printed = cited_as(store.connection, _whole(wanted)) if cited else None
    if printed:
        return printed, False
    council = re.fullmatch(r"(?:resolution\s+|S/RES/)?(\d{1,5})", " ".join(symbol.split()), re.IGNORECASE)
    completed = store.resolve_symbol(f"S/RES/{int(council[1])}(") if council else None  # `242`: S/RES/242(1967)
    if completed is None:
        raise NotFoundError(f"{wanted}: not in the index" + (" and cited by none of its paragraphs" if cited else ""))
    return completed, True


def _whole(symbol: str) -> str:
    """A GA resolution without its part (`A/RES/61/121B`: A/RES/61/121), as citations record it."""
    return _PART.sub("", symbol) if symbol.startswith("A/RES/") else symbol


def citing(db: sqlite3.Connection, symbol: str) -> list[tuple[str, str, str | None, str | None, str, tuple[str, ...]]]:
    """Paragraphs that cite `symbol`: (id, symbol, adopted, title, text, via), by date and position."""
    return [
        (pid, owner, adopted, title, text, tuple(v for v in VIA if v in vias.split(",")))
        for pid, owner, adopted, title, text, vias in db.execute(sql.CITING, (symbol,))
    ]


def cited_as(db: sqlite3.Connection, symbol: str) -> str | None:
    """The symbol as the citing paragraphs print it (matched without regard to case), or None if uncited."""
    found = db.execute(sql.CITED_AS, (symbol,)).fetchone()
    return found[0] if found else None


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
    wanted, in_index = resolve(store, symbol)
    rows = citing(store.connection, _whole(wanted))
    groups = []
    for (owner, adopted, title), members in groupby(rows, key=lambda r: (r[1], r[2], r[3])):
        paragraphs = tuple(Citing(pid, text, via) for pid, _, _, _, text, via in members)
        groups.append(CitingResolution(owner, title, adopted, paragraphs))
    return CitedBy(wanted, in_index, len(rows), tuple(groups))
