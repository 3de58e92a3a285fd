"""Lineage: each paragraph's versions in the other resolutions on its item, linked at index time
(`link`) and read back with word diffs (`lineage_of`).

Which resolutions share an item comes from `items` (same title, renamed, or a Council resolution
citing the one it follows). Within such a pair, paragraphs of the same kind are paired one to one,
and in composite resolutions only within sections that answer each other: the stored vectors
propose candidates, a word-level similarity confirms them. Near-duplicate language in a resolution
on another item is a weaker relation, `elsewhere`. Thresholds come from hand-checked pairs
(benchmarks/lineage/README.md).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

import numpy as np

from .. import sql
from ..store import Store, StoredParagraph
from ..vectors import VectorIndex
from . import items
from .counts import chain
from .textdiff import Span, diff, similarity, words

Progress = Callable[[str, int, int], None]  # (stage, done, total), as the builder reports
LINKED_KINDS = ("operative", "preambular")
CANDIDATES = 3  # nearest paragraphs by vector, per paragraph, checked word by word
ELSEWHERE_K = 16  # nearest paragraphs by vector searched for language elsewhere
SUBSTANTIVE_WORDS = 12  # shorter paragraphs ("Decides to remain seized of the matter") are boilerplate
_BARRED = -2.0  # the cosine given to paragraphs in sections that do not answer each other
_UNMATCHED = object()  # a section with no counterpart: equal to no section


@dataclass(frozen=True)
class Thresholds:
    """Word similarities (0–1) that confirm a link; the defaults are chosen on hand-checked pairs."""

    version: float = 0.5  # a version on the same item
    slot: float = 0.3  # an unpaired paragraph in the same slot between two versions
    act: float = 0.4  # an operative paragraph whose act changed (encourages → decides), each the other's nearest
    elsewhere: float = 0.85  # the same language in a resolution on another item


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class _Paragraph:
    row: int
    symbol: str
    kind: str
    section: str | None
    verb: str
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
    stored = items.resolutions(db)
    by_key = items.partners_by_key(stored)
    pairer = _Pairer(db, vectors, thresholds)
    new_symbols = sorted({p.symbol for p in new})
    related: dict[str, set[str]] = {}
    paired: dict[tuple[str, str], bool] = {}  # each pair of resolutions looked at once: whether it is an item
    report = progress or (lambda stage, done, total: None)
    report("link", 0, len(new_symbols))
    for count, symbol in enumerate(new_symbols, 1):
        mine = stored[symbol]
        partners = [(other, "title", 1.0) for other in items.same_title(mine, stored, by_key)]
        if mine.body == "SC":
            partners += [(other, "cites", 0.0) for other in items.cited_council(db, mine, stored)]
        else:
            titled = {stored[other].session for other, _, _ in partners}
            partners += [(other, "renamed", share) for other, share in items.renamed(mine, stored, titled, pairer.carried)]
        related[symbol] = set()
        for other, how, score in partners:
            pair = (min(symbol, other), max(symbol, other))
            if pair in paired:
                if paired[pair]:
                    related[symbol].add(other)
                continue
            paired[pair] = False
            versions, confirmed = pairer.link(symbol, other)
            if how == "cites":
                if not confirmed:
                    continue  # cited, but no clause of substance carried: another situation, or a mere mention
                score = pairer.carried(symbol, other)
            for earlier, later, similar in versions:
                _insert(db, earlier, later, "version", similar)
            items.record(db, mine, stored[other], how, score)
            paired[pair] = True
            related[symbol].add(other)
        report("link", count, len(new_symbols))
    _link_elsewhere(db, vectors, new, related, thresholds.elsewhere)


class _Pairer:
    """Pairs the paragraphs of two resolutions on one item; each resolution's paragraphs, vectors and
    section headings read once."""

    def __init__(self, db: sqlite3.Connection, vectors: VectorIndex, thresholds: Thresholds) -> None:
        self._db, self._vectors, self._thresholds = db, vectors, thresholds
        self._read: dict[str, tuple[list[_Paragraph], np.ndarray, dict[str, str]]] = {}

    def _of(self, symbol: str) -> tuple[list[_Paragraph], np.ndarray, dict[str, str]]:
        if symbol not in self._read:
            if len(self._read) > 256:
                self._read.clear()
            paragraphs = [p for p in _paragraphs(self._db, sql.LINK_PARAGRAPHS_OF_SYMBOLS, [symbol]) if p.kind in LINKED_KINDS]
            matrix = _matrix(self._vectors, paragraphs) if paragraphs else np.zeros((0, 0), dtype=np.float32)
            (stored,) = self._db.execute(sql.SECTIONS_OF_SYMBOL, (symbol,)).fetchone() or (None,)
            sections = {s["label"]: s["heading"] for s in json.loads(stored or "[]")}
            self._read[symbol] = (paragraphs, matrix, sections)
        return self._read[symbol]

    def carried(self, first: str, second: str) -> float:
        """Share of the shorter resolution's paragraphs carried, word for word or nearly, into the other."""
        left, a, _ = self._of(first)
        right, b, _ = self._of(second)
        if not left or not right:
            return 0.0
        return items.share_carried([p.text for p in left], [p.text for p in right], a @ b.T)

    def link(self, first: str, second: str) -> tuple[list[_Version], int]:
        """Pair the two resolutions' paragraphs, one to one, best word similarity first: the pairs, and how
        many of them are substantive paragraphs (not boilerplate) at the version threshold."""
        paragraphs_a, a, sections_a = self._of(first)
        paragraphs_b, b, sections_b = self._of(second)
        matched = items.section_pairs(sections_a, sections_b) if sections_a and sections_b else None
        versions: list[_Version] = []
        confirmed = 0
        for kind in LINKED_KINDS:
            i_rows = [i for i, p in enumerate(paragraphs_a) if p.kind == kind]
            j_rows = [j for j, p in enumerate(paragraphs_b) if p.kind == kind]
            if not i_rows or not j_rows:
                continue
            left = [paragraphs_a[i] for i in i_rows]
            right = [paragraphs_b[j] for j in j_rows]
            cosine = a[i_rows] @ b[j_rows].T
            if matched is not None:
                allowed = np.array([[q.section == (matched.get(p.section, _UNMATCHED) if p.section else None)
                                     for q in right] for p in left])
                cosine = np.where(allowed, cosine, _BARRED)
            found, substantive = _pair(left, right, cosine, self._thresholds)
            versions += found
            confirmed += substantive
        return versions, confirmed


