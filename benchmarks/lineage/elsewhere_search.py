"""What the approximate linking search costs in links: relink a real index with the exact nearest-neighbour
search and again through the IVF route `VectorIndex.search_many` takes past `EXACT_PAIRS` (a first build
of more than about 63,000 paragraphs), and compare the `elsewhere` and `version` links each finds.

    python benchmarks/lineage/elsewhere_search.py INDEX_DIR [--work /tmp/unres-elsewhere]

Works on copies of INDEX_DIR (a flat index), in two new folders under --work that it removes after. A link only the exact search finds may be a tie: the same text is often
in many resolutions, more than the 16 nearest paragraphs linking looks at, and which copies make the
16 is arbitrary. Those are counted apart.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import time
from pathlib import Path

from unres.index import vectors as vectors_module
from unres.index.config import DATABASE_FILE, open_config
from unres.index.links import DEFAULT_THRESHOLDS

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: _common and the other scripts
from lineage.relink import relink_index  # noqa: E402

LINKS = "SELECT earlier, later, relation FROM lineage"
TEXTS = "SELECT row, text FROM paragraphs"


def relinked(source: Path, target: Path, exact_pairs: int) -> tuple[set[tuple[int, int, str]], float]:
    """Every lineage link of a copy of `source` relinked with `search_many` exact up to `exact_pairs`, and the seconds."""
    shutil.copytree(source, target)
    vectors_module.EXACT_PAIRS, default = exact_pairs, vectors_module.EXACT_PAIRS
    start = time.perf_counter()
    try:
        relink_index(target, DEFAULT_THRESHOLDS)
    finally:
        vectors_module.EXACT_PAIRS = default
    seconds = time.perf_counter() - start
    with sqlite3.connect(target / DATABASE_FILE) as db:
        return set(db.execute(LINKS)), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/unres-elsewhere"))
    args = parser.parse_args()
    backend = open_config(args.index, None).backend
    if backend != "flat":
        parser.error(f"{args.index}: a {backend} index; only flat vectors are searched exactly, so there is nothing to compare")
    folders = [args.work / "exact", args.work / "ivf"]
    if any(folder.exists() for folder in folders):
        parser.error(f"{args.work} holds exact/ or ivf/: give another --work")
    exact, exact_seconds = relinked(args.index, folders[0], sys.maxsize)  # exact whatever the index's size
    approximate, approximate_seconds = relinked(args.index, folders[1], 0)
    with sqlite3.connect(args.index / DATABASE_FILE) as db:
        texts = dict(db.execute(TEXTS))
    print(f"relink: exact {exact_seconds:.0f} s, through IVF {approximate_seconds:.0f} s\n")
    print("| relation | exact | through IVF | both | only exact (of them ties) | only through IVF |")
    print("| --- | --- | --- | --- | --- | --- |")
    for relation in ("version", "elsewhere"):
        a = {(earlier, later) for earlier, later, kind in exact if kind == relation}
        b = {(earlier, later) for earlier, later, kind in approximate if kind == relation}
        linked: dict[int, set[str]] = {}
        for earlier, later in b:
            linked.setdefault(earlier, set()).add(texts[later])
            linked.setdefault(later, set()).add(texts[earlier])
        ties = sum(1 for earlier, later in a - b
                   if texts[later] in linked.get(earlier, ()) or texts[earlier] in linked.get(later, ()))
        print(f"| {relation} | {len(a):,} | {len(b):,} | {len(a & b):,} | {len(a - b):,} ({ties:,}) | {len(b - a):,} |")
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
