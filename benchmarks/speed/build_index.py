"""Full build of an index from a corpus in a fresh process: wall time, peak memory, size on disk.

Run: python benchmarks/speed/build_index.py [CORPUS] [--index DIR] [--int8]   (the index directory is replaced)
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from unres.search import Searcher

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: _common and the other scripts
from _common import CORPUS, unres_command


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--index", type=Path, default=Path("/tmp/unres-bench-index"))
    parser.add_argument("--int8", action="store_true", help="build with the int8-quantized model")
    args = parser.parse_args()
    shutil.rmtree(args.index, ignore_errors=True)
    start = time.perf_counter()  # `unres index` in its own process, so its wall time and peak memory are its own
    subprocess.run(unres_command("index", str(args.corpus), "--index", str(args.index), *(["--int8"] * args.int8)),
                   check=True)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    stats = subprocess.run(unres_command("stats", "--index", str(args.index)),
                           check=True, capture_output=True, text=True)
    print(stats.stdout.rstrip())
    with Searcher.open(args.index) as searcher:
        facts = searcher.stats()
    print(f"build wall time  {seconds:8.1f} s")
    print(f"peak memory      {peak_mb:8.0f} MB (resident, the build process)")
    result = {"seconds": seconds, "peak_mb": peak_mb, "int8": args.int8,
              "paragraphs": sum(n for kinds in facts.paragraphs.values() for n in kinds.values())}
    args.index.with_name(args.index.name + ".build.json").write_text(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
