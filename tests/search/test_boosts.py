"""Intent boosts and explanations over the real six-document index: soft, visible, never a filter."""

from __future__ import annotations

from unres.search import Ranking

NO_BOOSTS = Ranking(body_boost=0.0, verb_boost=0.0, year_boost=0.0)
QUERY = "has the Security Council ever decided sanctions against Iraq"


def test_boosts_reorder_but_never_remove(searcher):
    understood = searcher.understand(QUERY)
    assert (understood.body, understood.verbs) == ("SC", ("decides",))
    boosted = searcher.search(QUERY, 200).hits
    plain = searcher.search(QUERY, 200, ranking=NO_BOOSTS).hits
    assert {h.id for h in boosted} == {h.id for h in plain}
    assert any(h.body == "GA" for h in boosted)  # the body named is a boost, not a filter


def test_explanations_account_for_the_score(searcher):
    ranking = Ranking()
    sizes = {"body": ranking.body_boost, "verb": ranking.verb_boost, "year": ranking.year_boost}
    hits = searcher.search(QUERY, 20, explain=True).hits
    for hit in hits:
        e = hit.explain
        weighted = ((ranking.lexical_weight, e.lexical_rank), (ranking.dense_weight, e.dense_rank))
        fused = sum(weight / (ranking.rrf_k + rank) for weight, rank in weighted if rank)
        assert abs(e.fused - fused) < 1e-9
        expected = {"body SC"} if hit.body == "SC" else set()
        expected |= {"verb decides"} if hit.verb == "decides" else set()
        assert set(e.boosts) == expected
        assert abs(hit.score - e.fused * (1 + sum(sizes[label.split()[0]] for label in e.boosts))) < 1e-9
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(h.explain is None for h in searcher.search(QUERY, 5).hits)


def test_explicit_filters_stay_hard(searcher):
    hits = searcher.search(QUERY, 50, body="GA").hits
    assert hits and {h.body for h in hits} == {"GA"}


def test_understanding_off_searches_the_words_as_typed(searcher):
    off = Ranking(understand=False)
    hits = searcher.search(QUERY, 5, ranking=off, explain=True).hits
    assert all(not h.explain.boosts for h in hits)


def test_single_modes_explain_their_own_rank(searcher):
    for mode in ("dense", "lexical"):
        hits = searcher.search("sanctions on Iraq", 5, mode=mode, explain=True).hits
        ranks = [h.explain.dense_rank if mode == "dense" else h.explain.lexical_rank for h in hits]
        assert ranks == [1, 2, 3, 4, 5]
