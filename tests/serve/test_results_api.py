"""The search API's totals, facets, pages, sort and exports, verb suggestions by kind, and the trend's
body and date options: the same answers as the library."""

from __future__ import annotations

import csv
import io

import pytest


def test_search_carries_totals_facets_and_pages_like_the_library(client, searcher):
    answer = client.get("/search", params={"q": "human rights", "k": 3, "offset": 3}).json()
    library = searcher.search("human rights", k=3, offset=3).to_dict()
    assert answer["total"] == library["total"] > 0 and answer["offset"] == 3 and answer["sort"] == "relevance"
    assert [h["id"] for h in answer["hits"]] == [h["id"] for h in library["hits"]] and answer["hits"][0]["rank"] == 4
    assert answer["facets"] == library["facets"] and [f["name"] for f in answer["facets"]] == ["body", "kind", "verb", "year", "session"]
    assert answer["hits"][0]["reference"].startswith(("General Assembly resolution", "Security Council resolution"))
    dated = client.get("/search", params={"q": "cooperation", "k": 5, "sort": "date"}).json()
    assert [h["adopted"] for h in dated["hits"]] == sorted((h["adopted"] for h in dated["hits"]), reverse=True)


@pytest.mark.parametrize(("format", "media"), [("csv", "text/csv"), ("jsonl", "application/jsonl"),
                                                ("ris", "application/x-research-info-systems"), ("line", "text/plain")])
def test_search_exports_the_hits_as_a_file(client, searcher, format, media):
    response = client.get("/search", params={"q": "South-South cooperation", "k": 4, "format": format})
    assert response.status_code == 200 and response.headers["content-type"] == f"{media}; charset=utf-8"
    assert response.headers["content-disposition"] == f'attachment; filename="unres-search.{format}"'
    ids = [h.id for h in searcher.search("South-South cooperation", k=4).hits]
    if format == "csv":
        assert [row["id"] for row in csv.DictReader(io.StringIO(response.text))] == ids
    else:
        assert all(pid in response.text for pid in ids)


@pytest.mark.parametrize(("params", "says"), [
    ({"q": "x", "offset": 9_995}, "offset must be a whole number from 0 to 9990"),
    ({"q": "x", "body": "SC", "session": 78}, "the Security Council has none"),
    ({"q": "x", "from": "2040"}, "no resolution of the index was adopted from 2040"),
    ({"q": "x", "sort": "oldest"}, "sort"),
    ({"q": "x", "format": "pdf"}, "format"),
])
def test_an_impossible_request_is_explained(client, params, says):
    response = client.get("/search", params=params)
    assert response.status_code in (400, 422) and says in response.json()["error"]


def test_verbs_by_kind_and_trend_by_body_and_dates(client, searcher):
    operative = {v["verb"] for v in client.get("/verbs", params={"kind": "operative"}).json()["verbs"]}
    assert "urges" in operative and "recalling" not in operative
    assert "recalling" in {v["verb"] for v in client.get("/verbs").json()["verbs"]}
    trend = client.get("/trend", params={"q": "cooperation", "body": "GA", "from": "2023"}).json()
    assert {p["body"] for p in trend["points"]} == {"GA"} and {p["period"] for p in trend["points"]} == {2023}
    assert trend["total"] == searcher.trend("cooperation", body="GA", adopted_from="2023").total > 0
