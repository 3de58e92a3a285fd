"""Fusion of rankings: reciprocal rank fusion, `sum(weight / (k + rank))` (Cormack et al., 2009), or a
weighted sum of min-max normalized scores (convex combination)."""

from __future__ import annotations

RRF_K = 60


def reciprocal_rank_fusion(
    rankings: list[list[int]], k: int = RRF_K, weights: list[float] | None = None
) -> list[tuple[int, float]]:
    """Fuse ranked lists of ids into one list of (id, score), best first; ties keep first-seen order."""
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])


def score_fusion(rankings: list[list[tuple[int, float]]], weights: list[float]) -> list[tuple[int, float]]:
    """Fuse (id, score) rankings by the weighted sum of each ranking's scores scaled to [0, 1] (its best 1,
    its last 0; an id a ranking lacks gets 0 from it); ties keep first-seen order."""
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        if not ranking:
            continue
        high, low = ranking[0][1], ranking[-1][1]
        span = high - low
        for item, score in ranking:
            fused[item] = fused.get(item, 0.0) + weight * ((score - low) / span if span > 0 else 1.0)
    return sorted(fused.items(), key=lambda pair: -pair[1])
