"""`unres index --engine ray` against the plain build of the same files, in one run: wall time, the ratio,
and whether the two indexes are the same (same paragraph ids, vectors equal within 1e-6).

Run: python benchmarks/speed/ray_build.py [CORPUS] [--documents N] [--address ADDR]
Each build is a fresh `unres index` process into a new folder; the Ray one starts its own local
instance (one CPU per core) unless `--address` names a cluster, so its time includes Ray's start.
`--documents N` takes N files spread evenly over the corpus's sorted list (0: all of them).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from unres.index.filters import Filters
from unres.index.parse.files import document_paths
from unres.index.parse.records import KINDS
from unres.search import Searcher

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: _common
from _common import CORPUS, say, unres_command

TOLERANCE = 1e-6
STAGE_LINE = re.compile(r"unres: (\w+) [\d,]+/[\d,]+ \([^,]+, ([\d.]+) s\)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--documents", type=int, default=200, help="files to index, spread over the corpus (0: all)")
    parser.add_argument("--address", help="a Ray cluster to run the Ray build on (default: a local instance)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "unres-ray-build")
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    files = picked(args.corpus, args.documents, args.work / "files")
    plain, plain_stages = build(files, args.work / "plain")
    ray, ray_stages = build(files, args.work / "ray", "--engine", "ray", *(["--address", args.address] if args.address else []))
    same, difference, paragraphs = compare(args.work / "plain", args.work / "ray")
    result = {
        "documents": args.documents, "paragraphs": paragraphs, "plain_seconds": round(plain, 1), "ray_seconds": round(ray, 1),
        "ratio": round(ray / plain, 3), "same_ids": same, "max_vector_difference": difference,
        "identical": same and difference <= TOLERANCE, "plain_stages": plain_stages, "ray_stages": ray_stages,
    }
    print(json.dumps(result))
    print(f"{paragraphs:,} paragraphs of {args.documents or 'all'} documents: plain {plain:.1f} s, ray {ray:.1f} s, "
          f"ratio {ray / plain:.2f}; same ids {same}, largest vector difference {difference:.2g}")
    for stage in plain_stages:
        print(f"  {stage:8} plain {plain_stages[stage]:7.1f} s   ray {ray_stages.get(stage, float('nan')):7.1f} s")


def picked(corpus: Path, count: int, folder: Path) -> Path:
    """A folder of links to `count` files spread evenly over the corpus (all of them for 0)."""
    paths = list(document_paths(corpus))
    if 0 < count < len(paths):
        paths = [paths[round(i * len(paths) / count)] for i in range(count)]
    folder.mkdir(parents=True)
    for n, path in enumerate(paths):
        (folder / f"{n:06d}-{path.name}").symlink_to(path.resolve())
    return folder


def build(files: Path, index: Path, *options: str) -> tuple[float, dict[str, float]]:
    """Wall time of one `unres index` process, and the seconds of each stage its progress lines report."""
    say(f"building {index.name} …")
    start = time.perf_counter()
    done = subprocess.run(unres_command("index", str(files), "--index", str(index), *options), stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        sys.exit(f"building {index} failed (exit status {done.returncode})")
    stages = {stage: float(took) for stage, took in STAGE_LINE.findall(done.stderr)}  # the last line of each stage
    return seconds, stages


def compare(first: Path, second: Path) -> tuple[bool, float, int]:
    """Whether two indexes hold the same paragraph ids in the same order, the largest difference of
    any vector component, and the paragraphs compared."""
    every = Filters(kinds=KINDS)
    with Searcher.open(first) as a, Searcher.open(second) as b:
        (ids_a, vectors_a), (ids_b, vectors_b) = a.vectors(every), b.vectors(every)
    if ids_a != ids_b:
        return False, float("inf"), len(ids_a)
    return True, float(np.abs(vectors_a - vectors_b).max(initial=0.0)), len(ids_a)


if __name__ == "__main__":
    main()
