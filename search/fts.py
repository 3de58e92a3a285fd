"""Turn whatever a user types into a safe FTS5 query: bare terms, never FTS5 syntax."""

from __future__ import annotations

import re

from .stopwords import FUNCTION_WORDS
from .syntax import parse

_TERM = re.compile(r"[^\W_]+", re.UNICODE)  # letters and digits: the tokens of FTS5's unicode61 (an underscore separates)


def fts_query(text: str) -> str | None:
    """Each word of `text` quoted as an FTS5 string and OR-ed, so BM25 ranks by the words present.

    Quotes, `AND`, `NEAR`, `*`, parentheses and colons become plain words or disappear; None when
    nothing searchable is left.
    """
    terms = [t.lower() for t in _TERM.findall(text)]
    kept = [t for t in terms if t not in FUNCTION_WORDS] or terms
    unique = list(dict.fromkeys(kept))
    if not unique:
        return None
    return " OR ".join(f'"{term}"' for term in unique)


def fts_all(text: str) -> str | None:
    """Paragraphs holding every word of `text` (stemmed), each "quoted phrase" as a phrase, and none of its
    -exclusions (the query grammar, syntax.py): for counting matches."""
    syntax = parse(text)
    phrases = [" ".join(_TERM.findall(phrase.lower())) for phrase in syntax.phrases]
    match = fts_query(syntax.free)
    required = [f'"{phrase}"' for phrase in phrases if phrase] + (match.split(" OR ") if match else [])
    if not required:
        return None
    excluded = [" ".join(_TERM.findall(term.lower())) for term in syntax.excluded]
    return " AND ".join(required) + "".join(f' NOT "{term}"' for term in excluded if term)


def query_terms(text: str) -> list[str]:
    """The words of a query worth highlighting in results."""
    return [t for t in dict.fromkeys(t.lower() for t in _TERM.findall(text)) if t not in FUNCTION_WORDS and len(t) > 1]
