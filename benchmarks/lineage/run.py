"""Precision and recall of the computed lineage links on the hand-checked chains, over a threshold sweep.

    python benchmarks/lineage/run.py [--index DIR]

Builds (once) an index of the 40 documents in documents.txt, then for each threshold setting relinks
it (the linking stage of indexing, rerun) and compares the `version` links touching a hand-checked
paragraph with the chains of tests/data/lineage_gold.json; also checks the 10 citation backlinks.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import pypdfium2

from unres.index.links import Thresholds
from unres.search import Searcher

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: _common and the other scripts
from _common import CORPUS, index_of
from lineage.relink import relink_index

HERE = Path(__file__).resolve().parent
GOLD = HERE.parents[1] / "tests" / "data" / "lineage_gold.json"
NEVER = 1.01  # a threshold no similarity reaches: the rule is off

SWEEP = [
    Thresholds(version=v, slot=NEVER) for v in (0.3, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8)
] + [Thresholds(version=0.5, slot=s) for s in (0.2, 0.3, 0.4)] + [Thresholds(version=0.6, slot=0.3)]


def documents() -> list[Path]:
    lines = (HERE / "documents.txt").read_text().splitlines()
    return [CORPUS / "ga" / name for line in lines if not line.startswith("#") for name in line.split()]


def gold() -> tuple[set[str], set[tuple[str, str]], list[dict]]:
    """Hand-checked paragraph ids, the links between consecutive versions, and the citation backlinks."""
    data = json.loads(GOLD.read_text())
    ids = {pid for chain in data["chains"] for pid in chain["chain"]}
    links = {(c["chain"][i], c["chain"][i + 1]) for c in data["chains"] for i in range(len(c["chain"]) - 1)}
    return ids, links, data["citations"]


def found_links(directory: Path, ids: set[str]) -> set[tuple[str, str]]:
    """The computed `version` links touching a hand-checked paragraph."""
    with Searcher.open(directory) as searcher:
        edges = searcher.graph().edges
    return {(e.source, e.target) for e in edges if e.relation == "version" and (e.source in ids or e.target in ids)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=Path("/tmp/unres-lineage-bench"), help="index to build or reuse")
    args = parser.parse_args()
    index_of(args.index, documents())
    ids, wanted, citations = gold()
    print(f"{len(wanted)} hand-checked links over {len(ids)} paragraphs\n")
    print(f"{'version':>7} {'slot':>5}  {'precision':>9} {'recall':>6}  {'found':>5}  seconds")
    for thresholds in [*SWEEP, Thresholds()]:
        start = time.perf_counter()
        relink_index(args.index, thresholds)
        seconds = time.perf_counter() - start
        found = found_links(args.index, ids)
        hits = len(found & wanted)
        precision, recall = hits / len(found) if found else 1.0, hits / len(wanted)
        slot = "off" if thresholds.slot >= NEVER else f"{thresholds.slot:.2f}"
        mark = "  <- default" if thresholds == Thresholds() else ""
        print(f"{thresholds.version:>7.2f} {slot:>5}  {precision:>9.3f} {recall:>6.3f}  {hits:>2}/{len(found):<3} {seconds:6.1f}{mark}")
    for earlier, later in sorted(wanted - found):
        print(f"missed with the default: {earlier} -> {later}")
    for earlier, later in sorted(found - wanted):
        print(f"wrong with the default: {earlier} -> {later}")
    with Searcher.open(args.index) as searcher:
        ok = sum(
            any(p.id == c["by"] and c["via"] in p.via for r in searcher.cited_by(c["cited"]).resolutions for p in r.paragraphs)
            for c in citations
        )
    print(f"\ncitation backlinks found: {ok}/{len(citations)}")
    agree, cited = grep_agreement(args.index)
    print(f"`cites` agrees with a grep of the PDF text for {agree}/{cited} cited GA resolution numbers")


def grep_agreement(directory: Path) -> tuple[int, int]:
    """For each GA resolution cited in the index: do the citing resolutions equal the documents whose
    PDF text holds its number (`56/64 B` counts for A/RES/56/64: citations keep a resolution's parts apart)?"""
    texts = {}
    for path in documents():
        document = pypdfium2.PdfDocument(path)
        texts["A/RES/" + path.stem.removeprefix("A_RES_").replace("_", "/")] = "\n".join(
            document[i].get_textpage().get_text_range() for i in range(len(document))
        )
    with Searcher.open(directory) as searcher:
        symbols = sorted({e.target for e in searcher.graph().edges if e.relation == "cites"})
        symbols = [s for s in symbols if re.fullmatch(r"A/RES/\d+/\d+[A-Z]?", s)]
        agree = 0
        for symbol in symbols:
            number, letter = re.fullmatch(r"A/RES/(\d+/\d+)([A-Z]?)", symbol).groups()
            pattern = re.compile(rf"(?<![\d/.]){re.escape(number)}" + (rf"\s?{letter}\b" if letter else r"(?![\d/])"))
            grep = {s for s, text in texts.items() if s != symbol and pattern.search(text)}
            found = {r.symbol for r in searcher.cited_by(symbol).resolutions}
            agree += grep == found
            if grep != found:
                print(f"grep and cites differ for {symbol}: grep only {sorted(grep - found)}, cites only {sorted(found - grep)}")
    return agree, len(symbols)


if __name__ == "__main__":
    main()
