"""The acronym glossary an index mines from its own text: `Name (ACRONYM)` definitions.

Resolutions spell a body out once and abbreviate it after: "... Works Agency for Palestine Refugees
in the Near East (UNRWA)", "least developed countries (LDCs)". A definition counts when the
acronym's letters match, in order, letters of the words just before the parenthesis, the first
letter at the first word's start and at least half at word starts (of the runs that do, the one
with most letters at word starts) ("of" in ECOWAS counts, "in" of
UNRWA's "in the Near East" need not). Definitions are kept per resolution, so removing or replacing
one keeps the glossary in step (`ON DELETE CASCADE`); the search expands an acronym to its most
frequent expansion. The builder writes the table inside its commit; an index made before it gets it
from `unres check --repair` or its next write.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from . import sql
from .errors import IndexOpenError
from .parse.verbs import OPERATIVE_HEADS, PREAMBULAR_HEADS

GLOSSARY_VERSION = "1"  # bump when mining changes, so the next write or repair mines the whole index again
META_KEY = "glossary"
SKIPPABLE = frozenset(["of", "the", "and", "for", "in", "on", "to", "a", "an", "at", "de", "des", "du", "la", "le", "et", "&"])

_DEFINITION = re.compile(r"\(\s*([A-Z][A-Za-z0-9&-]*[A-Z0-9])(s?)\s*\)")
_WORD = re.compile(r"[^\s()\[\]]+")
_STOP = re.compile(r"[;:.()\[\]]\s")  # a definition does not reach back across a clause
JOINING = frozenset(["of", "and", "the", "on", "in", "de", "du", "des", "la", "le", "et", "&"])
_CAPITALIZED = r"[A-Z][\w’'-]*[a-z][\w’'-]*"  # a capitalized word, not an acronym
_NAME = re.compile(
    rf"{_CAPITALIZED}(?:(?:,\s+|\s+(?:(?:{'|'.join(sorted(JOINING))})\s+)*){_CAPITALIZED})+"
)
HEADS = frozenset(h.split()[0] for h in OPERATIVE_HEADS | PREAMBULAR_HEADS)
DEFINED, NAMED, JOINED = 1, 0, 2  # the `defined` column: a definition, a name by capitals, by every initial
MIN_NAME_COUNT = 2  # a name used once in the corpus is not trusted as an acronym's expansion


def definitions(text: str) -> list[tuple[str, str]]:
    """Every (acronym, expansion) defined in `text`, in order of appearance."""
    found = []
    for match in _DEFINITION.finditer(text):
        acronym = match.group(1)
        letters = [c for c in acronym if c.isalnum()]
        if not 2 <= len(letters) <= 10 or sum(c.isupper() for c in letters) < 2 or sum(c.islower() for c in letters) > 1:
            continue
        before = text[max(0, match.start() - 400):match.start()]
        stops = list(_STOP.finditer(before))
        if stops:
            before = before[stops[-1].end():]
        words = [w.strip("\"'“”‘’") for w in _WORD.findall(before)]
        expansion = expand(acronym, [w for w in words if w.strip(",")])
        if expansion is not None:
            found.append((acronym, expansion))
    return found


def expand(acronym: str, words: list[str]) -> str | None:
    """The run of `words` ending at the last one that spells `acronym` with the most letters at word
    starts (the shortest such run), or None."""
    letters = "".join(c for c in acronym.lower() if c.isalpha())
    if len(letters) < 2:
        return None
    limit = min(len(letters) + 9, 3 * len(letters))
    best: tuple[int, str] | None = None
    for size in range(2, min(limit, len(words)) + 1):
        run = [w.rstrip(",") for w in words[-size:]]
        if not run[0][0].isalpha():
            break  # a number or symbol: the definition cannot reach further back
        if any(c.isdigit() for c in run[0]):
            break
        if run[0].lower() in SKIPPABLE or run[0] == acronym:
            continue
        initials = _match(letters, tuple(w.lower() for w in run))
        if initials is not None and 2 * initials >= len(letters) and (best is None or initials > best[0]):
            best = (initials, " ".join(words[-size:]).rstrip(","))
    return best[1] if best else _reordered(letters, words[-limit:])


def _reordered(letters: str, words: list[str]) -> str | None:
    """A name whose acronym follows another language's word order (MINUSMA: "United Nations
    Multidimensional Integrated Stabilization Mission in Mali"): the shortest run whose initials hold
    all but one of the acronym's letters, for acronyms of five letters or more."""
    if len(letters) < 5:
        return None
    for size in range(2, len(words) + 1):
        run = [w.rstrip(",") for w in words[-size:]]
        if not run[0][0].isupper() or any(c.isdigit() for w in run for c in w):
            continue
        initials = Counter(w[0].lower() for w in run)
        missing = sum((Counter(letters) - initials).values())
        if missing <= 1 and sum(initials.values()) <= len(letters) + 2:
            return " ".join(words[-size:]).rstrip(",")
    return None


