"""A whole index at a million paragraphs, built by `Indexer.add` as any corpus is, to see every stage at that size.

Run: python benchmarks/speed/scale_index.py --index INDEX [--size 1000000] [--parts 1] [--backend flat|hnsw|ivf] [--work NEW_DIR]

The corpus is synthetic Security Council resolutions of 23 operative paragraphs (about the corpus's
mean), written as text files in the UN's own naming and format. Each paragraph is one of INDEX's
operative paragraphs drawn at random, with two of its words swapped for words drawn from the same
paragraphs, so that texts stay distinct as the corpus's mostly are (31k distinct in 37k). They are
parsed, stored (SQLite, FTS5), linked (lineage, citations), scored (BM25 segments) and their vectors
written, each stage timed from the indexer's own progress events. Embedding is the one stage replaced:
a text's vector is one of INDEX's vectors plus noise (cosine about 0.8 to it), picked by the text's
CRC (not the vector of the paragraph it was drawn from, so the word-level comparisons that confirm
links mostly stop early: a lower bound), because embedding a million texts takes hours on 2 cores; its real rate comes from
`embedding_throughput.py` and the projection in benchmarks/README.md adds it.

With `--parts K` the corpus is added in K writes, one after another (as K `unres index` commands of one
folder each would), each with its own time and peak memory: what one write holds against what the
index holds. Then, at that size: the index's size on disk by part, peak memory of the build, one document added
and one replaced (each a write of 23 paragraphs), a cold `unres search` in a new process against a
bare `import numpy, faiss, sqlite3` (alternating, 5 each) and warm p50 per mode.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import time
import zlib
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: _common
from _common import compile_package, unres_command

PARAGRAPHS = 23  # operative paragraphs per synthetic resolution
FIRST_NUMBER = 10_000  # synthetic resolutions are numbered from here, above every real one


def corpus(index: Path) -> tuple[list[str], np.ndarray]:
    """INDEX's operative paragraph texts and their vectors."""
    from unres.index.filters import Filters
    from unres.search import Searcher

    with Searcher.open(index) as searcher:
        ids, vectors = searcher.vectors(Filters())  # operative paragraphs, the default
        texts = searcher.texts(Filters())
    return [texts[i] for i in ids], vectors


