"""The ranking pipeline behind `Searcher.search`: fuse → boost → collapse, pure functions over small
records, so each step is tested without an index or a model.

`retrieval.py` fetches what each step reads (the two rankings, the facets of the fused rows, the
copies' texts) and passes it in; nothing here reads the index.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from .fusion import reciprocal_rank_fusion, score_fusion
from .hit import Explanation
from .ranking import Ranking
from .understand import Understanding

Scored = list[tuple[int, float]]  # (row, score), best first: one ranking
Facets = tuple[str, str, "int | None", "int | None", str]  # body, verb, session, year, text: `Store.facets`
Copy = tuple[str, str, "str | None", str]  # id, symbol, adopted, text: `Store.copies`


class Ranked(NamedTuple):
    """A row at its place in the ranking: its score and why it has it (`explanation`). A tuple, not a
    frozen dataclass: a hybrid search makes some 700 of them, and dataclasses took 1.2 ms of its 24."""

    row: int
    score: float
    lexical_rank: int | None = None  # None: not in that ranking's pool
    dense_rank: int | None = None
    fused: float = 0.0  # the score before boosts
    boosts: tuple[str, ...] = ()

    @property
    def explanation(self) -> Explanation:
        return Explanation(self.lexical_rank, self.dense_rank, self.fused, self.boosts)


@dataclass(frozen=True)
class Group:
    """Identical paragraph texts as one result: shown by `row` (the latest copy) at the best copy's
    score and explanation; `also` the other copies' rows, latest first."""

    row: int
    score: float
    explanation: Explanation
    also: tuple[int, ...] = ()


def fuse(dense: Scored, lexical: Scored, mode: str, ranking: Ranking, limit: int | None = None) -> list[Ranked]:
    """One ranking from the mode's: the dense or lexical one as it is, or (hybrid) both fused by
    weighted reciprocal rank fusion or by normalized scores, as `ranking` says; its first `limit` (all: None)."""
    dense_ranks = {row: rank for rank, (row, _) in enumerate(dense, 1)}
    lexical_ranks = {row: rank for rank, (row, _) in enumerate(lexical, 1)}
    if mode == "dense":
        fused = dense
    elif mode == "lexical":
        fused = lexical
    elif ranking.fusion == "score":
        fused = score_fusion([dense, lexical], [ranking.dense_weight, ranking.lexical_weight])
    else:
        rankings = [[row for row, _ in dense], [row for row, _ in lexical]]
        fused = reciprocal_rank_fusion(rankings, ranking.rrf_k, [ranking.dense_weight, ranking.lexical_weight])
    return [Ranked(row, float(score), lexical_ranks.get(row), dense_ranks.get(row), float(score)) for row, score in fused[:limit]]


def applied(facets: Facets, understood: Understanding, ranking: Ranking) -> list[tuple[str, float]]:
    """The boosts (label, size) one paragraph earns for this query: its body, verb, year or session
    being the one the query named ("the Working Capital Fund for 2024" names its year in the text)."""
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


def boost(ranked: list[Ranked], facets: Mapping[int, Facets], understood: Understanding, ranking: Ranking) -> list[Ranked]:
    """Soft boosts for the query's intents: a score times `1 + boost` (boosts add up); nothing is
    removed, so a query read wrongly still finds what it would have unboosted. Ties keep their order."""
    out = []
    for item in ranked:
        boosts = applied(facets[item.row], understood, ranking) if item.row in facets else []
        labels = tuple(label for label, _ in boosts)
        out.append(item._replace(score=item.score * (1 + sum(size for _, size in boosts)), boosts=labels))
    return sorted(out, key=lambda item: -item.score)


def collapse(ranked: list[Ranked], copies: Mapping[int, Copy], k: int) -> list[Group]:
    """The first `k` distinct texts of a ranking (case and spacing aside), each shown by its latest copy
    (by adoption date, then symbol) at the best copy's score; rows without a copy record are dropped."""
    best: dict[str, Ranked] = {}
    groups: dict[str, list[int]] = {}
    for item in ranked:
        if item.row in copies:
            key = " ".join(copies[item.row][3].casefold().split())
            best.setdefault(key, item)
            groups.setdefault(key, []).append(item.row)
    chosen = []
    for key, rows in list(groups.items())[:k]:
        latest = sorted(rows, key=lambda r: (copies[r][2] or "", copies[r][1]), reverse=True)
        chosen.append(Group(latest[0], best[key].score, best[key].explanation, tuple(latest[1:])))
    return chosen
