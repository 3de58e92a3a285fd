"""`IndexReader`: an index directory opened for reading, every read on one committed state.

The reader pins the generation it loaded: the vectors and BM25 files of that generation. Each read
is one SQLite read transaction (a `Snapshot`); when a writer has committed a newer generation since,
its files are loaded inside that same transaction first, so rows and vectors never mix and one read
is one snapshot. Opening loads the current state with a single statement, so damage shows at once.
Readers never block a writer, nor a writer them (WAL).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np

from . import glossary, links
from .config import DATABASE_FILE, IndexConfig, index_path, open_config
from .errors import IndexOpenError, NotFoundError, QueryError
from .filters import KINDS, Filters
from .integrity import CONFIG_KEY, VECTORS_KEY, VectorsRecord, check_config
from .lexical import LEXICAL_KEY, LexicalIndex, LexicalRecord
from .store import GENERATION_KEY, Store, StoredParagraph
from .vectors import Cores, Product, Selection, VectorIndex

RELOAD_ATTEMPTS = 20  # a writer that commits faster than files load is retried this often
SELECTIONS_KEPT = 8  # filtered row sets remembered per generation (each may hold a copy of its vectors)
STATE_KEYS = (GENERATION_KEY, VECTORS_KEY, LEXICAL_KEY, CONFIG_KEY)

T = TypeVar("T")


@dataclass
class _State:
    """The files of one generation, and what reads derive from it once (cleared with it)."""

    generation: int
    vectors: VectorIndex
    lexical: LexicalIndex | None  # None: an index made before BM25 files (or before its segments), ranked by FTS5
    selections: dict[Filters, Selection | None] = field(default_factory=dict)
    verbs: frozenset[str] | None = None
    glossary: dict[str, str] | None = None


class Snapshot:
    """One committed state of the index, valid inside `IndexReader.read`: the store's rows with the
    vectors and BM25 files of the same generation."""

    def __init__(self, directory: Path, store: Store, state: _State, copies: bool = True, product: Product = np.matmul) -> None:
        self.directory = directory
        self.store = store
        self._state = state
        self._copies = copies  # whether filters may be ranked from copies of their vectors (`Selection`)
        self.product = product  # what a selection ranked from its copy is scored with (`Selection.top`)

    @property
    def vectors(self) -> VectorIndex:
        return self._state.vectors

    @property
    def lexical(self) -> LexicalIndex | None:
        return self._state.lexical

    @property
    def generation(self) -> int:
        """The committed generation read: its vectors and lexical files carry the number."""
        return self._state.generation

    def rows(self, filters: Filters) -> Selection | None:
        """The rows passing the filters (None: all), remembered for the last few filter sets."""
        if filters.unfiltered():
            return None
        selections = self._state.selections
        if filters not in selections:
            if len(selections) >= SELECTIONS_KEPT:
                selections.pop(next(iter(selections)))
            selections[filters] = Selection(self.store.filtered_rows(filters), copy=self._copies)
        return selections[filters]

    def verbs(self) -> frozenset[str]:
        """Every verb of the index."""
        if self._state.verbs is None:
            self._state.verbs = frozenset(self.store.known_verbs())
        return self._state.verbs

    def glossary(self, acronyms: Iterable[str] = ()) -> dict[str, str]:
        """The acronyms the corpus defines, with the names whose initials spell `acronyms` it does not;
        an index without a glossary: `IndexOpenError` naming the command that adds it."""
        if self._state.glossary is None:
            self._state.glossary = glossary.load(self.store.connection, self.store.path)
        unknown = [a for a in acronyms if a not in self._state.glossary]
        if not unknown:
            return self._state.glossary
        return {**self._state.glossary, **glossary.named(self.store.connection, unknown)}

    def checked(self, filters: Filters) -> Filters:
        """`filters` whose verbs and symbols the index knows; else a `QueryError` or `NotFoundError` naming them."""
        unknown = sorted(set(filters.verbs) - self.verbs()) if filters.verbs else []
        if unknown:
            raise QueryError(f"unknown verb {', '.join(unknown)}: no paragraph of the index has it")
        missing = sorted(set(filters.symbols) - self.store.known_symbols(filters.symbols)) if filters.symbols else []
        if missing:
            raise NotFoundError(f"unknown symbol {', '.join(missing)}: not in the index")
        sessions = self.store.sessions() if filters.sessions else []
        if filters.sessions and not set(filters.sessions) & set(sessions):  # a range partly held is a range
            held = f"sessions {_spans(sessions)}" if sessions else "no General Assembly session"
            asked = ("sessions " if len(filters.sessions) > 1 else "session ") + _spans(sorted(filters.sessions))
            raise QueryError(f"no resolution of {asked} in the index, which holds {held}")
        dated = Filters(kinds=KINDS, adopted_from=filters.adopted_from, adopted_to=filters.adopted_to)
        if (filters.adopted_from or filters.adopted_to) and not self.store.count_matching(None, dated):
            years = sorted(year for year, _ in self.store.facet_counts(None, Filters(kinds=KINDS), "year", 1000) if year)
            span = " ".join(filter(None, (filters.adopted_from and f"from {filters.adopted_from}",
                                          filters.adopted_to and f"{'to' if filters.adopted_from else 'up to'} {filters.adopted_to}")))
            held = f"it holds {years[0]}-{years[-1]}" if years else "it is empty"
            raise QueryError(f"no resolution of the index was adopted {span}: {held}")
        return filters

    def paragraph(self, paragraph_id: str) -> StoredParagraph:
        """A stored paragraph by id, or a `NotFoundError`."""
        stored = self.store.paragraph(paragraph_id)
        if stored is None:
            raise NotFoundError(f"no paragraph {paragraph_id!r} in the index at {self.directory}")
        return stored

    def linked(self) -> bool:
        """True when the index holds lineage and citation links (an index made before them does not)."""
        return links.present(self.store)

    def lineage(self, paragraph_id: str) -> links.Lineage:
        stored = self.paragraph(paragraph_id)
        links.require(self.store, self.directory)
        return links.lineage_of(self.store, stored)

    def link_counts(self, ids: Iterable[str]) -> dict[str, links.LinkCounts]:
        """Each paragraph's earlier and later versions and citing paragraphs, counted; none for an index made before links."""
        return links.link_counts(self.store, ids) if self.linked() else {}

    def cited_by(self, symbol: str) -> links.CitedBy:
        links.require(self.store, self.directory)
        return links.cited_by(self.store, symbol)

    def items(self, symbol: str | None) -> tuple[links.ItemLink, ...]:
        links.require(self.store, self.directory)
        return links.items_of(self.store, symbol)

    def graph(self) -> links.Graph:
        links.require(self.store, self.directory)
        return links.graph_of(self.store)


