"""`IndexStats`: what an index holds — documents and paragraphs by body and kind, model, sizes on disk."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .config import IndexConfig
from .reader import Snapshot


@dataclass(frozen=True)
class IndexStats:
    """The JSON of `unres stats --json` and `/stats` (`to_dict`)."""

    index: str
    model: str
    dimension: int
    template: str
    backend: str
    resolutions: dict[str, int]  # by body
    paragraphs: dict[str, dict[str, int]]  # by body, then kind
    vectors: int
    bytes_on_disk: dict[str, int]  # by file name

    def to_dict(self) -> dict:
        return asdict(self)


def index_stats(snapshot: Snapshot, config: IndexConfig) -> IndexStats:
    """The stats of one committed state of an index."""
    resolutions, paragraphs = snapshot.store.counts()
    by_body: dict[str, dict[str, int]] = {}
    for (body, kind), n in paragraphs.items():
        by_body.setdefault(body, {})[kind] = n
    directory = snapshot.directory
    sizes = {p.name: p.stat().st_size for p in sorted(directory.iterdir()) if p.is_file()}
    return IndexStats(
        index=str(directory), model=config.model, dimension=config.dimension, template=config.template,
        backend=config.backend, resolutions=resolutions, paragraphs=by_body, vectors=len(snapshot.vectors),
        bytes_on_disk=sizes,
    )