def _match(letters: str, words: tuple[str, ...]) -> int | None:
    """The most letters matched at word starts over any in-order match of `letters` to `words`
    (the first letter at the first word's start, each word giving its letters left to right); None if none."""

    @cache
    def best(i: int, w: int, c: int) -> int | None:
        # letters[i:] still to match, from word w at character c (c == 0: at its start)
        if i == len(letters):
            return 0
        if w == len(words):
            return None
        word = words[w]
        results = []
        skip = best(i, w + 1, 0)  # the rest of this word gives nothing more
        if skip is not None:
            results.append(skip)
        for position in range(c, len(word)):
            if word[position] == letters[i]:
                rest = best(i + 1, w, position + 1)
                if rest is not None:
                    results.append(rest + (position == 0))
                break  # the earliest occurrence leaves the most choice for later letters
        return max(results) if results else None

    if not words or words[0][0] != letters[0]:
        return None
    rest = best(1, 0, 1)
    return None if rest is None else rest + 1


def names(text: str) -> list[tuple[str, str, bool]]:
    """(initials, name, joined) of each capitalized name in `text` ("United Nations Relief and Works
    Agency" → UNRWA) and of its parts between joining words ("World Health Organization" in "World
    Health Organization and Member States"), not opened by the verb that opens a paragraph; `joined`
    marks initials that take the joining words' too ("United Nations Interim Force in Lebanon" → UNIFIL)."""
    found = []
    for run in _NAME.finditer(text):
        words = run.group(0).replace(",", " ").split()
        joins = [i for i, w in enumerate(words) if w in JOINING]
        starts = [0] + [i + 1 for i in joins if words[i + 1] not in JOINING]
        ends = [i for i in joins if words[i - 1] not in JOINING] + [len(words)]
        if words[0].lower() in HEADS:
            starts = starts[1:]  # "Welcomes the World Health Organization": the verb opens the sentence
        for start in starts:
            for end in ends:
                name = words[start:end]
                capitals = "".join(w[0] for w in name if w[0].isupper())
                every = "".join(w[0].upper() for w in name)
                if end > start and 3 <= len(capitals) <= 10:
                    found.append((capitals, " ".join(name), False))
                if end > start and every != capitals and 3 <= len(every) <= 10:
                    found.append((every, " ".join(name), True))
    return found


def mine(texts: Iterable[str]) -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str, bool]]]:
    """(acronym, expansion) pairs defined in these texts, and (initials, name, joined) of the names
    they use, each with how often it occurs."""
    defined: Counter[tuple[str, str]] = Counter()
    used: Counter[tuple[str, str, bool]] = Counter()
    for text in texts:
        if text:
            defined.update(definitions(text))
            used.update(names(text))
    return defined, used


def record(db: sqlite3.Connection, symbol: str, texts: Iterable[str]) -> None:
    """Store the definitions and names of one resolution's texts (its title and paragraphs)."""
    db.execute(sql.GLOSSARY_SCHEMA)
    db.execute(sql.GLOSSARY_INDEX)
    defined, used = mine(texts)
    rows = [(symbol, acronym, expansion, n, 1) for (acronym, expansion), n in defined.items()]
    rows += [(symbol, key, name, n, JOINED if joined else NAMED) for (key, name, joined), n in used.items()]
    db.executemany(sql.INSERT_DEFINITION, rows)


