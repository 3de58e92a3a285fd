"""Lineage on real resolutions: the hand-checked chains, diffs, first/last seen, new language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unres.index.errors import NotFoundError

GOLD = json.loads((Path(__file__).parents[1] / "data" / "lineage_gold.json").read_text())
INDEXED = ("A/RES/78/113", "A/RES/79/127", "A/RES/78/224", "A/RES/79/187", "A/RES/78/35", "A/RES/79/38")
CHAINS = [c for c in GOLD["chains"] if all(pid.split("#")[0] in INDEXED for pid in c["chain"])]


def test_the_gold_set_is_big_enough_and_covers_the_cases():
    cases = {c["case"] for c in GOLD["chains"]}
    assert len(GOLD["chains"]) >= 20 and len(GOLD["citations"]) >= 10
    assert {"renumbered", "edited", "dropped", "new"} <= cases


def test_lineage_matches_the_hand_checked_chains(lineage_searcher):
    """Precision and recall of the links among the hand-checked paragraphs of the test index."""
    wanted = {(c["chain"][0], c["chain"][1]) for c in CHAINS if len(c["chain"]) == 2}
    found = set()
    for chain in CHAINS:
        for pid in chain["chain"]:
            versions = [v.id for v in lineage_searcher.lineage(pid).versions]
            found |= {(a, b) for a, b in zip(versions, versions[1:], strict=False)}
    assert len(CHAINS) >= 20
    assert len(found & wanted) / len(found) >= 0.95
    assert len(found & wanted) / len(wanted) >= 0.9


def test_a_renumbered_paragraph_is_found_under_its_new_number(lineage_searcher):
    found = lineage_searcher.lineage("A/RES/79/38#12")
    assert [v.id for v in found.versions] == ["A/RES/78/35#11", "A/RES/79/38#12"]
    assert found.versions[1].similarity == 1.0 and all(s.op == "equal" for s in found.versions[1].diff)
    assert found.first_appeared == "A/RES/78/35#11" and found.last_seen == "A/RES/79/38#12"


def test_an_edited_paragraph_shows_its_insertions_and_deletions(lineage_searcher):
    found = lineage_searcher.lineage("A/RES/78/35#12")
    assert [v.id for v in found.versions] == ["A/RES/78/35#12", "A/RES/79/38#13"]
    inserted = " ".join(s.text for s in found.versions[1].diff if s.op == "insert")
    assert "and its norms and underlying rationale" in inserted
    edited = lineage_searcher.lineage("A/RES/79/127#3").versions[1].diff
    assert {s.text for s in edited if s.op == "delete"} >= {"seventy-ninth"}
    assert {s.text for s in edited if s.op == "insert"} >= {"eighty-first"}


def test_a_dropped_paragraph_has_no_later_version(lineage_searcher):
    found = lineage_searcher.lineage("A/RES/78/224#1")
    assert not found.found and found.dropped
    assert found.latest_resolution == "A/RES/79/187" and found.last_seen == "A/RES/78/224#1"


def test_new_language_of_the_latest_version(lineage_searcher):
    found = lineage_searcher.lineage("A/RES/78/35#1")
    assert "A/RES/79/38#5" in found.new_in_latest  # Recalls the adoption of the Vienna Action Plan
    assert "A/RES/79/38#12" not in found.new_in_latest


def test_lineage_of_an_unknown_paragraph_is_not_found(lineage_searcher):
    with pytest.raises(NotFoundError, match="A/RES/79/38#99"):
        lineage_searcher.lineage("A/RES/79/38#99")


def test_lineage_json_shape(lineage_searcher):
    data = lineage_searcher.lineage("A/RES/79/127#6").to_dict()
    assert set(data) == {"id", "versions", "first_appeared", "last_seen", "dropped", "latest_resolution",
                         "new_in_latest", "elsewhere"}
    assert data["versions"][1]["diff"][0].keys() == {"op", "text"}
    json.dumps(data)
