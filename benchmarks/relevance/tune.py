"""Grid search of hybrid fusion knobs on the DEV half only (never the test half): prints each setting's
dev nDCG@10 and MRR@10, best first, so the defaults of `Ranking` are chosen by a reproducible command.

Run: python benchmarks/relevance/tune.py [--index /tmp/unres-relevance/index] [--grid '{"rrf_k": [10, 60]}']
       [--languages en fr es ru zh ar]
With several languages, each setting is scored on each language's dev queries and ranked by their mean.
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
    parser.add_argument("--languages", nargs="+", default=["en"], choices=["en", "fr", "es", "ru", "zh", "ar"], help="query files: en (queries.jsonl), fr, es, ru, zh, ar")
    args = parser.parse_args()
    devs = {
        language: [q for q in read_queries(HERE / ("queries.jsonl" if language == "en" else f"queries.{language}.jsonl"))
                   if q.split == "dev"]
        for language in args.languages
    }
    dev_qids = {query.qid for query in devs[args.languages[0]]}
    qrels = {q: j for q, j in read_qrels(HERE / "qrels.txt").items() if q in dev_qids}
    names = list(args.grid)
    results = []
    path = args.work / "tune-run.txt"
    with Searcher.open(args.index) as searcher:
        for values in itertools.product(*args.grid.values()):
            options = dict(zip(names, values, strict=True))
            scores = {}
            for language, dev in devs.items():
                path.write_text("\n".join(run_queries(searcher, dev, k=100, ranking=Ranking.from_dict(options))) + "\n")
                result = evaluate(json.dumps(options), qrels, read_run(path))
                scores[language] = (result.means["nDCG@10"], result.means["MRR@10"])
            mean = tuple(sum(s[i] for s in scores.values()) / len(scores) for i in (0, 1))
            results.append((mean, json.dumps(options)))
            each = "  ".join(f"{language} {ndcg:.4f}" for language, (ndcg, _) in scores.items()) if len(scores) > 1 else ""
            print(f"{mean[0]:.4f}  {mean[1]:.4f}  {json.dumps(options)}  {each}", flush=True)
    print(f"\nbest of {len(results)} on {len(qrels)} dev queries x {len(devs)} language(s) (mean nDCG@10, MRR@10):")
    for (ndcg, mrr), name in sorted(results, key=lambda r: -r[0][0])[:5]:
        print(f"{ndcg:.4f}  {mrr:.4f}  {name}")


if __name__ == "__main__":
    main()
