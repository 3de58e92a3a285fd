"""Figures from a judged sample (`sample.py`): precision and recall of lineage, Council chains,
budget sections and citations.

    python benchmarks/lineage/score.py benchmarks/lineage/sample-21

Verdicts, one per entry's `judged` field: versions.json "right" or "wrong"; recall.json the id of the
version (`#24` for paragraph 24 of the later resolution will do), or "none"; council.json {"chain": "right" | "wrong", "wrong_links":
[earlier id, …]}; sections.json "same" or "different"; citations.json {"missed": [symbol, …],
"wrong": [symbol, …]}. Entries not judged yet are counted apart.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sample", type=Path)
    args = parser.parse_args()
    load = lambda name: json.loads((args.sample / f"{name}.json").read_text(encoding="utf-8"))  # noqa: E731

    versions = load("versions")
    for group in ("title", "renamed", "act", None):
        judged = [v["judged"] for v in versions if group in (None, v["group"]) and v["judged"]]
        right = judged.count("right")
        print(f"version precision ({group or 'all GA'}): {ratio(right, len(judged))}")

    recall = [r | {"judged": full_id(r)} for r in load("recall") if r["judged"]]
    has_version = [r for r in recall if r["judged"] != "none"]
    found = sum(r["linked"] == r["judged"] for r in has_version)
    linked = [r for r in recall if r["linked"]]
    print(f"version recall: {ratio(found, len(has_version))}; links among these right: "
          f"{ratio(sum(r['linked'] == r['judged'] for r in linked), len(linked))}")

    council = [c for c in load("council") if c["judged"]]
    chains = sum(c["judged"]["chain"] == "right" for c in council)
    links = sum(len(c["links"]) for c in council if c["judged"]["chain"] == "right")
    wrong = sum(len(c["judged"].get("wrong_links", [])) for c in council if c["judged"]["chain"] == "right")
    print(f"Council chains right: {ratio(chains, len(council))}; their version links right: {ratio(links - wrong, links)}")

    sections = Counter(s["judged"] for s in load("sections"))
    print(f"budget links across sections: {sections['different']} of {sum(sections.values())} "
          f"({sections[None]} not judged)")

    citations = [c for c in load("citations") if c["judged"]]
    missed = sum(len(c["judged"].get("missed", [])) for c in citations)
    wrong = sum(len(c["judged"].get("wrong", [])) for c in citations)
    clean = sum(not c["judged"].get("missed") and not c["judged"].get("wrong") for c in citations)
    print(f"citations: {clean} of {len(citations)} paragraphs read right; {missed} symbols missed, {wrong} wrong")


def full_id(entry: dict) -> str:
    """A verdict as a full id: `#24` (as a reader may write it) is paragraph 24 of the pair's later resolution."""
    judged = entry["judged"]
    if judged.startswith("#"):
        return entry["pair"].split(" → ")[1].split()[0] + judged
    return judged


def ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.3f}" if whole else "nothing judged"


if __name__ == "__main__":
    main()
