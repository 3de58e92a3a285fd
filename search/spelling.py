""""Did you mean": each word of an English query the index never uses, replaced by the closest word it
does use (`Palestinian refugess UNWRA` → `Palestinian refugees UNRWA`).

Candidates come from the lexical index's own vocabulary (its stems), within one edit for a short word
and two for a longer one (an adjacent swap is one edit: UNWRA → UNRWA), the most frequent first; the
word shown is the form the paragraphs themselves print. Never applied on its own: the search answers
the query as typed and offers the suggestion (rapidfuzz, MIT, does the distance over the vocabulary).
"""

from __future__ import annotations

import re

from unres.index.lexical import LexicalIndex
from unres.index.store import Store

_WORD = re.compile(r"\w[\w'’]*", re.UNICODE)
MIN_LENGTH = 4  # shorter words are acronyms and numbers more often than typos


def suggest(text: str, lexical: LexicalIndex | None, store: Store) -> str | None:
    """`text` with its unknown words corrected, or None when every word is known or none has a close match."""
    if lexical is None:
        return None
    changed = False

    def correct(match: re.Match) -> str:
        nonlocal changed
        word = match.group()
        if len(word) < MIN_LENGTH or word.isdigit():
            return word
        stems = lexical.tokenizer(word)
        if not stems or lexical.knows(stems[0]):
            return word
        found = _closest(lexical, stems[0])
        if found is None:
            return word
        printed = _printed(store, lexical, found, word)
        if printed is None:  # only a stem, no word the paragraphs print: no suggestion rather than a non-word
            return word
        changed = changed or printed.lower() != word.lower()
        return printed

    corrected = _WORD.sub(correct, text)
    return corrected if changed else None


def _closest(lexical: LexicalIndex, stem: str) -> str | None:
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    limit = 1 if len(stem) <= 5 else 2
    found = process.extract(stem, lexical.words(), scorer=OSA.distance, score_cutoff=limit, limit=20)
    if not found:
        return None
    return min(found, key=lambda hit: (hit[1], -lexical.frequency(hit[0])))[0]


def _printed(store: Store, lexical: LexicalIndex, stem: str, typed: str) -> str | None:
    """The form of `stem` the paragraphs print that is closest to what was typed, in the typed word's case;
    None when none is found. FTS5 stems differently (porter), so its words are found by prefix."""
    from rapidfuzz.distance import OSA

    forms = {word for text in store.texts_matching(stem, 20) for word in _WORD.findall(text)
             if lexical.tokenizer(word) == [stem]}
    if not forms:
        return None
    form = min(sorted(forms), key=lambda w: (OSA.distance(w.lower(), typed.lower()), w != w.lower()))
    return form if form.isupper() or not typed.islower() else form.lower()
