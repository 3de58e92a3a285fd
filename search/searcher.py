"""`Searcher`: the query layer applications embed — dense, lexical (BM25) and hybrid (RRF) search.

A `Searcher` answers every call from one committed state: it pins the generation it loaded, and a
call that finds a newer one committed reloads the vectors first (or call `refresh()`), so rows and
vectors never mix. Reads run in one SQLite read transaction each; a writer never blocks them (WAL).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import asdict, replace
from pathlib import Path
from typing import TypeVar

import numpy as np
from unres.index import glossary, links
from unres.index.config import DATABASE_FILE, IndexConfig, default_index_dir, model_path, open_config
from unres.index.errors import IndexOpenError, NotFoundError, QueryError
from unres.index.filters import MODES, Filters
from unres.index.integrity import CONFIG_KEY, VECTORS_KEY, VectorsRecord, check_config, model_sha256
from unres.index.lexical import LEXICAL_KEY, LexicalIndex, LexicalRecord, lexical_path
from unres.index.parse.records import Resolution
from unres.index.store import Store, StoredParagraph
from unres.index.vectors import Selection, VectorIndex, vectors_path

from . import boost, citations, graph, lineage, trend
from .citations import CitedBy
from .fusion import reciprocal_rank_fusion, score_fusion
from .graph import Graph
from .hit import Explanation, Hit
from .lexical import fts_all, fts_query
from .lineage import Lineage
from .ranking import Ranking
from .trend import Trend
from .understand import Understanding, candidates, understand

MAX_QUERY_CHARS = 2000
MAX_K = 10_000
COLLAPSE_DEPTH = 4  # a collapsing search ranks this many times k paragraphs to find k distinct texts
RELOAD_ATTEMPTS = 20  # a writer that commits faster than vectors load is retried this often

T = TypeVar("T")


class Searcher:
    """A loaded index: SQLite store, FAISS vectors and (on first dense query) the embedding model."""

    def __init__(self, directory: Path, config: IndexConfig, store: Store) -> None:
        self.directory = directory
        self.config = config
        self._store: Store | None = store
        self._vectors: VectorIndex | None = None
        self._lexical: LexicalIndex | None = None  # None: an index made before it, ranked by FTS5
        self.generation = -1  # the committed state this searcher answers from
        self._embedder = None
        self._loading: Future | None = None  # the model loading in a thread (`open(preload=True)`)
        self._candidates: dict[Filters, Selection] = {}  # valid for the pinned generation only
        self._lexicon: tuple[int, frozenset[str], dict[str, str]] | None = None  # generation, verbs, glossary
        self._lock = threading.RLock()
        self._model_lock = threading.Lock()

    @classmethod
    def open(cls, path: str | Path | None = None, *, model: str | None = None, preload: bool = False) -> Searcher:
        """Open an index directory (default `$UNRES_INDEX` or `./unres-index`); `model`, if given, must match.

        `preload` loads the embedding model in a thread meanwhile, for a process that will embed a query
        soon (a cold `unres search` overlaps the model's load with opening the database and vectors).
        """
        directory = Path(path) if path is not None else default_index_dir()
        config = open_config(directory, model)
        store = Store.open(directory / DATABASE_FILE)
        searcher = cls(directory, config, store)
        if preload:
            from concurrent.futures import ThreadPoolExecutor

            pool = ThreadPoolExecutor(1)
            searcher._loading = pool.submit(searcher._load_model)
            pool.shutdown(wait=False)  # the load goes on in its thread
        try:
            searcher.refresh()
        except BaseException:
            if searcher._loading is not None:
                searcher._loading.cancel()
            searcher.close()
            raise
        return searcher
    def refresh(self) -> bool:
        """Load the newest committed state if it is not the one pinned; True if it changed."""
        with self._lock:
            store = self._open_store()
            for _ in range(RELOAD_ATTEMPTS):
                try:
                    with store.snapshot():
                        generation = store.generation
                        record = VectorsRecord.from_json(store.path, store.meta(VECTORS_KEY))
                        lexical_record = LexicalRecord.from_json(store.path, store.meta(LEXICAL_KEY))
                        recorded_config = store.meta(CONFIG_KEY)
                except sqlite3.Error as error:
                    raise IndexOpenError(f"{self.directory}: cannot read the index ({error})") from None
                if generation == self.generation:
                    return False
                check_config(self.directory, recorded_config, asdict(self.config))
                try:
                    vectors = VectorIndex.load(
                        vectors_path(self.directory, generation), self.config.dimension, self.config.backend,
                        self.config.hnsw_m, record,
                    )
                    lexical = None if lexical_record is None else LexicalIndex.load(
                        lexical_path(self.directory, generation), lexical_record
                    )
                except IndexOpenError:
                    with store.snapshot():
                        if store.generation == generation:
                            raise
                    continue  # a writer committed a newer state and removed this file; load that one
                self._vectors, self._lexical, self.generation = vectors, lexical, generation
                self._candidates.clear()
                return True
            raise IndexOpenError(f"{self.directory}: the index changes faster than it can be loaded; try again")

    def close(self) -> None:
        """Release the index; any later call is an `IndexOpenError`."""
        with self._lock:
            if self._store is not None:
                self._store.close()
            self._store = None

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _open_store(self) -> Store:
        if self._store is None:
            raise IndexOpenError(f"{self.directory}: this Searcher is closed")
        return self._store

    def _read(self, work: Callable[[Store, VectorIndex], T]) -> T:
        """Run `work` on one committed state: the pinned one, reloaded first if a newer one was committed."""
        with self._lock:
            store = self._open_store()
            try:
                for _ in range(RELOAD_ATTEMPTS):
                    with store.snapshot():
                        if store.generation == self.generation:
                            return work(store, self._vectors)
                    self.refresh()
                    time.sleep(0.001)  # let a writer that is committing again finish first
            except sqlite3.Error as error:
                raise IndexOpenError(f"{self.directory}: cannot read the index ({error})") from None
            except UnicodeEncodeError as error:
                raise QueryError(f"not valid text: a lone surrogate at position {error.start}; use UTF-8") from None
            raise IndexOpenError(f"{self.directory}: the index changes faster than it can be read; try again")

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
    ) -> list[Hit]:
        """The `k` best paragraphs for `query` among those passing the filters (applied before ranking).

        Give `filters`, or the same restrictions as keywords (`verbs=["urges"], body="GA"`), not both;
        `ranking` changes how hybrid mode fuses its rankings (default: the tuned `Ranking()`). With
        `ranking.understand` the query is read first (`understand`): its wrapper stripped and acronyms
        expanded in every mode, its body, verb and year intents boosting the hybrid ranking.
        `explain` gives each hit an `Explanation` (its rank in each ranking, fused score, boosts).
        """
        query = self._check_query(query)
        if mode not in MODES:
            raise QueryError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
        k = _check_k(k)
        ranking = ranking or Ranking()
        understood = self.understand(query) if ranking.understand else Understanding(query, query)
        dense_text = understood.expanded if ranking.expand_dense else understood.text
        vector = self.embed(dense_text) if mode in ("dense", "hybrid") else None

        def work(store: Store, vectors: VectorIndex) -> list[Hit]:
            checked = self._check_filters(store, filters, verbs, body, sessions, adopted_from, adopted_to, symbols, kinds)
            if not ranking.collapse:
                return self._hits(store, self._rank(store, vectors, understood, vector, k, checked, mode, ranking), explain)
            depth = min(MAX_K, k * COLLAPSE_DEPTH)
            while True:  # deeper while copies of a few texts fill the window and more paragraphs are ranked
                ranked = self._rank(store, vectors, understood, vector, depth, checked, mode, ranking)
                hits = self._collapsed(store, ranked, k, explain)
                if len(hits) >= k or len(ranked) < depth or depth >= MAX_K:
                    return hits
                depth = min(MAX_K, depth * COLLAPSE_DEPTH)

        return self._read(work)

    def understand(self, query: str) -> Understanding:
        """What `search` reads in a query: the text without its question wrapper, body, verb and year
        intents, and acronyms spelled out by the index's glossary (defined in the corpus, else the name
        the corpus uses most whose initials spell them); an index without a glossary: `IndexOpenError`."""
        query = self._check_query(query)
        verbs, terms = self._read(self._lexicon_of)
        unknown = [a for a in candidates(query) if a not in terms]
        if unknown:
            terms = {**terms, **self._read(lambda store, vectors: glossary.named(store.connection, unknown))}
        return understand(query, verbs, terms)

    def _lexicon_of(self, store: Store, vectors: VectorIndex) -> tuple[frozenset[str], dict[str, str]]:
        """The index's verbs and glossary, read once per committed state."""
        if self._lexicon is None or self._lexicon[0] != self.generation:
            self._lexicon = (self.generation, frozenset(store.known_verbs()), glossary.load(store.connection, store.path))
        return self._lexicon[1], self._lexicon[2]

    def _rank(
        self, store: Store, vectors: VectorIndex, understood: Understanding, vector: np.ndarray | None, k: int,
        filters: Filters, mode: str, ranking: Ranking,
    ) -> list[tuple[int, float, Explanation]]:
        """The ranking behind `search`: (row, score, explanation), best first."""
        depth = max(k, ranking.pool) if mode == "hybrid" else k
        dense = vectors.search(vector, depth, self._rows(store, filters)) if vector is not None else []
        lexical = self._lexical_rank(store, understood.expanded, depth, filters, ranking) if mode != "dense" else []
        dense_ranks = {row: rank for rank, (row, _) in enumerate(dense, 1)}
        lexical_ranks = {row: rank for rank, (row, _) in enumerate(lexical, 1)}

        def explained(row: int, fused: float, score: float, boosts: tuple[str, ...] = ()) -> tuple[int, float, Explanation]:
            return row, score, Explanation(lexical_ranks.get(row), dense_ranks.get(row), float(fused), boosts)

        if mode != "hybrid":
            return [explained(row, score, score) for row, score in (dense if mode == "dense" else lexical)[:k]]
        weights = [ranking.dense_weight, ranking.lexical_weight]
        if ranking.fusion == "score":
            fused = score_fusion([dense, lexical], weights)
        else:
            fused = reciprocal_rank_fusion([[r for r, _ in dense], [r for r, _ in lexical]], ranking.rrf_k, weights)
        if not understood.intents:
            return [explained(row, score, score) for row, score in fused[:k]]
        scores = dict(fused)
        boosted = boost.boost(fused, store.facets([row for row, _ in fused]), understood, ranking)
        return [explained(row, scores[row], score, labels) for row, score, labels in boosted[:k]]

    def _lexical_rank(self, store: Store, query: str, depth: int, filters: Filters, ranking: Ranking) -> list[tuple[int, float]]:
        """BM25 of the index's lexical files among the filtered rows; SQLite FTS5 when asked (`Ranking.lexical`),
        for an index made before them, or a query whose only words are stop words (which BM25 leaves out)."""
        if self._lexical is not None and ranking.lexical == "bm25":
            selection = self._rows(store, filters)
            rows = None if selection is None else selection.rows
            ranked = self._lexical.rank(query, depth, rows, heading_weight=ranking.heading_weight)
            if ranked is not None:
                return ranked
        match = fts_query(query)
        return store.lexical(match, filters, depth) if match else []

    def embed(self, query: str) -> np.ndarray:
        """The query's unit vector under the index's model and adapter (loaded on first use, or by `open(preload=True)`)."""
        with self._model_lock:
            if self._embedder is None and self._loading is not None:
                loading, self._loading = self._loading, None
                self._embedder = loading.result()  # an error while loading is raised here, by the query that needs it
            if self._embedder is None:
                self._embedder = self._load_model()
        return self._embedder.encode([query])[0]

    def _load_model(self):
        """The index's ONNX model (exported from the recorded model if the index predates it: then that
        model must be the one that built the index, by content hash), with the index's query adapter."""
        from unres.index.adapter import AdaptedEmbedder, load_adapter
        from unres.index.builder import check_model
        from unres.index.encoder import encoder_dir, ensure_encoder

        exporting = not encoder_dir(self.directory).exists()
        embedder = ensure_encoder(self.directory, self.config)
        if exporting:
            check_model(self.directory, model_sha256(model_path(self.config.model)), self.config)
        if embedder.dimension != self.config.dimension:
            raise IndexOpenError(
                f"{self.directory}: model {self.config.model} gives {embedder.dimension}-d vectors, "
                f"the index holds {self.config.dimension}-d ones"
            )
        if self.config.adapter is not None:
            return AdaptedEmbedder(embedder, load_adapter(self.config.adapter, self.config.dimension, self.config.adapter_sha256))
        return embedder

    def vectors(self, filters: Filters | None = None) -> tuple[list[str], np.ndarray]:
        """Ids and stored vectors of the paragraphs passing `filters` (for baselines and brute-force checks)."""

        def work(store: Store, vectors: VectorIndex) -> tuple[list[str], np.ndarray]:
            rows = store.filtered_rows(filters or Filters())
            ids = store.ids(rows)
            matrix = np.vstack([vectors.vector(r) for r in rows]) if rows else np.zeros((0, self.config.dimension), np.float32)
            return [ids[r] for r in rows], matrix

        return self._read(work)

    def texts(self, filters: Filters | None = None) -> dict[str, str]:
        """Paragraph texts by id for the paragraphs passing `filters` (for lexical baselines)."""
        return self._read(lambda store, vectors: store.texts(store.filtered_rows(filters or Filters())))

    def similar(self, paragraph_id: str, k: int = 10, *, kinds: Iterable[str] | None = None) -> list[Hit]:
        """Paragraphs closest to a given one (same kind unless `kinds` says otherwise), itself excluded."""
        k = _check_k(k)

        def work(store: Store, vectors: VectorIndex) -> list[Hit]:
            stored = self._require(store, paragraph_id)
            rows = self._rows(store, Filters(kinds=tuple(kinds or (stored.paragraph.kind,))))
            ranked = vectors.search(vectors.vector(stored.row), k + 1, rows)
            return self._hits(store, [(row, score) for row, score in ranked if row != stored.row][:k])

        return self._read(work)

    def paragraph(self, paragraph_id: str) -> Hit:
        """One paragraph in context (its resolution, neighbours, footnotes)."""
        return self._read(lambda store, vectors: self._hit(store, self._require(store, paragraph_id), rank=0, score=0.0))

    def resolution(self, symbol: str) -> Resolution:
        """A whole resolution with its structure."""
        resolution = self._read(lambda store, vectors: store.resolution(symbol))
        if resolution is None:
            raise NotFoundError(f"no resolution {symbol!r} in the index at {self.directory}")
        return resolution

    @property
    def linked(self) -> bool:
        """True when the index holds lineage and citation links (an index made before them does not)."""
        return self._read(lambda store, vectors: links.present(store.connection))

    def lineage(self, paragraph_id: str) -> Lineage:
        """How a paragraph read in the other years' resolutions on its item, by date, with word diffs."""

        def work(store: Store, vectors: VectorIndex) -> Lineage:
            stored = self._require(store, paragraph_id)
            links.require(store.connection, self.directory)
            return lineage.build(store, stored)

        return self._read(work)

    def cited_by(self, symbol: str) -> CitedBy:
        """Every paragraph citing a resolution (in its text or a footnote), grouped by citing resolution."""

        def work(store: Store, vectors: VectorIndex) -> CitedBy:
            links.require(store.connection, self.directory)
            return citations.build(store, symbol)

        return self._read(work)

    def trend(
        self, query: str, *, verbs: Iterable[str] = (), by: str = "year", kinds: Iterable[str] = ("operative",)
    ) -> Trend:
        """Paragraphs holding every word of `query`, counted per year (or GA session) and body."""
        query = self._check_query(query)
        match = fts_all(query)
        if match is None:
            raise QueryError(f"nothing to count in {query!r}: no word")

        def work(store: Store, vectors: VectorIndex) -> Trend:
            filters = self._check_filters(store, None, tuple(verbs), None, None, None, None, None, tuple(kinds))
            return trend.build(store, query, match, filters, by)

        return self._read(work)

    def graph(self) -> Graph:
        """Citation and lineage edges of the whole index (for `export-graph`)."""

        def work(store: Store, vectors: VectorIndex) -> Graph:
            links.require(store.connection, self.directory)
            return graph.build(store)

        return self._read(work)

    def paragraph_ids(self) -> set[str]:
        """Every paragraph id of the index (to check qrels and runs against it)."""
        return self._read(lambda store, vectors: store.paragraph_ids())

    def verbs(self) -> dict[str, int]:
        """Every verb of the index with its number of paragraphs, most frequent first (for suggestions)."""
        return self._read(lambda store, vectors: store.verb_counts())

    def stats(self) -> dict:
        """Documents and paragraphs by body and kind, model and sizes on disk."""
        resolutions, paragraphs, count = self._read(lambda store, vectors: (*store.counts(), len(vectors)))
        by_body: dict[str, dict[str, int]] = {}
        for (body, kind), n in paragraphs.items():
            by_body.setdefault(body, {})[kind] = n
        sizes = {p.name: p.stat().st_size for p in sorted(self.directory.iterdir()) if p.is_file()}
        return {
            "index": str(self.directory),
            "model": self.config.model,
            "dimension": self.config.dimension,
            "template": self.config.template,
            "backend": self.config.backend,
            "resolutions": resolutions,
            "paragraphs": by_body,
            "vectors": count,
            "bytes_on_disk": sizes,
        }

    def _check_query(self, query: str) -> str:
        """Whitespace-normalized text; not text, lone surrogates (undecodable bytes), empty or too long: an error."""
        if not isinstance(query, str):
            raise QueryError(f"a query is text, not {type(query).__name__}")
        try:
            query.encode("utf-8")
        except UnicodeEncodeError as error:
            raise QueryError(
                f"query is not valid text: an undecodable byte or lone surrogate at position {error.start}; use UTF-8"
            ) from None
        query = " ".join(query.split())
        if not query:
            raise QueryError("empty query")
        if len(query) > MAX_QUERY_CHARS:
            raise QueryError(f"query of {len(query)} characters; the limit is {MAX_QUERY_CHARS}")
        return query

    def _check_filters(self, store: Store, filters, verbs, body, sessions, adopted_from, adopted_to, symbols, kinds) -> Filters:
        """One `Filters` from the argument or the keywords, with verbs and symbols checked against the index."""
        keywords = {
            "verbs": verbs, "body": body, "sessions": sessions, "adopted_from": adopted_from,
            "adopted_to": adopted_to, "symbols": symbols, "kinds": kinds,
        }
        given = {name: value for name, value in keywords.items() if value is not None}
        if filters is not None and given:
            raise QueryError(f"give filters or the keywords {', '.join(given)}, not both")
        if filters is None:
            filters = Filters(**{name: tuple(value) if not isinstance(value, str) and name != "body" else value
                                 for name, value in given.items()})
        unknown = sorted(set(filters.verbs) - store.known_verbs()) if filters.verbs else []
        if unknown:
            raise QueryError(f"unknown verb {', '.join(unknown)}: no paragraph of the index has it")
        missing = sorted(set(filters.symbols) - store.known_symbols(filters.symbols)) if filters.symbols else []
        if missing:
            raise NotFoundError(f"unknown symbol {', '.join(missing)}: not in the index")
        return filters

    def _rows(self, store: Store, filters: Filters) -> Selection | None:
        """The rows passing the filters (None: all), remembered for the last few filter sets of this generation."""
        if filters.unfiltered():
            return None
        if filters not in self._candidates:
            if len(self._candidates) >= 8:  # each may hold a copy of its vectors (vectors.EXACT_ROWS)
                self._candidates.pop(next(iter(self._candidates)))
            self._candidates[filters] = Selection(store.filtered_rows(filters))
        return self._candidates[filters]

    def _require(self, store: Store, paragraph_id: str) -> StoredParagraph:
        stored = store.paragraph(paragraph_id)
        if stored is None:
            raise NotFoundError(f"no paragraph {paragraph_id!r} in the index at {self.directory}")
        return stored

    def _hits(self, store: Store, ranked: list[tuple], explain: bool = False) -> list[Hit]:
        """Hits of (row, score) or (row, score, explanation) triples; the explanation kept only if asked."""
        stored = store.paragraphs([row for row, *_ in ranked])
        return [
            self._hit(store, stored[row], rank, score, rest[0] if explain and rest else None)
            for rank, (row, score, *rest) in enumerate(ranked, 1) if row in stored
        ]

    def _collapsed(self, store: Store, ranked: list[tuple], k: int, explain: bool = False) -> list[Hit]:
        """The first `k` distinct paragraph texts of a ranking of (row, score, explanation): each group shown by
        its latest copy at the rank, score and explanation of its best one, the other copies' ids in `also_in`,
        latest first."""
        copies = store.copies([row for row, *_ in ranked])
        groups: dict[str, list[int]] = {}
        best: dict[str, tuple] = {}
        for row, *scored in ranked:
            if row in copies:
                key = " ".join(copies[row][3].casefold().split())
                best.setdefault(key, scored)
                groups.setdefault(key, []).append(row)
        chosen = [(key, sorted(rows, key=lambda r: (copies[r][2] or "", copies[r][1]), reverse=True))
                  for key, rows in list(groups.items())[:k]]
        stored = store.paragraphs([rows[0] for _, rows in chosen])
        hits = []
        for rank, (key, rows) in enumerate(chosen, 1):
            score, *rest = best[key]
            hit = self._hit(store, stored[rows[0]], rank, score, rest[0] if explain and rest else None)
            hits.append(replace(hit, also_in=tuple(copies[r][0] for r in rows[1:])))
        return hits

    def _hit(self, store: Store, stored: StoredParagraph, rank: int, score: float, explain: Explanation | None = None) -> Hit:
        p = stored.paragraph
        return Hit(
            id=p.id, rank=rank, score=float(score), symbol=stored.symbol, title=stored.title,
            adopted=stored.adopted, session=stored.session, body=stored.body, number=p.number, kind=p.kind,
            verb=p.verb, phrase=p.phrase, text=p.text, footnotes=p.footnotes, citations=p.citations,
            previous_id=stored.previous_id, next_id=stored.next_id, explain=explain,
        )


def _check_k(k: int) -> int:
    """A count of results: a whole number from 1 to `MAX_K`."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= MAX_K:
        raise QueryError(f"k must be a whole number from 1 to {MAX_K}, not {k!r}")
    return int(k)
