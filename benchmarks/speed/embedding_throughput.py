"""Embedding throughput: paragraphs/s of unres's Embedder (as the indexer calls it, in chunks)
against plain `SentenceTransformer.encode` of the same texts, in the same run.

Run: python benchmarks/embedding_throughput.py [--paragraphs N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from unres.index import parse_paths
from unres.index.builder import EMBED_CHUNK
from unres.index.config import DEFAULT_TEMPLATE
from unres.index.embed import Embedder, embedding_text, model_path

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def sample_texts(count: int) -> list[str]:
    """The first `count` paragraphs of the GA PDFs and SC texts, alternately, as the indexer embeds them."""
    texts: list[str] = []
    sources = [sorted((CORPUS / "ga").glob("*.pdf"))[:60], sorted((CORPUS / "sc").glob("*.txt"))[-200:]]
    for paths in sources:
        for parsed in parse_paths(paths):
            if parsed.resolution:
                texts += [embedding_text(DEFAULT_TEMPLATE, p, parsed.resolution) for p in parsed.resolution.paragraphs]
            if len(texts) >= count * len(sources):
                break
    return texts[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--paragraphs", type=int, default=2000)
    args = parser.parse_args()
    texts = sample_texts(args.paragraphs)
    embedder = Embedder()
    from sentence_transformers import SentenceTransformer

    plain = SentenceTransformer(model_path(None), device="cpu")
    plain.encode(texts[:64])
    embedder.encode(texts[:64])

    baseline = ours = 0.0
    for _ in range(2):  # alternate, so neither side gets only the warmer or the cooler run
        start = time.perf_counter()
        plain.encode(texts, show_progress_bar=False)
        baseline += time.perf_counter() - start
        start = time.perf_counter()
        embedder.encode_many(texts, EMBED_CHUNK)
        ours += time.perf_counter() - start
    baseline, ours = baseline / 2, ours / 2

    print(f"paragraphs                     {len(texts)}")
    print(f"plain SentenceTransformer      {len(texts) / baseline:8.1f} paragraphs/s")
    print(f"unres Embedder (indexer path)  {len(texts) / ours:8.1f} paragraphs/s")
    print(f"ratio unres / plain            {baseline / ours:8.3f}")


if __name__ == "__main__":
    main()
