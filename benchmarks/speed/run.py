"""Every speed measurement for the full shared corpus on this machine, in one command.

Run: python benchmarks/speed/run.py [--index DIR] [--skip-build]
Parse pages/s, embedding paragraphs/s against plain SentenceTransformer.encode, full build time,
index size and peak memory, warm query latency per mode against semantic_search and bm25s, cold
`unres search`, HNSW recall. Each line is a ratio against a baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def step(script: str, *args: str) -> None:
    print(f"\n## {script}", flush=True)
    subprocess.run([sys.executable, str(HERE / script), *args], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, default=Path("/tmp/unres-bench-index"))
    parser.add_argument("--skip-build", action="store_true", help="reuse the index already at --index")
    args = parser.parse_args()
    step("parse_throughput.py")
    step("embedding_throughput.py")
    if not args.skip_build:
        step("build_index.py", "--index", str(args.index))
    step("query_latency.py", str(args.index))


if __name__ == "__main__":
    main()
