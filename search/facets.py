"""What a search's matches add up to: how many paragraphs passing the filters hold every word of the
query, and how they divide by body, kind, verb, year and session. Each facet is counted with its own
filter lifted, so a count says what choosing that value would give."""

from __future__ import annotations

from dataclasses import dataclass, replace

from unres.index.filters import KINDS, Filters
from unres.index.store import Store

FACETS = ("body", "kind", "verb", "year", "session")
MAX_VERBS = 40  # verbs listed, the most frequent; every body, kind, year and session is listed
ORDERED = ("year", "session")  # listed latest first; the others most frequent first


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet (`None`: not known, as an SC resolution's session) and its paragraphs."""

    value: str | None
    count: int


@dataclass(frozen=True)
class Facet:
    name: str
    values: tuple[FacetValue, ...]


@dataclass(frozen=True)
class Counts:
    """The matches' number and facets."""

    total: int
    facets: tuple[Facet, ...]


def lifted(filters: Filters, facet: str) -> Filters:
    """`filters` without the restriction on `facet`: every kind, any verb, body, date or session."""
    lift = {"body": {"body": None}, "kind": {"kinds": KINDS}, "verb": {"verbs": ()},
            "year": {"adopted_from": None, "adopted_to": None}, "session": {"sessions": ()}}
    return replace(filters, **lift[facet])


def count(store: Store, match: str | None, filters: Filters) -> Counts:
    """The paragraphs passing `filters` that match `match` (safe FTS5 syntax; None: every one), counted."""
    facets = []
    for name in FACETS:
        values = store.facet_counts(match, lifted(filters, name), name, MAX_VERBS if name == "verb" else 1000)
        if name in ORDERED:
            values.sort(key=lambda pair: int(pair[0] or 0), reverse=True)
        facets.append(Facet(name, tuple(FacetValue(value, n) for value, n in values if value is not None or name == "year")))
    return Counts(store.count_matching(match, filters), tuple(facets))
