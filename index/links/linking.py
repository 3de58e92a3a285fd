"""Keeping the links current: called by the builder inside its write transaction, after the new
paragraphs and vectors are in, so links commit (or roll back) with the paragraphs.

Removed paragraphs take their links with them (`ON DELETE CASCADE`). An index built before links
existed gains the tables and is linked whole on its next write.
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import sql
from ..store import Store
from ..vectors import VectorIndex
from . import citegraph, lineage
from .lineage import DEFAULT_THRESHOLDS, Progress, Thresholds

LINKS_VERSION = "3"  # bump when linking changes, so the next write relinks the whole index


def update(store: Store, vectors: VectorIndex, rows: Iterable[int], progress: Progress | None = None) -> None:
    """Link the paragraphs of these new rows (or, in an index not linked yet, every paragraph)."""
    create_tables(store)
    if store.meta("links") != LINKS_VERSION:
        relink(store, vectors, progress=progress)
        return
    rows = list(rows)
    citegraph.record(store, rows)
    lineage.link(store.connection, vectors, rows, progress=progress)


def relink(
    store: Store,
    vectors: VectorIndex,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    progress: Progress | None = None,
) -> None:
    """Drop every link and compute them again for the whole index (benchmarks sweep `thresholds` with it)."""
    db = store.connection
    create_tables(store)
    db.execute(sql.CLEAR_LINEAGE)
    db.execute(sql.CLEAR_CITES)
    db.execute(sql.CLEAR_ITEMS)
    rows = store.all_rows()
    citegraph.record(store, rows)
    lineage.link(db, vectors, rows, thresholds, progress)
    store.set_meta("links", LINKS_VERSION)


def create_tables(store: Store) -> None:
    """The link tables, if the index does not have them yet (inside the writer's transaction)."""
    for statement in sql.LINK_SCHEMA:
        store.connection.execute(statement)
