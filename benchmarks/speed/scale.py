"""Vector backends at scale: flat, HNSW and IVF-SQ8 (unres's `VectorIndex`) over N 384-d vectors.

Run: python benchmarks/speed/scale.py [--size 1000000] [--index DIR] [--backends flat,hnsw,ivf]
     python benchmarks/speed/scale.py --lexical --index DIR [--size 1000000]

The vectors are the corpus's own (from `--index`, a built index) with noise added, so they keep the
clustered shape of real embeddings (pure Gaussian vectors have none and flatter every backend but
flat); without `--index`, clustered synthetic ones. Queries are held-out noisy vectors. For each
backend: build time, resident memory added, recall@10 against exact search, and p50/p95 latency of
one query, unfiltered and within a random 1 % of the rows (the filter is applied before ranking).

`--lexical` measures the other half of a write at that size: the BM25 index (`LexicalIndex`, both
fields) built over N paragraphs drawn at random from the index's own (text, title and section), with
its size on disk, resident memory added and the p50 of a query (across segments, once documents were
added); then what one document costs at N: `lexical.update` adding one resolution's worth of
paragraphs (and, replacing one, removing as many), five times in a row, as five writes would; and N
flat vectors written as one file (what every write cost before segments) against the same
replacement's write (`VectorIndex.commit`), each after loading the vectors as a writer does.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from pathlib import Path

import numpy as np

from unres.index.vectors import Selection, VectorIndex

DIMENSION = 384


def resident_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096 / 1e6


def base_vectors(index: Path | None, rng: np.random.Generator) -> np.ndarray:
    """Corpus vectors from a built index, else 2,000 random unit centres to scatter vectors around."""
    if index is not None:
        from unres.index.filters import KINDS, Filters
        from unres.search import Searcher

        with Searcher.open(index) as searcher:
            return searcher.vectors(Filters(kinds=KINDS))[1]
    return normalized(rng.standard_normal((2000, DIMENSION), dtype=np.float32))


def normalized(vectors: np.ndarray) -> np.ndarray:
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def noisy(base: np.ndarray, count: int, rng: np.random.Generator, noise: float = 0.04) -> np.ndarray:
    """`count` unit vectors, each a random base vector plus Gaussian noise (cosine about 0.8 to its base)."""
    out = np.empty((count, DIMENSION), dtype=np.float32)
    for begin in range(0, count, 100_000):
        n = min(100_000, count - begin)
        chunk = base[rng.integers(0, len(base), n)] + rng.standard_normal((n, DIMENSION), dtype=np.float32) * noise
        out[begin : begin + n] = normalized(chunk)
    return out


def exact(vectors: np.ndarray, queries: np.ndarray, k: int, rows: np.ndarray | None = None) -> list[set[int]]:
    """True top-k row sets by brute-force inner product (numpy, in blocks)."""
    scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
    ids = np.zeros((len(queries), k), dtype=np.int64)
    candidates = np.arange(len(vectors)) if rows is None else rows
    for begin in range(0, len(candidates), 200_000):
        block = candidates[begin : begin + 200_000]
        s = queries @ vectors[block].T
        merged_s = np.hstack([scores, s])
        merged_i = np.hstack([ids, np.broadcast_to(block, s.shape)])
        top = np.argpartition(-merged_s, k, axis=1)[:, :k]
        scores = np.take_along_axis(merged_s, top, 1)
        ids = np.take_along_axis(merged_i, top, 1)
    return [set(map(int, row)) for row in ids]


def measure(index: VectorIndex, queries: np.ndarray, truth: list[set[int]], rows: Selection | None) -> tuple[float, float, float]:
    """recall@10, p50 ms, p95 ms of single-query searches."""
    samples, hits = [], 0
    for query, expected in zip(queries, truth, strict=True):
        start = time.perf_counter()
        found = index.search(query, 10, rows)
        samples.append(time.perf_counter() - start)
        hits += len(expected & {r for r, _ in found})
    samples.sort()
    return hits / (10 * len(queries)), statistics.median(samples) * 1000, samples[int(0.95 * (len(samples) - 1))] * 1000


def lexical(index: Path, size: int, rng: np.random.Generator) -> None:
    """BM25 over `size` paragraphs resampled from `index`: build time, size on disk, memory, query p50;
    then a one-document write at that size (BM25 segment, vectors file)."""
    import shutil
    import tempfile

    from unres.index.config import DATABASE_FILE
    from unres.index.lexical import Document, LexicalIndex, update
    from unres.index.store import Store

    store = Store.open(index / DATABASE_FILE)
    try:
        real = list(store.lexical_documents())
    finally:
        store.close()
    drawn = rng.integers(0, len(real), size)
    documents = {row: Document(row, real[i].text, real[i].heading) for row, i in enumerate(drawn.tolist())}
    gc.collect()
    before = resident_mb()
    start = time.perf_counter()
    built = LexicalIndex.build(documents.values())
    seconds = time.perf_counter() - start
    memory = resident_mb() - before
    folder = Path(tempfile.mkdtemp(prefix="unres-scale-lexical-"))
    try:
        record = built.save(folder, 1)
        on_disk = sum(p.stat().st_size for p in (folder / "lexical.1").iterdir()) / 1e6
        del built
        paragraphs = 23  # a resolution's operative paragraphs, about the corpus's mean
        updates = []
        for generation in range(2, 7):
            added = list(range(size + (generation - 2) * paragraphs, size + (generation - 1) * paragraphs))  # rows are never reused
            documents.update({row: Document(row, real[i].text, real[i].heading)
                              for row, i in zip(added, rng.integers(0, len(real), paragraphs).tolist(), strict=True)})
            removed = sorted(rng.choice(sorted(documents)[:-paragraphs], paragraphs, replace=False).tolist())
            for row in removed:
                del documents[row]
            begin = time.perf_counter()
            record = update(folder, generation, record, removed, added, lambda rows: [documents[r] for r in (sorted(documents) if rows is None else rows)])
            updates.append(time.perf_counter() - begin)
        loaded = LexicalIndex.load(folder, record)
        queries = [line.strip() for line in (Path(__file__).parent / "queries.txt").read_text().splitlines() if line.strip()]
        samples = []
        for query in queries:
            begin = time.perf_counter()
            loaded.rank(query, 100)
            samples.append(time.perf_counter() - begin)
        print(f"| {size:,} paragraphs ({len(real):,} real ones resampled) | build {seconds:.1f} s | {on_disk:,.0f} MB on disk | "
              f"{memory:,.0f} MB resident added | query p50 {statistics.median(samples) * 1000:.1f} ms ({loaded.segments} segments) | "
              f"one document replaced ({paragraphs} paragraphs out, {paragraphs} in), 5 writes: "
              f"{', '.join(f'{u:.2f}' for u in updates)} s |", flush=True)
        del loaded
        vectors = VectorIndex.create(DIMENSION)
        chunk = rng.standard_normal((100_000, DIMENSION)).astype(np.float32)
        for begin in range(0, size, len(chunk)):
            count = min(len(chunk), size - begin)
            vectors.add(np.arange(begin, begin + count), chunk[:count])
        begin = time.perf_counter()
        written = vectors.commit(folder, 1)  # every vector in one file: what each write cost before segments
        whole = time.perf_counter() - begin
        del vectors
        begin = time.perf_counter()
        reader = VectorIndex.load(folder, 1, written, DIMENSION, "flat")  # a reader: one file, mapped in place
        open_one = time.perf_counter() - begin
        search_one = _search_p50(reader, chunk)
        del reader
        writes = []
        for generation in range(2, 7):
            begin = time.perf_counter()
            vectors = VectorIndex.load(folder, generation - 1, written, DIMENSION, "flat", writable=True)
            loaded = time.perf_counter() - begin
            start = (generation - 2) * paragraphs
            vectors.remove(list(range(start, start + paragraphs)))
            vectors.add(np.arange(size + start, size + start + paragraphs), chunk[:paragraphs])
            begin = time.perf_counter()
            written = vectors.commit(folder, generation)
            writes.append((loaded, time.perf_counter() - begin))
            del vectors
        begin = time.perf_counter()
        reader = VectorIndex.load(folder, 6, written, DIMENSION, "flat")  # a reader: the files mapped, searched where they lie
        open_many = time.perf_counter() - begin
        search_many, opened = _search_p50(reader, chunk), len(reader)
        print(f"| {size:,} flat vectors | all written as one file ({written.segments[0].size / 1e9:.2f} GB): {whole:.2f} s | "
              f"one document replaced, 5 writes (load, then write): {', '.join(f'{a:.2f} + {b:.2f}' for a, b in writes)} s "
              f"({len(written.segments)} files) | a reader opens one file in {open_one:.2f} s (query p50 {search_one:.0f} ms), "
              f"the {len(written.segments)} files ({opened:,} vectors, deletions) in {open_many:.2f} s (query p50 {search_many:.0f} ms) |",
              flush=True)
    finally:
        shutil.rmtree(folder)


def _search_p50(index: VectorIndex, vectors: np.ndarray) -> float:
    """Milliseconds, the median of 20 top-10 searches."""
    samples = []
    for query in vectors[:20]:
        begin = time.perf_counter()
        index.search(query, 10)
        samples.append(time.perf_counter() - begin)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--index", type=Path, default=None, help="a built index whose vectors seed the synthetic ones")
    parser.add_argument("--backends", default="flat,hnsw,ivf")
    parser.add_argument("--lexical", action="store_true", help="measure the BM25 build at --size instead (needs --index)")
    args = parser.parse_args()
    rng = np.random.default_rng(8)
    if args.lexical:
        if args.index is None:
            parser.error("--lexical resamples a built index's paragraphs: give --index")
        lexical(args.index, args.size, rng)
        return
    base = base_vectors(args.index, rng)
    vectors = noisy(base, args.size, rng)
    queries = noisy(base, args.queries, rng)
    rows = np.arange(args.size, dtype=np.int64)
    subset = np.sort(rng.choice(args.size, args.size // 100, replace=False))
    truth, truth_filtered = exact(vectors, queries, 10), exact(vectors, queries, 10, subset)
    print(f"{args.size:,} vectors ({'corpus vectors of ' + str(args.index) if args.index else 'clustered synthetic'} + noise), "
          f"{args.queries} queries, filter = {len(subset):,} random rows (1 %)", flush=True)
    print("| backend | build s | memory MB | recall@10 | p50 ms | p95 ms | recall@10, 1 % filter | p50 ms, 1 % filter | p95 ms, 1 % filter |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |", flush=True)
    for backend in args.backends.split(","):
        gc.collect()
        before = resident_mb()
        start = time.perf_counter()
        index = VectorIndex.create(DIMENSION, backend)
        index.add(rows, vectors)
        build = time.perf_counter() - start
        memory = resident_mb() - before
        selection = Selection(subset)
        recall, p50, p95 = measure(index, queries, truth, None)
        f_recall, f_p50, f_p95 = measure(index, queries, truth_filtered, selection)
        print(f"| {backend} | {build:.1f} | {memory:,.0f} | {recall:.3f} | {p50:.2f} | {p95:.2f} | {f_recall:.3f} | {f_p50:.2f} | {f_p95:.2f} |", flush=True)
        del index, selection


if __name__ == "__main__":
    main()
