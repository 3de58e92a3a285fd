"""How linked each paragraph is, in the numbers a result list shows beside it: its versions in the
item's earlier and later resolutions (lineage) and the paragraphs citing its resolution (citations)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from .. import sql
from ..store import Store
from .lineage import chain


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
