"""Lineage results: a paragraph's versions in date order with word diffs, and its language elsewhere."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from unres.index import lineage
from unres.index.store import Store, StoredParagraph
from unres.index.textdiff import Span, diff, similarity


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


def build(store: Store, stored: StoredParagraph) -> Lineage:
    """The lineage of one stored paragraph, from the links written at index time."""
    db = store.connection
    reached = lineage.chain(db, stored.row)
    paragraphs = store.paragraphs(list(reached))
    ordered = sorted(paragraphs.values(), key=lambda p: (p.adopted or "", p.symbol))
    versions: list[Version] = []
    for index, current in enumerate(ordered):
        previous = ordered[index - 1] if index else None
        versions.append(_version(current, previous))
    item = lineage.same_item(db, stored.symbol) + [(stored.symbol, stored.adopted)]
    latest_symbol, _ = max(item, key=lambda s: (s[1] or "", s[0]))
    last = ordered[-1]
    new_rows = lineage.without_predecessor(db, latest_symbol, stored.paragraph.kind) if len(item) > 1 else []
    new_ids = store.ids(new_rows)
    others = lineage.elsewhere(db, stored.row)
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
