"""Trend: how many paragraphs match a query in each session (or year) and body, beside how many there are."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from unres.index.errors import QueryError
from unres.index.filters import PERIODS, Filters
from unres.index.store import Store

from .fts import fts_all


@dataclass(frozen=True)
class TrendPoint:
    """One body in one period: paragraphs matching the query, out of all paragraphs passing the filters."""

    body: str
    period: int
    matching: int
    paragraphs: int

    @property
    def share(self) -> float:
        return self.matching / self.paragraphs if self.paragraphs else 0.0


@dataclass(frozen=True)
class Trend:
    """Counts per period and body for a query; a paragraph matches when it holds every word of the query."""

    query: str
    by: str
    verbs: tuple[str, ...]
    points: tuple[TrendPoint, ...]

    @property
    def total(self) -> int:
        return sum(p.matching for p in self.points)

    def to_dict(self) -> dict:
        points = [{**asdict(p), "share": round(p.share, 6)} for p in self.points]
        return {**asdict(self), "points": points, "total": self.total}


def build(store: Store, query: str, filters: Filters, by: str) -> Trend:
    """Count the paragraphs passing `filters` that hold every word of `query` (the grammar's phrases and
    exclusions applied, spelling variants alike), per period and body."""
    if by not in PERIODS:
        raise QueryError(f"unknown period {by!r}; use {' or '.join(PERIODS)}")
    match = fts_all(query, store.query_text, store.phrase_match)
    if match is None:
        raise QueryError(f"nothing to count in {query!r}: no word")
    matching = _by_period(store.trend_counts(match, filters), by)
    totals = _by_period(store.trend_counts(None, filters), by)
    points = tuple(
        TrendPoint(body, period, matching.get((body, period), 0), count)
        for (body, period), count in sorted(totals.items())
    )
    return Trend(query, by, filters.verbs, points)


def _by_period(counts: list[tuple[str, int | None, str | None, int]], by: str) -> dict[tuple[str, int], int]:
    """Counts keyed by (body, session) or (body, year); SC resolutions have no session, so they count by year."""
    summed: dict[tuple[str, int], int] = {}
    for body, session, year, count in counts:
        period = session if by == "session" and session is not None else int(year) if year else None
        if period is None:
            continue
        summed[(body, period)] = summed.get((body, period), 0) + count
    return summed
