"""`unres check`: compare every part of an index with every other, and repair what can be rebuilt.

The full check: config.json is the configuration committed; the vectors file is the one committed
(size, checksum, count, dimension, backend); every paragraph row has exactly one vector and every
vector a row; the full-text table has exactly the paragraph rows; the model is the one that built
the index; the acronym glossary is there and current. `repair` re-embeds missing vectors (all of them
when the file is unusable), drops orphan ones, restores the full-text rows and config.json, mines the
glossary again, and commits a new generation under the write lock. `compact` writes a healthy index's
BM25 index and vectors as one segment each, deleted rows left out, in a new generation (what a write
does itself when its merge reaches the oldest segment or a quarter of the stored rows are deleted ones,
segments.py); a repair does so too, and an index already compact is left as it is.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import asdict, dataclass
from pathlib import Path

from . import glossary
from .config import CONFIG_FILE, DATABASE_FILE, IndexConfig, index_path
from .embed import embedding_text
from .encoder import MANIFEST_FILE, MODEL_FILE, SPEC_FILE, TOKENIZER_FILE, encoder_dir, export_encoder, load_encoder
from .errors import IndexOpenError, IndexWriteError
from .integrity import CONFIG_KEY, MODEL_KEY, VECTORS_KEY, VectorsRecord, file_sha256, model_identity
from .lexical import LEXICAL_FILES, LEXICAL_KEY, LexicalIndex, LexicalRecord, lexical_path
from .lexical import clear_leftovers as clear_lexical_leftovers
from .lexical import clear_older as clear_older_lexical
from .ownership import remove_folder, writing
from .store import Store, cause
from .vectors import VectorIndex, clear_leftovers, clear_older, unlink_quietly, vectors_path

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Compaction:
    """The committed BM25 segments and vectors files before a compaction, the deleted rows they held, and
    the generation it wrote them to as one of each (None: they already were, nothing was written)."""

    bm25_segments: int
    vectors_files: int
    deleted: int
    generation: int | None

    def __str__(self) -> str:
        held = (f"{self.bm25_segments} BM25 segment{'s' * (self.bm25_segments != 1)} and {self.vectors_files} vectors "
                f"file{'s' * (self.vectors_files != 1)}, {self.deleted} deleted row{'s' * (self.deleted != 1)} among them")
        return f"{held}; written as one of each in generation {self.generation}" if self.generation is not None else f"{held}: already compact"


@dataclass(frozen=True)
class CheckReport:
    """What a check found (each problem one line), after a repair what was done, and what a compaction wrote."""

    directory: str
    paragraphs: int
    vectors: int
    problems: tuple[str, ...]
    repairs: tuple[str, ...] = ()
    compacted: Compaction | None = None  # what `compact` found, and wrote, on an index with no problem

    @property
    def healthy(self) -> bool:
        """No problem found, or every one repaired."""
        return not self.problems or bool(self.repairs)


@dataclass(frozen=True)
class _Findings:
    problems: list[str]
    config: IndexConfig
    vectors: VectorIndex | None  # None: unusable, every vector must be rebuilt
    orphans: list[int]  # vectors without a row, and rows with more than one vector
    text_missing: list[int]
    text_extra: list[int]
    config_restore: IndexConfig | None
    model_changed: bool
    rows: int
    glossary_stale: bool
    database_damaged: bool = False
    encoder_damaged: bool = False


def check_index(
    directory: Path, *, repair: bool = False, full: bool = False, compact: bool = False, wait: bool = True,
    on_wait: Callable[[str], None] | None = None, progress: Progress | None = None,
) -> CheckReport:
    """Check an index fully; with `repair`, fix what is found (under the write lock, all or nothing); with
    `compact`, write a healthy (or repaired) index's BM25 index and vectors as one segment each.

    The database gets SQLite's `quick_check`, or with `full` its slower `integrity_check` (indexes too).
    """
    directory = index_path(directory)
    config = IndexConfig.load(directory)
    store = Store.open(directory / DATABASE_FILE)
    writes = repair or compact
    try:
        with writing(directory) if writes else nullcontext():
            return _check(directory, store, config, repair, full, compact, wait, on_wait, progress)
    except sqlite3.Error as error:
        raise (IndexWriteError if writes else IndexOpenError)(f"{directory}: cannot check the index: {cause(error, store.path)}") from None
    except OSError as error:
        raise IndexWriteError(f"{directory}: cannot {'repair' if repair else 'compact'} the index ({error.strerror or error})") from None
    finally:
        store.close()


def _check(
    directory: Path, store: Store, config: IndexConfig, repair: bool, full: bool, compact: bool, wait: bool,
    on_wait: Callable[[str], None] | None, progress: Progress | None,
) -> CheckReport:
    """Inspect in one read snapshot; or, to repair or compact, inspect and write inside one write transaction.
    A compaction of an index with problems it was not asked to repair writes nothing."""
    if not repair and not compact:
        with store.snapshot():
            found = _inspect(directory, store, config, full)
        return CheckReport(str(directory), found.rows, len(found.vectors or ()), tuple(found.problems))
    message = f"waiting for another unres index on {directory}…"
    with store.transaction(wait, lambda: (on_wait or (lambda m: None))(message)):
        found = _inspect(directory, store, config, full)
        if not (repair if found.problems else compact):
            return CheckReport(str(directory), found.rows, len(found.vectors or ()), tuple(found.problems))
        repairs: list[str] = []
        compacted = None
        if found.problems:
            repairs = _repair(directory, store, found, progress or (lambda stage, done, total: None))
        else:
            compacted = _compaction(store)
            if compacted.generation is None:
                return CheckReport(str(directory), found.rows, found.rows, (), (), compacted)
            _commit_whole(directory, store, found.vectors, found.config)
    clear_older(directory, store.generation, VectorsRecord.from_json(store.path, store.meta(VECTORS_KEY), store.generation))
    clear_older_lexical(directory, store.generation, LexicalRecord.from_json(store.path, store.meta(LEXICAL_KEY)))
    return CheckReport(str(directory), found.rows, found.rows, tuple(found.problems), tuple(repairs), compacted)


def _compaction(store: Store) -> Compaction:
    """The committed segments and deleted rows, and the generation a compaction writes (None when already compact)."""
    vectors = VectorsRecord.from_json(store.path, store.meta(VECTORS_KEY), store.generation).segments
    bm25 = LexicalRecord.from_json(store.path, store.meta(LEXICAL_KEY))
    bm25_segments = bm25.segments if bm25 is not None else ()
    deleted = len({row for s in (*vectors, *bm25_segments) for row in s.deleted})  # the same rows in both, once each
    compact = len(vectors) == len(bm25_segments) == 1 and not deleted
    return Compaction(len(bm25_segments), len(vectors), deleted, None if compact else store.generation + 1)


def _inspect(directory: Path, store: Store, config: IndexConfig, full: bool) -> _Findings:
    """Every comparison of the full check, each problem as one line."""
    problems = _database_problems(store, full)
    if problems:  # every other comparison reads the damaged database
        return _Findings(problems, config, None, [], [], [], None, False, 0, False, database_damaged=True)
    committed = store.meta(CONFIG_KEY)
    config_restore = None
    if committed is not None:
        recorded = IndexConfig(**json.loads(committed))
        if recorded != config:
            changed = [k for k in asdict(recorded) if getattr(recorded, k) != getattr(config, k)]
            problems.append(f"{directory / CONFIG_FILE}: {', '.join(changed)} differ from what the index was written with")
            config_restore = config = recorded
    generation = store.generation
    path = vectors_path(directory, generation)
    vectors = None
    if generation == 0:
        problems.append(f"{directory}: no vectors committed (an empty or unfinished index)")
    else:
        try:
            record = VectorsRecord.from_json(store.path, store.meta(VECTORS_KEY), generation)
            vectors = VectorIndex.load(directory, generation, record, config.dimension, config.backend, config.hnsw_m, verify=True, writable=True)
        except IndexOpenError as error:
            problems.append(str(error))
    rows = store.all_rows()
    missing: list[int] = []
    orphans: list[int] = []
    if vectors is not None:
        counts = Counter(vectors.rows())
        known = set(rows)
        missing = [r for r in rows if r not in counts]
        orphans = sorted(r for r, n in counts.items() if r not in known or n > 1)
        if missing:
            problems.append(f"{path}: {len(missing)} of {len(rows)} paragraphs have no vector")
        if orphans:
            problems.append(f"{path}: {len(orphans)} vectors belong to no paragraph or are duplicated")
    text_rows = set(store.text_rows())
    text_missing = [r for r in rows if r not in text_rows]
    text_extra = sorted(text_rows - set(rows))
    if text_missing or text_extra:
        problems.append(
            f"{store.path}: full-text table has {len(text_missing)} paragraphs missing and {len(text_extra)} extra rows"
        )
    problems += _lexical_problems(directory, store, generation, rows)
    model_changed = False
    recorded_model = store.meta(MODEL_KEY)
    if recorded_model is not None:
        try:
            model_changed = model_identity(config.model) != recorded_model
        except OSError as error:
            problems.append(f"{config.model}: cannot read the model ({error.strerror or error})")
        if model_changed:
            problems.append(f"{config.model}: not the model that built this index (its files changed)")
    glossary_stale = not glossary.current(store.connection)
    if glossary_stale:
        problems.append(f"{store.path}: no acronym glossary, or one mined by older rules")
    encoder_problems = _encoder_problems(directory)
    return _Findings(problems + encoder_problems, config, vectors, orphans, text_missing, text_extra, config_restore,
                     model_changed, len(rows), glossary_stale, encoder_damaged=bool(encoder_problems))


def _database_problems(store: Store, full: bool) -> list[str]:
    """SQLite's own verdict on the database file: `quick_check`, or `integrity_check` when `full`."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        lines = [line for (line,) in store.connection.execute(f"PRAGMA {pragma}(10)")]
    except sqlite3.DatabaseError as error:
        lines = [str(error)]
    if lines == ["ok"]:
        return []
    more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
    return [f"{store.path}: damaged database, SQLite {pragma}: {lines[0]}{more}"]


