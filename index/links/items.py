"""Items: which resolutions carry one agenda item's language from year to year, and which of their
sections answer each other. Lineage pairs paragraphs only inside the pairs found here.

Three ways two resolutions are on one item:
- `title`: the same title once case, ordinals and years are set aside ("… on the work of its
  fifty-sixth session", "… budget for 2024"). Agenda item numbers change between sessions.
- `renamed`: similar titles in sessions where the title does not recur, and most paragraphs of the
  shorter carried into the other ("Freedom of religion or belief" → "Freedom of religion and belief").
- `cites`: a Security Council resolution names the earlier ones it follows ("Recalling its
  resolutions 425 (1978) and 426 (1978)…"); a cited one whose language it carries is on its item.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .. import sql
from ..errors import IndexOpenError
from ..store import Store
from .citegraph import resolve
from .textdiff import similarity, words

RENAMED_TITLE = 0.75  # word similarity of two titles (ordinals and years aside): a renamed item keeps most title words
RENAMED_SHARE = 0.5  # share of the shorter resolution's paragraphs carried into the other
CARRIED = 0.8  # word similarity of a paragraph and its nearest in the other resolution: carried over
SECTION_HEADING = 0.75  # word similarity of two section headings (ordinals and years aside): the same section

_ORDINAL = re.compile(
    r"\b(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-)?"
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
    r"fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|fortieth|"
    r"fiftieth|sixtieth|seventieth|eightieth|ninetieth|hundredth)\b"
)
_BARE_LABEL = re.compile(r"[IVXLC]{1,6}|[A-Z]")  # a section printed without a heading
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d(?:[-–]\d{2,4})?\b")


def item_key(title: str | None) -> str | None:
    """A title with case, spacing, ordinals and years set aside: equal keys, same item."""
    if not title:
        return None
    return _YEAR.sub("#", _ORDINAL.sub("#", " ".join(title.lower().split())))


@dataclass(frozen=True)
class ItemLink:
    """Two resolutions on one item: how they were paired (`title`, `renamed` or `cites`) and how
    strongly (1.0 for a title; else the share of the shorter one's paragraphs carried over)."""

    earlier: str
    later: str
    how: str
    score: float


@dataclass(frozen=True)
class Stored:
    """What pairing needs of a stored resolution."""

    symbol: str
    body: str
    session: int | None
    adopted: str | None
    key: str | None
    key_words: frozenset[str]

    def order(self) -> tuple[str, str]:
        return (self.adopted or "", self.symbol)


def resolutions(db: sqlite3.Connection) -> dict[str, Stored]:
    return {
        symbol: Stored(symbol, body, session, adopted, key, frozenset(words(key or "")))
        for symbol, body, session, adopted, title in db.execute(sql.RESOLUTION_TITLES)
        for key in [item_key(title)]
    }


Carried = Callable[[str, str], float]  # share of the shorter resolution's paragraphs carried into the other


def same_title(mine: Stored, stored: dict[str, Stored], by_key: dict[str, list[str]]) -> list[str]:
    """Resolutions of the same body with this one's title key, in other sessions (GA) or documents (SC)."""
    return [
        other for other in by_key.get(mine.key or "", ())
        if other != mine.symbol and stored[other].body == mine.body
        and (mine.session is None or stored[other].session is None or stored[other].session != mine.session)
    ]


def renamed(mine: Stored, stored: dict[str, Stored], titled: set[int | None], carried: Carried) -> list[tuple[str, float]]:
    """Resolutions on this item under another title: in a session where the title does not recur, the
    one with a similar title that shares most paragraphs with this one (the best per session)."""
    if mine.key is None or mine.session is None:
        return []
    best: dict[int, tuple[float, str]] = {}
    for other in stored.values():
        if other.body != mine.body or other.session in titled or other.session == mine.session or other.key is None:
            continue
        if len(mine.key_words & other.key_words) < 0.4 * len(mine.key_words | other.key_words):
            continue  # a quick look first: most titles share too few words to compare
        if similarity(mine.key, other.key) < RENAMED_TITLE:
            continue
        share = carried(mine.symbol, other.symbol)
        if share >= RENAMED_SHARE and share > best.get(other.session, (0.0, ""))[0]:
            best[other.session] = (share, other.symbol)
    return [(symbol, share) for share, symbol in best.values()]


def cited_council(db: sqlite3.Connection, mine: Stored, stored: dict[str, Stored]) -> list[str]:
    """Council resolutions this one names in its text and the index holds, adopted before it; and those
    that name this one, adopted after it: the candidates of its chain."""
    named = {cited for (cited,) in db.execute(sql.CITED_IN_TEXT_OF_SYMBOL, (mine.symbol,))}
    naming = {citing for (citing,) in db.execute(sql.CITING_IN_TEXT, {"symbol": mine.symbol})}
    found = [s for s in named if s in stored and stored[s].body == "SC" and stored[s].order() < mine.order()]
    found += [s for s in naming if s in stored and stored[s].body == "SC" and stored[s].order() > mine.order()]
    return sorted(set(found) - {mine.symbol})


def record(db: sqlite3.Connection, a: Stored, b: Stored, how: str, score: float) -> None:
    earlier, later = sorted((a, b), key=Stored.order)
    db.execute(sql.INSERT_ITEM, (earlier.symbol, later.symbol, how, round(score, 4)))


def on_item(db: sqlite3.Connection, symbol: str) -> list[str]:
    """The resolutions paired with this one (itself excluded): the pairs `unres lineage --items` lists.
    Pairs are not followed further: Council citations chain one situation into the next. An index
    linked before items were kept (until its next write relinks it) has only its titles to go by."""
    if not kept(db):
        stored = resolutions(db)
        return sorted(same_title(stored[symbol], stored, partners_by_key(stored))) if symbol in stored else []
    return sorted({other for (other,) in db.execute(sql.ITEM_PARTNERS, {"symbol": symbol})})


def item_links(db: sqlite3.Connection, symbol: str | None = None) -> list[ItemLink]:
    """The stored pairs, all or those of one resolution, by date of the earlier."""
    return [ItemLink(*row) for row in db.execute(sql.ITEM_LINKS, {"symbol": symbol})]


def kept(db: sqlite3.Connection) -> bool:
    """True when the index keeps its item pairs (one linked before them does from its next write)."""
    return db.execute(sql.HAS_ITEMS).fetchone() is not None


def share_carried(left: list[str], right: list[str], cosine: np.ndarray) -> float:
    """Share of the shorter list's paragraphs whose nearest (by vector) in the other has the same words,
    or nearly (`CARRIED`)."""
    if not left or not right:
        return 0.0
    if len(left) > len(right):
        left, right, cosine = right, left, cosine.T
    nearest = cosine.argmax(axis=1)
    return sum(similarity(text, right[j], floor=CARRIED) >= CARRIED for text, j in zip(left, nearest, strict=True)) / len(left)


def section_pairs(first: dict[str, str], second: dict[str, str]) -> dict[str, str]:
    """Sections of two composite resolutions that answer each other, one to one: by heading (ordinals
    and years aside), best first; a section known by a bare label (`II`, `B`) only by an equal label."""
    scored = []
    for label, heading in first.items():
        for other, other_heading in second.items():
            if _BARE_LABEL.fullmatch(heading) or _BARE_LABEL.fullmatch(other_heading):
                score = 1.0 if heading == other_heading else 0.0
            else:
                score = similarity(item_key(heading) or "", item_key(other_heading) or "")
                score += 0.01 * (label == other)  # a tie goes to the same number
            if score >= SECTION_HEADING:
                scored.append((score, label, other))
    pairs: dict[str, str] = {}
    for _, label, other in sorted(scored, key=lambda s: -s[0]):
        if label not in pairs and other not in pairs.values():
            pairs[label] = other
    return pairs


def partners_by_key(stored: dict[str, Stored]) -> dict[str, list[str]]:
    by_key: dict[str, list[str]] = defaultdict(list)
    for resolution in stored.values():
        if resolution.key:
            by_key[resolution.key].append(resolution.symbol)
    return by_key


def items_of(store: Store, symbol: str | None = None) -> tuple[ItemLink, ...]:
    """How the index pairs resolutions into items (`unres lineage --items`): every pair, or those of
    one resolution (a symbol as `cites` takes it); an unknown resolution is a `NotFoundError`."""
    if not kept(store.connection):
        raise IndexOpenError(
            f"{store.path.parent}: index linked before items were kept; index any new document into it "
            "(or rebuild it) to pair them"
        )
    if symbol is None:
        return tuple(item_links(store.connection))
    wanted, _ = resolve(store, symbol, cited=False)
    return tuple(item_links(store.connection, wanted))
