"""Regenerate the tables of benchmarks/relevance/README.md: every configuration's run over the judged
queries, scored on the dev half (what was tuned on) and the test half (what is reported).

Run: python benchmarks/relevance/compare.py [--corpus ../shared/corpus] [--work /tmp/unres-relevance]
Builds two full-corpus indexes once (default options, and `--adapter un-minilm`; about 6 minutes each
on 2 cores), then reuses them; every configuration is a `Ranking` over one of them. Prints Markdown.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from unres.evaluation.benchmark import compare, evaluate, read_qrels, read_queries, read_run, run_queries
from unres.search import Ranking, Searcher

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: _common and the other scripts
from _common import CORPUS, index_of

HERE = Path(__file__).resolve().parent
KINDS = {"k": "known-item", "t": "topical", "v": "verb", "a": "acronym", "q": "question", "s": "SC"}
# (name, index, mode, ranking options): the first is the baseline every other is compared with
OFF = {"collapse": False, "understand": False}
RRF_BEFORE = {"rrf_k": 60, "dense_weight": 1.0}  # the fusion before tuning
INDEXES = {"index": None, "index-adapter": "un-minilm"}  # index name -> its query adapter (`unres index --adapter`)
CONFIGURATIONS = [
    ("hybrid, 2026-11-28", "index", "hybrid", {**OFF, "lexical": "fts5", "heading_weight": 0, "rrf_k": 60, "dense_weight": 1}),
    ("lexical: FTS5", "index", "lexical", {**OFF, "lexical": "fts5"}),
    ("lexical: BM25 + heading", "index", "lexical", OFF),
    ("dense", "index", "dense", OFF),
    ("hybrid, BM25 + heading", "index", "hybrid", {**OFF, **RRF_BEFORE}),
    ("+ wrappers and acronyms", "index", "hybrid", {**OFF, **RRF_BEFORE, "understand": True, "body_boost": 0, "verb_boost": 0,
                                                     "year_boost": 0}),
    ("+ intent boosts", "index", "hybrid", {"collapse": False, **RRF_BEFORE}),
    ("+ fusion tuned", "index", "hybrid", {"collapse": False}),
    ("dense + adapter", "index-adapter", "dense", OFF),
    ("+ fusion tuned + adapter", "index-adapter", "hybrid", {"collapse": False}),
    ("default (+ identical texts collapsed)", "index", "hybrid", {}),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--work", type=Path, default=Path("/tmp/unres-relevance"))
    args = parser.parse_args()
    for name, adapter in INDEXES.items():
        index_of(args.work / name, [args.corpus], adapter=adapter)
    queries = read_queries(HERE / "queries.jsonl")
    split = {q.qid: q.split for q in queries}
    qrels = read_qrels(HERE / "qrels.txt")
    evaluations = {"dev": [], "test": []}
    searchers = {name: Searcher.open(args.work / name) for name in INDEXES}
    for name, index, mode, options in CONFIGURATIONS:
        path = args.work / f"run-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.txt"
        path.write_text("\n".join(run_queries(searchers[index], queries, k=100, mode=mode, tag=mode,
                                              ranking=Ranking.from_dict(options))) + "\n")
        run = read_run(path)
        for half in evaluations:
            judged = {q: j for q, j in qrels.items() if split.get(q) == half}
            evaluations[half].append(evaluate(name, judged, run))
    for half, results in evaluations.items():
        print(f"\n### {half} half: {len(results[0].per_query['nDCG@10'])} queries\n")
        print_table(results)


def print_table(results) -> None:
    """One row per configuration: the means, nDCG@10 by kind of query, and the paired test against the first."""
    baseline = results[0]
    kinds = sorted({q[0] for q in baseline.per_query["nDCG@10"]}, key=list(KINDS).index)
    counts = {kind: sum(q[0] == kind for q in baseline.per_query["nDCG@10"]) for kind in kinds}
    print("| configuration | nDCG@10 | MRR@10 | R@100 | " + " | ".join(f"{KINDS[k]} ({counts[k]})" for k in kinds)
          + " | nDCG@10 vs first: Δ, p |")
    print("| --- " * (5 + len(kinds)) + "|")
    for result in results:
        by_kind = [mean(v for q, v in result.per_query["nDCG@10"].items() if q[0] == k) for k in kinds]
        test = compare(baseline, result) if result is not baseline else None
        versus = f"{test.delta:+.3f}, p {test.p_value:.3f}" if test and test.p_value is not None else "—"
        print(f"| {result.name} | {result.means['nDCG@10']:.3f} | {result.means['MRR@10']:.3f} | "
              f"{result.means['Recall@100']:.3f} | " + " | ".join(f"{v:.3f}" for v in by_kind) + f" | {versus} |")


def mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


if __name__ == "__main__":
    main()