def _encoder_problems(directory: Path) -> list[str]:
    """Every file of `encoder/` against the checksums its export recorded; an older export without them: present and not empty."""
    folder = encoder_dir(directory)
    manifest = folder / MANIFEST_FILE
    if not folder.is_dir():
        return [f"{folder}: the index's model is missing"]
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else None
    except (OSError, ValueError) as error:
        return [f"{manifest}: unreadable ({getattr(error, 'strerror', None) or error})"]
    if recorded is not None and not (isinstance(recorded, dict) and all(isinstance(v, str) for v in recorded.values())):
        return [f"{manifest}: not a list of checksums"]
    if recorded is None:
        return [f"{folder / name}: missing or empty" for name in (MODEL_FILE, TOKENIZER_FILE, SPEC_FILE)
                if not (folder / name).is_file() or (folder / name).stat().st_size == 0]
    problems = []
    for name, sha256 in sorted(recorded.items()):
        path = folder / name
        try:
            if file_sha256(path) != sha256:
                problems.append(f"{path}: changed since the model was exported (checksum differs)")
        except OSError as error:
            problems.append(f"{path}: {error.strerror or error}")
    return problems


def _lexical_problems(directory: Path, store: Store, generation: int, rows: list[int]) -> list[str]:
    """The committed lexical index, checksummed, must hold exactly the paragraph rows."""
    if generation == 0:
        return []
    record = LexicalRecord.from_json(store.path, store.meta(LEXICAL_KEY))
    if record is None:
        return [f"{directory}: no lexical (BM25) index (the index predates it; lexical search uses SQLite FTS5 until the next write or `unres check --repair` adds it)"]
    if record.outdated:
        return [f"{directory}: lexical (BM25) index of an earlier format (lexical search uses SQLite FTS5 until the next write or `unres check --repair` builds it again)"]
    try:
        index = LexicalIndex.load(directory, record, verify=True)
    except IndexOpenError as error:
        return [str(error)]
    live = index.live_rows()
    if live.tolist() != sorted(rows):
        return [f"{directory}: lexical index holds {len(live)} paragraphs, not the {len(rows)} of the database"]
    return []


