"""Measure query understanding (wrappers, acronym expansion, intent boosts) on one split of judged queries.

Run: python benchmarks/relevance/understand.py --index INDEX [--split dev] [--queries Q.jsonl --qrels QRELS ...]
Each configuration is a `Ranking` (JSON) run in hybrid mode over the queries of the split; prints nDCG@10
and MRR@10 overall and per kind of query (the qid's letter), the paired test against the first
configuration (understanding off), and how many top-10 paragraphs are unjudged. Tune on dev only.

The defaults of `Ranking` (acronym expansions in the dense text too; boosts body 1.0, verb 0.2,
year 0.5) were chosen on the dev halves of benchmarks/relevance and of the acronym (a), question (q),
paraphrase (k25-) and SC-topical (s) sets judged in /work/judging (102 dev queries):

    python benchmarks/relevance/understand.py --index INDEX \
        --queries benchmarks/relevance/queries.jsonl --qrels benchmarks/relevance/qrels.txt \
        --queries /work/judging/acronyms/queries.jsonl --qrels /work/judging/acronyms/qrels.txt ...
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from unres.evaluation.benchmark import Query, RunEntry, compare, evaluate, read_qrels, read_queries
from unres.search import Ranking, Searcher

HERE = Path(__file__).resolve().parent
CONFIGURATIONS = {
    "off": {"understand": False},
    "strip+expand": {"body_boost": 0.0, "verb_boost": 0.0, "year_boost": 0.0, "expand_dense": False},
    "strip+expand dense": {"body_boost": 0.0, "verb_boost": 0.0, "year_boost": 0.0, "expand_dense": True},
    "default": {},  # expand_dense, body 1.0, verb 0.2, year 0.5: chosen on dev (see the docstring)
    "boost 0.1": {"expand_dense": False, "body_boost": 0.1, "verb_boost": 0.1, "year_boost": 0.1},
    "boost 0.2": {"expand_dense": False, "body_boost": 0.2, "verb_boost": 0.2, "year_boost": 0.2},
    "boost 0.5": {"expand_dense": False, "body_boost": 0.5, "verb_boost": 0.5, "year_boost": 0.5},
    "boost 1.0": {"expand_dense": False, "body_boost": 1.0, "verb_boost": 1.0, "year_boost": 1.0},
    "verb 0.5 body 0.2 year 0.2": {"expand_dense": False, "body_boost": 0.2, "verb_boost": 0.5, "year_boost": 0.2},
    "verb 1.0 body 0.3 year 0.3": {"expand_dense": False, "body_boost": 0.3, "verb_boost": 1.0, "year_boost": 0.3},
    "dense+boost 0.3": {"expand_dense": True},
    "dense+boost 0.5": {"expand_dense": True, "body_boost": 0.5, "verb_boost": 0.5, "year_boost": 0.5},
    "dense+boost 1.0": {"expand_dense": True, "body_boost": 1.0, "verb_boost": 1.0, "year_boost": 1.0},
    "dense+body 0.5 verb 0.3 year 0.3": {"expand_dense": True, "body_boost": 0.5, "verb_boost": 0.3, "year_boost": 0.3},
    "dense+body 1.0 verb 0.3 year 0.5": {"expand_dense": True, "body_boost": 1.0, "verb_boost": 0.3, "year_boost": 0.5},
    "dense+body 1.0 verb 0.2 year 0.5": {"expand_dense": True, "body_boost": 1.0, "verb_boost": 0.2, "year_boost": 0.5},
    "dense+body 1.0 verb 0.5 year 0.5": {"expand_dense": True, "body_boost": 1.0, "verb_boost": 0.5, "year_boost": 0.5},
    "dense+body 1.0 verb 0.3 year 1.0": {"expand_dense": True, "body_boost": 1.0, "verb_boost": 0.3, "year_boost": 1.0},
    "dense+body 2.0 verb 0.3 year 0.5": {"expand_dense": True, "body_boost": 2.0, "verb_boost": 0.3, "year_boost": 0.5},
    "body only 0.3": {"expand_dense": False, "body_boost": 0.3, "verb_boost": 0.0, "year_boost": 0.0},
    "verb only 0.3": {"expand_dense": False, "body_boost": 0.0, "verb_boost": 0.3, "year_boost": 0.0},
    "year only 0.3": {"expand_dense": False, "body_boost": 0.0, "verb_boost": 0.0, "year_boost": 0.3},
}


WRAPPERS = ["what did the UN say about {q}", "is there a resolution on {q}?", "I need the paragraph about {q}"]
BODY_QUESTIONS = {"SC": "what has the Security Council said about {q}", "GA": "what did the General Assembly say about {q}"}
PAST = {"calls upon": "called upon", "condemns": "condemned", "requests": "requested", "invites": "invited",
        "welcomes": "welcomed", "decides": "decided", "urges": "urged"}


def synthetic(queries: list[Query]) -> tuple[list[Query], dict[str, str]]:
    """The questions people wrap these queries in, with the body or verb said instead of filtered:
    `q` a wrapper around the query, `b` the body filter said in words, `w` the verb filter said in words.
    Returns the new queries and, for each, the qid whose judgments it shares."""
    made: list[Query] = []
    source: dict[str, str] = {}
    for query in queries:
        wrapper = WRAPPERS[sum(map(ord, query.qid)) % len(WRAPPERS)]
        made.append(replace(query, qid=f"q{query.qid}", text=wrapper.format(q=query.text)))
        if query.filters.body and not query.filters.verbs:
            text = BODY_QUESTIONS[query.filters.body].format(q=query.text)
            made.append(Query(f"b{query.qid}", text, replace(query.filters, body=None)))
        if len(query.filters.verbs) == 1:
            body = {"SC": "the Security Council", "GA": "the General Assembly"}.get(query.filters.body, "the UN")
            text = f"has {body} ever {PAST[query.filters.verbs[0]]} {query.text}"
            made.append(Query(f"w{query.qid}", text, replace(query.filters, verbs=(), body=None)))
    for query in made:
        source[query.qid] = query.qid[1:]
    return made, source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--queries", type=Path, action="append", default=[])
    parser.add_argument("--qrels", type=Path, action="append", default=[])
    parser.add_argument("--only", action="append", default=[], help="configuration names to run")
    parser.add_argument("--synthetic", action="store_true", help="run the question forms of the queries (see `synthetic`)")
    args = parser.parse_args()
    query_files = args.queries or [HERE / "queries.jsonl"]
    qrel_files = args.qrels or [HERE / "qrels.txt"]
    wanted = {json.loads(line)["qid"] for path in query_files for line in path.read_text().splitlines()
              if line.strip() and json.loads(line).get("split", args.split) == args.split}
    queries = [q for path in query_files for q in read_queries(path) if q.qid in wanted]
    qrels = {}
    for path in qrel_files:
        qrels.update({q: judged for q, judged in read_qrels(path).items() if q in wanted})
    queries = [q for q in queries if q.qid in qrels]
    if args.synthetic:
        queries, source = synthetic(queries)
        qrels = {q.qid: qrels[source[q.qid]] for q in queries}
    print(f"{len(queries)} {args.split} queries")
    with Searcher.open(args.index) as searcher:
        evaluations = []
        for name, options in CONFIGURATIONS.items():
            if args.only and name not in args.only and name != "off":
                continue
            ranking = Ranking.from_dict(options)
            run, unjudged = [], 0
            for query in queries:
                hits = searcher.search(query.text, 100, filters=query.filters, ranking=ranking)
                run += [RunEntry(query.qid, hit.id, hit.rank, hit.score) for hit in hits]
                unjudged += sum(hit.id not in qrels[query.qid] for hit in hits[:10])
            evaluation = evaluate(name, qrels, run)
            evaluations.append(evaluation)
            kinds = defaultdict(list)
            for qid, value in evaluation.per_query["nDCG@10"].items():
                kinds[qid[0]].append(value)
            by_kind = "  ".join(f"{kind} {sum(v) / len(v):.3f}({len(v)})" for kind, v in sorted(kinds.items()))
            line = f"{name:22} nDCG@10 {evaluation.means['nDCG@10']:.4f}  MRR@10 {evaluation.means['MRR@10']:.4f}"
            print(f"{line}  unjudged@10 {unjudged:4}  {by_kind}", flush=True)
        for other in evaluations[1:]:
            for measure in ("nDCG@10", "MRR@10"):
                c = compare(evaluations[0], other, measure)
                p = "-" if c.p_value is None else f"{c.p_value:.3f}"
                print(f"{other.name:22} {measure:8} delta {c.delta:+.4f} wins {c.wins:3} losses {c.losses:3} p {p}")


if __name__ == "__main__":
    main()
