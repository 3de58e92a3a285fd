"""Build and update an index directory: parse, embed and store, all or nothing.

An index directory holds `config.json`, `unres.sqlite` and `vectors.<generation>.faiss`. A run
parses everything first, then in one SQLite transaction replaces changed documents, embeds the new
paragraphs, writes the next vectors file beside the current one and records its generation; only
the COMMIT makes the new state visible, so a failed or killed run leaves the old index whole.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from index.config import DATABASE_FILE, IndexConfig
from index.embed import Embedder, embedding_text, model_name
from index.errors import IndexOpenError, ParseError
from index.parse import document_paths, parse_file
from index.records import Resolution
from index.store import Store
from index.vectors import VectorIndex, vectors_path

Progress = Callable[[str, int, int], None]  # (stage, done, total)
EMBED_CHUNK = 256


def default_index_dir() -> Path:
    """`$UNRES_INDEX`, else `./unres-index`."""
    return Path(os.environ.get("UNRES_INDEX") or "unres-index")


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


def open_config(directory: Path, model: str | None = None) -> IndexConfig:
    """The index's configuration, checked against the model a caller asks for."""
    config = IndexConfig.load(directory)
    if model is not None and model_name(model) != config.model:
        raise IndexOpenError(
            f"{directory}: index built with model {config.model}, not {model_name(model)}; "
            "use that model or build a new index elsewhere"
        )
    return config


def _check_template(template: str) -> None:
    """A template may name only {text}, {title}, {verb} and {phrase}, and must name {text}."""
    import string

    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError:
        fields = set()
    unknown = fields - {"text", "title", "verb", "phrase"}
    if unknown or "text" not in fields:
        raise IndexOpenError(f"template {template!r}: use {{text}} with optional {{title}}, {{verb}}, {{phrase}}")


class Indexer:
    """Adds documents to, and removes resolutions from, one index directory."""

    def __init__(
        self,
        directory: Path,
        *,
        model: str | None = None,
        template: str | None = None,
        backend: str | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.directory = Path(directory)
        self._model = model
        self._template = template
        self._backend = backend
        self._progress = progress or (lambda stage, done, total: None)
        self._embedder: Embedder | None = None

    def add(self, paths: list[str | Path]) -> BuildReport:
        """Index every document under `paths`: skip unchanged ones, replace changed ones.

        If any file fails to parse, nothing is written and the failures are reported.
        """
        start = time.perf_counter()
        config = self._config()
        store = Store.open(self.directory / DATABASE_FILE, create=True)
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
                    data = Path(path).read_bytes()
                except OSError:
                    data = None
                if data is not None and store.has_sha256(hashlib.sha256(data).hexdigest()):
                    skipped += 1
                    continue
                try:
                    resolution = parse_file(path)
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
            store.close()

    def remove(self, symbols: list[str]) -> BuildReport:
        """Delete resolutions by symbol; an unknown symbol is an error and nothing is removed."""
        start = time.perf_counter()
        config = open_config(self.directory, self._model)
        store = Store.open(self.directory / DATABASE_FILE)
        try:
            unknown = [s for s in symbols if not store.contains(s)]
            if unknown:
                raise IndexOpenError(f"{self.directory}: no resolution {', '.join(unknown)} in the index")
            self._write(store, config, [], remove=symbols)
        finally:
            store.close()
        return BuildReport(removed=len(symbols), seconds=time.perf_counter() - start)

    def _config(self) -> IndexConfig:
        """Open the existing configuration, or create one for a new index directory."""
        if (self.directory / "config.json").exists():
            config = open_config(self.directory, self._model)
            for name, wanted in (("template", self._template), ("backend", self._backend)):
                if wanted is not None and getattr(config, name) != wanted:
                    raise IndexOpenError(
                        f"{self.directory}: index built with {name} {getattr(config, name)!r}, not {wanted!r}; "
                        "build a new index to change it"
                    )
            return config
        if self.directory.exists() and any(self.directory.iterdir()):
            raise IndexOpenError(f"{self.directory}: not an unres index and not empty; choose another --index")
        if self._template is not None:
            _check_template(self._template)
        embedder = self._embedder_for(None)
        self.directory.mkdir(parents=True, exist_ok=True)
        config = IndexConfig(
            model=embedder.name,
            dimension=embedder.dimension,
            **{k: v for k, v in (("template", self._template), ("backend", self._backend)) if v is not None},
        )
        config.save(self.directory)
        return config

    def _embedder_for(self, config: IndexConfig | None) -> Embedder:
        if self._embedder is None:
            self._embedder = Embedder(config.model if config else self._model)
            if config is not None and self._embedder.dimension != config.dimension:
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
                        raise ParseError(resolution.source, f"cannot be stored ({error})") from None
                    added += [(row, embedding_text(config.template, p, resolution)) for row, p in stored]
                vectors.remove(gone)
                count = len(added)
                if added:
                    embedder = self._embedder_for(config)
                    self._progress("embed", 0, len(added))
                    embedded = embedder.encode_many(
                        [text for _, text in added], EMBED_CHUNK, lambda done, total: self._progress("embed", done, total)
                    )
                    vectors.add([row for row, _ in added], embedded)
                vectors.save(new_path)
                store.set_generation(old + 1)
        except BaseException:
            new_path.unlink(missing_ok=True)
            raise
        for stale in self.directory.glob("vectors.*.faiss"):
            if stale != new_path:
                stale.unlink(missing_ok=True)
        return replaced, count
