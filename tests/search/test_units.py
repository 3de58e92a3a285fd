"""Table tests of the query layer's pure functions: no index, no model."""

from __future__ import annotations

import pytest
from unres.search.fusion import reciprocal_rank_fusion
from unres.search.lexical import fts_query, query_terms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("South-South cooperation", '"south" OR "cooperation"'),
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