class IndexReader:
    """An index directory open for reading: its configuration, database and pinned generation."""

    def __init__(self, directory: Path, config: IndexConfig, store: Store, *, copies: bool = True, cores: Cores | None = None) -> None:
        self.directory = directory
        self.config = config
        self._copies = copies
        self.cores = cores
        self._store: Store | None = store
        self._state: _State | None = None
        self._lock = threading.RLock()

    @classmethod
    def open(
        cls, path: str | Path | None = None, model: str | None = None, *, copies: bool = True, cores: Cores | None = None,
    ) -> IndexReader:
        """Open an index directory (default `$UNRES_INDEX` or `./unres-index`) and load its current state;
        `copies=False` for a process that searches once (`Selection`'s `copy`); `cores` shared with the
        readers of other threads that search side by side (`Cores`)."""
        directory = index_path(path)
        config = open_config(directory, model)
        reader = cls(directory, config, Store.open(directory / DATABASE_FILE), copies=copies, cores=cores)
        try:
            reader._open()
        except BaseException:
            reader.close()
            raise
        return reader

    @property
    def generation(self) -> int:
        """The committed state reads answer from (-1 before the first load)."""
        return self._state.generation if self._state is not None else -1

    def read(self, work: Callable[[Snapshot], T]) -> T:
        """Run `work` on one committed state, the newest: loaded first inside the same snapshot if a
        writer committed since the last read."""
        with self._lock:
            store = self._open_store()
            try:
                for _ in range(RELOAD_ATTEMPTS):
                    with store.snapshot():
                        generation = store.generation
                        try:
                            self._pin(store)
                        except IndexOpenError as error:
                            damage = error
                        else:
                            with self.cores.running() if self.cores is not None else nullcontext(np.matmul) as product:
                                return work(Snapshot(self.directory, store, self._state, self._copies, product))
                    if store.generation == generation:  # nobody committed past the state that failed to load
                        raise damage
                    time.sleep(0.001)  # let a writer that is committing again finish first
            except sqlite3.Error as error:
                raise IndexOpenError(f"{self.directory}: cannot read the index ({error})") from None
            except UnicodeEncodeError as error:
                raise QueryError(f"not valid text: a lone surrogate at position {error.start}; use UTF-8") from None
            raise IndexOpenError(f"{self.directory}: the index changes faster than it can be read; try again")

    def refresh(self) -> bool:
        """Load the newest committed state if it is not the one pinned; True if it changed."""
        before = self.generation
        self.read(lambda snapshot: None)
        return self.generation != before

    def require_open(self) -> None:
        """An `IndexOpenError` once closed: for work that does not read the index (embedding a query)."""
        self._open_store()

    def close(self) -> None:
        """Release the database; any later read is an `IndexOpenError`."""
        with self._lock:
            if self._store is not None:
                self._store.close()
            self._store = None

    def _open(self) -> None:
        """Load the current state, outside any snapshot: `_pin` reads what it needs in one statement."""
        store = self._open_store()
        for _ in range(RELOAD_ATTEMPTS):
            try:
                generation = store.generation
                self._pin(store)
                return
            except IndexOpenError:
                if store.generation == generation:
                    raise
            except sqlite3.Error as error:
                raise IndexOpenError(f"{self.directory}: cannot read the index ({error})") from None
        raise IndexOpenError(f"{self.directory}: the index changes faster than it can be loaded; try again")

    def _pin(self, store: Store) -> None:
        """Load the generation the store shows unless it is the one pinned; its records are read in one statement."""
        meta = store.metas(STATE_KEYS)
        generation = int(meta.get(GENERATION_KEY) or 0)
        if self._state is not None and self._state.generation == generation:
            return
        check_config(self.directory, meta.get(CONFIG_KEY), asdict(self.config))
        record = VectorsRecord.from_json(store.path, meta.get(VECTORS_KEY), generation)
        lexical_record = LexicalRecord.from_json(store.path, meta.get(LEXICAL_KEY))
        config = self.config
        # Sizes and counts only: hashing the whole file would cost every cold start (0.1 s per 57 MB);
        # writers and `unres check` compare checksums.
        vectors = VectorIndex.load(self.directory, generation, record, config.dimension, config.backend, config.hnsw_m)
        lexical = None if lexical_record is None or lexical_record.outdated else LexicalIndex.load(self.directory, lexical_record)
        self._state = _State(generation, vectors, lexical)

    def _open_store(self) -> Store:
        if self._store is None:
            raise IndexOpenError(f"{self.directory}: this Searcher is closed")
        return self._store


def _spans(numbers: list[int]) -> str:
    """`58, 78-79`: sorted whole numbers as runs."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)