def _repair(directory: Path, store: Store, found: _Findings, progress: Progress) -> list[str]:
    """Inside the write transaction: rebuild what the findings say is wrong, then commit a new generation."""
    if found.database_damaged:
        raise IndexWriteError(f"{store.path}: the database is damaged and cannot be repaired; build the index again from its documents")
    if found.model_changed:
        raise IndexWriteError(
            f"{directory}: the model changed since the index was built; vectors cannot be repaired with another "
            "model: restore it or rebuild the index"
        )
    config = found.config
    repairs: list[str] = []
    if found.encoder_damaged:
        export_encoder(config.model, config.model, encoder_dir(directory), int8=config.int8)
        repairs.append(f"{encoder_dir(directory)}: exported again from {config.model}")
    if found.config_restore is not None:
        config.save(directory)
        repairs.append(f"{directory / CONFIG_FILE}: restored from the committed configuration")
    vectors = found.vectors
    if vectors is None:
        vectors = VectorIndex.create(config.dimension, config.backend, config.hnsw_m)
    if found.orphans:
        vectors.remove(found.orphans)
        repairs.append(f"{len(found.orphans)} orphan or duplicate vectors removed")
    present = set(vectors.rows())
    missing = [row for row in store.all_rows() if row not in present]
    if missing:
        embedder = load_encoder(directory, config)
        texts = _texts(store, config, missing)
        progress("embed", 0, len(missing))
        vectors.add(missing, embedder.encode_many(texts, 256, lambda done, total: progress("embed", done, total)))
        repairs.append(f"{len(missing)} vectors re-embedded")
        store.set_meta(MODEL_KEY, model_identity(config.model))
    if found.text_missing or found.text_extra:
        store.restore_text(found.text_missing, found.text_extra)
        repairs.append(f"full-text rows restored ({len(found.text_missing)} added, {len(found.text_extra)} dropped)")
    if found.glossary_stale:
        glossary.rebuild(store.connection)
        repairs.append("acronym glossary mined from the stored text")
    repairs.append(_commit_whole(directory, store, vectors, config))
    return repairs


