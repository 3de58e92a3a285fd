"""Grid search of hybrid fusion knobs on the DEV half only (never the test half): prints each setting's
dev nDCG@10 and MRR@10, best first, so the defaults of `Ranking` are chosen by a reproducible command.

Run: python benchmarks/relevance/tune.py [--index /tmp/unres-relevance/index] [--grid '{"rrf_k": [10, 60]}']
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

from unres.evaluation.benchmark import evaluate, read_qrels, read_queries, read_run, run_queries
from unres.search import Ranking, Searcher

HERE = Path(__file__).resolve().parent
GRID = {"rrf_k": [5, 10, 20, 30, 60], "dense_weight": [0.7, 1.0, 1.4, 2.0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, default=Path("/tmp/unres-relevance/index"))
    parser.add_argument("--grid", type=json.loads, default=GRID, help="JSON: Ranking field -> values to try")
    parser.add_argument("--work", type=Path, default=Path("/tmp/unres-relevance"))
    args = parser.parse_args()
    dev = [q for q in read_queries(HERE / "queries.jsonl") if q.split == "dev"]
    qrels = {q: j for q, j in read_qrels(HERE / "qrels.txt").items() if q in {query.qid for query in dev}}
    names = list(args.grid)
    results = []
    path = args.work / "tune-run.txt"
    with Searcher.open(args.index) as searcher:
        for values in itertools.product(*args.grid.values()):
            options = dict(zip(names, values, strict=True))
            path.write_text("\n".join(run_queries(searcher, dev, k=100, ranking=Ranking.from_dict(options))) + "\n")
            result = evaluate(json.dumps(options), qrels, read_run(path))
            results.append(result)
            print(f"{result.means['nDCG@10']:.4f}  {result.means['MRR@10']:.4f}  {result.name}", flush=True)
    print(f"\nbest of {len(results)} on {len(qrels)} dev queries (nDCG@10, MRR@10):")
    for result in sorted(results, key=lambda r: -r.means["nDCG@10"])[:5]:
        print(f"{result.means['nDCG@10']:.4f}  {result.means['MRR@10']:.4f}  {result.name}")


if __name__ == "__main__":
    main()
