"""What a search accepts before it reads the index: the query's text, the number of hits, the mode."""

from __future__ import annotations

import numpy as np

from unres.index.errors import QueryError
from unres.index.filters import MODES

MAX_QUERY_CHARS = 2000
MAX_K = 10_000


def check_query(query: str) -> str:
    """Whitespace-normalized text; not text, lone surrogates (undecodable bytes), empty or too long: an error."""
    if not isinstance(query, str):
        raise QueryError(f"a query is text, not {type(query).__name__}")
    try:
        query.encode("utf-8")
    except UnicodeEncodeError as error:
        raise QueryError(
            f"query is not valid text: an undecodable byte or lone surrogate at position {error.start}; use UTF-8"
        ) from None
    query = " ".join(query.split())
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
