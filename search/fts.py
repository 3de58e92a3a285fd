"""Turn whatever a user types into a safe FTS5 query: bare terms, never FTS5 syntax."""

from __future__ import annotations

import re
from collections.abc import Callable

from unres.index.variants import WORD, is_compound

from .stopwords import FUNCTION_WORDS
from .syntax import parse

_TERM = re.compile(r"[^\W_]+", re.UNICODE)  # letters and digits: the tokens of FTS5's unicode61 (an underscore separates)


def _quoted(phrase: str) -> str:
    return f'"{phrase}"'


def fts_query(text: str, phrase: Callable[[str], str] = _quoted) -> str | None:
    """Each word of `text` quoted as an FTS5 string and OR-ed, so BM25 ranks by the words present; a compound
    (`cease-fire`) as the phrase `phrase` gives (`Store.phrase_match`: each spelling). Quotes, `AND`, `NEAR`,
    `*`, parentheses and colons become plain words or disappear; None when nothing searchable is left."""
    operands = _operands(text, phrase)
    return " OR ".join(operands) if operands else None


def fts_every(text: str, phrase: Callable[[str], str] = _quoted) -> str | None:
    """Paragraphs holding every word of `text` (stop words aside, stemmed; compounds as `fts_query`): what a
    search counts as its matches."""
    operands = _operands(text, phrase)
    return " AND ".join(operands) if operands else None


def _operands(text: str, phrase: Callable[[str], str]) -> list[str]:
    words = [w.lower() for w in WORD.findall(text)]
    kept = [w for w in words if w not in FUNCTION_WORDS] or words
    return [_grouped(phrase(w)) if is_compound(w) else f'"{w}"' for w in dict.fromkeys(kept)]


def fts_all(text: str, words: Callable[[str], str] = str, phrase: Callable[[str], str] = _quoted) -> str | None:
    """Paragraphs holding every word of `text` (stemmed), each "quoted phrase" as a phrase, and none of its
    -exclusions (the query grammar, syntax.py): for counting matches. `words` and `phrase` give free words and
    phrases as the full text matches them (`Store.query_text`, `Store.phrase_match`: spelling variants)."""
    syntax = parse(text)
    phrases = [" ".join(WORD.findall(p.lower())) for p in syntax.phrases]
    required = [_grouped(phrase(p)) for p in phrases if p] + _operands(words(syntax.free), phrase)
    if not required:
        return None
    excluded = [" ".join(WORD.findall(term.lower())) for term in syntax.excluded]
    return " AND ".join(required) + "".join(f" NOT {_grouped(phrase(term))}" for term in excluded if term)


def _grouped(expression: str) -> str:
    """An FTS5 expression as one operand: in parentheses when it ORs spellings."""
    return f"({expression})" if " OR " in expression else expression


def query_terms(text: str) -> list[str]:
    """The words of a query worth highlighting in results."""
    return [t for t in dict.fromkeys(t.lower() for t in _TERM.findall(text)) if t not in FUNCTION_WORDS and len(t) > 1]
