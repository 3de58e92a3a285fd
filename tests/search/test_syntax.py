"""The query grammar: quoted phrases, exclusions and resolution symbols, parsed from what people type
and applied by `Searcher.search`, the CLI and the API alike."""

from __future__ import annotations

import json
import re

import pytest

from unres.index.errors import QueryError
from unres.search.syntax import parse


@pytest.mark.parametrize(("query", "symbols"), [
    ("A/RES/79/171", ["A/RES/79/171"]),
    ("a/res/79/171 human rights", ["A/RES/79/171"]),
    ("79/171", ["A/RES/79/171"]),
    ("resolution 79/171, paragraph 5", ["A/RES/79/171"]),
    ("A/RES/ES-10/15", ["A/RES/ES-10/15"]),
    ("resolution 242", ["S/RES/242("]),
    ("S/RES/242 (1967)", ["S/RES/242(1967)"]),
    ("s/res/242(1967) withdrawal", ["S/RES/242(1967)"]),
    ("Security Council resolution 2334 (2016) on settlements", ["S/RES/2334(2016)"]),
    ("resolutions 425 and the rest", ["S/RES/425("]),
    ("South-South cooperation in 2024", []),
    ("the 2030 Agenda", []),
])
def test_symbols_are_read_in_the_forms_people_write(query, symbols):
    assert [m.symbol for m in parse(query).mentions] == symbols


@pytest.mark.parametrize(("query", "text", "phrases", "excluded"), [
    ('"right to food" -development', "right to food", ["right to food"], ["development"]),
    ("“right to food”", "right to food", ["right to food"], []),
    ('-"climate change" oceans -plastics', "oceans", [], ["climate change", "plastics"]),
    ("South-South cooperation", "South-South cooperation", [], []),
    ('an unclosed " quote', 'an unclosed " quote', [], []),
    ("a dash - alone", "a dash - alone", [], []),
    ('""', '""', [], []),
])
def test_phrases_and_exclusions_never_make_an_error(query, text, phrases, excluded):
    syntax = parse(query)
    assert (syntax.text, list(syntax.phrases), list(syntax.excluded)) == (text, phrases, excluded)


@pytest.mark.parametrize("query", ["58/220", "A/RES/58/220", "a/res/58/220", "resolution 58/220"])
def test_a_symbol_alone_is_a_look_up_in_document_order(searcher, query):
    result = searcher.search(query, k=50)
    numbers = [hit.number for hit in result.hits]
    assert {hit.symbol for hit in result.hits} == {"A/RES/58/220"} and numbers == sorted(numbers) and numbers[0] == 1
    assert result.understood.symbols == ("A/RES/58/220",)


def test_an_sc_resolution_is_found_by_its_number(searcher):
    assert searcher.search("resolution 661", k=1).hits[0].id == "S/RES/661(1990)#1"
    assert searcher.search("S/RES/661 (1990)", k=1).hits[0].id == "S/RES/661(1990)#1"


def test_a_symbol_with_words_ranks_that_resolution_first_then_the_others(searcher):
    hits = searcher.search("A/RES/78/192 human rights", k=10).hits
    symbols = [hit.symbol for hit in hits]
    first = symbols.index(next(s for s in symbols if s != "A/RES/78/192"))
    assert first > 0 and set(symbols[:first]) == {"A/RES/78/192"} and "A/RES/78/192" not in symbols[first:]
    assert [hit.rank for hit in hits] == list(range(1, len(hits) + 1))


def test_a_symbol_the_index_lacks_stays_words(searcher):
    result = searcher.search("A/RES/99/999 cooperation", k=3)
    assert result.understood.symbols == () and len(result.hits) == 3


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_every_hit_holds_the_phrase_and_none_the_excluded_word(searcher, mode):
    result = searcher.search('"South-South cooperation" -technical', k=20, mode=mode, kinds=["operative", "preambular"])
    assert result.hits, "the seed resolution has such paragraphs"
    for hit in result.hits:
        words = re.findall(r"\w+", hit.text.lower())
        assert any(words[i:i + 3] == ["south", "south", "cooperation"] for i in range(len(words))), hit.text
        assert "technical" not in words, hit.text
    assert result.understood.phrases == ("south-south cooperation",) and result.understood.excluded == ("technical",)
    assert "technical" not in result.terms


def test_a_phrase_no_paragraph_holds_gives_no_hits(searcher):
    assert searcher.search('"xyzzy plugh cooperation"').hits == ()


