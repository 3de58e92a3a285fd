"""`Searcher`: the query layer applications embed — dense, lexical (BM25) and hybrid (RRF) search."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from index.builder import default_index_dir, open_config
from index.config import DATABASE_FILE, IndexConfig
from index.errors import QueryError
from index.records import Resolution
from index.store import Filters, Store, StoredParagraph
from index.vectors import VectorIndex, vectors_path
from search.fusion import reciprocal_rank_fusion
from search.hit import Hit
from search.lexical import fts_query

MODES = ("dense", "lexical", "hybrid")
KINDS = ("operative", "preambular", "annex")
BODIES = ("GA", "SC")
MAX_QUERY_CHARS = 2000
POOL = 100  # candidates each ranking contributes to hybrid fusion


class Searcher:
    """A loaded index: SQLite store, FAISS vectors and (on first dense query) the embedding model."""

    def __init__(self, directory: Path, config: IndexConfig, store: Store, vectors: VectorIndex) -> None:
        self.directory = directory
        self.config = config
        self._store = store
        self._vectors = vectors
        self._embedder = None
        self._candidates: dict[Filters, list[int]] = {}  # the index is read-only while open

    @classmethod
    def open(cls, path: str | Path | None = None, *, model: str | None = None) -> Searcher:
        """Open an index directory (default `$UNRES_INDEX` or `./unres-index`); `model`, if given, must match."""
        directory = Path(path) if path is not None else default_index_dir()
        config = open_config(directory, model)
        store = Store.open(directory / DATABASE_FILE)
        vectors = VectorIndex.load(vectors_path(directory, store.generation), config.dimension, config.backend, config.hnsw_m)
        return cls(directory, config, store, vectors)

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
        verbs: list[str] | tuple[str, ...] | None = None,
        body: str | None = None,
        sessions: list[int] | tuple[int, ...] | None = None,
        adopted_from: str | None = None,
        adopted_to: str | None = None,
        symbols: list[str] | tuple[str, ...] | None = None,
        kinds: tuple[str, ...] = ("operative",),
        mode: str = "hybrid",
    ) -> list[Hit]:
        """The `k` best paragraphs for `query` among those passing every filter (applied before ranking)."""
        query = self._check_query(query)
        if mode not in MODES:
            raise QueryError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
        if k < 1:
            raise QueryError(f"k must be at least 1, not {k}")
        filters = self._filters(verbs, body, sessions, adopted_from, adopted_to, symbols, kinds)
        depth = max(k, POOL) if mode == "hybrid" else k
        dense = self._dense(query, filters, depth) if mode in ("dense", "hybrid") else []
        lexical = self._lexical(query, filters, depth) if mode in ("lexical", "hybrid") else []
        if mode == "dense":
            ranked = dense
        elif mode == "lexical":
            ranked = lexical
        else:
            ranked = reciprocal_rank_fusion([[r for r, _ in dense], [r for r, _ in lexical]])
        return self._hits(ranked[:k])

    def similar(self, paragraph_id: str, k: int = 10, *, kinds: tuple[str, ...] | None = None) -> list[Hit]:
        """Paragraphs closest to a given one (same kind unless `kinds` says otherwise), itself excluded."""
        stored = self._require(paragraph_id)
        rows = self._rows(Filters(kinds=kinds or (stored.paragraph.kind,)))
        ranked = self._vectors.search(self._vectors.vector(stored.row), k + 1, rows)
        return self._hits([(row, score) for row, score in ranked if row != stored.row][:k])

    def paragraph(self, paragraph_id: str) -> Hit:
        """One paragraph in context (its resolution, neighbours, footnotes)."""
        return self._hit(self._require(paragraph_id), rank=0, score=0.0)

    def resolution(self, symbol: str) -> Resolution:
        """A whole resolution with its structure."""
        resolution = self._store.resolution(symbol)
        if resolution is None:
            raise QueryError(f"no resolution {symbol!r} in the index at {self.directory}")
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

    def _filters(self, verbs, body, sessions, adopted_from, adopted_to, symbols, kinds) -> Filters:
        verbs = tuple(v.lower() for v in verbs or ())
        unknown = sorted(set(verbs) - self._store.known_verbs())
        if unknown:
            raise QueryError(f"unknown verb {', '.join(unknown)}: no paragraph of the index has it")
        symbols = tuple(symbols or ())
        missing = sorted(set(symbols) - self._store.known_symbols(symbols))
        if missing:
            raise QueryError(f"unknown symbol {', '.join(missing)}: not in the index")
        if body is not None and body.upper() not in BODIES:
            raise QueryError(f"unknown body {body!r}; use GA or SC")
        bad_kinds = [kind for kind in kinds if kind not in KINDS]
        if bad_kinds or not kinds:
            raise QueryError(f"unknown kind {', '.join(bad_kinds) or '(none)'}; use {', '.join(KINDS)}")
        for name, value in (("from", adopted_from), ("to", adopted_to)):
            if value is not None and not _is_date(value):
                raise QueryError(f"--{name} {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        return Filters(
            kinds=tuple(kinds),
            verbs=verbs,
            body=body.upper() if body else None,
            sessions=tuple(int(s) for s in sessions or ()),
            adopted_from=adopted_from,
            adopted_to=_end_of(adopted_to) if adopted_to else None,
            symbols=symbols,
        )

    def _dense(self, query: str, filters: Filters, depth: int) -> list[tuple[int, float]]:
        return self._vectors.search(self._embed(query), depth, self._rows(filters))

    def _rows(self, filters: Filters) -> list[int] | None:
        """The rows passing the filters (None: all), remembered for the last few filter sets."""
        if _unfiltered(filters):
            return None
        if filters not in self._candidates:
            if len(self._candidates) >= 32:
                self._candidates.pop(next(iter(self._candidates)))
            self._candidates[filters] = self._store.filtered_rows(filters)
        return self._candidates[filters]

    def _lexical(self, query: str, filters: Filters, depth: int) -> list[tuple[int, float]]:
        match = fts_query(query)
        return self._store.lexical(match, filters, depth) if match else []

    def _embed(self, query: str) -> np.ndarray:
        if self._embedder is None:
            from index.embed import Embedder

            self._embedder = Embedder(self.config.model)
        return self._embedder.encode([query])[0]

    def _require(self, paragraph_id: str) -> StoredParagraph:
        stored = self._store.paragraph(paragraph_id)
        if stored is None:
            raise QueryError(f"no paragraph {paragraph_id!r} in the index at {self.directory}")
        return stored

    def _hits(self, ranked: list[tuple[int, float]]) -> list[Hit]:
        stored = self._store.paragraphs([row for row, _ in ranked])
        return [self._hit(stored[row], rank, score) for rank, (row, score) in enumerate(ranked, 1) if row in stored]

    def _hit(self, stored: StoredParagraph, rank: int, score: float) -> Hit:
        previous_id, next_id = self._store.neighbours(stored)
        p = stored.paragraph
        return Hit(
            id=p.id, rank=rank, score=round(float(score), 6), symbol=stored.symbol, title=stored.title,
            adopted=stored.adopted, session=stored.session, body=stored.body, number=p.number, kind=p.kind,
            verb=p.verb, phrase=p.phrase, text=p.text, footnotes=p.footnotes, citations=p.citations,
            previous_id=previous_id, next_id=next_id,
        )


def _unfiltered(filters: Filters) -> bool:
    return filters == Filters(kinds=filters.kinds) and set(filters.kinds) == set(KINDS)


def _is_date(value: str) -> bool:
    return bool(re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value))


def _end_of(value: str) -> str:
    """`2003` → `2003-12-31`, `2003-12` → `2003-12-31`: an upper bound includes the whole period."""
    return value + {4: "-12-31", 7: "-31"}.get(len(value), "")
