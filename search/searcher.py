"""`Searcher`: the query layer applications embed — dense, lexical (BM25) and hybrid search, and the
look-ups around it (paragraphs, resolutions, lineage, citations, trends).

A thin façade: every call is one read of one committed state of the index (`IndexReader.read`,
in `unres.index`); ranking is the pure pipeline of `pipeline.py`; the model is the index's own
encoder, loaded on the first dense query (or meanwhile, with `open(preload=True)`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from unres.index.config import ENCODER_DIR, IndexConfig, index_path, open_config
from unres.index.errors import NotFoundError
from unres.index.filters import KINDS, Filters
from unres.index.parse.records import Resolution
from unres.index.reader import IndexReader, Snapshot
from unres.index.stats import IndexStats, index_stats
from unres.index.vectors import Cores

from . import retrieval, trend
from .hit import Hit, SearchResult
from .language import detect_language
from .query import check_filters, check_k, check_mode, check_offset, check_query, check_sort, check_type, checked
from .ranking import Ranking
from .syntax import parse
from .trend import Trend
from .understand import Understanding, candidates, understand

if TYPE_CHECKING:
    from unres.index.links import CitedBy, Graph, ItemLink, Lineage


class Searcher:
    """A loaded index: its pinned committed state and (on first dense query) the embedding model."""

    def __init__(self, reader: IndexReader, threads: int | None = None, alone: int | None = None) -> None:
        self._reader = reader
        self._threads, self._alone = threads, alone
        self._encoder = None
        self._loading: Future | None = None  # the model loading in a thread (`open(preload=True)`)
        self._model_lock = threading.Lock()

    @classmethod
    def open(cls, path: str | Path | None = None, *, model: str | None = None, preload: bool = False,
             threads: int | None = None, alone: int | None = None) -> Searcher:
        """Open an index directory (default `$UNRES_INDEX` or `./unres-index`); `model`, if given, must match.
        `preload` is for a process that searches once (a cold `unres search`): the model loads in a thread
        meanwhile, in a session that starts quickly (`OnnxEmbedder`'s `quick`), and filters copy no vectors
        (`Selection`'s `copy`). The model embeds a query on `threads` cores (default all; 1 when searches run
        side by side), and on `alone` cores when no other runs (a server's: `OnnxEmbedder`, and `Cores` for ranking)."""
        directory = index_path(path)
        loading = None
        if preload:
            pool = ThreadPoolExecutor(1)
            loading = pool.submit(_query_encoder, directory, open_config(directory, model), threads, alone, quick=True)
            pool.shutdown(wait=False)  # the load goes on in its thread while the index opens
        try:
            cores = Cores(alone) if alone and alone > (threads or 1) else None
            searcher = cls(IndexReader.open(directory, model, copies=not preload, cores=cores), threads, alone)
        except BaseException:
            if loading is not None:
                loading.cancel()
            raise
        searcher._loading = loading
        return searcher

    @property
    def directory(self) -> Path:
        return self._reader.directory

    @property
    def config(self) -> IndexConfig:
        return self._reader.config

    @property
    def generation(self) -> int:
        """The committed state this searcher answers from."""
        return self._reader.generation

    def refresh(self) -> bool:
        """Load the newest committed state if it is not the one pinned; True if it changed."""
        return self._reader.refresh()

    def sibling(self) -> Searcher:
        """Another searcher over the same index for another thread: its own connection and caches, this one's model."""
        other = Searcher(IndexReader.open(self.directory, self.config.model, cores=self._reader.cores), self._threads, self._alone)
        other._encoder = self._model()
        return other

    def close(self) -> None:
        """Release the index; any later call is an `IndexOpenError`."""
        self._reader.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def search(
        self,
        query: str,
        k: int = 10,
        *,
        filters: Filters | None = None,
        mode: str = "hybrid",
        verbs: Iterable[str] | None = None,
        body: str | None = None,
        sessions: Iterable[int] | None = None,
        adopted_from: str | None = None,
        adopted_to: str | None = None,
        symbols: Iterable[str] | None = None,
        kinds: Iterable[str] | None = None,
        ranking: Ranking | None = None,
        explain: bool = False,
        offset: int = 0,
        sort: str = "relevance",
    ) -> SearchResult:
        """The `k` best paragraphs for `query` among those passing the filters (applied before ranking),
        with what the query was read as: one read of the index, the query read once. Give `filters`, or
        the same restrictions as keywords (`verbs=["urges"], body="GA"`), not both; `ranking` changes how
        the rankings combine (default: the tuned `Ranking()`). With `ranking.understand` the query is read
        first (`understand`): its wrapper stripped and acronyms expanded in every mode, its body, verb and
        year intents boosting the hybrid ranking. `explain` gives each hit an `Explanation` (ranks, score, boosts).
        Hits start at rank `offset + 1`; `sort="date"` lists the paragraphs holding every word latest first.
        """
        text, mode, k, sort = check_query(query), check_mode(mode), check_k(k), check_sort(sort)
        offset, ranking = check_offset(offset, k), check_type("ranking", ranking, Ranking) or Ranking()
        wanted = check_filters(filters, verbs=verbs, body=body, sessions=sessions, adopted_from=adopted_from,
                               adopted_to=adopted_to, symbols=symbols, kinds=kinds)
        if mode != "lexical" and (self._loading is None or not (self.directory / ENCODER_DIR).is_dir()):
            self._model()  # loaded before the read, so no snapshot or lock is held while it loads (or exports, for an
            # index older than its encoder/); one loading in its thread (`open(preload=True)`) overlaps the read

        def work(snapshot: Snapshot) -> SearchResult:
            def read(words: str) -> Understanding:
                return self._understand(snapshot, words) if ranking.understand else Understanding(words, words, language=detect_language(words))

            embed = (lambda words: self._model().encode([words], query=True)[0]) if mode != "lexical" else None
            result = retrieval.search(snapshot, parse(text), read, embed, k, checked(snapshot, wanted), mode, ranking, explain, offset, sort)
            return replace(result, query=query)

        return self._reader.read(work)

    def understand(self, query: str) -> Understanding:
        """What `search` reads in a query: the text without its question wrapper, body, verb and year
        intents, and acronyms spelled out by the index's glossary (defined in the corpus, else the name
        the corpus uses most whose initials spell them); an index without a glossary: `IndexOpenError`."""
        text = check_query(query)
        return self._reader.read(lambda snapshot: self._understand(snapshot, text))

    def embed(self, query: str) -> np.ndarray:
        """The query's unit vector under the index's model and adapter (loaded on first use, or by `open(preload=True)`)."""
        return self._model().encode([check_query(query)], query=True)[0]

    def similar(self, paragraph_id: str, k: int = 10, *, kinds: Iterable[str] | None = None) -> list[Hit]:
        """Paragraphs closest to a given one (same kind unless `kinds` says otherwise), itself excluded, identical
        texts shown once (the latest copy, the others in its `also_in`)."""
        k = check_k(k)
        return self._reader.read(lambda snapshot: retrieval.similar(snapshot, snapshot.paragraph(paragraph_id), k, kinds))

    def paragraph(self, paragraph_id: str) -> Hit:
        """One paragraph in context (its resolution, neighbours, footnotes)."""
        return self._reader.read(lambda snapshot: retrieval.counted(snapshot, [Hit.of(snapshot.paragraph(paragraph_id), 0, 0.0)])[0])

    def resolution(self, symbol: str) -> Resolution:
        """A whole resolution with its structure."""
        resolution = self._reader.read(lambda snapshot: snapshot.store.resolution(symbol))
        if resolution is None:
            raise NotFoundError(f"no resolution {symbol!r} in the index at {self.directory}")
        return resolution

    @property
    def linked(self) -> bool:
        """True when the index holds lineage and citation links (an index made before them does not)."""
        return self._reader.read(Snapshot.linked)

    def lineage(self, paragraph_id: str) -> Lineage:
        """How a paragraph read in the other years' resolutions on its item, by date, with word diffs."""
        return self._reader.read(lambda snapshot: snapshot.lineage(paragraph_id))

    def cited_by(self, symbol: str) -> CitedBy:
        """Every paragraph citing a resolution (in its text or a footnote), grouped by citing resolution."""
        return self._reader.read(lambda snapshot: snapshot.cited_by(symbol))

    def items(self, symbol: str | None = None) -> tuple[ItemLink, ...]:
        """Resolutions paired into items, and why (title, renamed, cites): every pair, or one resolution's."""
        return self._reader.read(lambda snapshot: snapshot.items(symbol))

    def graph(self) -> Graph:
        """Citation and lineage edges of the whole index (for `export-graph`)."""
        return self._reader.read(Snapshot.graph)

    def trend(self, query: str, *, verbs: Iterable[str] = (), by: str = "year", kinds: Iterable[str] = ("operative",),
              body: str | None = None, adopted_from: str | None = None, adopted_to: str | None = None) -> Trend:
        """Paragraphs holding every word of `query` ("a phrase" as one, -word excluded), per year (or GA session) and body."""
        text = check_query(query)
        filters = Filters(kinds=tuple(kinds), verbs=tuple(verbs), body=body, adopted_from=adopted_from, adopted_to=adopted_to)
        return self._reader.read(lambda snapshot: trend.build(snapshot.store, text, checked(snapshot, filters), by))

    def stats(self) -> IndexStats:
        """Documents and paragraphs by body and kind, model and sizes on disk."""
        return self._reader.read(lambda snapshot: index_stats(snapshot, self.config))

    def verbs(self, kinds: Iterable[str] = KINDS) -> dict[str, int]:
        """Every verb of these kinds of paragraph with its number of paragraphs, most frequent first (for suggestions)."""
        return self._reader.read(lambda snapshot: snapshot.store.verb_counts(Filters(kinds=tuple(kinds)).kinds))

    def paragraph_ids(self) -> set[str]:
        """Every paragraph id of the index (to check qrels and runs against it)."""
        return self._reader.read(lambda snapshot: snapshot.store.paragraph_ids())

    def texts(self, filters: Filters | None = None) -> dict[str, str]:
        """Paragraph texts by id for the paragraphs passing `filters` (for lexical baselines)."""
        return self._reader.read(lambda snapshot: snapshot.store.texts(snapshot.store.filtered_rows(filters or Filters())))

    def vectors(self, filters: Filters | None = None) -> tuple[list[str], np.ndarray]:
        """Ids and stored vectors of the paragraphs passing `filters` (for baselines and brute-force checks)."""

        def work(snapshot: Snapshot) -> tuple[list[str], np.ndarray]:
            rows = snapshot.store.filtered_rows(filters or Filters())
            ids, empty = snapshot.store.ids(rows), np.zeros((0, self.config.dimension), np.float32)
            return [ids[r] for r in rows], np.vstack([snapshot.vectors.vector(r) for r in rows]) if rows else empty

        return self._reader.read(work)

    def _understand(self, snapshot: Snapshot, text: str) -> Understanding:
        acronyms = candidates(text)  # none: the glossary is not read (6 ms of a cold search)
        return understand(text, snapshot.verbs(), snapshot.glossary(acronyms) if acronyms else {})

    def _model(self):
        """The query encoder: the one preloading, else loaded now; an error while loading is raised by the query that needs it."""
        self._reader.require_open()
        with self._model_lock:
            if self._encoder is None and self._loading is not None:
                loading, self._loading = self._loading, None
                self._encoder = loading.result()
            if self._encoder is None:
                self._encoder = _query_encoder(self.directory, self.config, self._threads, self._alone)
            return self._encoder


def _query_encoder(directory: Path, config: IndexConfig, threads: int | None, alone: int | None, *, quick: bool = False):
    """The index's ONNX encoder (`threads`, `alone`, `quick`: see `OnnxEmbedder`) with its query adapter, if any."""
    from unres.index.encoder import load_encoder

    encoder = load_encoder(directory, config, threads=threads, quick=quick, alone=alone)
    if config.adapter is None:
        return encoder
    from unres.index.adapter import AdaptedEmbedder, load_adapter  # zipfile, for .npz: not for every cold search
    return AdaptedEmbedder(encoder, load_adapter(config.adapter, config.dimension, config.adapter_sha256))
