"""Parse time against document size: a synthetic GA-shaped text of 5 MB and of 50 MB (ten times
larger), parsed in this process. Linear parsing gives a time ratio near 10; a quadratic step
would give 100.

Run: python benchmarks/speed/parse_scaling.py [--small-mb 5] [--factor 10]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from unres.index import parse_file

HEAD = """General Assembly

Seventy-eighth session
Agenda item 18

Resolution adopted by the General Assembly on 19 December 2023

[on the report of the Second Committee (A/78/461)]

78/999. A synthetic resolution for timing

The General Assembly,

Recalling its resolution 77/178 of 14 December 2022,¹

"""
PARAGRAPH = (
    "{n}. *Requests* the Secretary-General to report to the General Assembly at its eightieth session on the "
    "implementation of the present resolution, including on resolution 77/{m}, and to include in that report "
    "recommendations on ways to strengthen cooperation among Member States, the United Nations system and "
    "other relevant stakeholders;\n\n"
)
TAIL = "*50th plenary meeting\n19 December 2023*\n\n¹ A/78/100, annex.\n"


def synthetic(megabytes: float) -> str:
    """A GA-shaped text of about `megabytes` MB: one preambular paragraph, then numbered paragraphs."""
    size = int(megabytes * 1_000_000)
    parts, n, length = [HEAD], 0, len(HEAD)
    while length < size:
        n += 1
        parts.append(PARAGRAPH.format(n=n, m=n % 999 + 1))
        length += len(parts[-1])
    parts.append(TAIL)
    return "".join(parts)


def timed(text: str, directory: Path, name: str) -> tuple[float, int]:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    resolution = parse_file(path)
    return time.perf_counter() - start, len(resolution.operative)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small-mb", type=float, default=5.0)
    parser.add_argument("--factor", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small_seconds, small_paragraphs = timed(synthetic(args.small_mb), Path(tmp), "small.txt")
        print(f"{args.small_mb:g} MB: {small_paragraphs} paragraphs in {small_seconds:.2f} s", file=sys.stderr, flush=True)
        large_seconds, large_paragraphs = timed(synthetic(args.small_mb * args.factor), Path(tmp), "large.txt")
    print(f"small text         {args.small_mb:g} MB, {small_paragraphs} paragraphs, {small_seconds:.2f} s")
    print(f"large text         {args.small_mb * args.factor:g} MB, {large_paragraphs} paragraphs, {large_seconds:.2f} s")
    print(f"time ratio         {large_seconds / small_seconds:.1f}  (size ratio {args.factor:g}; linear ≈ {args.factor:g})")


if __name__ == "__main__":
    main()
