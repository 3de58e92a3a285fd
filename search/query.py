"""What a search accepts before it reads the index: the query's text, the number of hits, the mode."""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

import numpy as np

from unres.index.errors import QueryError
from unres.index.filters import MODES, SORTS, Filters
from unres.index.parse.blocks import strip_format
from unres.index.reader import Snapshot

from .understand import filter_verbs

MAX_QUERY_CHARS = 2000
MAX_K = 10_000
T = TypeVar("T")


def check_query(query: str) -> str:
    """Whitespace-normalized text without format characters (zero-width, bidi marks: `strip_format`, as the
    parser strips them from what it indexes); not text, lone surrogates (undecodable bytes), empty or too long: an error."""
    if not isinstance(query, str):
        raise QueryError(f"a query is text, not {type(query).__name__}")
    try:
        query.encode("utf-8")
    except UnicodeEncodeError as error:
        raise QueryError(
            f"query is not valid text: an undecodable byte or lone surrogate at position {error.start}; use UTF-8"
        ) from None
    query = " ".join(strip_format(query).split())
    if not query:
        raise QueryError("empty query")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"query of {len(query)} characters; the limit is {MAX_QUERY_CHARS}")
    return query


def check_k(k: int) -> int:
    """A count of results: a whole number from 1 to `MAX_K`."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= MAX_K:
        raise QueryError(f"k must be a whole number from 1 to {MAX_K}, not {k!r}")
    return int(k)


def check_mode(mode: str) -> str:
    """One of `MODES`: dense, lexical or hybrid."""
    if mode not in MODES:
        raise QueryError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
    return mode


def check_type(name: str, value: T | None, kind: type[T]) -> T | None:
    """None, or an instance of `kind` (a `Ranking`, a `Filters`); anything else an error saying what is expected."""
    if value is not None and not isinstance(value, kind):
        raise QueryError(f"{name} must be a {kind.__name__} (unres.search.{kind.__name__}(...)), not {type(value).__name__}")
    return value


def check_sort(sort: str) -> str:
    """One of `SORTS`: relevance or date."""
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}; use one of {', '.join(SORTS)}")
    return sort


def check_offset(offset: int, k: int) -> int:
    """Where a page of `k` hits starts: a whole number from 0, the page ending by `MAX_K`."""
    if isinstance(offset, bool) or not isinstance(offset, (int, np.integer)) or not 0 <= offset <= MAX_K - k:
        raise QueryError(f"offset must be a whole number from 0 to {MAX_K - k} (the last page ends at {MAX_K}), not {offset!r}")
    return int(offset)


def check_filters(filters: Filters | None, **keywords) -> Filters:
    """`filters`, or `Filters.of` the keywords given (those not None); both given: an error."""
    given = {name: value for name, value in keywords.items() if value is not None}
    if check_type("filters", filters, Filters) is not None and given:
        raise QueryError(f"give filters or the keywords {', '.join(given)}, not both")
    return filters or Filters.of(**given)


def checked(snapshot: Snapshot, filters: Filters) -> Filters:
    """`filters` as the index holds their values (verbs in any form: `condemned` → condemns), checked against it
    (`Snapshot.checked`: unknown verbs and symbols, sessions and dates it lacks)."""
    return snapshot.checked(replace(filters, verbs=filter_verbs(filters.verbs, snapshot.verbs())))
