"""Print the pooled candidates of several runs that the qrels do not judge yet, for a judge to read.

Run: python benchmarks/relevance/pool.py RUN... [--depth 10] [--index DIR] [--qids k01,t05]
Each candidate shows its paragraph id and the start of its text; judge it by the rules in README.md
and add `qid 0 docid grade` lines to qrels.txt.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from unres.evaluation.benchmark import read_run
from unres.search import Searcher

HERE = Path(__file__).resolve().parent
ENGLISH = ("queries.jsonl", "grammar-queries.jsonl")  # every English query, judged in the one qrels.txt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("runs", nargs="+", type=Path)
    parser.add_argument("--depth", type=int, default=10)
    parser.add_argument("--index", type=Path, default=Path("/tmp/unres-relevance/index-text"))
    parser.add_argument("--qids", default="")
    args = parser.parse_args()
    queries = {q["qid"]: q for path in ENGLISH for q in map(json.loads, (HERE / path).read_text().splitlines())}
    judged = set()
    qrels = HERE / "qrels.txt"
    if qrels.exists():
        judged = {(line.split()[0], line.split()[2]) for line in qrels.read_text().splitlines() if line.strip()}
    pool: dict[str, list[str]] = {}
    for run in args.runs:
        for entry in read_run(run):
            if entry.rank <= args.depth and entry.docid not in pool.setdefault(entry.qid, []):
                pool[entry.qid].append(entry.docid)
    wanted = args.qids.split(",") if args.qids else list(queries)
    with Searcher.open(args.index) as searcher:
        for qid in wanted:
            new = [d for d in pool.get(qid, []) if (qid, d) not in judged]
            if new:
                print(f"\n### {qid}: {queries[qid]['query']}  {queries[qid].get('filters') or ''}")
                for docid in new:
                    print(f"- {docid} | {searcher.paragraph(docid).text[:170]}")


if __name__ == "__main__":
    main()