def test_exclusions_alone_are_a_query_error(searcher):
    with pytest.raises(QueryError, match="only excludes"):
        searcher.search("-cooperation -development")


def test_the_grammar_is_the_same_in_the_terminal_and_over_http(built_index, searcher):
    from fastapi.testclient import TestClient

    from tests.reliability.conftest import run_cli
    from unres.serve.api import create_app

    client = TestClient(create_app(searcher, allowed_hosts=["testserver"]))
    result = run_cli("search", "resolution 661", "--index", str(built_index), "--json", "-k", "2")
    assert result.returncode == 0, result.stderr
    assert [hit["id"] for hit in json.loads(result.stdout)["hits"]] == ["S/RES/661(1990)#1", "S/RES/661(1990)#2"]
    answer = client.get("/search", params={"q": '"South-South cooperation" -technical', "k": 5}).json()
    assert answer["understood"]["phrases"] == ["south-south cooperation"] and answer["understood"]["excluded"] == ["technical"]
    assert client.get("/search", params={"q": "-cooperation"}).status_code == 400


@pytest.mark.parametrize(("query", "filters", "matched"), [
    ("xyzzyqq plughfoo", {}, False),
    ("economic cooperation", {}, True),
    ("South-South", {"body": "SC"}, False),  # the words occur in no Security Council paragraph of this index
    ('"xyzzyqq cooperation"', {}, False),
    ("coopération Sud-Sud", {}, True),  # another language: only the model can match it
])
def test_a_query_no_paragraph_matches_says_so(searcher, query, filters, matched):
    result = searcher.search(query, k=3, **filters)
    assert result.matched is matched and result.to_dict()["matched"] is matched
    assert len(result.hits) == (0 if query.startswith('"') else 3), "the closest paragraphs are still shown"


def test_nothing_matches_exits_1_like_grep_and_says_the_hits_are_only_the_closest(built_index, searcher):
    from fastapi.testclient import TestClient

    from tests.reliability.conftest import run_cli
    from unres.serve.api import create_app

    result = run_cli("search", "xyzzyqq plughfoo", "--index", str(built_index), "-k", "2")
    assert result.returncode == 1 and b"no paragraph holds these words; the closest:" in result.stdout
    as_json = run_cli("search", "xyzzyqq plughfoo", "--index", str(built_index), "-k", "2", "--json")
    assert as_json.returncode == 1 and json.loads(as_json.stdout)["matched"] is False
    assert run_cli("search", "economic cooperation", "--index", str(built_index), "-k", "1").returncode == 0
    answer = TestClient(create_app(searcher, allowed_hosts=["testserver"])).get("/search", params={"q": "xyzzyqq plughfoo"})
    assert answer.status_code == 200 and answer.json()["matched"] is False and len(answer.json()["hits"]) == 10


def test_did_you_mean_respells_words_the_index_never_uses(searcher):
    result = searcher.search("economic cooperation among developing countires", k=3)
    assert result.suggestion == "economic cooperation among developing countries"
    assert result.to_dict()["suggestion"] == result.suggestion
    assert searcher.search("economic cooperation among developing countries", k=3).suggestion is None
    assert searcher.search("xyzzyqq plughfoo", k=3).suggestion is None, "nothing close: no suggestion"
    assert searcher.search("coopération Sud-Sud", k=3).suggestion is None, "not English: its words are not typos"


def test_a_phrase_is_cut_out_of_a_trend_query_by_position_not_by_substring():
    from unres.search.fts import fts_all

    assert fts_all('"men" women') == '"men" AND "women"'
    assert fts_all('"right to food" -development') == '"right to food" NOT "development"'


@pytest.mark.parametrize("query", ["2/3 majority", "a 24/7 hotline", "1/2 of the budget"])
def test_fractions_and_hours_are_not_symbols(query):
    assert parse(query).mentions == ()


def test_a_phrase_of_punctuation_alone_restricts_nothing(searcher):
    assert searcher.search('"_" economic cooperation', k=3).hits


@pytest.mark.parametrize("written", ["661", "resolution 661", "s/res/661", "S/RES/661 (1990)"])
def test_cites_takes_a_council_resolution_as_people_write_it(searcher, written):
    assert searcher.cited_by(written).symbol == "S/RES/661(1990)"


def test_cites_of_a_number_nothing_has_is_still_not_found(searcher):
    from unres.index.errors import NotFoundError

    with pytest.raises(NotFoundError, match="99999"):
        searcher.cited_by("99999")
