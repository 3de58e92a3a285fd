"""Lineage, cited-by, trend and the link graph over HTTP: the same JSON as the CLI's `--json`, documented
in the OpenAPI schema, with the same errors."""

from __future__ import annotations

import json
from dataclasses import asdict
from urllib.parse import quote

import pytest


def as_json(value: object) -> object:
    """A record's `to_dict()` as it reads after a trip through JSON (tuples become lists)."""
    return json.loads(json.dumps(value))


@pytest.fixture(scope="module")
def links(lineage_searcher):
    from fastapi.testclient import TestClient

    from unres.search import Searcher
    from unres.serve.api import create_app

    with Searcher.open(lineage_searcher.directory) as searcher:
        yield TestClient(create_app(searcher, allowed_hosts=["testserver"]), raise_server_exceptions=False)


def test_lineage_is_the_cli_json(links, lineage_searcher):
    answer = links.get(f"/paragraphs/{quote('A/RES/79/127#3', safe='/')}/lineage")
    assert answer.status_code == 200
    assert answer.json() == as_json(lineage_searcher.lineage("A/RES/79/127#3").to_dict())
    assert [span["op"] for span in answer.json()["versions"][1]["diff"]], "the word diff is there"
    assert links.get("/paragraphs/A/RES/79/127%23999/lineage").status_code == 404


def test_cited_by_is_the_cli_json(links, lineage_searcher):
    answer = links.get("/resolutions/A/RES/45/110/cited-by")
    assert answer.status_code == 200 and answer.json() == as_json(lineage_searcher.cited_by("A/RES/45/110").to_dict())
    missing = links.get("/resolutions/A/RES/12/345/cited-by")
    assert missing.status_code == 404 and "A/RES/12/345" in missing.json()["error"]


def test_trend_counts_phrases_as_phrases(links, lineage_searcher):
    words = links.get("/trend", params={"q": "nuclear weapons"}).json()
    assert words == as_json(lineage_searcher.trend("nuclear weapons").to_dict())
    phrase = links.get("/trend", params={"q": '"nuclear weapons"'}).json()
    excluded = links.get("/trend", params={"q": '"nuclear weapons" -prohibition'}).json()
    assert 0 < excluded["total"] <= phrase["total"] <= words["total"]
    assert links.get("/trend", params={"q": "x", "by": "decade"}).status_code == 422


def test_the_graph_is_every_edge(links, lineage_searcher):
    assert links.get("/graph").json() == as_json(asdict(lineage_searcher.graph()))


def test_items_are_the_cli_json(links, lineage_searcher):
    mine = links.get("/resolutions/A/RES/79/127/items").json()
    assert mine == {"items": as_json([asdict(i) for i in lineage_searcher.items("A/RES/79/127")])}
    assert mine["items"] == [{"earlier": "A/RES/78/113", "later": "A/RES/79/127", "how": "title", "score": 1.0}]
    assert links.get("/items").json() == {"items": as_json([asdict(i) for i in lineage_searcher.items()])}
    assert links.get("/resolutions/A/RES/12/345/items").status_code == 404


def test_the_schema_lists_the_link_routes(links):
    paths = links.get("/openapi.json").json()["paths"]
    assert {"/paragraphs/{paragraph_id}/lineage", "/resolutions/{symbol}/cited-by", "/resolutions/{symbol}/items",
            "/items", "/trend", "/graph"} <= set(paths)
