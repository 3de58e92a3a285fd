"""Parse throughput over the GA PDFs: pages per second for `unres` parsing in one process, against
the bare PDFium text extraction of the same pages in the same run (the floor any PDF parser pays),
and the wall time of `parse_paths` with a process pool.

Run: python benchmarks/speed/parse_throughput.py [CORPUS_DIR] [--limit N] [--workers 2]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium

from unres.index import parse_file, parse_paths

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: _common and the other scripts
from _common import CORPUS


def bare_extraction(paths: list[Path]) -> tuple[int, float]:
    """Pages and seconds for PDFium's plain `get_text_range` over every page: the baseline."""
    start, pages = time.perf_counter(), 0
    for path in paths:
        document = pdfium.PdfDocument(str(path))
        for page in document:
            page.get_textpage().get_text_range()
            pages += 1
        document.close()
    return pages, time.perf_counter() - start


def unres_parse(paths: list[Path]) -> tuple[int, float]:
    """Paragraphs and seconds for full structured parsing with `parse_file`."""
    start, paragraphs = time.perf_counter(), 0
    for path in paths:
        paragraphs += len(parse_file(path).paragraphs)
    return paragraphs, time.perf_counter() - start


def pooled_parse(paths: list[Path], workers: int) -> tuple[int, float]:
    """Documents parsed and wall seconds for `parse_paths` with `workers` processes."""
    start = time.perf_counter()
    parsed = sum(1 for outcome in parse_paths(paths, workers=workers) if outcome.resolution is not None)
    return parsed, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS / "ga")
    parser.add_argument("--limit", type=int, default=0, help="only the first N PDFs (0: all)")
    parser.add_argument("--workers", type=int, default=2, help="processes for the pooled run (0: skip it)")
    args = parser.parse_args()
    paths = sorted(args.corpus.glob("*.pdf"))
    if args.limit:
        paths = paths[: args.limit]
    pages, bare_seconds = bare_extraction(paths)
    paragraphs, parse_seconds = unres_parse(paths)
    print(f"documents            {len(paths)}")
    print(f"pages                {pages}")
    print(f"paragraphs           {paragraphs}")
    print(f"bare PDFium text     {pages / bare_seconds:8.1f} pages/s")
    print(f"unres parse          {pages / parse_seconds:8.1f} pages/s")
    print(f"ratio parse / bare   {bare_seconds / parse_seconds:8.3f}  (1.0 = as fast as bare extraction)")
    if args.workers:
        parsed, pooled_seconds = pooled_parse(paths, args.workers)
        print(f"pooled parse         {pooled_seconds:8.1f} s wall for {parsed} documents, {args.workers} workers")


if __name__ == "__main__":
    main()