def update(db: sqlite3.Connection, symbols: Iterable[str]) -> None:
    """Inside the builder's write: mine the new resolutions (or, in an index not mined yet, all of them)."""
    if current(db):
        for symbol in symbols:
            record(db, symbol, _stored_texts(db, symbol))
    else:
        rebuild(db)


def rebuild(db: sqlite3.Connection) -> None:
    """Mine every stored resolution again (a repair, or an index made before the glossary)."""
    db.execute(sql.GLOSSARY_SCHEMA)
    db.execute(sql.CLEAR_GLOSSARY)
    for (symbol,) in db.execute(sql.ALL_SYMBOLS).fetchall():
        record(db, symbol, _stored_texts(db, symbol))
    db.execute(sql.SET_META, (META_KEY, GLOSSARY_VERSION))


def current(db: sqlite3.Connection) -> bool:
    """True when the glossary table exists and was mined by this version of the rules."""
    row = db.execute(sql.GET_META, (META_KEY,)).fetchone()
    return row is not None and row[0] == GLOSSARY_VERSION and db.execute(sql.HAS_GLOSSARY).fetchone()[0] == 1


def load(db: sqlite3.Connection, path: Path) -> dict[str, str]:
    """Each acronym with its most frequent expansion (ties: the shorter, then alphabetical).

    An index made before the glossary, or mined by other rules, is an `IndexOpenError` naming the
    database and the command that adds it.
    """
    if not current(db):
        raise IndexOpenError(
            f"{path}: index has no acronym glossary (made before it, or by older rules); "
            f"run `unres check --repair --index {path.parent}` to add it"
        )
    return _most_frequent(db.execute(sql.GLOSSARY_COUNTS).fetchall())


def named(db: sqlite3.Connection, acronyms: Iterable[str]) -> dict[str, str]:
    """For acronyms the corpus never defines, the name whose initials spell them: "UNRWA" → "United
    Nations Relief and Works Agency". An acronym the corpus writes takes the name used most in the
    resolutions that write it too, by capitals or every initial (none there: no expansion); one it never
    writes, the name used most by capitals (at least `MIN_NAME_COUNT` times)."""
    found = {}
    for acronym in sorted(set(acronyms)):
        symbols = [s for (s,) in db.execute(sql.SYMBOLS_MATCHING, (f'"{acronym}"',))]
        if symbols:
            query, params = sql.NAME_COUNTS_IN, (acronym, json.dumps(symbols))
        else:
            query, params = sql.NAME_COUNTS, (acronym,)
        rows = db.execute(query, params).fetchall()
        totals = Counter()
        for name, count in rows:
            totals[name.lower()] += count
        least = 1 if symbols else MIN_NAME_COUNT
        found.update(_most_frequent([(acronym, name, n) for name, n in rows if totals[name.lower()] >= least]))
    return found


def _most_frequent(rows: Iterable[tuple[str, str, int]]) -> dict[str, str]:
    """Each acronym's most frequent expansion (case aside; ties: the shorter, then alphabetical), as most often written."""
    forms: dict[str, Counter[str]] = {}  # acronym -> expansion (lower case) -> count
    spelled: dict[tuple[str, str], Counter[str]] = {}  # how each expansion is written, most often
    for acronym, expansion, count in rows:
        forms.setdefault(acronym, Counter())[expansion.lower()] += count
        spelled.setdefault((acronym, expansion.lower()), Counter())[expansion] += count
    glossary = {}
    for acronym, counts in sorted(forms.items()):
        lower = min(counts, key=lambda e: (-counts[e], len(e), e))
        glossary[acronym] = min(spelled[acronym, lower], key=lambda e: (-spelled[acronym, lower][e], e))
    return glossary


def _stored_texts(db: sqlite3.Connection, symbol: str) -> list[str]:
    title = db.execute(sql.TITLE_OF_SYMBOL, (symbol,)).fetchone()
    texts = [text for (text,) in db.execute(sql.TEXTS_OF_SYMBOL, (symbol,))]
    return ([title[0]] if title and title[0] else []) + texts
