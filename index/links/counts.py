"""How linked each paragraph is, in the numbers a result list shows beside it: its versions in the
item's earlier and later resolutions (lineage) and the paragraphs citing its resolution (citations).

What every search reads of the links, so it imports none of the linking code: the version `chain`,
and whether the index has link tables at all (`present`, `require`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import sql
from ..errors import IndexOpenError
from ..store import Store


@dataclass(frozen=True)
class LinkCounts:
    earlier_versions: int
    later_versions: int
    cited_by: int  # paragraphs citing the paragraph's resolution


def link_counts(store: Store, ids: Iterable[str]) -> dict[str, LinkCounts]:
    """The counts of each of these paragraphs (ids the index lacks are left out), in a few statements for
    all of them (a result page's: `chains`)."""
    db = store.connection
    found = {pid: (row, symbol, adopted) for pid, row, symbol, adopted in db.execute(sql.ROWS_OF_IDS, (json.dumps(list(ids)),))}
    symbols = sorted({symbol for _, symbol, _ in found.values()})
    cited = dict(db.execute(sql.CITING_COUNTS, {"symbols": json.dumps(symbols)}))
    reached = chains(db, [row for row, _, _ in found.values()])
    versions = {row: [r for r in reached[row] if r != row] for row, _, _ in found.values()}
    wanted = sorted({r for rows in versions.values() for r in rows})
    dates = {r: tuple(json.loads(key)) for r, key in db.execute(sql.ADOPTED_OF_ROWS, (json.dumps(wanted),))}
    counts = {}
    for pid, (row, symbol, adopted) in found.items():
        here = (adopted or "", symbol)
        earlier = sum(1 for r in versions[row] if r in dates and dates[r] < here)
        counts[pid] = LinkCounts(earlier, len(versions[row]) - earlier, cited.get(symbol, 0))
    return counts


def chain(db: sqlite3.Connection, row: int) -> dict[int, float]:
    """The versions of a paragraph, one per resolution: each row with the similarity of the link that
    reached it (1.0 for the paragraph itself); direct links first, then theirs, best first (equal
    similarities: by the link's earlier row, then its later row)."""
    return chains(db, [row])[row]


def chains(db: sqlite3.Connection, rows: list[int]) -> dict[int, dict[int, float]]:
    """The `chain` of each of these rows, walked side by side: one statement per step outwards for all of
    them, not one per row and step."""
    symbol_of = dict(db.execute(sql.SYMBOLS_OF_ROWS, (json.dumps(rows),)))
    found = {row: {row: 1.0} for row in rows}
    symbols = {row: {symbol_of[row]} if row in symbol_of else set() for row in rows}
    frontiers = {row: {row} for row in rows}
    while any(frontiers.values()):
        touching: dict[int, list[tuple]] = {}
        walked = sorted({r for frontier in frontiers.values() for r in frontier})
        for link in db.execute(sql.VERSION_LINKS, {"rows": json.dumps(walked)}):
            touching.setdefault(link[0], []).append(link)
            touching.setdefault(link[2], []).append(link)
        for row, frontier in frontiers.items():
            links = {link for near in frontier for link in touching.get(near, ())}
            reached: set[int] = set()
            for earlier, earlier_symbol, later, later_symbol, score in sorted(links, key=lambda link: (-link[4], link[0], link[2])):
                for near, far, far_symbol in ((earlier, later, later_symbol), (later, earlier, earlier_symbol)):
                    if near in frontier and far not in found[row] and far_symbol not in symbols[row]:
                        found[row][far] = score
                        symbols[row].add(far_symbol)
                        reached.add(far)
            frontiers[row] = reached
    return found


def present(store: Store) -> bool:
    """True when the lineage and citation tables exist."""
    return store.connection.execute(sql.HAS_LINK_TABLES).fetchone()[0] == 2


def require(store: Store, directory: Path) -> None:
    """Fail clearly on an index made before links: it has no lineage or citation tables yet."""
    if not present(store):
        raise IndexOpenError(
            f"{directory}: index made before lineage and citation links; index any new document into it "
            "(or rebuild it) to add them"
        )
