"""Build and update an index directory: parse, embed and store, all or nothing.

An index directory holds `config.json`, `unres.sqlite` and `vectors.<generation>.faiss`. A run
parses everything first, then in one SQLite transaction replaces changed documents, embeds the new
paragraphs, writes the next vectors file beside the current one and records its generation; only
the COMMIT makes the new state visible, so a failed or killed run leaves the old index whole.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .config import CONFIG_FILE, DATABASE_FILE, IndexConfig, check_backend, check_template, model_name, open_config
from .embed import embedding_text
from .encoder import ENCODER_DIR, OnnxEmbedder, encoder_dir, ensure_encoder, export_encoder
from .errors import ConfigError, IndexOpenError, IndexWriteError, NotFoundError, ParseError
from .parse.files import document_paths, parse_data, read_file
from .parse.records import Resolution
from .store import Store
from .vectors import VectorIndex, vectors_path

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
        progress: Progress | None = None,
    ) -> None:
        self.directory = Path(directory)
        self._model = model
        self._template = template
        self._backend = backend
        self._int8 = int8
        self._progress = progress or (lambda stage, done, total: None)
        self._embedder: OnnxEmbedder | None = None

    def add(self, paths: str | Path | Iterable[str | Path]) -> BuildReport:
        """Index every document under `paths` (one path or many): skip unchanged ones, replace changed ones.

        If any file fails to parse, nothing is written and the failures are reported.
        """
        start = time.perf_counter()
        config = self._config()
        database = self.directory / DATABASE_FILE
        store = Store.open(database) if database.is_file() else None
        try:
            files = list(document_paths(paths))
            self._progress("parse", 0, len(files))
            pending: dict[str, Resolution] = {}
            failures: list[ParseError] = []
            warnings: list[str] = []
            skipped = 0
            for done, path in enumerate(files, 1):
                self._progress("parse", done, len(files))
                try:
                    data = read_file(path)
                    sha256 = hashlib.sha256(data).hexdigest()
                    if store is not None and store.has_sha256(sha256):
                        skipped += 1
                        continue
                    resolution = parse_data(path, data, sha256)
                except ParseError as error:
                    failures.append(error)
                    continue
                if resolution.symbol in pending:
                    warnings.append(
                        f"{pending[resolution.symbol].source} and {path} both read as {resolution.symbol}; "
                        f"keeping {path}"
                    )
                pending[resolution.symbol] = resolution
            if failures or not pending:
                return BuildReport(
                    skipped=skipped, failures=tuple(failures), warnings=tuple(warnings), seconds=time.perf_counter() - start
                )
            if config is None:
                config = self._create()
                store = Store.open(self.directory / DATABASE_FILE, create=True)
            replaced, count = self._write(store, config, list(pending.values()))
            return BuildReport(
                added=len(pending) - replaced,
                replaced=replaced,
                skipped=skipped,
                paragraphs=count,
                seconds=time.perf_counter() - start,
                warnings=tuple(warnings),
            )
        finally:
            if store is not None:
                store.close()

    def remove(self, symbols: str | Iterable[str]) -> BuildReport:
        """Delete resolutions by symbol; an unknown symbol is an error and nothing is removed."""
        start = time.perf_counter()
        symbols = [symbols] if isinstance(symbols, str) else list(dict.fromkeys(symbols))
        config = open_config(self.directory, self._model)
        store = Store.open(self.directory / DATABASE_FILE)
        try:
            unknown = [s for s in symbols if not store.contains(s)]
            if unknown:
                raise NotFoundError(f"{self.directory}: no resolution {', '.join(unknown)} in the index")
            self._write(store, config, [], remove=symbols)
        finally:
            store.close()
        return BuildReport(removed=len(symbols), seconds=time.perf_counter() - start)

    def _config(self) -> IndexConfig | None:
        """The existing configuration (None for a new index), with the options checked first."""
        if self._backend is not None:
            check_backend(self._backend)
        if self._template is not None:
            check_template(self._template)
        if self._model is not None:
            model_name(self._model)  # a model path that does not exist fails here, before any parsing
        if (self.directory / CONFIG_FILE).exists():
            config = open_config(self.directory, self._model)
            if self._int8 is not None and config.int8 != self._int8:
                built = "int8" if config.int8 else "fp32"
                raise ConfigError(
                    f"{self.directory}: index holds {built} vectors; {'--int8' if self._int8 else 'fp32'} vectors "
                    "would mix with them, so build a new index to change it"
                )
            for name, wanted in (("template", self._template), ("backend", self._backend)):
                if wanted is not None and getattr(config, name) != wanted:
                    raise ConfigError(
                        f"{self.directory}: index built with {name} {getattr(config, name)!r}, not {wanted!r}; "
                        "build a new index to change it"
                    )
            return config
        if self.directory.exists() and not self.directory.is_dir():
            raise ConfigError(f"{self.directory}: not a directory; choose another --index")
        if self.directory.exists() and any(p.name not in (ENCODER_DIR, ENCODER_DIR + ".tmp") for p in self.directory.iterdir()):
            raise ConfigError(f"{self.directory}: not an unres index and not empty; choose another --index")
        return None

    def _create(self) -> IndexConfig:
        """Make a new index directory: the model exported to ONNX (which tells its dimension), then the configuration."""
        name = model_name(self._model)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._progress("export", 0, 1)
            spec = export_encoder(self._model, name, encoder_dir(self.directory), int8=bool(self._int8))
            self._progress("export", 1, 1)
            config = IndexConfig(
                model=name, dimension=spec.dimension, int8=bool(self._int8),
                **{k: v for k, v in (("template", self._template), ("backend", self._backend)) if v is not None},
            )
            config.save(self.directory)
        except OSError as error:
            raise IndexWriteError(f"{self.directory}: cannot create the index ({error.strerror or error})") from None
        return config

    def _embedder_for(self, config: IndexConfig) -> OnnxEmbedder:
        """The index's own ONNX model (exported now if an older index has none)."""
        if self._embedder is None:
            self._embedder = ensure_encoder(self.directory, config, lambda done: self._progress("export", done, 1))
            if self._embedder.dimension != config.dimension:
                raise IndexOpenError(
                    f"{self.directory}: model {config.model} gives {self._embedder.dimension}-d vectors, "
                    f"the index holds {config.dimension}-d ones"
                )
        return self._embedder

    def _vectors(self, store: Store, config: IndexConfig) -> VectorIndex:
        if store.generation == 0:
            return VectorIndex.create(config.dimension, config.backend, config.hnsw_m)
        return VectorIndex.load(
            vectors_path(self.directory, store.generation), config.dimension, config.backend, config.hnsw_m
        )

    def _write(
        self, store: Store, config: IndexConfig, resolutions: list[Resolution], remove: list[str] = ()
    ) -> tuple[int, int]:
        """One transaction: delete, insert, embed, write the next vectors file, record its generation."""
        vectors = self._vectors(store, config)
        old = store.generation
        new_path = vectors_path(self.directory, old + 1)
        replaced = 0
        count = 0
        try:
            with store.transaction():
                gone: list[int] = []
                for symbol in remove:
                    gone += store.remove(symbol)
                added = []
                for resolution in resolutions:
                    if store.contains(resolution.symbol):
                        gone += store.remove(resolution.symbol)
                        replaced += 1
                    try:
                        stored = store.add(resolution)
                    except sqlite3.IntegrityError as error:
                        raise IndexWriteError(f"{resolution.source}: cannot be stored ({error})") from None
                    added += [(row, embedding_text(config.template, p, resolution)) for row, p in stored]
                vectors.remove(gone)
                count = len(added)
                if added:
                    vectors.add([row for row, _ in added], self._embed([text for _, text in added], config))
                vectors.save(new_path)
                store.set_generation(old + 1)
        except BaseException:
            new_path.unlink(missing_ok=True)
            raise
        for stale in self.directory.glob("vectors.*.faiss"):
            if stale != new_path:
                stale.unlink(missing_ok=True)
        return replaced, count

    def _embed(self, texts: list[str], config: IndexConfig) -> np.ndarray:
        """Vectors of `texts`, each distinct text embedded once (the same clause recurs year after year)."""
        slot: dict[str, int] = {}
        which = np.fromiter((slot.setdefault(text, len(slot)) for text in texts), dtype=np.int64, count=len(texts))
        embedder = self._embedder_for(config)
        self._progress("embed", 0, len(slot))
        distinct = embedder.encode_many(list(slot), EMBED_CHUNK, lambda done, total: self._progress("embed", done, total))
        return distinct[which]
