"""Warm in-process query latency per mode over a built index, against plain
`sentence_transformers.util.semantic_search` (same embeddings) and plain `bm25s` (same paragraph
texts) in the same run; cold `unres search` from a new process against a bare
`python -c "import numpy, faiss, sqlite3"`; HNSW recall@10 against exact search.

Run: python benchmarks/speed/query_latency.py INDEX_DIR [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from unres.index.filters import KINDS, Filters
from unres.index.vectors import VectorIndex
from unres.search import Ranking, Searcher

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: _common and the other scripts
from _common import compile_package, percentiles, print_result, unres_command

QUERIES = Path(__file__).with_name("queries.txt")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("index", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    queries = [q for q in QUERIES.read_text().splitlines() if q.strip()]
    searcher = Searcher.open(args.index)
    for query in queries[:3]:
        searcher.search(query, mode="hybrid")  # warm: model loaded, caches filled

    results: dict[str, list[float]] = {"query embedding alone": []}
    for _ in range(args.repeat):
        for query in queries:
            start = time.perf_counter()
            searcher.embed(query)
            results["query embedding alone"].append(time.perf_counter() - start)
    for mode in ("dense", "lexical", "hybrid"):
        samples = []
        for _ in range(args.repeat):
            for query in queries:
                start = time.perf_counter()
                searcher.search(query, k=10, mode=mode)
                samples.append(time.perf_counter() - start)
        results[mode] = samples
    bare = Ranking(understand=False, collapse=False)  # the ranking alone, as the baselines do it
    samples = []
    for _ in range(args.repeat):
        for query in queries:
            start = time.perf_counter()
            searcher.search(query, k=10, mode="lexical", ranking=bare)
            samples.append(time.perf_counter() - start)
    results["lexical, ranking alone"] = samples

    import torch
    from sentence_transformers import util

    rows, matrix = searcher.vectors()
    corpus = torch.from_numpy(matrix)
    samples = []
    for _ in range(args.repeat):
        for query in queries:
            start = time.perf_counter()
            embedding = torch.from_numpy(searcher.embed(query)).unsqueeze(0)
            util.semantic_search(embedding, corpus, top_k=10)
            samples.append(time.perf_counter() - start)
    results["baseline semantic_search"] = samples

    import bm25s

    texts = list(searcher.texts().values())
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(texts, stopwords="en", show_progress=False), show_progress=False)
    samples = []
    for _ in range(args.repeat):
        for query in queries:
            start = time.perf_counter()
            retriever.retrieve(bm25s.tokenize(query, stopwords="en", show_progress=False), k=10, show_progress=False)
            samples.append(time.perf_counter() - start)
    results["baseline bm25s"] = samples

    print(f"index {args.index}: {searcher.stats().vectors} vectors, {len(rows)} operative; "
          f"{len(queries)} queries x {args.repeat}")
    baselines = {"lexical": "baseline bm25s", "lexical, ranking alone": "baseline bm25s"}
    result: dict[str, float] = {}
    for name, samples in results.items():
        p50, p95 = percentiles(samples)
        result |= {f"{name} p50": p50, f"{name} p95": p95}
        base = baselines.get(name, "baseline semantic_search")
        base_p50, _ = percentiles(results[base])
        print(f"{name:<28} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   p50 / {base} {p50 / base_p50:6.2f}")

    compile_package()
    cold, floors = [], []
    for query in queries[:7]:  # each next to a bare import, so that both see the machine as it is then
        start = time.perf_counter()
        subprocess.run(unres_command("search", query, "--index", str(args.index)), check=True, capture_output=True)
        cold.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import numpy, faiss, sqlite3"], check=True, capture_output=True)
        floors.append(time.perf_counter() - start)
    floor = statistics.median(floors)
    print(f"cold `unres search` (new process, hybrid) {statistics.median(cold):.2f} s; "
          f"bare `import numpy, faiss, sqlite3` {floor:.2f} s; ratio {statistics.median(cold) / floor:.2f}")
    result |= {"cold": statistics.median(cold), "import floor": floor}

    all_ids, matrix = searcher.vectors(Filters(kinds=KINDS))
    all_rows = list(range(len(all_ids)))
    exact_index = VectorIndex.create(matrix.shape[1], "flat")
    exact_index.add(all_rows, matrix)
    hnsw = VectorIndex.create(matrix.shape[1], "hnsw")
    start = time.perf_counter()
    hnsw.add(all_rows, matrix)
    build = time.perf_counter() - start
    hits = total = 0
    for query in queries:
        embedding = searcher.embed(query)
        exact = {r for r, _ in exact_index.search(embedding, 10)}
        approx = {r for r, _ in hnsw.search(embedding, 10)}
        hits += len(exact & approx)
        total += len(exact)
    print(f"HNSW (M=32) build {build:.1f} s over {len(all_rows)} vectors; recall@10 against exact {hits / total:.3f}")
    print_result(result | {"hnsw recall": hits / total})


if __name__ == "__main__":
    main()