_Version = tuple[_Paragraph, _Paragraph, float]  # two versions of a clause and their word similarity


def _pair(left: list[_Paragraph], right: list[_Paragraph], cosine: np.ndarray, t: Thresholds) -> tuple[list[_Version], int]:
    candidates: set[tuple[int, int]] = set()
    for i in range(len(left)):
        candidates.update((i, int(j)) for j in np.argsort(-cosine[i])[:CANDIDATES])
    for j in range(len(right)):
        candidates.update((int(i), j) for i in np.argsort(-cosine[:, j])[:CANDIDATES])
    candidates = {(i, j) for i, j in candidates if cosine[i, j] > _BARRED}
    scored = sorted(
        ((similarity(left[i].text, right[j].text, floor=t.version), i, j) for i, j in candidates),
        key=lambda s: (-s[0], s[1], s[2]),
    )
    pairs: dict[int, int] = {}
    found: list[_Version] = []
    for score, i, j in scored:
        if score < t.version:
            break
        if i not in pairs and j not in pairs.values():
            pairs[i] = j
            found.append((left[i], right[j], score))
    confirmed = sum(len(words(left[i].text)) >= SUBSTANTIVE_WORDS for i in pairs)
    for i, j in _slots(pairs, len(left), len(right)):
        score = similarity(left[i].text, right[j].text)
        if score >= t.slot and cosine[i, j] > _BARRED:
            pairs[i] = j
            found.append((left[i], right[j], score))
    for i, j in _changed_acts(pairs, left, right, cosine):
        score = similarity(left[i].text, right[j].text, floor=t.act)
        if score >= t.act:
            found.append((left[i], right[j], score))
    return found, confirmed


def _changed_acts(pairs: dict[int, int], left: list[_Paragraph], right: list[_Paragraph], cosine: np.ndarray) -> list[tuple[int, int]]:
    """Unpaired operative paragraphs, each the other's nearest among the unpaired, whose verbs differ:
    the same clause with another act ("Encourages … to discuss … a group" → "Decides to establish" it)."""
    i_free = [i for i in range(len(left)) if i not in pairs and left[i].kind == "operative" and left[i].verb]
    taken = set(pairs.values())
    j_free = [j for j in range(len(right)) if j not in taken and right[j].verb]
    if not i_free or not j_free:
        return []
    free = cosine[np.ix_(i_free, j_free)]
    found = []
    for row, i in enumerate(i_free):
        column = int(free[row].argmax())
        j = j_free[column]
        if free[row, column] > _BARRED and int(free[:, column].argmax()) == row and left[i].verb != right[j].verb:
            found.append((i, j))
    return found


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
    long_enough = [p for p in new if len(words(p.text)) >= SUBSTANTIVE_WORDS]
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
    return db.execute(sql.ADOPTED_OF_SYMBOLS, (json.dumps(items.on_item(db, symbol)),)).fetchall()


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
    elsewhere: tuple[Related, ...]  # by date

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
            sorted(
                (
                    Related(related[row].paragraph.id, related[row].symbol, related[row].title, related[row].adopted, score)
                    for row, score in others
                    if row in related
                ),
                key=lambda r: (r.adopted or "", r.id),
            )
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
