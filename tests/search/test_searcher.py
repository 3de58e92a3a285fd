"""The query layer over a real index of six documents (seed, three GA PDFs, two SC texts)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from unres.index.errors import NotFoundError, QueryError
from unres.search import Ranking, Searcher
from unres.search.fts import fts_query

# Queries in other words than the paragraph, and the mode(s) in which the paragraph must rank first.
KNOWN_ITEMS = [
    ("a day to celebrate cooperation among southern countries", "A/RES/58/220#11", ("lexical", "hybrid")),
    ("renaming the committee that reviews technical cooperation between developing nations", "A/RES/58/220#1",
     ("dense", "lexical", "hybrid")),
    ("Slovakia becoming a member of the UN", "S/RES/800(1993)#1", ("dense",)),
    ("embargo on imports from Iraq and occupied Kuwait", "S/RES/661(1990)#3", ("dense", "lexical", "hybrid")),
    ("Palestinians deciding their own future", "A/RES/78/192#1", ("dense", "lexical", "hybrid")),
]


@pytest.mark.parametrize(("query", "expected", "modes"), KNOWN_ITEMS)
def test_paraphrased_known_item_ranks_first(searcher, query, expected, modes):
    for mode in modes:
        assert searcher.search(query, k=3, mode=mode).hits[0].id == expected, mode


def test_hit_carries_resolution_verb_footnotes_and_neighbours(searcher):
    hit = searcher.search("a day to celebrate cooperation among southern countries", k=1).hits[0]
    assert (hit.rank, hit.symbol, hit.body, hit.session, hit.adopted) == (1, "A/RES/58/220", "GA", 58, "2003-12-23")
    assert hit.title == "Economic and technical cooperation among developing countries"
    assert (hit.number, hit.verb, hit.phrase, hit.kind) == (11, "decides", "Decides", "operative")
    assert [f.marker for f in hit.footnotes] == ["8"] and "Buenos Aires" in hit.footnotes[0].resolved
    assert (hit.previous_id, hit.next_id) == ("A/RES/58/220#10", "A/RES/58/220#12")


def test_dense_scores_are_cosine_similarities_in_order(searcher):
    hits = searcher.search("South-South cooperation", k=5, mode="dense").hits
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True) and all(-1.0 <= s <= 1.0001 for s in scores)
    assert [h.rank for h in hits] == [1, 2, 3, 4, 5]


def test_dense_matches_brute_force(searcher, built_index):
    """The FAISS ranking equals a brute-force inner product over every operative vector."""
    query = "human rights defenders detained"
    hits = searcher.search(query, k=8, mode="dense").hits
    ids, matrix = searcher.vectors()
    scores = matrix @ searcher.embed(query)
    assert [h.id for h in hits] == [ids[i] for i in np.argsort(-scores)[:8]]


@pytest.mark.parametrize("mode", ["dense", "hybrid"])
def test_verb_filter_applies_before_ranking(searcher, mode):
    """Asking for as many `urges` paragraphs as exist returns all of them, not the few a post-filter keeps."""
    from unres import Filters

    total = len(searcher.texts(Filters(verbs=("urges",))))
    hits = searcher.search("human rights", k=total, verbs=["urges"], mode=mode).hits
    assert total >= 3 and len(hits) == total and {h.verb for h in hits} == {"urges"}


@pytest.mark.parametrize("mode", ["dense", "lexical", "hybrid"])
def test_every_filter(searcher, mode):
    assert {h.body for h in searcher.search("Security Council", k=20, body="SC", mode=mode).hits} == {"SC"}
    assert {h.session for h in searcher.search("cooperation", k=20, sessions=[58], mode=mode).hits} == {58}
    dated = searcher.search("cooperation", k=20, adopted_from="2023-01-01", adopted_to="2023-12", mode=mode).hits
    assert dated and all("2023-01-01" <= h.adopted <= "2023-12-31" for h in dated)
    assert {h.symbol for h in searcher.search("rights", k=20, symbols=["A/RES/78/192"], mode=mode).hits} == {"A/RES/78/192"}
    assert {h.kind for h in searcher.search("recalling", k=20, kinds=("preambular",), mode=mode).hits} == {"preambular"}
    assert {h.kind for h in searcher.search("sustainable development", k=20, kinds=("annex",), mode=mode).hits} == {"annex"}
    assert {h.kind for h in searcher.search("cooperation", k=30, mode=mode).hits} == {"operative"}


@pytest.mark.parametrize(
    "query", ['"', 'AND', '*', '(', 'NEAR(a b)', 'text: "South', 'OR OR', "South-South AND (cooperation OR *", "^"]
)
def test_syntax_like_queries_never_reach_fts5_as_syntax(searcher, query):
    """Every lexical query goes through FTS5 here (`Ranking(lexical="fts5")`): words match as words,
    punctuation and operators are never FTS5 syntax, and a query without a word finds nothing."""
    match = fts_query(query)
    assert match is None or all(re.fullmatch(r'"\w+(?:-\w+)*"', term) for term in match.split(" OR "))  # a compound: one quoted string
    for mode in ("lexical", "hybrid"):
        hits = searcher.search(query, k=5, mode=mode, ranking=Ranking(lexical="fts5")).hits
        assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
        if mode == "lexical":
            assert bool(hits) == (match is not None)
    if "South" in query:
        top = searcher.search(query, k=1, mode="lexical", ranking=Ranking(lexical="fts5")).hits[0]
        assert "South" in top.text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"query": "   "}, "empty query"),
        ({"query": "x" * 100_000}, "limit is 2000"),
        ({"query": "x", "verbs": ["flies"]}, "unknown verb flies"),
        ({"query": "x", "symbols": ["A/RES/1/1"]}, "unknown symbol A/RES/1/1"),
        ({"query": "x", "body": "ECOSOC"}, "unknown body"),
        ({"query": "x", "mode": "fuzzy"}, "unknown mode"),
        ({"query": "x", "kinds": ("footnote",)}, "unknown kind"),
        ({"query": "x", "adopted_from": "last year"}, "not a date"),
    ],
)
def test_bad_queries_are_clear_errors(searcher, kwargs, message):
    with pytest.raises(QueryError, match=message):
        searcher.search(**kwargs)


def test_similar_finds_related_language_not_itself(searcher):
    hits = searcher.similar("A/RES/58/220#4", k=5)
    assert len(hits) == 5 and "A/RES/58/220#4" not in [h.id for h in hits]
    assert all(h.kind == "operative" for h in hits)
    assert hits[0].symbol == "A/RES/58/220"


def test_paragraph_and_resolution_lookup(searcher):
    hit = searcher.paragraph("A/RES/58/220#9")
    assert hit.verb == "urges" and "financial resources for supporting South-South" in hit.text
    resolution = searcher.resolution("S/RES/661(1990)")
    assert resolution.operative[2].subparagraphs[0].label == "(a)"
    with pytest.raises(NotFoundError, match="no paragraph"):
        searcher.paragraph("A/RES/58/220#99")
    with pytest.raises(NotFoundError, match="no resolution"):
        searcher.resolution("A/RES/1/1")


def test_stats(searcher):
    facts = searcher.stats()
    assert facts.resolutions == {"GA": 4, "SC": 2}
    assert facts.paragraphs["GA"]["operative"] == 50 and facts.paragraphs["SC"]["operative"] == 12
    assert facts.model == "multilingual-e5-small" and facts.dimension == 384
    assert facts.vectors == sum(n for kinds in facts.paragraphs.values() for n in kinds.values())


def test_open_missing_or_corrupt_index(tmp_path):
    from unres.index.errors import IndexOpenError

    with pytest.raises(IndexOpenError, match="no index here"):
        Searcher.open(tmp_path / "nowhere")
    (tmp_path / "junk").mkdir()
    with pytest.raises(IndexOpenError, match="not an unres index"):
        Searcher.open(tmp_path / "junk")
