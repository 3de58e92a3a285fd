"""Full build of an index from a corpus in a fresh process: wall time, peak memory, size on disk.

Run: python benchmarks/speed/build_index.py [CORPUS] [--index DIR] [--int8] [--model NAME ...]
With several models, one index each (DIR-<model>, replaced), built one after the other in the same
run, and each build's time as a ratio to the last model's (the baseline).
"""

from __future__ import annotations

import argparse
import json
import os
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
    parser.add_argument("--model", nargs="+", default=[None], help="models to build with, the baseline last (default: the default model)")
    args = parser.parse_args()
    results = {}
    for model in args.model:
        index = args.index if len(args.model) == 1 else args.index.with_name(f"{args.index.name}-{Path(model).name}")
        results[model] = build(args.corpus, index, model, args.int8)
    if len(args.model) > 1:
        baseline = args.model[-1]
        for model, result in results.items():
            print(f"{model}: {result['seconds']:.1f} s, {result['seconds'] / results[baseline]['seconds']:.2f}x {baseline}, "
                  f"peak {result['peak_mb']:.0f} MB")


def build(corpus: Path, index: Path, model: str | None, int8: bool) -> dict:
    """Build `index` from `corpus` in a child process; its wall time, peak memory and paragraphs, also saved beside it."""
    shutil.rmtree(index, ignore_errors=True)
    options = [*(["--model", model] if model else []), *(["--int8"] * int8)]
    start = time.perf_counter()  # `unres index` in its own process, so its wall time and peak memory are its own
    child = subprocess.Popen(unres_command("index", str(corpus), "--index", str(index), *options))
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        sys.exit(f"building {index} failed (exit status {os.waitstatus_to_exitcode(status)})")
    peak_mb = usage.ru_maxrss / 1024
    stats = subprocess.run(unres_command("stats", "--index", str(index)), check=True, capture_output=True, text=True)
    print(stats.stdout.rstrip())
    with Searcher.open(index) as searcher:
        facts = searcher.stats()
    print(f"build wall time  {seconds:8.1f} s")
    print(f"peak memory      {peak_mb:8.0f} MB (resident, the build process)")
    result = {"seconds": seconds, "peak_mb": peak_mb, "int8": int8, "model": facts.model,
              "paragraphs": sum(n for kinds in facts.paragraphs.values() for n in kinds.values())}
    index.with_name(index.name + ".build.json").write_text(json.dumps(result) + "\n")
    return result


if __name__ == "__main__":
    main()
