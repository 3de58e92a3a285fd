"""The lexical leg compared on the judged queries: SQLite FTS5 (porter) against BM25 by bm25s with and
without stemming, with BM25's k1 and b, and with the heading field (resolution title and section) weighed,
each alone (lexical mode) and fused with the index's dense ranking as `Searcher` fuses them (hybrid).

Run: python benchmarks/relevance/lexical.py INDEX_DIR [--split dev] [--qrels ...] [--queries ...]
Variants are built in memory from the index's paragraphs; the dense ranking is the index's own.
Prints nDCG@10 and MRR@10 per configuration and mode, and how many top-10 paragraphs are unjudged.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from unres.evaluation import RunEntry, evaluate, read_qrels, read_queries
from unres.index.config import DATABASE_FILE
from unres.index.lexical import LexicalIndex
from unres.index.store import Store
from unres.search import Ranking, Searcher
from unres.search.fts import fts_query
from unres.search.fusion import reciprocal_rank_fusion
from unres.search.stopwords import FUNCTION_WORDS as FTS_STOPWORDS

HERE = Path(__file__).resolve().parent
# (name, stemmer, stop words, k1, b, heading weight); stemmer None: SQLite FTS5 (porter) as before;
# stemmer "": none; stop words "en": bm25s's English list (the index's), "fts": the short list `fts_query` drops
CONFIGURATIONS = [
    ("fts5-porter", None, "fts", None, None, None),
    ("bm25-nostem", "", "en", 1.5, 0.75, 0.0),
    ("bm25-stem", "english", "en", 1.5, 0.75, 0.0),
    ("bm25-stem-fts-stopwords", "english", "fts", 1.5, 0.75, 0.0),
    ("bm25-stem-h0.25", "english", "en", 1.5, 0.75, 0.25),
    ("bm25-stem-h0.5", "english", "en", 1.5, 0.75, 0.5),
    ("bm25-stem-h1", "english", "en", 1.5, 0.75, 1.0),
    ("bm25-stem-k1.2", "english", "en", 1.2, 0.75, 0.0),
    ("bm25-stem-k1.2-b0.4", "english", "en", 1.2, 0.4, 0.0),
    ("bm25-stem-k0.6-b0.4", "english", "en", 0.6, 0.4, 0.0),
    ("bm25-stem-k0.9-b0.2", "english", "en", 0.9, 0.2, 0.0),
    ("bm25-stem-k0.9-b0.6", "english", "en", 0.9, 0.6, 0.0),
    ("bm25-nostem-k0.9-b0.4", "", "en", 0.9, 0.4, 0.0),
    ("bm25-stem-k0.9-b0.4", "english", "en", 0.9, 0.4, 0.0),
    ("bm25-stem-k0.9-b0.4-h0.1 (default)", "english", "en", 0.9, 0.4, 0.1),
    ("bm25-stem-k0.9-b0.4-h0.25", "english", "en", 0.9, 0.4, 0.25),
    ("bm25-stem-k0.9-b0.4-h0.5", "english", "en", 0.9, 0.4, 0.5),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("index", type=Path)
    parser.add_argument("--queries", type=Path, default=HERE / "queries.jsonl")
    parser.add_argument("--qrels", type=Path, default=HERE / "qrels.txt")
    parser.add_argument("--split", default="dev", help="dev (tune on it), test (report only) or all")
    args = parser.parse_args()
    queries = [q for q in read_queries(args.queries) if args.split == "all" or q.split == args.split]
    qrels = {qid: judged for qid, judged in read_qrels(args.qrels).items() if qid in {q.qid for q in queries}}
    ranking = Ranking()
    depth = ranking.pool
    store = Store.open(args.index / DATABASE_FILE)
    documents = list(store.lexical_documents())
    allowed = {q.filters: np.asarray(store.filtered_rows(q.filters)) for q in queries}
    with Searcher.open(args.index) as searcher:
        dense = {q.qid: _rows(store, searcher.search(q.text, depth, mode="dense", filters=q.filters).hits) for q in queries}
    built: dict[tuple, LexicalIndex] = {}
    print(f"{args.index}: {len(queries)} {args.split} queries, {len(documents)} paragraphs", file=sys.stderr)
    print("| configuration | lexical nDCG@10 | lexical MRR@10 | hybrid nDCG@10 | hybrid MRR@10 | unjudged in top 10 (lexical / hybrid) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, stemmer, stopwords, k1, b, weight in CONFIGURATIONS:
        runs: dict[str, list[RunEntry]] = {"lexical": [], "hybrid": []}
        variant = (stemmer, stopwords, k1, b)
        if stemmer is not None and variant not in built:
            built[variant] = LexicalIndex.build(
                documents, stemmer=stemmer or None, stopwords=sorted(FTS_STOPWORDS) if stopwords == "fts" else None, k1=k1, b=b
            )
        for q in queries:
            if stemmer is None:
                match = fts_query(q.text)
                lexical = store.lexical(match, q.filters, depth) if match else []
            else:
                lexical = built[variant].rank(q.text, depth, allowed[q.filters], heading_weight=weight)
                if lexical is None:  # only stop words: the Searcher falls back to FTS5 too
                    match = fts_query(q.text)
                    lexical = store.lexical(match, q.filters, depth) if match else []
            fused = reciprocal_rank_fusion(
                [[r for r, _ in dense[q.qid]], [r for r, _ in lexical]], ranking.rrf_k, [ranking.dense_weight, ranking.lexical_weight]
            )
            for mode, ranked in (("lexical", lexical[:depth]), ("hybrid", fused[:depth])):
                ids = store.ids([r for r, _ in ranked])
                runs[mode] += [RunEntry(q.qid, ids[r], rank, float(s)) for rank, (r, s) in enumerate(ranked, 1)]
        scores = {mode: evaluate(f"{name}-{mode}", qrels, run).means for mode, run in runs.items()}
        unjudged = {mode: sum(1 for e in run if e.rank <= 10 and e.docid not in qrels.get(e.qid, {})) for mode, run in runs.items()}
        print(f"| {name} | {scores['lexical']['nDCG@10']:.3f} | {scores['lexical']['MRR@10']:.3f} | "
              f"{scores['hybrid']['nDCG@10']:.3f} | {scores['hybrid']['MRR@10']:.3f} | {unjudged['lexical']} / {unjudged['hybrid']} |",
              flush=True)
    store.close()


def _rows(store: Store, hits) -> list[tuple[int, float]]:
    """Dense hits back to store rows (the fusion works on rows, as the Searcher's does)."""
    return [(store.paragraph(h.id).row, h.score) for h in hits]


if __name__ == "__main__":
    main()