def write_documents(folder: Path, texts: list[str], count: int, rng: random.Random, first: int = FIRST_NUMBER) -> list[Path]:
    """`count` synthetic resolutions as SC text files in `folder`, numbered from `first`."""
    words = [w for text in texts for w in text.split()]
    paths = []
    for n in range(first, first + count):
        year = 1946 + n % 80
        body = [f"Resolution {n} ({year})", f"of 1 January {year}", "", "The Security Council,", "",
                "Recalling its previous resolutions,", ""]
        for number in range(1, PARAGRAPHS + 1):
            tokens = rng.choice(texts).split()
            for _ in range(2 if len(tokens) > 2 else 0):
                tokens[rng.randrange(1, len(tokens))] = rng.choice(words)  # not the first: the operative verb
            body += [f"{number}. {' '.join(tokens)}", ""]
        body.append(f"Adopted at the {n}th meeting by 15 votes to none.")
        path = folder / f"S_RES_{n:05d}_{year}_EN_GOLD.txt"
        path.write_text("\n".join(body) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def resampled_embedding(vectors: np.ndarray):
    """A stand-in for `OnnxEmbedder.encode_many`: each text's vector one of `vectors` plus noise, by its CRC."""
    def encode_many(self, texts, chunk=256, progress=None, *, query=False):
        seeds = np.array([zlib.crc32(text.encode("utf-8")) for text in texts], dtype=np.int64)
        out = vectors[seeds % len(vectors)] + np.random.default_rng(int(seeds.sum())).standard_normal(
            (len(texts), vectors.shape[1]), dtype=np.float32) * 0.04
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        if progress is not None:
            progress(len(texts), len(texts))
        return out
    return encode_many


class Timed:
    """Seconds spent in a function, to split a stage into its parts (replaces it on its module)."""

    def __init__(self, module, name: str) -> None:
        self.seconds, self.calls = 0.0, 0
        original = getattr(module, name)

        def timed(*args, **kwargs):
            begin = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - begin
                self.calls += 1
        setattr(module, name, timed)


class Stages:
    """Wall time of each stage, from the first progress event of a stage to the first of the next."""

    def __init__(self) -> None:
        self.marks: list[tuple[str, float]] = []

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.marks or self.marks[-1][0] != stage:
            self.marks.append((stage, time.perf_counter()))

    def seconds(self, end: float) -> dict[str, float]:
        times: dict[str, float] = {}
        for (stage, begin), (_, after) in zip(self.marks, [*self.marks[1:], ("end", end)], strict=True):
            times[stage] = times.get(stage, 0.0) + after - begin
        return times


def sizes(directory: Path) -> dict[str, float]:
    """MB on disk per part of the index."""
    parts: dict[str, float] = {}
    for path in directory.rglob("*"):
        if path.is_file():
            relative = path.relative_to(directory).parts
            part = relative[0].split(".")[0] if relative[0] not in ("unres.sqlite", "unres.sqlite-wal") else "database"
            parts[part] = parts.get(part, 0.0) + path.stat().st_size / 1e6
    return parts


def reset_peak() -> None:
    """Count this process's peak resident memory afresh from here (Linux: /proc/self/clear_refs, VmHWM);
    where that cannot be done, `peak_mb` reports the peak since the process started."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def peak_mb() -> float:
    """This process's peak resident memory since the last `reset_peak`, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_add(directory: Path, paths: list[Path], backend: str | None = None) -> tuple[float, dict[str, float]]:
    from unres.index import Indexer

    stages = Stages()
    start = time.perf_counter()
    Indexer(directory, backend=backend, progress=stages, workers=2).add(paths)
    end = time.perf_counter()
    return end - start, stages.seconds(end)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, required=True, help="a built index whose paragraphs and vectors are resampled")
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/unres-scale-index"), help="a new folder for the files and the index")
    parser.add_argument("--backend", default="flat", help="of the vectors: flat (exact), hnsw or ivf")
    parser.add_argument("--parts", type=int, default=1, help="add the corpus in this many writes, one after another")
    args = parser.parse_args()
    if not 1 <= args.parts <= args.size // PARAGRAPHS:
        parser.error(f"--parts must be from 1 to the number of documents ({args.size // PARAGRAPHS:,})")
    if args.work.exists():
        parser.error(f"{args.work} exists: give a new folder (--work) for the files and the index")
    from unres.index import encoder

    rng = random.Random(8)
    texts, vectors = corpus(args.index)
    files, directory = args.work / "files", args.work / "index"
    files.mkdir(parents=True)
    documents = args.size // PARAGRAPHS
    start = time.perf_counter()
    paths = write_documents(files, texts, documents, rng)
    print(f"{documents:,} synthetic resolutions, {documents * PARAGRAPHS:,} paragraphs, written in "
          f"{time.perf_counter() - start:.0f} s", flush=True)
    encoder.OnnxEmbedder.encode_many = resampled_embedding(vectors)
    from unres.index.links import lineage
    from unres.index.vectors import VectorIndex

    searching, comparing = Timed(VectorIndex, "search_many"), Timed(lineage, "similarity")

    seconds, stages, peak = 0.0, {}, 0.0  # peak of this process: the writer (parsers and the export run apart)
    for part in range(args.parts):
        reset_peak()
        some = paths[part * len(paths) // args.parts : (part + 1) * len(paths) // args.parts]
        took, by_stage = timed_add(directory, some, args.backend)
        held = peak_mb()
        seconds, peak = seconds + took, max(peak, held)
        stages = {stage: stages.get(stage, 0.0) + by_stage.get(stage, 0.0) for stage in {**stages, **by_stage}}
        if args.parts > 1:
            print(f"| write {part + 1} of {args.parts} ({len(some) * PARAGRAPHS:,} paragraphs) | {took:.0f} s: "
                  + ", ".join(f"{stage} {s:.0f} s" for stage, s in by_stage.items()) + f" | peak resident {held:,.0f} MB |",
                  flush=True)
    on_disk = sizes(directory)
    print(f"| build | {seconds:.0f} s: " + ", ".join(f"{stage} {s:.0f} s" for stage, s in stages.items())
          + f" | peak resident {peak:,.0f} MB | on disk {sum(on_disk.values()):,.0f} MB: "
          + ", ".join(f"{part} {mb:,.0f}" for part, mb in sorted(on_disk.items(), key=lambda kv: -kv[1])) + " |", flush=True)
    print(f"| of the links | nearest paragraphs by vector (`search_many`) {searching.seconds:.0f} s; "
          f"{comparing.calls:,} word-level comparisons (`similarity`) {comparing.seconds:.0f} s |", flush=True)

    extra = args.work / "extra"
    extra.mkdir()
    (added,) = write_documents(extra, texts, 1, rng, first=FIRST_NUMBER + documents)
    seconds, stages = timed_add(directory, [added])
    print(f"| one document added ({PARAGRAPHS} paragraphs) | {seconds:.2f} s: "
          + ", ".join(f"{stage} {s:.2f} s" for stage, s in stages.items()) + " |", flush=True)
    (replaced,) = write_documents(extra, texts, 1, rng, first=FIRST_NUMBER)  # the first one again, other paragraphs
    seconds, stages = timed_add(directory, [replaced])
    print(f"| one document replaced | {seconds:.2f} s: " + ", ".join(f"{stage} {s:.2f} s" for stage, s in stages.items()) + " |", flush=True)

    compile_package()
    queries = [q.strip() for q in (Path(__file__).parent / "queries.txt").read_text().splitlines() if q.strip()]
    cold, floors = [], []
    for query in queries[:5]:
        begin = time.perf_counter()
        subprocess.run(unres_command("search", query, "--index", str(directory)), check=True, capture_output=True)
        cold.append(time.perf_counter() - begin)
        begin = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import numpy, faiss, sqlite3"], check=True, capture_output=True)
        floors.append(time.perf_counter() - begin)
    print(f"| cold `unres search` (hybrid) | {statistics.median(cold):.2f} s; bare import {statistics.median(floors):.2f} s; "
          f"ratio {statistics.median(cold) / statistics.median(floors):.2f} |", flush=True)

    from unres.search import Searcher

    with Searcher.open(directory) as searcher:
        warm = []
        for mode in ("hybrid", "dense", "lexical"):
            searcher.search(queries[0], mode=mode)
            samples = []
            for query in queries:
                begin = time.perf_counter()
                searcher.search(query, mode=mode)
                samples.append(time.perf_counter() - begin)
            warm.append(f"{mode} {statistics.median(samples) * 1000:.0f} ms")
    print(f"| warm p50 ({len(queries)} queries) | {', '.join(warm)} |", flush=True)


if __name__ == "__main__":
    main()
