"""Lineage: each paragraph's versions in the other years' resolutions on the same item, linked at index
time (`link`) and read back with word diffs (`lineage_of`).

Two resolutions are on the same item when their titles agree once ordinals and years are set aside
("… on the work of its fifty-sixth session", "… budget for 2024"): agenda item numbers change from
one session to the next, so they cannot pair resolutions across sessions. Within such a pair,
paragraphs of the same kind are paired one to one: the stored vectors propose candidates, a
word-level similarity confirms them. Near-duplicate language in a resolution on another item is a
weaker relation, `elsewhere`. Thresholds come from hand-checked pairs (benchmarks/lineage/README.md).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

import numpy as np

from .. import sql
from ..store import Store, StoredParagraph
from ..vectors import VectorIndex
from .textdiff import Span, diff, similarity, words

Progress = Callable[[str, int, int], None]  # (stage, done, total), as the builder reports
LINKED_KINDS = ("operative", "preambular")
CANDIDATES = 3  # nearest paragraphs by vector, per paragraph, checked word by word
ELSEWHERE_K = 16  # nearest paragraphs by vector searched for language elsewhere
ELSEWHERE_WORDS = 12  # shorter paragraphs ("Decides to remain seized of the matter") are boilerplate


@dataclass(frozen=True)
class Thresholds:
    """Word similarities (0–1) that confirm a link; the defaults are chosen on hand-checked pairs."""

    version: float = 0.5  # a version on the same item
    slot: float = 0.3  # an unpaired paragraph in the same slot between two versions
    elsewhere: float = 0.85  # the same language in a resolution on another item


DEFAULT_THRESHOLDS = Thresholds()

_ORDINAL = re.compile(
    r"\b(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-)?"
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
    r"fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|fortieth|"
    r"fiftieth|sixtieth|seventieth|eightieth|ninetieth|hundredth)\b"
)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d(?:[-–]\d{2,4})?\b")


def item_key(title: str | None) -> str | None:
    """A resolution's title with case, spacing, ordinals and years set aside: equal keys, same item."""
    if not title:
        return None
    key = _YEAR.sub("#", _ORDINAL.sub("#", " ".join(title.lower().split())))
    return key


@dataclass(frozen=True)
class _Resolution:
    symbol: str
    body: str
    session: int | None
    adopted: str | None
    key: str | None

    def same_item(self, other: _Resolution) -> bool:
        """Another resolution on this item: same body and title key, another session (GA) or document (SC)."""
        if self.symbol == other.symbol or self.key is None or self.key != other.key or self.body != other.body:
            return False
        return self.session is None or other.session is None or self.session != other.session


@dataclass(frozen=True)
class _Paragraph:
    row: int
    symbol: str
    kind: str
    text: str
    adopted: str | None


def link(
    db: sqlite3.Connection,
    vectors: VectorIndex,
    rows: Iterable[int],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    progress: Progress | None = None,
) -> None:
    """Link the paragraphs of these (new) rows to every version and near-duplicate already stored."""
    new = [p for p in _paragraphs(db, sql.LINK_PARAGRAPHS_OF_ROWS, rows) if p.kind in LINKED_KINDS]
    if not new:
        return
    resolutions = {
        symbol: _Resolution(symbol, body, session, adopted, item_key(title))
        for symbol, body, session, adopted, title in db.execute(sql.RESOLUTION_TITLES)
    }
    by_key: dict[str, list[str]] = defaultdict(list)
    for resolution in resolutions.values():
        if resolution.key:
            by_key[resolution.key].append(resolution.symbol)
    new_symbols = sorted({p.symbol for p in new})
    related: dict[str, set[str]] = {}
    done: set[tuple[str, str]] = set()
    report = progress or (lambda stage, done, total: None)
    report("link", 0, len(new_symbols))
    for count, symbol in enumerate(new_symbols, 1):
        mine = resolutions[symbol]
        related[symbol] = {s for s in by_key.get(mine.key, ()) if mine.same_item(resolutions[s])}
        for other in sorted(related[symbol]):
            pair = (min(symbol, other), max(symbol, other))
            if pair not in done:
                done.add(pair)
                _link_pair(db, vectors, symbol, other, thresholds)
        report("link", count, len(new_symbols))
    _link_elsewhere(db, vectors, new, related, thresholds.elsewhere)


