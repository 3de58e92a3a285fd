"""Where a warm query's time goes: cProfile over the speed queries in one mode, top functions by own time.

Run: python benchmarks/speed/profile_query.py INDEX_DIR [--mode dense|lexical|hybrid] [--top N]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
from pathlib import Path

from unres.search import Searcher

QUERIES = Path(__file__).with_name("queries.txt")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("index", type=Path)
    parser.add_argument("--mode", default="lexical")
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    queries = [q for q in QUERIES.read_text().splitlines() if q.strip()]
    with Searcher.open(args.index) as searcher:
        for query in queries[:3]:
            searcher.search(query, mode="hybrid")  # warm: model loaded, caches filled
        profile = cProfile.Profile()
        profile.enable()
        for query in queries:
            searcher.search(query, k=10, mode=args.mode)
        profile.disable()
    print(f"{len(queries)} warm {args.mode} queries; times are totals over all of them")
    pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
