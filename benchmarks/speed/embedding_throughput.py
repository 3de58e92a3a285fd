"""Embedding throughput: paragraphs/s of plain `SentenceTransformer.encode` against unres's torch
Embedder and its ONNX path (fp32 and int8, as the indexer calls them, in chunks), on the same
texts in the same run; and the cosine of the ONNX and int8 vectors to the torch ones.

Run: python benchmarks/speed/embedding_throughput.py [--paragraphs N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from unres.index import parse_paths
from unres.index.builder import EMBED_CHUNK
from unres.index.config import DEFAULT_MODEL, DEFAULT_TEMPLATE, model_path
from unres.index.embed import Embedder, embedding_text
from unres.index.encoder import OnnxEmbedder, export_encoder

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: _common and the other scripts
from _common import CORPUS, print_result


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
    from sentence_transformers import SentenceTransformer

    plain = SentenceTransformer(model_path(None), device="cpu")
    with tempfile.TemporaryDirectory() as scratch:
        embedders = {"torch": Embedder()}
        for name, int8 in (("onnx", False), ("int8", True)):
            export_encoder(None, DEFAULT_MODEL, Path(scratch) / name, int8=int8)
            embedders[name] = OnnxEmbedder(Path(scratch) / name)
        seconds = {name: 0.0 for name in ("plain", *embedders)}
        vectors = {}
        prompt = (plain.prompts or {}).get("passage") or None  # what the index embeds: e5's "passage: " prefix
        plain.encode(texts[:64], prompt=prompt)
        for embedder in embedders.values():
            embedder.encode(texts[:64])
        for _ in range(2):  # alternate, so no side gets only the warmer or the cooler runs
            start = time.perf_counter()
            plain.encode(texts, prompt=prompt, show_progress_bar=False)
            seconds["plain"] += time.perf_counter() - start
            for name, embedder in embedders.items():
                start = time.perf_counter()
                vectors[name] = embedder.encode_many(texts, EMBED_CHUNK)
                seconds[name] += time.perf_counter() - start

    labels = {
        "plain": "plain SentenceTransformer.encode", "torch": "unres Embedder (torch)",
        "onnx": "unres OnnxEmbedder fp32 (index path)", "int8": "unres OnnxEmbedder int8 (--int8)",
    }
    print(f"paragraphs {len(texts)}")
    for name, total in seconds.items():
        print(f"{labels[name]:<38} {2 * len(texts) / total:8.1f} paragraphs/s   ratio to plain {seconds['plain'] / total:6.3f}")
    result = {f"{name}_per_s": 2 * len(texts) / total for name, total in seconds.items()}
    for name in ("onnx", "int8"):
        cosine = (vectors["torch"] * vectors[name]).sum(axis=1)
        print(f"cosine {name} to torch fp32: min {cosine.min():.5f}, mean {cosine.mean():.5f}, 1st percentile {np.percentile(cosine, 1):.5f}")
        result |= {f"{name}_cosine_min": float(cosine.min()), f"{name}_cosine_mean": float(cosine.mean())}
    print_result(result)


if __name__ == "__main__":
    main()
