"""Every speed measurement for the full shared corpus on this machine, in one command, and the table of issue 8.

Run: python benchmarks/speed/run.py [--index DIR] [--skip-build] [--paragraphs N]
Parse pages/s; embedding paragraphs/s (plain SentenceTransformer.encode, unres torch, ONNX fp32 and
int8); full build time and peak memory; warm query latency per mode against semantic_search and
bm25s; cold `unres search` against a bare import of numpy, faiss and sqlite3; HNSW recall. Each
ratio is against a baseline measured in the same run. Ends with the issue's table in Markdown.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: _common and the other scripts
from _common import read_result

HERE = Path(__file__).resolve().parent


def step(script: str, *args: str) -> dict:
    """Run one benchmark, echo its output, and return its closing `result: {...}` line, if any."""
    print(f"\n## {script}", flush=True)
    out = subprocess.run([sys.executable, str(HERE / script), *args], check=True, capture_output=True, text=True).stdout
    print(out.rstrip(), flush=True)
    return read_result(out)


def table(embedding: dict, build: dict, queries: dict) -> str:
    """The targets of issue 8 with this run's numbers."""
    plain_seconds = build["paragraphs"] / embedding["plain_per_s"]  # plain encode of every paragraph text, at the rate measured now
    cold, floor = queries["cold"], queries["import floor"]
    dense = queries["dense p50"] / queries["baseline semantic_search p50"]
    lexical = queries["lexical p50"] / queries["baseline bm25s p50"]
    rows = [
        ("cold `unres search` (hybrid, full index), wall", f"{cold:.2f} s ({cold / floor:.2f}× bare `import numpy, faiss, sqlite3`, {floor:.2f} s)",
         "≤ 1.0 s, and ≤ 3× the bare import"),
        ("full-corpus `unres index`, wall, 2 cores", f"{build['seconds']:.0f} s ({build['seconds'] / plain_seconds:.2f}× plain `encode` of its "
         f"{build['paragraphs']:,} paragraphs at {embedding['plain_per_s']:.1f}/s, {plain_seconds:.0f} s)", "≤ 330 s, and ≤ 0.6× plain `encode`"),
        ("peak resident memory of that build", f"{build['peak_mb']:,.0f} MB", "≤ 1,200 MB"),
        ("warm dense p50 vs `util.semantic_search`", f"{queries['dense p50']:.2f} ms vs {queries['baseline semantic_search p50']:.2f} ms: {dense:.2f}×", "≤ 1.0×"),
        ("warm lexical p50 vs bm25s", f"{queries['lexical p50']:.2f} ms vs {queries['baseline bm25s p50']:.2f} ms: {lexical:.2f}×", "≤ 3×"),
        ("embedding, paragraphs/s (ONNX fp32 / int8 / plain encode)",
         f"{embedding['onnx_per_s']:.1f} / {embedding['int8_per_s']:.1f} / {embedding['plain_per_s']:.1f}; int8 cosine to fp32 "
         f"mean {embedding['int8_cosine_mean']:.3f}, min {embedding['int8_cosine_min']:.3f}", "ONNX ≥ torch"),
    ]
    lines = ["| what | this run | target |", "| --- | --- | --- |"] + [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, default=Path("/tmp/unres-bench-index"))
    parser.add_argument("--skip-build", action="store_true", help="reuse the index (and its .build.json) already at --index")
    parser.add_argument("--paragraphs", default="1000", help="texts for the embedding throughput comparison")
    args = parser.parse_args()
    step("parse_throughput.py")
    embedding = step("embedding_throughput.py", "--paragraphs", args.paragraphs)
    if not args.skip_build:
        step("build_index.py", "--index", str(args.index))
    build = json.loads(args.index.with_name(args.index.name + ".build.json").read_text())
    queries = step("query_latency.py", str(args.index))
    print("\n## issue 8 table\n\n" + table(embedding, build, queries))


if __name__ == "__main__":
    main()