def _commit_whole(directory: Path, store: Store, vectors: VectorIndex, config: IndexConfig) -> str:
    """Inside the write transaction: the BM25 index, built from the database, and `vectors` written as one
    segment each in the next generation, committed; what was written."""
    clear_leftovers(directory, store.generation)
    clear_lexical_leftovers(directory, store.generation)
    generation = store.generation + 1
    path = vectors_path(directory, generation)
    lexical = lexical_path(directory, generation)
    try:
        store.set_meta(LEXICAL_KEY, LexicalIndex.build(store.lexical_documents()).save(directory, generation).to_json())
        record = vectors.commit(directory, generation, whole=True)
        store.set_generation(generation)
        store.set_meta(VECTORS_KEY, record.to_json())
        store.set_meta(CONFIG_KEY, json.dumps(asdict(config), sort_keys=True))
    except BaseException:
        unlink_quietly(path)
        remove_folder(lexical, LEXICAL_FILES)
        raise
    return f"{path.name} and {lexical.name} written and committed"


def _texts(store: Store, config: IndexConfig, rows: list[int]) -> list[str]:
    """The embedded text of each row under the index's template, as the builder made it."""
    stored = store.paragraphs(rows)
    resolutions = {}
    texts = []
    for row in rows:
        paragraph = stored[row]
        if paragraph.symbol not in resolutions:
            resolutions[paragraph.symbol] = store.resolution(paragraph.symbol)
        texts.append(embedding_text(config.template, paragraph.paragraph, resolutions[paragraph.symbol]))
    return texts
