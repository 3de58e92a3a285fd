"""The links an index keeps beside its paragraphs: lineage (`lineage.py`) and citations (`citegraph.py`).

Called by the builder inside its write transaction, after the new paragraphs and vectors are in:
so links commit (or roll back) with the paragraphs. Removed paragraphs take their links with them
(`ON DELETE CASCADE`). An index built before links existed gains the tables and is linked whole on
its next write.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from . import citegraph, lineage, sql
from .errors import IndexOpenError
from .lineage import DEFAULT_THRESHOLDS, Progress, Thresholds
from .vectors import VectorIndex

LINKS_VERSION = "1"  # bump when linking changes, so the next write relinks the whole index


def update(db: sqlite3.Connection, vectors: VectorIndex, rows: Iterable[int], progress: Progress | None = None) -> None:
    """Link the paragraphs of these new rows (or, in an index not linked yet, every paragraph)."""
    for statement in sql.LINK_SCHEMA:
        db.execute(statement)
    current = db.execute(sql.GET_META, ("links",)).fetchone()
    if current is None or current[0] != LINKS_VERSION:
        relink(db, vectors, progress=progress)
        return
    rows = list(rows)
    citegraph.record(db, rows)
    lineage.link(db, vectors, rows, progress=progress)


def relink(
    db: sqlite3.Connection,
    vectors: VectorIndex,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    progress: Progress | None = None,
) -> None:
    """Drop every link and compute them again for the whole index (benchmarks sweep `thresholds` with it)."""
    for statement in sql.LINK_SCHEMA:
        db.execute(statement)
    db.execute(sql.CLEAR_LINEAGE)
    db.execute(sql.CLEAR_CITES)
    rows = [row for (row,) in db.execute(sql.ALL_ROWS)]
    citegraph.record(db, rows)
    lineage.link(db, vectors, rows, thresholds, progress)
    db.execute(sql.SET_META, ("links", LINKS_VERSION))


def present(db: sqlite3.Connection) -> bool:
    """True when the lineage and citation tables exist."""
    return db.execute(sql.HAS_LINK_TABLES).fetchone()[0] == 2


def require(db: sqlite3.Connection, directory: object) -> None:
    """Fail clearly on an index made before links: it has no lineage or citation tables yet."""
    if not present(db):
        raise IndexOpenError(
            f"{directory}: index made before lineage and citation links; index any new document into it "
            "(or rebuild it) to add them"
        )
