"""Build and update an index directory: collect, parse, embed, then write — all or nothing.

An index directory holds `config.json`, `unres.sqlite`, `vectors.<generation>.faiss` and
`lexical.<generation>/` folders (BM25 in segments: a write adds one for the paragraphs it adds, index/lexical.py). A run goes
through four stages: collect the files, parse those not already stored, embed their paragraphs, and
only then write. The write takes the index's one write lock (SQLite `BEGIN IMMEDIATE`) before it
reads anything it changes (the generation, the current vectors), inserts, writes the next vectors
file beside the current one and commits its generation with the file's size and checksum. Readers
keep reading the previous state until the COMMIT (WAL mode); a failed or killed run leaves the old
index whole.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from . import glossary, lexical, links
from .adapter import DEFAULT_ADAPTER, NO_ADAPTER, adapter_names, check_adapter_name, load_adapter
from .cluster import RayEngine
from .config import (
    CONFIG_FILE,
    DATABASE_FILE,
    DEFAULT_MODEL,
    ENGINES,
    IndexConfig,
    check_backend,
    check_template,
    index_path,
    model_name,
    open_config,
)
from .embed import embedding_text
from .encoder import ENCODER_DIR, ENCODER_FILES, OnnxEmbedder, encoder_dir, export_encoder, load_encoder
from .errors import ConfigError, IndexOpenError, IndexWriteError, NotFoundError, ParseError
from .integrity import CONFIG_KEY, MODEL_KEY, VECTORS_KEY, VectorsRecord, check_config, model_identity
from .ownership import creating, creation_lock, refuse_foreign, remove_folder, writing
from .parse.files import MAX_DOCUMENT_BYTES, document_paths, parse_paths
from .parse.records import Resolution, named_symbol, renamed
from .store import Store, unwritable
from .vectors import VectorIndex, clear_leftovers, clear_older, unlink_quietly, vectors_path

Progress = Callable[[str, int, int], None]  # (stage, done, total)
EMBED_CHUNK = 256


@dataclass(frozen=True)
class BuildReport:
    """What a run did."""

    added: int = 0
    replaced: int = 0
    skipped: int = 0
    removed: int = 0
    paragraphs: int = 0
    seconds: float = 0.0
    failures: tuple[ParseError, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Batch:
    """The parse stage's outcome: resolutions to write, files already stored, failures and warnings."""

    resolutions: tuple[Resolution, ...]
    skipped: int
    failures: tuple[ParseError, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Written:
    """The write stage's outcome."""

    added: int
    replaced: int
    skipped: int
    paragraphs: int


class Indexer:
    """Adds documents to, and removes resolutions from, one index directory."""

    def __init__(
        self,
        directory: Path,
        *,
        model: str | None = None,
        template: str | None = None,
        backend: str | None = None,
        int8: bool | None = None,
        adapter: str | None = None,
        progress: Progress | None = None,
        wait: bool = True,
        on_wait: Callable[[str], None] | None = None,
        max_document_bytes: int = MAX_DOCUMENT_BYTES,
        workers: int = 1,
        engine: str = "local",
        address: str | None = None,
    ) -> None:
        """`wait=False` makes a busy index an error instead of a wait (`on_wait` gets the waiting message);
        `int8` quantizes the model of a new index; `adapter` names its query adapter (`none`: no adapter; default:
        `DEFAULT_ADAPTER` for the default model, today none); `workers` parse processes (1, the default, parses in
        this process; see `parse_paths` for what a pool asks); `engine="ray"` parses and embeds on Ray instead
        (index/cluster.py): a new local instance, the one this process joined, or the cluster at `address`."""
        if engine not in ENGINES:
            raise ConfigError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
        if address is not None and engine != "ray":
            raise ConfigError("a cluster address needs engine 'ray'")
        self.directory = index_path(directory)
        self._model = model
        self._template = template
        self._backend = backend
        self._int8 = int8
        self._adapter = adapter
        self._progress = progress or (lambda stage, done, total: None)
        self._wait = wait
        self._on_wait = on_wait or (lambda message: None)
        self._max_bytes = max_document_bytes
        self._workers = workers
        self._cluster = RayEngine(address) if engine == "ray" else None
        self._embedder: OnnxEmbedder | None = None
        self._model_sha256: str | None = None

    def add(self, paths: str | Path | Iterable[str | Path]) -> BuildReport:
        """Index every document under `paths` (one path or many): skip unchanged ones, replace changed ones.

        If any file fails to parse, nothing is written and the failures are reported.
        """
        start = time.perf_counter()
        try:
            return self._add(paths, start)
        finally:
            if self._cluster is not None:
                self._cluster.close()

    def _add(self, paths: str | Path | Iterable[str | Path], start: float) -> BuildReport:
        with writing(self.directory):
            config = self._config()
            batch = self._parse(list(document_paths(paths)))
            if batch.failures or not batch.resolutions:
                return BuildReport(
                    skipped=batch.skipped, failures=batch.failures, warnings=batch.warnings,
                    seconds=time.perf_counter() - start,
                )
            if config is not None and not creating(self.directory):
                written = self._embed_and_write(config, False, batch.resolutions)
            else:
                waiting = f"waiting for another unres run creating an index in {self.directory}…"
                with creation_lock(self.directory, self._wait, lambda: self._on_wait(waiting)):
                    config = self._config()  # another run may have created it while this one waited
                    written = self._embed_and_write(config or self._new_config(), config is None, batch.resolutions)
        return BuildReport(
            added=written.added,
            replaced=written.replaced,
            skipped=batch.skipped + written.skipped,
            paragraphs=written.paragraphs,
            seconds=time.perf_counter() - start,
            warnings=batch.warnings,
        )

    def remove(self, symbols: str | Iterable[str]) -> BuildReport:
        """Delete resolutions by symbol; an unknown symbol is an error and nothing is removed."""
        start = time.perf_counter()
        symbols = [symbols] if isinstance(symbols, str) else list(dict.fromkeys(symbols))
        with writing(self.directory):
            self._write(open_config(self.directory, self._model), False, (), [], remove=symbols)
        return BuildReport(removed=len(symbols), seconds=time.perf_counter() - start)

    def _config(self) -> IndexConfig | None:
        """The existing configuration (None for a new index), with the options checked first."""
        if self._backend is not None:
            check_backend(self._backend)
        if self._template is not None:
            check_template(self._template)
        if self._adapter is not None:
            check_adapter_name(self._adapter)
        if self._model is not None:
            model_name(self._model)  # a model path that does not exist fails here, before any parsing
        if isinstance(self._max_bytes, bool) or not isinstance(self._max_bytes, int) or self._max_bytes < 1:
            raise ConfigError(f"document size limit must be a positive number of bytes, not {self._max_bytes!r}")
        if (self.directory / CONFIG_FILE).exists():
            reason = unwritable(self.directory, self.directory / DATABASE_FILE)  # before any parsing or embedding
            if reason is not None:
                raise IndexWriteError(f"{self.directory}: {reason}; the index can be searched, not written")
            config = open_config(self.directory, self._model)
            if self._int8 is not None and config.int8 != self._int8:
                built = "int8" if config.int8 else "fp32"
                raise ConfigError(
                    f"{self.directory}: index holds {built} vectors; {'--int8' if self._int8 else 'fp32'} vectors "
                    "would mix with them, so build a new index to change it"
                )
            if self._adapter is not None and (config.adapter or NO_ADAPTER) != self._adapter:
                raise ConfigError(
                    f"{self.directory}: index built with adapter {config.adapter or NO_ADAPTER!r}, not {self._adapter!r}; "
                    "build a new index to change it"
                )
            for name, wanted in (("template", self._template), ("backend", self._backend)):
                if wanted is not None and getattr(config, name) != wanted:
                    raise ConfigError(
                        f"{self.directory}: index built with {name} {getattr(config, name)!r}, not {wanted!r}; "
                        "build a new index to change it"
                    )
            return config
        refuse_foreign(self.directory)
        return None

    def _parse(self, files: list[Path]) -> Batch:
        """Read every file, skip those already stored, parse the rest in a process pool; one symbol from
        two files: the later path wins."""
        database = self.directory / DATABASE_FILE
        store = Store.open(database) if database.is_file() else None
        claims: dict[str, list[tuple[Path, Resolution | None]]] = {}  # symbol -> (file, parsed or None if stored)
        failures: list[ParseError] = []
        parse_warnings: list[str] = []
        stored_symbols: dict[str, str] = {}

        def unchanged(sha256: str) -> bool:
            symbol = store.symbol_of_sha256(sha256) if store is not None else None
            if symbol is not None:
                stored_symbols[sha256] = symbol
            return symbol is not None

        try:
            self._progress("parse", 0, len(files))
            outcomes = parse_paths(
                files, workers=self._workers, skip=unchanged, max_bytes=self._max_bytes, runner=self._cluster and self._cluster.parse
            )
            for done, parsed in enumerate(outcomes, 1):
                self._progress("parse", done, len(files))
                if parsed.error is not None:
                    failures.append(parsed.error)
                elif parsed.skipped:
                    claims.setdefault(stored_symbols[parsed.sha256], []).append((parsed.path, None))
                else:
                    parse_warnings += parsed.warnings
                    claims.setdefault(parsed.resolution.symbol, []).append((parsed.path, parsed.resolution))
            renames = _rename_by_file_name(claims, lambda symbol: _held_by_another(store, symbol, files))
        finally:
            if store is not None:
                store.close()
        resolutions: list[Resolution] = []
        warnings: list[str] = parse_warnings + renames
        skipped = 0
        for symbol, entries in claims.items():
            entries.sort(key=lambda entry: str(entry[0]))
            path, winner = entries[-1]
            skipped += len(entries) - (winner is not None)
            if len(entries) > 1:
                others = ", ".join(str(p) for p, _ in entries[:-1])
                both = "both" if len(entries) == 2 else "all"
                warnings.append(f"{others} and {path} {both} read as {symbol}; keeping {path}, the later path")
            if winner is not None:
                resolutions.append(winner)
        return Batch(tuple(resolutions), skipped, tuple(failures), tuple(warnings))

    def _embed_and_write(self, config: IndexConfig, fresh: bool, resolutions: tuple[Resolution, ...]) -> Written:
        return self._write(config, fresh, resolutions, self._embed(config, resolutions))

    def _embed(self, config: IndexConfig, resolutions: tuple[Resolution, ...]) -> list[np.ndarray]:
        """One matrix per resolution: its paragraphs' vectors in document order, each distinct text
        embedded once (the same clause recurs year after year)."""
        texts = [embedding_text(config.template, p, r) for r in resolutions for p in r.paragraphs]
        if not texts:
            return [np.zeros((0, config.dimension), dtype=np.float32) for _ in resolutions]
        slot: dict[str, int] = {}
        which = np.fromiter((slot.setdefault(text, len(slot)) for text in texts), dtype=np.int64, count=len(texts))
        embedder = self._embedder_for(config)
        self._progress("embed", 0, len(slot))
        def report(done: int, total: int) -> None:
            self._progress("embed", done, total)

        if self._cluster is not None:
            distinct = self._cluster.embed(embedder, list(slot), report)
        else:
            distinct = embedder.encode_many(list(slot), EMBED_CHUNK, report)
        matrix = distinct[which]
        bounds = np.cumsum([0] + [len(r.paragraphs) for r in resolutions])
        return [matrix[begin:end] for begin, end in zip(bounds[:-1], bounds[1:], strict=True)]

    def _new_config(self) -> IndexConfig:
        """The configuration of a new index: the model exported to ONNX into it, which tells its dimension."""
        name = model_name(self._model)
        try:
            for leftover in self.directory.iterdir():  # of an export that was killed
                if re.fullmatch(re.escape(ENCODER_DIR) + r"\.tmp[0-9]*", leftover.name):
                    remove_folder(leftover, ENCODER_FILES)
            self._progress("export", 0, 1)
            spec = export_encoder(self._model, name, encoder_dir(self.directory), int8=bool(self._int8))
            self._progress("export", 1, 1)
        except OSError as error:
            raise IndexWriteError(f"{self.directory}: cannot create the index ({error.strerror or error})") from None
        adapter = self._new_adapter(name, spec.dimension)
        return IndexConfig(
            model=name, dimension=spec.dimension, int8=bool(self._int8),
            adapter=adapter and adapter.name, adapter_sha256=adapter and adapter.sha256,
            **{k: v for k, v in (("template", self._template), ("backend", self._backend)) if v is not None},
        )

    def _new_adapter(self, model: str, dimension: int):
        """The query adapter of a new index (None: none): the one asked for, else `DEFAULT_ADAPTER` for the default model."""
        name = self._adapter
        if name is None:
            name = DEFAULT_ADAPTER if model == DEFAULT_MODEL and DEFAULT_ADAPTER in adapter_names() else NO_ADAPTER
        if name == NO_ADAPTER:
            return None
        adapter = load_adapter(name, dimension)
        if adapter.model != model:
            raise ConfigError(f"adapter {name!r} was trained for model {adapter.model}, not {model}; use --adapter none")
        return adapter

    def _embedder_for(self, config: IndexConfig) -> OnnxEmbedder:
        """The index's own ONNX model (exported now if an older index has none), loaded once; it must be
        the model the index recorded (by content hash), the hash this write records."""
        if self._embedder is None:
            self._model_sha256 = model_identity(config.model)
            self._embedder = load_encoder(
                self.directory, config, lambda done: self._progress("export", done, 1), model_sha256=self._model_sha256
            )
        return self._embedder

    def _write(
        self,
        config: IndexConfig,
        fresh: bool,
        resolutions: Iterable[Resolution],
        embedded: list[np.ndarray],
        remove: list[str] = (),
    ) -> Written:
        """The write stage: open (or create) the database and commit the change under the write lock."""
        if fresh and (self.directory / CONFIG_FILE).exists():  # another writer created the index meanwhile
            if open_config(self.directory) != config:
                raise ConfigError(f"{self.directory}: another run created this index with other options")
            fresh = False
        store = self._create(config) if fresh else Store.open(self.directory / DATABASE_FILE)
        try:
            try:
                return self._commit(store, config, list(resolutions), embedded, remove)
            except sqlite3.Error as error:
                raise IndexWriteError(f"{self.directory}: cannot write the index ({error}); the previous index is kept") from None
        except BaseException:
            if fresh:
                self._discard(store)
            raise
        finally:
            store.close()

    def _commit(
        self, store: Store, config: IndexConfig, resolutions: list[Resolution], embedded: list[np.ndarray], remove: list[str]
    ) -> Written:
        """Under the lock: read the generation and its vectors, delete, insert, save the next vectors file, commit."""
        self._progress("write", 0, 1)
        new_path = new_lexical = None
        try:
            with store.transaction(self._wait, lambda: self._on_wait(f"waiting for another unres index on {self.directory}…")):
                unknown = [s for s in remove if not store.contains(s)]
                if unknown:
                    raise NotFoundError(f"{self.directory}: no resolution {', '.join(unknown)} in the index")
                check_config(self.directory, store.meta(CONFIG_KEY), asdict(config))
                store.upgrade()  # an index made before spelling variants or the kind index gains them
                old = store.generation
                clear_leftovers(self.directory, old)
                lexical.clear_leftovers(self.directory, old)
                vectors = self._vectors(store, config, old)
                gone: list[int] = []
                for symbol in remove:
                    gone += store.remove(symbol)
                todo: list[tuple[Resolution, np.ndarray]] = []
                replaced = skipped = 0
                for resolution, matrix in zip(resolutions, embedded, strict=True):
                    existing = store.source(resolution.symbol)
                    if existing is not None and existing[1] == resolution.sha256:
                        skipped += 1  # another run stored this very file meanwhile
                        continue
                    if existing is not None:
                        gone += store.remove(resolution.symbol)
                        replaced += 1
                    todo.append((resolution, matrix))
                vectors.remove(gone)
                added: list[int] = []
                for resolution, matrix in todo:
                    try:
                        stored = store.add(resolution)
                    except sqlite3.IntegrityError as error:
                        raise IndexWriteError(f"{resolution.source}: cannot be stored ({error})") from None
                    vectors.add([row for row, _ in stored], matrix)
                    added += [row for row, _ in stored]
                # Lineage and citation links of the new paragraphs (index/links/); removals cascade.
                links.update(store, vectors, added, self._progress)
                new_lexical = lexical.lexical_path(self.directory, old + 1)
                self._progress("lexical", 0, 1)
                previous = lexical.LexicalRecord.from_json(store.path, store.meta(lexical.LEXICAL_KEY))
                lexical_record = lexical.update(self.directory, old + 1, previous, gone, added, store.lexical_documents)
                store.set_meta(lexical.LEXICAL_KEY, lexical_record.to_json())
                self._progress("lexical", 1, 1)
                # The acronym glossary of the new resolutions (index/glossary.py); removals cascade.
                glossary.update(store.connection, [resolution.symbol for resolution, _ in todo])
                new_path = vectors_path(self.directory, old + 1)
                record = vectors.commit(self.directory, old + 1)
                self._record(store, old + 1, record, config)
        except BaseException:
            if new_path is not None:
                unlink_quietly(new_path)
            if new_lexical is not None:
                remove_folder(new_lexical, lexical.LEXICAL_FILES)
            raise
        self._progress("write", 1, 1)
        clear_older(self.directory, old + 1, record)
        lexical.clear_older(self.directory, old + 1, lexical_record)
        return Written(len(todo) - replaced, replaced, skipped, len(added))

    def _record(self, store: Store, generation: int, record: VectorsRecord, config: IndexConfig) -> None:
        """What the commit names: the generation, its vectors file's record, the configuration and model."""
        store.set_generation(generation)
        store.set_meta(VECTORS_KEY, record.to_json())
        store.set_meta(CONFIG_KEY, json.dumps(asdict(config), sort_keys=True))
        if self._model_sha256 is not None:
            store.set_meta(MODEL_KEY, self._model_sha256)

    def _vectors(self, store: Store, config: IndexConfig, generation: int) -> VectorIndex:
        if generation == 0:
            return VectorIndex.create(config.dimension, config.backend, config.hnsw_m)
        record = VectorsRecord.from_json(store.path, store.meta(VECTORS_KEY), generation)
        return VectorIndex.load(
            self.directory, generation, record, config.dimension, config.backend, config.hnsw_m, writable=True
        )

    def _create(self, config: IndexConfig) -> Store:
        """Make a new index directory: its configuration, then its empty database (the model is exported already)."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            config.save(self.directory)
        except OSError as error:
            raise IndexWriteError(f"{self.directory}: cannot create the index ({error.strerror or error})") from None
        try:
            return Store.open(self.directory / DATABASE_FILE, create=True)
        except IndexOpenError as error:
            raise IndexWriteError(f"{self.directory}: cannot create the index ({error})") from None

    def _discard(self, store: Store) -> None:
        """After a failed first build, leave no half-made index behind (unless another run has committed one)."""
        try:
            if store.generation != 0:
                return
        except sqlite3.Error:
            pass
        store.close()
        for name in (CONFIG_FILE, DATABASE_FILE, DATABASE_FILE + "-wal", DATABASE_FILE + "-shm"):
            unlink_quietly(self.directory / name)
        remove_folder(encoder_dir(self.directory), ENCODER_FILES)


def _rename_by_file_name(claims: dict[str, list[tuple[Path, Resolution | None]]], held: Callable[[str], bool]) -> list[str]:
    """Two files read as one symbol, one of them named for another resolution (`S_RES_0542_1983…` headed
    538): that one is kept under its name's symbol, its heading marked as conflicting, so neither is lost
    (unless the index holds that symbol from a file of its own: `held`)."""
    warnings = []
    for symbol, entries in list(claims.items()):
        for entry in list(entries) if len(entries) > 1 else ():
            path, parsed = entry
            named = named_symbol(path.name)
            if parsed is not None and named not in (None, symbol) and named not in claims and not held(named):
                entries.remove(entry)
                claims[named] = [(path, renamed(parsed, named))]
                warnings.append(
                    f"{path}: headed {symbol}, named {named}, and another file is {symbol}; "
                    f"indexed as {named} with its heading marked as conflicting"
                )
    return warnings


def _held_by_another(store: Store | None, symbol: str, files: list[Path]) -> bool:
    """True when the index holds `symbol` from a file other than these (which may replace it)."""
    stored = store.source(symbol) if store is not None else None
    return stored is not None and Path(stored[0]) not in files
