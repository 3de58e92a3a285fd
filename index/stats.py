"""`IndexStats`: what an index holds — documents and paragraphs by body and kind, which years (and GA
sessions) it covers, model, and the sizes of its own files on disk."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .config import CONFIG_FILE, DATABASE_FILE, ENCODER_DIR, IndexConfig
from .integrity import VECTORS_KEY, VectorsRecord
from .lexical import LEXICAL_KEY, LexicalRecord, lexical_path
from .reader import Snapshot
from .vectors import vectors_path


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
    bytes_on_disk: dict[str, int]  # by file (a folder: `encoder/`, summed), the committed generation's only
    years: dict[str, dict[str, int]]  # resolutions by body, then year adopted ("unknown": neither date nor year printed)
    sessions: dict[str, int]  # GA resolutions by session
    dates_unknown: dict[str, int]  # resolutions by body whose adoption date the text lost (their year counted from the symbol)

    def to_dict(self) -> dict:
        return asdict(self)


def index_stats(snapshot: Snapshot, config: IndexConfig) -> IndexStats:
    """The stats of one committed state of an index."""
    resolutions, paragraphs = snapshot.store.counts()
    by_body: dict[str, dict[str, int]] = {}
    for (body, kind), n in paragraphs.items():
        by_body.setdefault(body, {})[kind] = n
    years: dict[str, dict[str, int]] = {}
    unknown: dict[str, int] = {}
    for body, year, count, undated in snapshot.store.coverage():
        years.setdefault(body, {})[year or "unknown"] = count
        if undated:
            unknown[body] = unknown.get(body, 0) + undated
    return IndexStats(
        index=str(snapshot.directory), model=config.model, dimension=config.dimension, template=config.template,
        backend=config.backend, resolutions=resolutions, paragraphs=by_body, vectors=len(snapshot.vectors),
        bytes_on_disk=_sizes(snapshot), years=years, sessions={str(s): n for s, n in snapshot.store.session_counts()},
        dates_unknown=unknown,
    )


def _sizes(snapshot: Snapshot) -> dict[str, int]:
    """The bytes of the files this committed state is made of: the database (and its write-ahead log), the
    configuration, the generation's vectors files and lexical segments, the exported model; nothing else the folder holds."""
    directory, generation = snapshot.directory, snapshot.generation
    store = snapshot.store
    lexical = LexicalRecord.from_json(store.path, store.meta(LEXICAL_KEY))
    vectors = VectorsRecord.from_json(store.path, store.meta(VECTORS_KEY), generation)
    own = [directory / DATABASE_FILE, directory / f"{DATABASE_FILE}-wal", directory / CONFIG_FILE,
           *([vectors_path(directory, s.generation) for s in vectors.segments] if vectors else [vectors_path(directory, generation)]),
           *([lexical_path(directory, s.generation) for s in lexical.segments] if lexical else []), directory / ENCODER_DIR]
    sizes = {}
    for path in own:
        if path.is_file():
            sizes[path.name] = path.stat().st_size
        elif path.is_dir():
            sizes[path.name + "/"] = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return sizes
