"""Regenerate the results table of benchmarks/relevance/README.md: every configuration's TREC run
over the judged queries, scored against qrels.txt with `unres bench eval`.

Run: python benchmarks/relevance/compare.py [--corpus ../shared/corpus] [--work /tmp/unres-relevance]
Builds (once, then reuses) two indexes of the corpus: paragraph text alone, and `{title}: {text}`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[2] / "shared" / "corpus"
TEMPLATES = {"text": "{text}", "title": "{title}: {text}"}
# (run name, index, mode)
CONFIGURATIONS = [
    ("bm25", "text", "lexical"),
    ("dense-text", "text", "dense"),
    ("dense-title", "title", "dense"),
    ("hybrid-text", "text", "hybrid"),
    ("hybrid-title", "title", "hybrid"),
]


def unres(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "unres.cli", *args], check=True, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--work", type=Path, default=Path("/tmp/unres-relevance"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    for name, template in TEMPLATES.items():
        index = args.work / f"index-{name}"
        if not (index / "config.json").exists():
            unres("index", str(args.corpus), "--index", str(index), "--template", template)
    runs = []
    for run, index, mode in CONFIGURATIONS:
        out = args.work / f"{run}.txt"
        unres("bench", "run", str(HERE / "queries.jsonl"), "--mode", mode, "--k", "100", "--tag", run,
              "--index", str(args.work / f"index-{index}"), "--out", str(out))
        runs.append(str(out))
    subprocess.run([sys.executable, "-m", "unres.cli", "bench", "eval", str(HERE / "qrels.txt"), *runs,
                    "--index", str(args.work / "index-text")], check=True)


if __name__ == "__main__":
    main()
