"""Soft boosts of the fused ranking for the intents a query showed (body, verb, year or session).

A paragraph whose resolution is by the body the query named, whose verb is the one asked for, or
that was adopted in the year named, names that year itself ("the Working Capital Fund for 2024" is
adopted in 2023) or is of the session named, has its fused score multiplied by `1 + boost` (boosts add
up); nothing is removed, so a query read wrongly still finds what it would have found unboosted.
"""

from __future__ import annotations

from collections.abc import Mapping

from .ranking import Ranking
from .understand import Understanding

Facets = tuple[str, str, "int | None", "int | None", str]  # body, verb, session, year, text: `Store.facets`


def applied(facets: Facets, understood: Understanding, ranking: Ranking) -> list[tuple[str, float]]:
    """The boosts (label, size) one paragraph earns for this query."""
    body, verb, session, year, text = facets
    boosts = []
    if understood.body and body == understood.body and ranking.body_boost:
        boosts.append((f"body {body}", ranking.body_boost))
    if verb in understood.verbs and ranking.verb_boost:
        boosts.append((f"verb {verb}", ranking.verb_boost))
    named = [y for y in understood.years if y == year or str(y) in text]
    if ranking.year_boost and named:
        boosts.append((f"year {named[0]}", ranking.year_boost))
    elif ranking.year_boost and session is not None and session in understood.sessions:
        boosts.append((f"session {session}", ranking.year_boost))
    return boosts


def boost(
    fused: list[tuple[int, float]], facets: Mapping[int, Facets], understood: Understanding, ranking: Ranking
) -> list[tuple[int, float, tuple[str, ...]]]:
    """(row, boosted score, boost labels), best first; ties keep the fused order."""
    out = []
    for row, score in fused:
        boosts = applied(facets[row], understood, ranking) if row in facets else []
        out.append((row, score * (1 + sum(size for _, size in boosts)), tuple(label for label, _ in boosts)))
    return sorted(out, key=lambda item: -item[1])
