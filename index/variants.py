"""Spelling variants the corpus itself prints, read as one word wherever words are matched (BM25, and
SQLite's full text for phrases, exclusions, counts and trends): `cease-fire` and `ceasefire`,
`organisation` and `organization`, `recognise` and `recognize`, `analyse` and `analyze`.

`-ise`, `-isation`, `-yse` (and their endings) are read as `-ize`, `-ization`, `-yze` in place, on both
sides; a word that merely ends so (`exercise`) is changed alike on both sides, so it still matches only
itself. A paragraph keeps each hyphenated compound as its parts, where it stands, and gains its joined
form at the end (`… cease-fire in Lebanon … ceasefire`): a joined query word finds both; a hyphenated
one, a compound phrase, is matched as its parts in place or joined; a phrase keeps its words' places and
is matched in its spellings (`phrase_spellings`: "cease fire agreement" or "ceasefire agreement", the parts of a joined
word from the compounds the index has seen). BM25 adds a joined
form only where the corpus also prints it whole often enough to be a spelling of its own (`ceasefire`,
not `SecretaryGeneral`): an added word lengthens a paragraph, and BM25 weighs a longer paragraph down.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container, Iterable, Iterator, Mapping

MAX_SPELLINGS = 8  # a phrase's spellings matched at most (each compound doubles them)
MIN_JOINED = 4  # shorter words are looked up as no compound's joined form
SLIP_RATE = 20  # a joined form printed in fewer than 1 in this many of its compound's paragraphs is an extraction slip
VARIANTS_KEY = "variants"  # the meta key saying the full text was written with `for_document` (its value: VERSION)
VERSION = "5"  # 5: joined forms after the text, once per occurrence; the compounds table

_COMPOUND = re.compile(r"(?<!\w)[^\W\d_]+(?:[-‐‑][^\W\d_]+)+(?!\w)")
_HYPHENS = re.compile(r"[-‐‑]")
WORD = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)*", re.UNICODE)  # FTS5's unicode61 tokens (letters, digits), compounds whole
_WORD = re.compile(r"[^\W\d_]+")
_SUFFIX = re.compile(r"(?:is|IS|ys|YS)(?=(?:e|ed|es|ing|ation|ations|er|ers|E|ED|ES|ING|ATION|ATIONS|ER|ERS)\b)")
_IZE = {"is": "iz", "IS": "IZ", "ys": "yz", "YS": "YZ"}


def _ize(text: str) -> str:
    """`-ise` as `-ize` after three word characters or more. (A lookbehind in the pattern would be tried at
    every character, four times slower over the corpus: every write reads it all for BM25.)"""
    parts: list[str] = []
    last = 0
    for match in _SUFFIX.finditer(text):
        begin = match.start()
        if begin >= 3 and all(c.isalnum() or c == "_" for c in text[begin - 3 : begin]):  # \w{3}
            parts += (text[last:begin], _IZE[match.group(0)])
            last = match.end()
    return "".join([*parts, text[last:]]) if parts else text


def _compounds(text: str) -> Iterator[str]:
    """The hyphenated compounds of a text as printed, in order. The pattern runs only over the text's
    whitespace-separated pieces that hold a hyphen (whitespace is no word character, so the matches are
    the same), about half the paragraphs and a small part of each."""
    if not _HYPHENS.search(text):
        return iter(())
    pieces = " ".join(piece for piece in text.split() if "-" in piece or "‐" in piece or "‑" in piece)  # _HYPHENS
    return (match.group(0) for match in _COMPOUND.finditer(pieces))


def for_document(text: str, variants: Container[str] | None = None) -> str:
    """A paragraph's text as the word indexes read it: `-ise` as `-ize`, and after it the joined form of each
    compound (only those in `variants`, lower case, when given: `joined_variants`)."""
    text = _ize(text)
    joined = (_HYPHENS.sub("", compound) for compound in _compounds(text))
    added = [word for word in joined if variants is None or word.lower() in variants]  # once per occurrence, as printed
    return " ".join([text, *added]) if added else text


def is_compound(word: str) -> bool:
    """Whether a word (of `WORD`) is a hyphenated compound."""
    return bool(_HYPHENS.search(word))


def joined_variants(texts: Iterable[str]) -> set[str]:
    """The joined forms of the compounds the texts also print whole (lower case, `-ise` read as `-ize`) in at
    least one paragraph for every `SLIP_RATE` printing them hyphenated: variants the corpus uses (`ceasefire`,
    27 paragraphs to 268), not a hyphen lost at a line break in extraction (`SecretaryGeneral`, 4 to 4,987)."""
    whole: Counter[str] = Counter()
    hyphenated: Counter[str] = Counter()
    for text in texts:
        text = _ize(text).lower()
        whole.update(set(_WORD.findall(text)))
        hyphenated.update({_HYPHENS.sub("", compound) for compound in _compounds(text)})
    return {word for word, n in hyphenated.items() if whole[word] * SLIP_RATE >= n}


def for_query(text: str) -> str:
    """A query's words as the full text matches them, `-ise` as `-ize`; its compounds are matched as phrases
    in each of their spellings (`phrase_spellings`)."""
    return _ize(text)


def compounds(text: str) -> list[tuple[str, str]]:
    """(joined, parts) of each hyphenated compound the text prints, lower case: `("ceasefire", "cease fire")`."""
    return [(_HYPHENS.sub("", c).lower(), _HYPHENS.sub(" ", c).lower()) for c in _compounds(_ize(text))]


def phrase_spellings(phrase: str, parts: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """A phrase as the full text may hold it, `-ise` as `-ize`: each compound as its parts (where a paragraph
    prints it hyphenated) or joined (where it prints it whole), a joined word also as the parts `parts` gives
    it (`ceasefire` → `cease fire`: the compounds the index has seen). At most `MAX_SPELLINGS`."""
    options = []
    for word in _ize(phrase).split():
        whole = _HYPHENS.sub("", word)
        found = (parts or {}).get(whole.lower())
        options.append(list(dict.fromkeys(w for w in (word, whole, found) if w)))
    spellings = [""]
    for choices in options:
        spellings = [f"{done} {choice}".strip() for done in spellings for choice in choices][:MAX_SPELLINGS]
    return tuple(spellings)


def joined_words(phrase: str) -> list[str]:
    """The phrase's words that may be a compound printed whole elsewhere (lower case, hyphens dropped)."""
    return [_HYPHENS.sub("", word).lower() for word in _ize(phrase).split() if len(word) >= MIN_JOINED]