def _link_pair(db: sqlite3.Connection, vectors: VectorIndex, first: str, second: str, thresholds: Thresholds) -> None:
    """Pair the paragraphs of two resolutions on one item, one to one, best word similarity first."""
    paragraphs = _paragraphs(db, sql.LINK_PARAGRAPHS_OF_SYMBOLS, [first, second])
    for kind in LINKED_KINDS:
        left = [p for p in paragraphs if p.symbol == first and p.kind == kind]
        right = [p for p in paragraphs if p.symbol == second and p.kind == kind]
        if not left or not right:
            continue
        cosine = _matrix(vectors, left) @ _matrix(vectors, right).T
        candidates: set[tuple[int, int]] = set()
        for i in range(len(left)):
            candidates.update((i, int(j)) for j in np.argsort(-cosine[i])[:CANDIDATES])
        for j in range(len(right)):
            candidates.update((int(i), j) for i in np.argsort(-cosine[:, j])[:CANDIDATES])
        scored = sorted(
            ((similarity(left[i].text, right[j].text, floor=thresholds.version), i, j) for i, j in candidates),
            key=lambda s: (-s[0], s[1], s[2]),
        )
        pairs: dict[int, int] = {}
        for score, i, j in scored:
            if score < thresholds.version:
                break
            if i not in pairs and j not in pairs.values():
                pairs[i] = j
                _insert(db, left[i], right[j], "version", score)
        for i, j in _slots(pairs, len(left), len(right)):
            score = similarity(left[i].text, right[j].text)
            if score >= thresholds.slot:
                _insert(db, left[i], right[j], "version", score)


def _slots(pairs: dict[int, int], left: int, right: int) -> list[tuple[int, int]]:
    """Unpaired paragraphs in the same slot: i-1 paired with j-1 and i+1 with j+1 (or the slot at either
    end of both resolutions next to a pair), as a clause rewritten for the year sits between unchanged ones."""
    taken = set(pairs.values())
    slots = []
    for i in range(left):
        if i in pairs:
            continue
        before = pairs.get(i - 1) if i > 0 else -1
        after = pairs.get(i + 1) if i + 1 < left else right
        if before is None or after is None or after - before != 2:
            continue
        j = before + 1
        if 0 <= j < right and j not in taken and (i > 0 or i + 1 < left):
            slots.append((i, j))
    return slots


def _link_elsewhere(
    db: sqlite3.Connection, vectors: VectorIndex, new: list[_Paragraph], related: dict[str, set[str]], minimum: float
) -> None:
    """Near-duplicates of each new paragraph in resolutions on other items (the nearest by vector, confirmed)."""
    long_enough = [p for p in new if len(words(p.text)) >= ELSEWHERE_WORDS]
    if not long_enough:
        return
    found = vectors.search_many(_matrix(vectors, long_enough), ELSEWHERE_K)
    rows = sorted({row for ranked in found for row, _ in ranked})
    others = {p.row: p for p in _paragraphs(db, sql.LINK_PARAGRAPHS_OF_ROWS, rows)}
    for paragraph, ranked in zip(long_enough, found, strict=True):
        for row, _ in ranked:
            other = others.get(row)
            if other is None or other.symbol == paragraph.symbol or other.symbol in related[paragraph.symbol]:
                continue
            if other.kind not in LINKED_KINDS:
                continue
            score = similarity(paragraph.text, other.text, floor=minimum)
            if score >= minimum:
                _insert(db, paragraph, other, "elsewhere", score)


def _insert(db: sqlite3.Connection, a: _Paragraph, b: _Paragraph, relation: str, score: float) -> None:
    earlier, later = sorted((a, b), key=lambda p: (p.adopted or "", p.symbol, p.row))
    db.execute(sql.INSERT_LINK, (earlier.row, later.row, relation, round(score, 4)))


def _matrix(vectors: VectorIndex, paragraphs: list[_Paragraph]) -> np.ndarray:
    return np.vstack([vectors.vector(p.row) for p in paragraphs])


def _paragraphs(db: sqlite3.Connection, statement: str, keys: Iterable) -> list[_Paragraph]:
    return [_Paragraph(*record) for record in db.execute(statement, (json.dumps(list(keys)),))]


def chain(db: sqlite3.Connection, row: int) -> dict[int, float]:
    """The versions of a paragraph, one per resolution: each row with the similarity of the link that
    reached it (1.0 for the paragraph itself); direct links first, then theirs, best first."""
    found = {row: 1.0}
    symbols = {symbol for (symbol,) in db.execute(sql.SYMBOL_OF_ROW, (row,))}
    frontier = [row]
    while frontier:
        links = db.execute(sql.VERSION_LINKS, {"rows": json.dumps(frontier)}).fetchall()
        reached: list[int] = []
        for earlier, earlier_symbol, later, later_symbol, score in sorted(links, key=lambda link: -link[4]):
            for near, far, far_symbol in ((earlier, later, later_symbol), (later, earlier, earlier_symbol)):
                if near in frontier and far not in found and far_symbol not in symbols:
                    found[far] = score
                    symbols.add(far_symbol)
                    reached.append(far)
        frontier = reached
    return found


