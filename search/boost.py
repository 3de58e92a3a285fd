"""Soft boosts of the fused ranking for the intents a query showed (body, verb, year or session).

A paragraph whose resolution is by the body the query named, whose verb is the one asked for, or
whose year or session is the one named has its fused score multiplied by `1 + boost` (boosts add
up); nothing is removed, so a query read wrongly still finds what it would have found unboosted.
"""

from __future__ import annotations

from collections.abc import Mapping

from .ranking import Ranking
from .understand import Understanding

Facets = tuple[str, str, "int | None", "int | None"]  # body, verb, session, year: `Store.facets`


def applied(facets: Facets, understood: Understanding, ranking: Ranking) -> list[tuple[str, float]]:
    """The boosts (label, size) one paragraph earns for this query."""
    body, verb, session, year = facets
    boosts = []
    if understood.body and body == understood.body and ranking.body_boost:
        boosts.append((f"body {body}", ranking.body_boost))
    if verb in understood.verbs and ranking.verb_boost:
        boosts.append((f"verb {verb}", ranking.verb_boost))
    if ranking.year_boost and ((year is not None and year in understood.years)
                               or (session is not None and session in understood.sessions)):
        boosts.append((f"year {year}" if year in understood.years else f"session {session}", ranking.year_boost))
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
