"""Table tests of the query layer's pure functions: no index, no model."""

from __future__ import annotations

import pytest

from unres.index.errors import QueryError
from unres.search.fts import fts_query, query_terms
from unres.search.fusion import reciprocal_rank_fusion, score_fusion
from unres.search.ranking import Ranking


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("South-South cooperation", '"south-south" OR "cooperation"'),  # a compound is one phrase (index/variants.py)
        ("the of and", '"the" OR "of" OR "and"'),  # only stop words: searched as they are
        ('NEAR(a b) AND "x" OR y*', '"near" OR "b" OR "x" OR "y"'),
        ("column:value", '"column" OR "value"'),
        ("-- ' ; DROP TABLE", '"drop" OR "table"'),
        ("", None),
        ("¿?!", None),
        ("Организация Объединённых", '"организация" OR "объединённых"'),
    ],
)
def test_fts_query_is_quoted_words_never_syntax(text, expected):
    assert fts_query(text) == expected


def test_query_terms_drop_stop_words_single_letters_and_repeats():
    assert query_terms("Where did the Assembly urge States, urge a State?") == ["assembly", "urge", "states", "state"]


@pytest.mark.parametrize(
    ("rankings", "k", "expected"),
    [
        ([[1, 2, 3]], 60, [1, 2, 3]),
        ([[1, 2], [2, 1]], 60, [1, 2]),  # a tie keeps the first-seen order
        ([[1, 2, 3], [3, 2]], 60, [3, 2, 1]),  # 1/63 + 1/61 beats 2/62
        ([[1, 2, 3], [2]], 1, [2, 1, 3]),  # 1/3 + 1/2 beats a lone first place (1/2)
        ([[1, 2], [3]], 1, [1, 3, 2]),  # equal first places keep first-seen order
        ([[], []], 60, []),
    ],
)
def test_reciprocal_rank_fusion(rankings, k, expected):
    fused = reciprocal_rank_fusion(rankings, k)
    assert [item for item, _ in fused] == expected
    assert all(a[1] >= b[1] for a, b in zip(fused, fused[1:], strict=False))


def test_reciprocal_rank_fusion_scores():
    [(item, score)] = reciprocal_rank_fusion([[7], [7]], k=60)
    assert item == 7 and score == pytest.approx(2 / 61)


def test_weighted_reciprocal_rank_fusion():
    assert [i for i, _ in reciprocal_rank_fusion([[1, 2], [2, 1]], 10, [2.0, 1.0])] == [1, 2]
    assert [i for i, _ in reciprocal_rank_fusion([[1, 2], [2, 1]], 10, [1.0, 2.0])] == [2, 1]


@pytest.mark.parametrize(
    ("rankings", "weights", "expected"),
    [
        ([[(1, 0.9), (2, 0.5)], [(2, 30.0), (1, 10.0)]], [1.0, 1.0], [(1, 1.0), (2, 1.0)]),  # each best scores 1
        ([[(1, 0.9), (2, 0.5)], [(2, 30.0), (1, 10.0)]], [2.0, 1.0], [(1, 2.0), (2, 1.0)]),
        ([[(1, 0.9), (2, 0.8), (3, 0.4)], [(3, 9.0)]], [1.0, 1.0], [(1, 1.0), (3, 1.0), (2, 0.8)]),
        ([[(5, 0.3)], []], [1.0, 1.0], [(5, 1.0)]),  # one score: the best
        ([[], []], [1.0, 1.0], []),
    ],
)
def test_score_fusion(rankings, weights, expected):
    fused = score_fusion(rankings, weights)
    assert [i for i, _ in fused] == [i for i, _ in expected]
    assert [s for _, s in fused] == pytest.approx([s for _, s in expected])


@pytest.mark.parametrize(
    "options",
    [{"fusion": "max"}, {"lexical": "tfidf"}, {"pool": 0}, {"rrf_k": -1}, {"rrf_k": 1.5}, {"dense_weight": -1}, {"lexical_weight": float("nan")},
     {"dense_weight": True}, {"depth": 3}],
)
def test_bad_ranking_options_are_query_errors(options):
    with pytest.raises(QueryError):
        Ranking.from_dict(options)


def test_ranking_round_trips_through_json():
    ranking = Ranking(fusion="score", rrf_k=10, dense_weight=1.5)
    assert Ranking.from_dict(ranking.to_dict()) == ranking
