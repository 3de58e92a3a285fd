"""`Searcher`: the query layer applications embed — dense, lexical (BM25) and hybrid (RRF) search."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Future
from pathlib import Path

import numpy as np
from unres.index.config import DATABASE_FILE, IndexConfig, default_index_dir, open_config
from unres.index.errors import NotFoundError, QueryError
from unres.index.filters import MODES, Filters
from unres.index.parse.records import Resolution
from unres.index.store import Store, StoredParagraph
from unres.index.vectors import Selection, VectorIndex, vectors_path

from .fusion import reciprocal_rank_fusion
from .hit import Hit
from .lexical import fts_query

MAX_QUERY_CHARS = 2000
POOL = 100  # candidates each ranking contributes to hybrid fusion
MAX_K = 10_000


class Searcher:
    """A loaded index: SQLite store, FAISS vectors and (on first dense query) the embedding model."""

    def __init__(self, directory: Path, config: IndexConfig, store: Store, vectors: VectorIndex) -> None:
        self.directory = directory
        self.config = config
        self._store = store
        self._vectors = vectors
        self._embedder = None
        self._loading: Future | None = None
        self._candidates: dict[Filters, Selection] = {}  # the index is read-only while open

    @classmethod
    def open(cls, path: str | Path | None = None, *, model: str | None = None, preload: bool = False) -> Searcher:
        """Open an index directory (default `$UNRES_INDEX` or `./unres-index`); `model`, if given, must match.

        `preload` loads the embedding model in a thread meanwhile, for a process that will embed a query
        soon (a cold `unres search` overlaps the model's load with opening the database and vectors).
        """
        directory = Path(path) if path is not None else default_index_dir()
        config = open_config(directory, model)
        loading = None
        if preload:
            from concurrent.futures import ThreadPoolExecutor

            from unres.index.encoder import ensure_encoder

            pool = ThreadPoolExecutor(1)
            loading = pool.submit(ensure_encoder, directory, config)
            pool.shutdown(wait=False)  # the load goes on in its thread
        try:
            store = Store.open(directory / DATABASE_FILE)
            vectors = VectorIndex.load(vectors_path(directory, store.generation), config.dimension, config.backend, config.hnsw_m)
        except BaseException:
            if loading is not None:
                loading.cancel()
            raise
        searcher = cls(directory, config, store, vectors)
        searcher._loading = loading
        return searcher

    def close(self) -> None:
        self._store.close()

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
    ) -> list[Hit]:
        """The `k` best paragraphs for `query` among those passing the filters (applied before ranking).

        Give `filters`, or the same restrictions as keywords (`verbs=["urges"], body="GA"`), not both.
        """
        filters = self._check_filters(filters, verbs, body, sessions, adopted_from, adopted_to, symbols, kinds)
        return self._hits(self._rank(query, k, filters=filters, mode=mode))

    def _rank(self, query: str, k: int = 10, *, filters: Filters | None = None, mode: str = "hybrid") -> list[tuple[int, float]]:
        """The ranking behind `search`: (row, score) pairs, best first."""
        query = self._check_query(query)
        if mode not in MODES:
            raise QueryError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
        k = _check_k(k)
        filters = filters or Filters()
        depth = max(k, POOL) if mode == "hybrid" else k
        dense = self._dense(query, filters, depth) if mode in ("dense", "hybrid") else []
        lexical = self._lexical(query, filters, depth) if mode in ("lexical", "hybrid") else []
        if mode == "dense":
            return dense[:k]
        if mode == "lexical":
            return lexical[:k]
        return reciprocal_rank_fusion([[r for r, _ in dense], [r for r, _ in lexical]])[:k]

    def embed(self, query: str) -> np.ndarray:
        """The query's unit vector under the index's model (loaded on first use)."""
        if self._embedder is None and self._loading is not None:
            loading, self._loading = self._loading, None
            self._embedder = loading.result()  # an error while loading is raised here, by the query that needs it
        if self._embedder is None:
            from unres.index.encoder import ensure_encoder

            self._embedder = ensure_encoder(self.directory, self.config)
        return self._embedder.encode([query])[0]

    def vectors(self, filters: Filters | None = None) -> tuple[list[str], np.ndarray]:
        """Ids and stored vectors of the paragraphs passing `filters` (for baselines and brute-force checks)."""
        rows = self._store.filtered_rows(filters or Filters())
        ids = self._store.ids(rows)
        matrix = np.vstack([self._vectors.vector(r) for r in rows]) if rows else np.zeros((0, self.config.dimension), np.float32)
        return [ids[r] for r in rows], matrix

    def texts(self, filters: Filters | None = None) -> dict[str, str]:
        """Paragraph texts by id for the paragraphs passing `filters` (for lexical baselines)."""
        return self._store.texts(self._store.filtered_rows(filters or Filters()))

    def similar(self, paragraph_id: str, k: int = 10, *, kinds: Iterable[str] | None = None) -> list[Hit]:
        """Paragraphs closest to a given one (same kind unless `kinds` says otherwise), itself excluded."""
        k = _check_k(k)
        stored = self._require(paragraph_id)
        rows = self._rows(Filters(kinds=tuple(kinds or (stored.paragraph.kind,))))
        ranked = self._vectors.search(self._vectors.vector(stored.row), k + 1, rows)
        return self._hits([(row, score) for row, score in ranked if row != stored.row][:k])

    def paragraph(self, paragraph_id: str) -> Hit:
        """One paragraph in context (its resolution, neighbours, footnotes)."""
        return self._hit(self._require(paragraph_id), rank=0, score=0.0)

    def resolution(self, symbol: str) -> Resolution:
        """A whole resolution with its structure."""
        resolution = self._store.resolution(symbol)
        if resolution is None:
            raise NotFoundError(f"no resolution {symbol!r} in the index at {self.directory}")
        return resolution

    def paragraph_ids(self) -> set[str]:
        """Every paragraph id of the index (to check qrels and runs against it)."""
        return self._store.paragraph_ids()

    def stats(self) -> dict:
        """Documents and paragraphs by body and kind, model and sizes on disk."""
        resolutions, paragraphs = self._store.counts()
        by_body: dict[str, dict[str, int]] = {}
        for (body, kind), count in paragraphs.items():
            by_body.setdefault(body, {})[kind] = count
        sizes = {p.name: p.stat().st_size for p in sorted(self.directory.iterdir()) if p.is_file()}
        return {
            "index": str(self.directory),
            "model": self.config.model,
            "dimension": self.config.dimension,
            "template": self.config.template,
            "backend": self.config.backend,
            "resolutions": resolutions,
            "paragraphs": by_body,
            "vectors": len(self._vectors),
            "bytes_on_disk": sizes,
        }

    def _check_query(self, query: str) -> str:
        query = " ".join(query.split())
        if not query:
            raise QueryError("empty query")
        if len(query) > MAX_QUERY_CHARS:
            raise QueryError(f"query of {len(query)} characters; the limit is {MAX_QUERY_CHARS}")
        return query

    def _check_filters(self, filters, verbs, body, sessions, adopted_from, adopted_to, symbols, kinds) -> Filters:
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
        unknown = sorted(set(filters.verbs) - self._store.known_verbs()) if filters.verbs else []
        if unknown:
            raise QueryError(f"unknown verb {', '.join(unknown)}: no paragraph of the index has it")
        missing = sorted(set(filters.symbols) - self._store.known_symbols(filters.symbols)) if filters.symbols else []
        if missing:
            raise NotFoundError(f"unknown symbol {', '.join(missing)}: not in the index")
        return filters

    def _dense(self, query: str, filters: Filters, depth: int) -> list[tuple[int, float]]:
        return self._vectors.search(self.embed(query), depth, self._rows(filters))

    def _rows(self, filters: Filters) -> Selection | None:
        """The rows passing the filters (None: all), remembered for the last few filter sets."""
        if filters.unfiltered():
            return None
        if filters not in self._candidates:
            if len(self._candidates) >= 8:  # each may hold a copy of its vectors (vectors.EXACT_ROWS)
                self._candidates.pop(next(iter(self._candidates)))
            self._candidates[filters] = Selection(self._store.filtered_rows(filters))
        return self._candidates[filters]

    def _lexical(self, query: str, filters: Filters, depth: int) -> list[tuple[int, float]]:
        match = fts_query(query)
        return self._store.lexical(match, filters, depth) if match else []

    def _require(self, paragraph_id: str) -> StoredParagraph:
        stored = self._store.paragraph(paragraph_id)
        if stored is None:
            raise NotFoundError(f"no paragraph {paragraph_id!r} in the index at {self.directory}")
        return stored

    def _hits(self, ranked: list[tuple[int, float]]) -> list[Hit]:
        stored = self._store.paragraphs([row for row, _ in ranked])
        return [self._hit(stored[row], rank, score) for rank, (row, score) in enumerate(ranked, 1) if row in stored]

    def _hit(self, stored: StoredParagraph, rank: int, score: float) -> Hit:
        p = stored.paragraph
        return Hit(
            id=p.id, rank=rank, score=round(float(score), 6), symbol=stored.symbol, title=stored.title,
            adopted=stored.adopted, session=stored.session, body=stored.body, number=p.number, kind=p.kind,
            verb=p.verb, phrase=p.phrase, text=p.text, footnotes=p.footnotes, citations=p.citations,
            previous_id=stored.previous_id, next_id=stored.next_id,
        )


def _check_k(k: int) -> int:
    """A count of results: a whole number from 1 to `MAX_K`."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= MAX_K:
        raise QueryError(f"k must be a whole number from 1 to {MAX_K}, not {k!r}")
    return int(k)
