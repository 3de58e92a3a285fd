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
    """The counts of each of these paragraphs (ids the index lacks are left out)."""
    db = store.connection
    found = {pid: (row, symbol, adopted) for pid, row, symbol, adopted in db.execute(sql.ROWS_OF_IDS, (json.dumps(list(ids)),))}
    symbols = sorted({symbol for _, symbol, _ in found.values()})
    cited = dict(db.execute(sql.CITING_COUNTS, (json.dumps(symbols),)))
    counts = {}
    for pid, (row, symbol, adopted) in found.items():
        versions = [r for r in chain(db, row) if r != row]
        dates = {r: tuple(json.loads(key)) for r, key in db.execute(sql.ADOPTED_OF_ROWS, (json.dumps(versions),))}
        here = (adopted or "", symbol)
        earlier = sum(1 for r in versions if r in dates and dates[r] < here)
        counts[pid] = LinkCounts(earlier, len(versions) - earlier, cited.get(symbol, 0))
    return counts


def chain(db: sqlite3.Connection, row: int) -> dict[int, float]:
    """The versions of a paragraph, one per resolution: each row with the similarity of the link that
    reached it (1.0 for the paragraph itself); direct links first, then theirs, best first."""
    found = {row: 1.0}
    symbols = {symbol for (symbol,) in db.execute(sql.SYMBOL_OF_ROW, (row,))}
    frontier = [row]
    while frontier:
        links = db.execute(sql.VERSION_LINKS, {"rows": json.dumps(frontier)}).fetchall()
        reached: list[int] = []
        for earlier, earlier_symbol, later, later_symbol, score in sorted(links, key=lambda link: -link[4]):
            for near, far, far_symbol in ((earlier, later, later_symbol), (later, earlier, earlier_symbol)):
                if near in frontier and far not in found and far_symbol not in symbols:
                    found[far] = score
                    symbols.add(far_symbol)
                    reached.append(far)
        frontier = reached
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