def elsewhere(db: sqlite3.Connection, row: int) -> list[tuple[int, float]]:
    """Near-duplicates of a paragraph in resolutions on other items, most similar first."""
    return [(other, score) for other, score in db.execute(sql.ELSEWHERE_LINKS, {"row": row})]


def without_predecessor(db: sqlite3.Connection, symbol: str, kind: str) -> list[int]:
    """Rows of a resolution's paragraphs of one kind that no earlier paragraph leads to: new language."""
    rows = [r for (r,) in db.execute(sql.ROWS_OF_KIND_IN_SYMBOL, (symbol, kind))]
    links = db.execute(sql.VERSION_LINKS, {"rows": json.dumps(rows)}).fetchall()
    continued = {later for _, _, later, later_symbol, _ in links if later_symbol == symbol}
    return [r for r in rows if r not in continued]


def same_item(db: sqlite3.Connection, symbol: str) -> list[tuple[str, str | None]]:
    """Other resolutions on the item of this one, with their adoption dates."""
    resolutions = [
        _Resolution(s, body, session, adopted, item_key(title))
        for s, body, session, adopted, title in db.execute(sql.RESOLUTION_TITLES)
    ]
    mine = next((r for r in resolutions if r.symbol == symbol), None)
    if mine is None:
        return []
    return [(r.symbol, r.adopted) for r in resolutions if mine.same_item(r)]


def all_links(db: sqlite3.Connection) -> list[tuple[str, str, str, float]]:
    """Every link: (earlier id, later id, relation, similarity)."""
    return db.execute(sql.ALL_LINKS).fetchall()


@dataclass(frozen=True)
class Version:
    """One version of a paragraph: where and when, its text, and what changed since the version before."""

    id: str
    symbol: str
    title: str | None
    adopted: str | None
    session: int | None
    number: int | None
    verb: str
    text: str
    similarity: float | None  # word similarity to the previous version; None for the first
    diff: tuple[Span, ...]  # from the previous version's text to this one; empty for the first


@dataclass(frozen=True)
class Related:
    """The same language in a resolution on another item (a weaker relation than a version)."""

    id: str
    symbol: str
    title: str | None
    adopted: str | None
    similarity: float


@dataclass(frozen=True)
class Lineage:
    """How a paragraph read over the years: `versions` by adoption date, the asked one among them."""

    id: str
    versions: tuple[Version, ...]
    first_appeared: str  # id of the earliest version
    last_seen: str  # id of the latest version
    dropped: bool  # a later resolution on the item is in the index without this paragraph
    latest_resolution: str  # the latest resolution on the item in the index
    new_in_latest: tuple[str, ...]  # its paragraphs (of this kind) with no earlier version: new language
    elsewhere: tuple[Related, ...]

    @property
    def found(self) -> bool:
        """True when the paragraph has a version in another resolution."""
        return len(self.versions) > 1

    def to_dict(self) -> dict:
        return asdict(self)


def lineage_of(store: Store, stored: StoredParagraph) -> Lineage:
    """The lineage of one stored paragraph, from the links written at index time."""
    db = store.connection
    reached = chain(db, stored.row)
    paragraphs = store.paragraphs(list(reached))
    ordered = sorted(paragraphs.values(), key=lambda p: (p.adopted or "", p.symbol))
    versions: list[Version] = []
    for index, current in enumerate(ordered):
        previous = ordered[index - 1] if index else None
        versions.append(_version(current, previous))
    item = same_item(db, stored.symbol) + [(stored.symbol, stored.adopted)]
    latest_symbol, _ = max(item, key=lambda s: (s[1] or "", s[0]))
    last = ordered[-1]
    new_rows = without_predecessor(db, latest_symbol, stored.paragraph.kind) if len(item) > 1 else []
    new_ids = store.ids(new_rows)
    others = elsewhere(db, stored.row)
    related = store.paragraphs([row for row, _ in others])
    return Lineage(
        id=stored.paragraph.id,
        versions=tuple(versions),
        first_appeared=ordered[0].paragraph.id,
        last_seen=last.paragraph.id,
        dropped=latest_symbol != last.symbol,
        latest_resolution=latest_symbol,
        new_in_latest=tuple(new_ids[row] for row in new_rows),
        elsewhere=tuple(
            Related(related[row].paragraph.id, related[row].symbol, related[row].title, related[row].adopted, score)
            for row, score in others
            if row in related
        ),
    )


def _version(current: StoredParagraph, previous: StoredParagraph | None) -> Version:
    p = current.paragraph
    return Version(
        id=p.id,
        symbol=current.symbol,
        title=current.title,
        adopted=current.adopted,
        session=current.session,
        number=p.number,
        verb=p.verb,
        text=p.text,
        similarity=round(similarity(previous.paragraph.text, p.text), 4) if previous else None,
        diff=diff(previous.paragraph.text, p.text) if previous else (),
    )
