"""The ranking pipeline (fuse → boost → collapse) on hand-made rankings: no index, no model."""

from __future__ import annotations

import pytest

from unres.search.pipeline import Ranked, applied, boost, collapse, fuse
from unres.search.ranking import Ranking
from unres.search.understand import Understanding

DENSE = [(1, 0.9), (2, 0.8), (3, 0.7)]
LEXICAL = [(3, 12.0), (4, 9.0), (1, 3.0)]


def rows(ranked) -> list[int]:
    return [item.row for item in ranked]


@pytest.mark.parametrize(("mode", "expected"), [("dense", [1, 2, 3]), ("lexical", [3, 4, 1])])
def test_a_single_mode_keeps_its_ranking_and_scores(mode, expected):
    ranked = fuse(DENSE, LEXICAL, mode, Ranking())
    assert rows(ranked) == expected
    assert [r.score for r in ranked] == [s for _, s in (DENSE if mode == "dense" else LEXICAL)]
    assert all(r.explanation.fused == r.score for r in ranked)


def test_hybrid_fuses_by_weighted_rrf_and_explains_each_rank():
    ranked = fuse(DENSE, LEXICAL, "hybrid", Ranking(rrf_k=10, dense_weight=1.0, lexical_weight=1.0))
    # 1: 1/11 + 1/13, 3: 1/13 + 1/11 (tie, 1 seen first), 2: 1/12, 4: 1/12 (tie, 2 seen first)
    assert rows(ranked) == [1, 3, 2, 4]
    assert ranked[0].score == pytest.approx(1 / 11 + 1 / 13)
    explained = {r.row: (r.explanation.dense_rank, r.explanation.lexical_rank) for r in ranked}
    assert explained == {1: (1, 3), 2: (2, None), 3: (3, 1), 4: (None, 2)}
    assert fuse(DENSE, LEXICAL, "hybrid", Ranking(rrf_k=10, dense_weight=1.0, lexical_weight=1.0), limit=3) == ranked[:3]


def test_hybrid_score_fusion_scales_each_ranking():
    ranked = fuse(DENSE, LEXICAL, "hybrid", Ranking(fusion="score", dense_weight=1.0, lexical_weight=1.0))
    scores = {r.row: r.score for r in ranked}
    assert scores[1] == pytest.approx(1.0) and scores[3] == pytest.approx(1.0) and scores[4] == pytest.approx(2 / 3)


def test_dense_weight_moves_dense_hits_up():
    lexical_first = fuse(DENSE, LEXICAL, "hybrid", Ranking(dense_weight=0.1))
    dense_first = fuse(DENSE, LEXICAL, "hybrid", Ranking(dense_weight=10.0))
    assert rows(lexical_first)[0] == 3 and rows(dense_first)[0] == 1


def ranked(*pairs: tuple[int, float]) -> list[Ranked]:
    return [Ranked(row, score, None, rank, score) for rank, (row, score) in enumerate(pairs, 1)]


FACETS = {
    1: ("GA", "urges", 78, 2023, "Urges States"),
    2: ("SC", "condemns", None, 1990, "Condemns the invasion"),
    3: ("GA", "condemns", 79, 2024, "Condemns terrorism, for 2025"),
}


def test_boosts_add_up_and_reorder_without_removing():
    understood = Understanding("q", "q", body="SC", verbs=("condemns",))
    boosted = boost(ranked((1, 1.0), (3, 0.9), (2, 0.5)), FACETS, understood, Ranking())
    assert rows(boosted) == [2, 3, 1]  # 0.5 · (1 + 1.0 + 0.2) = 1.1 > 0.9 · 1.2 = 1.08 > 1.0
    assert boosted[0].score == pytest.approx(1.1) and boosted[0].explanation.boosts == ("body SC", "verb condemns")
    assert boosted[0].explanation.fused == 0.5  # the score before boosts
    assert boosted[2].explanation.boosts == ()


def test_a_year_named_in_the_text_or_the_session_earns_the_year_boost():
    assert applied(FACETS[3], Understanding("q", "q", years=(2025,)), Ranking()) == [("year 2025", 0.5)]
    assert applied(FACETS[1], Understanding("q", "q", sessions=(78,)), Ranking()) == [("session 78", 0.5)]
    assert applied(FACETS[1], Understanding("q", "q", years=(2023,)), Ranking(year_boost=0.0)) == []


def test_a_row_without_facets_keeps_its_score():
    boosted = boost(ranked((9, 0.4)), FACETS, Understanding("q", "q", body="GA"), Ranking())
    assert [(r.row, r.score) for r in boosted] == [(9, 0.4)]


COPIES = {
    1: ("A/RES/78/1#2", "A/RES/78/1", "2023-10-01", "Decides to include the item."),
    2: ("A/RES/79/5#2", "A/RES/79/5", "2024-10-01", "Decides  to include the ITEM."),  # same text, case and spaces aside
    3: ("A/RES/77/9#2", "A/RES/77/9", "2022-10-01", "Decides to include the item."),
    4: ("A/RES/79/5#3", "A/RES/79/5", "2024-10-01", "Requests a report."),
}


def test_collapse_shows_the_latest_copy_at_the_best_copys_rank():
    groups = collapse(ranked((3, 0.9), (4, 0.8), (1, 0.7), (2, 0.6)), COPIES, k=10)
    assert [(g.row, g.also) for g in groups] == [(2, (1, 3)), (4, ())]
    assert groups[0].score == 0.9 and groups[0].explanation.dense_rank == 1


def test_collapse_stops_at_k_distinct_texts_and_drops_unknown_rows():
    groups = collapse(ranked((5, 1.0), (1, 0.9), (4, 0.8)), COPIES, k=1)
    assert [g.row for g in groups] == [1]
