"""Relink an index's lineage and citations with given thresholds (the linking stage of indexing, rerun).

    python benchmarks/lineage/relink.py INDEX_DIR [--version 0.5 --slot 0.3 --act 0.4 --elsewhere 0.85]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from unres.index.config import DATABASE_FILE, open_config
from unres.index.integrity import VECTORS_KEY, VectorsRecord
from unres.index.links import Thresholds, relink
from unres.index.store import Store
from unres.index.vectors import VectorIndex


def relink_index(directory: Path, thresholds: Thresholds) -> None:
    """Recompute every link of the index in one transaction, with its vectors loaded as the writer loads them."""
    config = open_config(directory, None)
    store = Store.open(directory / DATABASE_FILE)
    try:
        record = VectorsRecord.from_json(store.path, store.meta(VECTORS_KEY), store.generation)
        vectors = VectorIndex.load(directory, store.generation, record, config.dimension, config.backend, config.hnsw_m, writable=True)
        with store.transaction():
            relink(store, vectors, thresholds)
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    defaults = Thresholds()
    names = ("version", "slot", "act", "elsewhere")
    for name in names:
        parser.add_argument(f"--{name}", type=float, default=getattr(defaults, name))
    args = parser.parse_args()
    relink_index(args.index, Thresholds(**{name: getattr(args, name) for name in names}))
    print(f"{args.index}: relinked", file=sys.stderr)


if __name__ == "__main__":
    main()
