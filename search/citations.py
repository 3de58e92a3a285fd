"""Cited-by results: the paragraphs that cite a resolution, grouped by citing resolution and date."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from itertools import groupby

from unres.index import citegraph
from unres.index.errors import NotFoundError
from unres.index.store import Store


@dataclass(frozen=True)
class Citing:
    """A paragraph that cites the resolution; `via` says where: its own text, a footnote, or both."""

    id: str
    text: str
    via: tuple[str, ...]


@dataclass(frozen=True)
class CitingResolution:
    symbol: str
    title: str | None
    adopted: str | None
    paragraphs: tuple[Citing, ...]


@dataclass(frozen=True)
class CitedBy:
    """Every citation of `symbol` in the index; `in_index` is False for a resolution cited but not indexed."""

    symbol: str
    in_index: bool
    paragraphs: int
    resolutions: tuple[CitingResolution, ...]

    def to_dict(self) -> dict:
        return asdict(self)


def build(store: Store, symbol: str) -> CitedBy:
    """The citations of a resolution (or any document symbol); unknown to the index and uncited is an error."""
    db = store.connection
    wanted = citegraph.normalize(symbol)
    in_index = store.contains(wanted)
    if not in_index and not citegraph.is_cited(db, wanted):
        raise NotFoundError(f"{wanted}: not in the index and cited by none of its paragraphs")
    rows = citegraph.citing(db, wanted)
    groups = []
    for (owner, adopted, title), members in groupby(rows, key=lambda r: (r[1], r[2], r[3])):
        paragraphs = tuple(Citing(pid, text, via) for pid, _, _, _, text, via in members)
        groups.append(CitingResolution(owner, title, adopted, paragraphs))
    return CitedBy(wanted, in_index, len(rows), tuple(groups))
