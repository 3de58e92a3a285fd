"""The JSON API over the real six-document index: shapes equal the CLI's `--json`, errors are one line."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.search.test_one_read import QUERY
from unres.index.filters import KINDS, Filters
from unres.search import Hit

SEED_QUERY = "a day to celebrate cooperation among southern countries"
SEED_ID = "A/RES/58/220#11"


def as_json(value) -> object:
    return json.loads(json.dumps(value, ensure_ascii=False))


def test_search_answers_the_seed_query_in_the_cli_shape(client, searcher):
    response = client.get("/search", params={"q": SEED_QUERY, "k": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == SEED_QUERY
    assert [hit["id"] for hit in body["hits"]] == [h.id for h in searcher.search(SEED_QUERY, 5).hits]
    first = body["hits"][0]
    assert list(first) == [f.name for f in fields(Hit)] + ["reference"]
    assert first == as_json(searcher.search(SEED_QUERY, 1).hits[0].to_dict())
    assert (first["id"], first["verb"], first["phrase"]) == (SEED_ID, "decides", "Decides")
    assert first["footnotes"][0]["marker"] == "8" and "Buenos Aires" in first["footnotes"][0]["resolved"]


@pytest.mark.parametrize("mode", ["dense", "lexical", "hybrid"])
def test_filters_and_modes_match_the_library(client, searcher, mode):
    params = {"q": "human rights", "k": 50, "mode": mode, "verb": ["urges", "calls upon"], "kind": ["operative", "annex"]}
    hits = client.get("/search", params=params).json()["hits"]
    expected = searcher.search("human rights", 50, mode=mode, filters=Filters(kinds=("operative", "annex"), verbs=("urges", "calls upon"))).hits
    assert [h["id"] for h in hits] == [h.id for h in expected] and {h["verb"] for h in hits} == {"urges", "calls upon"}
    dated = client.get("/search", params={"q": "cooperation", "k": 20, "from": "2023", "to": "2023-12", "mode": mode}).json()["hits"]
    assert dated and all(h["adopted"].startswith("2023") for h in dated)
    assert {h["body"] for h in client.get("/search", params={"q": "Council", "body": "SC", "mode": mode}).json()["hits"]} == {"SC"}
    assert {h["session"] for h in client.get("/search", params={"q": "cooperation", "session": 58, "mode": mode}).json()["hits"]} == {58}
    only = client.get("/search", params={"q": "rights", "symbol": "A/RES/78/192", "mode": mode}).json()["hits"]
    assert only and {h["symbol"] for h in only} == {"A/RES/78/192"}


@pytest.mark.parametrize("path", [
    "/paragraphs/A/RES/58/220%2311",          # slashes as they are, '#' encoded
    "/paragraphs/A%2FRES%2F58%2F220%2311",    # the whole id as one encoded segment (encodeURIComponent)
])
def test_paragraph_ids_in_both_encodings(client, searcher, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.json() == as_json(searcher.paragraph(SEED_ID).to_dict())


def test_similar_and_resolution_with_slashes_and_parentheses(client, searcher):
    similar = client.get(f"/paragraphs/{quote(SEED_ID, safe='')}/similar", params={"k": 3}).json()
    assert similar["id"] == SEED_ID
    assert [h["id"] for h in similar["hits"]] == [h.id for h in searcher.similar(SEED_ID, 3)]
    assert SEED_ID not in [h["id"] for h in similar["hits"]]
    for symbol in ("A/RES/58/220", "S/RES/800(1993)"):
        for path in (f"/resolutions/{symbol}", f"/resolutions/{quote(symbol, safe='')}"):
            expected = searcher.resolution(symbol).to_dict()
            expected["source"] = Path(expected["source"]).name  # over HTTP, no path on the server
            assert client.get(path).json() == as_json(expected), path


def test_stats_verbs_and_health(client, searcher):
    assert client.get("/healthz").json() == {"status": "ok"}
    expected = searcher.stats().to_dict()
    expected["index"] = Path(expected["index"]).resolve().name  # over HTTP, the folder's name, not its path on the server
    assert client.get("/stats").json() == as_json(expected)
    verbs = client.get("/verbs").json()["verbs"]
    counts = [v["paragraphs"] for v in verbs]
    assert counts == sorted(counts, reverse=True)
    urges = next(v["paragraphs"] for v in verbs if v["verb"] == "urges")
    assert urges == len(searcher.texts(Filters(kinds=KINDS, verbs=("urges",))))


@pytest.mark.parametrize(("path", "status", "says"), [
    ("/paragraphs/A%2FRES%2F58%2F220%2399", 404, "A/RES/58/220#99"),
    ("/paragraphs/A%2FRES%2F58%2F220%2399/similar", 404, "A/RES/58/220#99"),
    ("/resolutions/A/RES/1/999", 404, "A/RES/1/999"),
    ("/search?q=x&symbol=A/RES/1/999", 404, "A/RES/1/999"),
    ("/nowhere", 404, "/nowhere"),
    ("/search", 422, "q"),
    ("/search?q=", 422, "q"),
    ("/search?q=%20%20%20", 400, "empty query"),
    ("/search?q=" + "word%20" * 401, 422, "q"),
    ("/search?q=x&k=0", 422, "k"),
    ("/search?q=x&k=1001", 422, "1000"),
    ("/search?q=x&k=ten", 422, "k"),
    ("/search?q=x&mode=fuzzy", 422, "mode"),
    ("/search?q=x&kind=footnote", 422, "kind"),
    ("/search?q=x&body=ECOSOC", 422, "body"),
    ("/search?q=x&verb=zzzz", 400, "zzzz"),
    ("/search?q=x&from=2003-02-30", 400, "2003-02-30"),
    ("/search?q=x&to=yesterday", 422, "to"),
    ("/search?q=x&session=0", 400, "sessions"),
    ("/paragraphs/A%2FRES%2F58%2F220%2311/similar?k=5000", 422, "k"),
    ("/search?q=x&verb=" + "a" * 20_000, 413, "query string"),
])
def test_bad_input_is_one_line_of_json(client, path, status, says):
    response = client.get(path)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ["error"] and "\n" not in body["error"] and says in body["error"]
    assert "Traceback" not in response.text


def test_oversized_body_is_refused_before_it_is_read(client):
    response = client.request("GET", "/search?q=x", content=b"x" * 100_000)
    assert response.status_code == 413 and "body" in response.json()["error"]


def test_openapi_documents_every_endpoint_with_its_model(client):
    schema = client.get("/openapi.json").json()
    assert set(schema["paths"]) == {
        "/search", "/paragraphs/{paragraph_id}", "/paragraphs/{paragraph_id}/similar", "/resolutions/{symbol}",
        "/verbs", "/stats", "/healthz", "/paragraphs/{paragraph_id}/lineage", "/resolutions/{symbol}/cited-by", "/trend",
        "/graph", "/items", "/resolutions/{symbol}/items",
    }
    names = set(schema["components"]["schemas"])
    assert {"Hit", "SearchResults", "SimilarResults", "Resolution", "Stats", "Error", "Lineage", "CitedBy", "Trend", "Graph",
            "Items", "Citation", "Section"} <= names
    hit = schema["components"]["schemas"]["Hit"]["properties"]
    assert list(hit) == [f.name for f in fields(Hit)] + ["reference"]
    assert "%23" in schema["paths"]["/paragraphs/{paragraph_id}"]["get"]["description"]


def test_page_and_docs_load_nothing_from_the_internet(client):
    page = client.get("/")
    assert page.status_code == 200 and "default-src 'self'" in page.headers["content-security-policy"]
    assert 'id="q"' in page.text
    docs = client.get("/docs").text
    for text in (page.text, docs):
        assert "https://" not in text and "http://" not in text
    static = Path(__import__("unres.serve.api", fromlist=["STATIC"]).STATIC)
    for path in static.iterdir():
        text = path.read_text(encoding="utf-8").replace('xmlns="http://www.w3.org/2000/svg"', "")
        text = text.replace('const SVG_NS = "http://www.w3.org/2000/svg";', "")  # a namespace name, never fetched
        text = text.replace("return `https://undocs.org/${", "")  # a link a person may follow, never loaded by the page
        assert "http://" not in text and "https://" not in text, path.name
        assert client.get(f"/static/{path.name}").status_code == 200
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200


def test_search_says_what_it_understood_like_the_cli(client, searcher):
    query = "has the Security Council ever decided sanctions against Iraq"
    body = client.get("/search", params={"q": query, "k": 3}).json()
    assert body["understood"] == searcher.understand(query).to_dict()
    assert (body["understood"]["body"], body["understood"]["verbs"]) == ("SC", ["decides"])
    assert [hit["id"] for hit in body["hits"]] == [h.id for h in searcher.search(query, 3).hits]


def test_the_search_endpoint_reads_one_snapshot_and_the_query_once(client, counted):
    response = client.get("/search", params={"q": QUERY, "k": 3})
    assert response.status_code == 200 and len(response.json()["hits"]) == 3
    assert counted == {"snapshots": 1, "understood": 1}


def test_no_answer_names_a_path_on_the_server(client, built_index):
    """Errors say `the index`, and a resolution's source is its file name."""
    source = client.get("/resolutions/A/RES/58/220").json()["source"]
    assert source == "A_RES_58_220.pdf" or "/" not in source, source
    for path in ("/resolutions/A/RES/1/1", "/paragraphs/A/RES/58/220%23999", "/search?q=x&verb=flies"):
        message = client.get(path).json()["error"]
        assert str(built_index) not in message and str(built_index.resolve()) not in message, message


def test_an_index_served_by_a_relative_path_is_hidden_without_mangling_what_was_asked(built_index, monkeypatch):
    from fastapi.testclient import TestClient

    from unres.search import Searcher
    from unres.serve.api import create_app
    from unres.serve.live import LiveIndex

    monkeypatch.chdir(built_index)
    with Searcher.open(".") as searcher:
        client = TestClient(create_app(searcher, allowed_hosts=["testserver"]))
        message = client.get("/paragraphs/A/RES/1.5%231").json()["error"]
        assert "'A/RES/1.5#1'" in message and str(built_index) not in message, message
        assert client.get("/stats").json()["index"] == built_index.name
        with pytest.raises(ValueError, match="at least 1"):
            LiveIndex(searcher, 0)
