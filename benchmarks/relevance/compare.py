"""Regenerate the tables of benchmarks/relevance/README.md: every configuration's run over the judged
queries, scored on the dev half (what was tuned on) and the test half (what is reported), in English
and in the five other official languages (`queries.<lang>.jsonl`: the same queries, the same judgments).

Run: python benchmarks/relevance/compare.py [--corpus ../shared/corpus] [--work /tmp/unres-relevance]
Builds three full-corpus indexes once (the default model in fp32 and `--int8`, and all-MiniLM-L6-v2,
the default before it), then reuses them; every configuration is a `Ranking` over one of them. Prints Markdown; the last
column counts the paragraphs in the run's top 10 that the qrels do not judge (judge them before
quoting a number: pool.py).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from unres.evaluation.benchmark import compare, evaluate, read_qrels, read_queries, read_run, run_queries
from unres.index.config import MINILM
from unres.search import Ranking, Searcher

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: _common and the other scripts
from _common import CORPUS, index_of

HERE = Path(__file__).resolve().parent
KINDS = {"k": "known-item", "t": "topical", "v": "verb", "a": "acronym", "q": "question", "s": "SC"}
LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")
INDEXES = {"index": (None, False), "index-int8": (None, True), "index-minilm": (MINILM, False)}  # name -> model, int8
OFF = {"collapse": False, "understand": False}
# The default ranking of all-MiniLM-L6-v2 (issue 12), spelled out so retuning the defaults leaves it as it was.
MINILM_DEFAULT = {"rrf_k": 10, "dense_weight": 1.5, "body_boost": 1.0, "verb_boost": 0.2, "year_boost": 0.5, "feedback": 0}
MINILM_TUNING = {key: value for key, value in MINILM_DEFAULT.items() if key != "feedback"}  # its fusion, today's feedback
# (name, index, mode, ranking options): the first is the baseline every other is compared with
CONFIGURATIONS = [
    ("all-MiniLM-L6-v2, its default ranking", "index-minilm", "hybrid", MINILM_DEFAULT),
    ("all-MiniLM-L6-v2, dense", "index-minilm", "dense", OFF),
    ("lexical: BM25 + heading", "index", "lexical", OFF),
    ("multilingual-e5-small, dense", "index", "dense", OFF),
    ("e5, MiniLM's tuning", "index", "hybrid", MINILM_TUNING),
    ("e5, default ranking", "index", "hybrid", {}),
    ("e5 int8, dense", "index-int8", "dense", OFF),
    ("e5 int8, default ranking", "index-int8", "hybrid", {}),
]
# Run in every language; the baseline of each language's rows is its first.
LANGUAGE_CONFIGURATIONS = [
    ("all-MiniLM-L6-v2, its default ranking", "index-minilm", "hybrid", MINILM_DEFAULT),
    ("e5, dense", "index", "dense", OFF),
    ("e5, no feedback", "index", "hybrid", {"feedback": 0}),
    ("e5, default ranking", "index", "hybrid", {}),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--work", type=Path, default=Path("/tmp/unres-relevance"))
    args = parser.parse_args()
    for name, (model, int8) in INDEXES.items():
        index_of(args.work / name, [args.corpus], model=model, int8=int8)
    qrels = read_qrels(HERE / "qrels.txt")
    searchers = {name: Searcher.open(args.work / name) for name in INDEXES}
    english = read_queries(HERE / "queries.jsonl")
    split = {q.qid: q.split for q in english}
    halves = {half: {q: j for q, j in qrels.items() if split.get(q) == half} for half in ("dev", "test")}
    for half, results in run_all(args.work, searchers, english, "", CONFIGURATIONS, halves).items():
        print(f"\n### English, {half} half: {len(results[0][0].per_query['nDCG@10'])} queries\n")
        print_table(results)
    by_language = {
        language: run_all(args.work, searchers, read_queries(query_file(language)), language, LANGUAGE_CONFIGURATIONS, halves)
        for language in LANGUAGES
    }
    for half in halves:
        print(f"\n### Every official language, {half} half\n")
        print_languages({language: results[half] for language, results in by_language.items()})


def query_file(language: str) -> Path:
    return HERE / ("queries.jsonl" if language == "en" else f"queries.{language}.jsonl")


def run_all(work: Path, searchers, queries, language: str, configurations, halves) -> dict[str, list]:
    """Each configuration's run over `queries`, evaluated per half: (evaluation, unjudged in its top 10)."""
    results: dict[str, list] = {half: [] for half in halves}
    for name, index, mode, options in configurations:
        slug = re.sub(r"[^a-z0-9]+", "-", f"{language} {name}".lower()).strip("-")
        path = work / f"run-{slug}.txt"
        path.write_text("\n".join(run_queries(searchers[index], queries, k=100, mode=mode, tag=mode,
                                              ranking=Ranking.from_dict(options))) + "\n")
        run = read_run(path)
        for half, judged in halves.items():
            unjudged = sum(1 for e in run if e.rank <= 10 and e.qid in judged and e.docid not in judged[e.qid])
            results[half].append((evaluate(name, judged, run), unjudged))
    return results


def print_languages(results: dict[str, list]) -> None:
    """One row per language and configuration; each compared with the same configuration in English."""
    print("| language | configuration | nDCG@10 | MRR@10 | R@100 | nDCG@10 vs English: Δ, p | unjudged in top 10 |")
    print("| --- " * 7 + "|")
    for language, rows in results.items():
        for (result, unjudged), (english, _) in zip(rows, results["en"], strict=True):
            test = compare(english, result) if language != "en" else None
            versus = f"{test.delta:+.3f}, p {test.p_value:.3f}" if test and test.p_value is not None else "—"
            print(f"| {language} | {result.name} | {result.means['nDCG@10']:.3f} | {result.means['MRR@10']:.3f} | "
                  f"{result.means['Recall@100']:.3f} | {versus} | {unjudged} |")


def print_table(rows) -> None:
    """One row per configuration: the means, nDCG@10 by kind of query, the paired test against the first,
    and the unjudged paragraphs of its top 10."""
    results = [result for result, _ in rows]
    unjudged = [count for _, count in rows]
    baseline = results[0]
    kinds = sorted({q[0] for q in baseline.per_query["nDCG@10"]}, key=list(KINDS).index)
    counts = {kind: sum(q[0] == kind for q in baseline.per_query["nDCG@10"]) for kind in kinds}
    print("| configuration | nDCG@10 | MRR@10 | R@100 | " + " | ".join(f"{KINDS[k]} ({counts[k]})" for k in kinds)
          + " | nDCG@10 vs first: Δ, p | unjudged in top 10 |")
    print("| --- " * (6 + len(kinds)) + "|")
    for result, count in zip(results, unjudged, strict=True):
        by_kind = [mean(v for q, v in result.per_query["nDCG@10"].items() if q[0] == k) for k in kinds]
        test = compare(baseline, result) if result is not baseline else None
        versus = f"{test.delta:+.3f}, p {test.p_value:.3f}" if test and test.p_value is not None else "—"
        print(f"| {result.name} | {result.means['nDCG@10']:.3f} | {result.means['MRR@10']:.3f} | "
              f"{result.means['Recall@100']:.3f} | " + " | ".join(f"{v:.3f}" for v in by_kind) + f" | {versus} | {count} |")


def mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


if __name__ == "__main__":
    main()
