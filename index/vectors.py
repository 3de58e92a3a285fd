"""FAISS vectors under the store's int64 rows: exact inner product by default, HNSW or IVF-SQ8 for large corpora.

`ivf` (inverted lists of 8-bit scalar-quantized vectors) is trained on the vectors of its first
write, with about 2·√n lists, and searches `IVF_PROBE` of them; benchmarks/speed/scale.py measures
it against flat and HNSW at a million vectors. Linking's search of many vectors at once (`search_many`)
goes through such an index too, made for the call, when an exact search would be quadratic work.

Flat vectors are kept in segments, as BM25 is (index/lexical.py): a write adds one file
`vectors.<generation>.faiss` holding the vectors it adds (and those of the newest files it merges, as
index/segments.py says) and records the rows it removes from older files. A reader maps every file the
record lists and searches them where they lie (`_Parts`); a writer copies them into one index. HNSW
and IVF indexes are one structure FAISS writes whole: each write writes them again. The database
names the files of each generation, so a run killed before its commit leaves the old files and the
old rows together.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from functools import cache
from itertools import pairwise
from pathlib import Path

import numpy as np

from .errors import IndexOpenError, IndexWriteError
from .integrity import VectorSegment, VectorsRecord
from .segments import merge_start, too_deleted


def _faiss():
    import faiss

    return faiss


# The FAISS index type each backend saves (ivf: an untrained, still empty one is saved as a flat index).
_KINDS = {"flat": ("IndexFlatIP",), "hnsw": ("IndexHNSWFlat",), "ivf": ("IndexIVFScalarQuantizer", "IndexFlatIP")}


class Selection:
    """Rows to search within (callers cache one per filter set).

    Up to `EXACT_ROWS` rows, a selection is ranked exactly from its own copy of their vectors, one
    matrix-vector product (1 ms warm for the full corpus's operative paragraphs), whatever the backend
    (approximate ones lose recall under narrow filters). A selection made for a process that searches once
    (`copy=False`, a cold `unres search`) skips the copy on a flat index, where copying 30 MB out of the
    mapped file took 16-46 ms: one of more than a tenth of the rows goes through a FAISS bitmap of the
    rows instead (6 ms, exact, nothing copied). Larger selections always go through the bitmap.
    """

    def __init__(self, rows: list[int] | np.ndarray, *, copy: bool = True) -> None:
        self.rows = np.asarray(rows, dtype=np.int64)
        self.copy = copy
        self._selector = None
        self._matrix: np.ndarray | None = None
        self._source: int | None = None

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def selector(self):
        """A FAISS selector of these rows (SQLite row ids, so never negative), made on first use."""
        if self._selector is None:
            bits = np.zeros(int(self.rows.max()) + 1 if len(self.rows) else 0, dtype=bool)
            bits[self.rows] = True
            self._selector = _faiss().IDSelectorBitmap(np.packbits(bits, bitorder="little"))  # it keeps the array
        return self._selector

    def from_copy(self, backend: str, stored: int) -> bool:
        """Whether a search of `backend` among `stored` vectors ranks these rows from their own copy (see the class)."""
        return len(self.rows) <= EXACT_ROWS and (self.copy or backend != "flat" or len(self.rows) * FLAT_SHARE <= stored)

    def top(self, index, query: np.ndarray, k: int, product: Product = np.matmul) -> list[tuple[int, float]]:
        """Exact best `k` of these rows by inner product, from their vectors in `index` (copied on first use),
        scored by `product` (`Cores.product` for a search that may use more threads than its own)."""
        if self._matrix is None or self._source != id(index):
            self._matrix = index.reconstruct_batch(self.rows).astype(np.float32, copy=False)
            self._source = id(index)
        scores = product(self._matrix, np.asarray(query, dtype=np.float32).reshape(-1))
        best = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        best = best[np.lexsort((self.rows[best], -scores[best]))]
        return list(zip(self.rows[best].tolist(), scores[best].tolist(), strict=True))


Product = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (matrix, vector) -> the matrix's rows' inner products


class Cores:
    """The cores of one process's searches (a server's worker threads, each ranking on one core): while
    one search runs alone, its exact ranking's matrix-vector product is split over `count` threads, as
    BLAS would on its own threads (for the full corpus's 19,671 operative paragraphs: 2.3 ms on one core, 1.2 ms
    on two). The product is cut at multiples of `ROW_BLOCK` rows, so each score is the one the whole
    product gives on one thread."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._running = 0
        self._lock = threading.Lock()
        self._helpers = _helpers(count)

    @contextmanager
    def running(self) -> Iterator[Product]:
        """Count a search as running while inside; gives the product it ranks with (`product`)."""
        with self._lock:
            self._running += 1
        try:
            yield self.product
        finally:
            with self._lock:
                self._running -= 1

    def product(self, matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
        """`matrix @ vector`: in `count` slices, all but the first on helper threads (numpy releases the GIL),
        when no other search runs and the matrix is large; else on this thread."""
        blocks = len(matrix) // ROW_BLOCK
        if self._running > 1 or len(matrix) < SPLIT_ROWS or blocks < self.count:
            return matrix @ vector
        cuts = [ROW_BLOCK * (blocks * part // self.count) for part in range(self.count)] + [len(matrix)]
        scores = np.empty(len(matrix), dtype=np.result_type(matrix, vector))
        slices = [slice(begin, end) for begin, end in pairwise(cuts)]
        helped = [self._helpers.submit(np.matmul, matrix[part], vector, out=scores[part]) for part in slices[1:]]
        np.matmul(matrix[slices[0]], vector, out=scores[slices[0]])
        for future in helped:
            future.result()
        return scores


@cache
def _helpers(count: int) -> ThreadPoolExecutor:
    """The threads that take the other slices of a `Cores(count)` product: one pool per process, as BLAS
    keeps one, so a server that reopens its searchers over a rebuilt index does not add threads."""
    return ThreadPoolExecutor(max(1, count - 1), "unres-product")


IVF_PROBE = 32
EXACT_ROWS = 32_768  # filtered searches within at most this many rows are ranked from a copy (48 MB at most)
FLAT_SHARE = 10  # without `copy`, a flat index still copies a selection of at most a tenth of its rows
ROW_BLOCK = 64  # OpenBLAS scores the rows of a product in blocks: cut at multiples of this, each score is the same
SPLIT_ROWS = 8_192  # `Cores` splits no product over fewer rows (handing a slice to a thread costs some 0.1 ms)
EXACT_PAIRS = 4_000_000_000  # `search_many` is exact up to this many query-vector products (about 20 s on 2 cores)


def vectors_path(directory: Path, generation: int) -> Path:
    return directory / f"vectors.{generation}.faiss"


def generation_of(path: Path) -> int | None:
    """The generation a `vectors.<generation>.faiss[.tmp]` file name carries; None for any other name."""
    match = re.fullmatch(r"vectors\.([0-9]+)\.faiss(\.tmp)?", path.name)
    return int(match[1]) if match else None


def unlink_quietly(path: Path) -> None:
    """Remove a file if possible; cleanup never hides the error that made it necessary."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def clear_leftovers(directory: Path, generation: int) -> None:
    """Under the write lock: what a killed run left (staging files, vectors files newer than `generation`)."""
    for path in directory.glob("vectors.*.faiss*"):
        number = generation_of(path)
        if number is not None and (path.name.endswith(".tmp") or number > generation):
            unlink_quietly(path)


def clear_older(directory: Path, generation: int, record: VectorsRecord | None) -> None:
    """After the commit of `generation`: vectors files it no longer lists (readers that loaded them keep them in memory)."""
    listed = {s.generation for s in record.segments} if record is not None else {generation}
    for path in directory.glob("vectors.*.faiss"):
        number = generation_of(path)
        if number is not None and number <= generation and number not in listed:
            unlink_quietly(path)


class VectorIndex:
    """The FAISS part of an index: add, remove, search (optionally within a set of rows), save, load."""

    def __init__(self, index, backend: str, hnsw_m: int = 32, dimension: int | None = None) -> None:
        self._index = index
        self.backend = backend
        self.hnsw_m = hnsw_m
        self._dimension = dimension if index is None else index.d
        self._segments: list[tuple[VectorSegment, np.ndarray]] = []  # flat, as loaded: each file's record and rows
        self._added: list[int] = []  # rows added since

    @classmethod
    def create(cls, dimension: int, backend: str = "flat", hnsw_m: int = 32) -> VectorIndex:
        faiss = _faiss()
        if backend == "flat":
            inner = faiss.IndexFlatIP(dimension)
        elif backend == "hnsw":
            inner = faiss.IndexHNSWFlat(dimension, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            inner.hnsw.efConstruction = 80
        elif backend == "ivf":
            return cls(None, backend, hnsw_m, dimension)  # made by the first `add`, which trains it
        else:
            raise ValueError(f"unknown vector backend {backend!r} (flat or hnsw)")
        return cls(faiss.IndexIDMap2(inner), backend, hnsw_m)

    @classmethod
    def load(
        cls, directory: Path, generation: int, record: VectorsRecord | None, dimension: int, backend: str, hnsw_m: int = 32,
        *, verify: bool = False, writable: bool = False,
    ) -> VectorIndex:
        """Read the vectors files the commit of `generation` lists, checking each is the one committed (its size;
        its checksum too with `verify`) and that they hold what the record and the configuration say. An index
        committed before records has its generation's one file, unchecked. Flat files are memory-mapped and
        searched where they lie (the page cache shared by every process); they are copied into one index when
        the caller will change it (`writable`)."""
        if record is None:
            return cls._read(vectors_path(directory, generation), None, dimension, backend, hnsw_m, verify, mmap=not writable)
        verify = verify or (writable and backend != "flat")  # HNSW and IVF are written whole again by every write
        parts = [cls._read(vectors_path(directory, s.generation), s, dimension, backend, hnsw_m, verify) for s in record.segments]
        if len(parts) != 1 and backend != "flat" or not parts:
            raise IndexOpenError(f"{directory}: corrupt vectors record ({len(parts)} files for a {backend} index); run `unres check --repair`")
        deleted = np.asarray(sorted(r for s in record.segments for r in s.deleted), dtype=np.int64)
        if backend != "flat" or (len(parts) == 1 and not len(deleted) and not writable):
            loaded = parts[0]
            loaded._segments = [(record.segments[0], loaded._rows())] if backend == "flat" else []
        elif not writable and _Parts.apart(rows := [p._rows() for p in parts]):
            loaded = cls(_Parts([p._index for p in parts], rows, deleted), backend, hnsw_m)
        else:
            loaded = cls.create(dimension)
            for segment, part in zip(record.segments, parts, strict=True):
                rows = part._rows()
                if not len(rows):
                    continue
                vectors = part._vectors()
                keep = ~np.isin(rows, np.asarray(segment.deleted, dtype=np.int64)) if segment.deleted else slice(None)
                loaded._index.add_with_ids(vectors[keep], rows[keep])
                loaded._segments.append((segment, rows[keep]))
        if (len(loaded), loaded.dimension) != (record.count, record.dimension):
            raise IndexOpenError(
                f"{directory}: corrupt vectors files ({len(loaded)} vectors of dimension {loaded.dimension}, the index committed "
                f"{record.count} of dimension {record.dimension}); run `unres check --repair`"
            )
        return loaded

    @classmethod
    def _read(
        cls, path: Path, segment: VectorSegment | None, dimension: int, backend: str, hnsw_m: int, verify: bool, *, mmap: bool = True
    ) -> VectorIndex:
        """One vectors file as written (flat ones memory-mapped with `mmap`: FAISS's IO_FLAG_MMAP_IFC)."""
        faiss = _faiss()
        try:
            size = path.stat().st_size
            if segment is not None:
                segment.check_bytes(path, path.read_bytes() if verify else None, size=size)
        except FileNotFoundError:
            raise IndexOpenError(f"{path}: vectors file missing; the index is incomplete, rebuild it") from None
        except OSError as error:
            raise IndexOpenError(f"{path}: cannot read the vectors file ({error.strerror or error})") from None
        try:
            index = faiss.read_index(str(path), getattr(faiss, "IO_FLAG_MMAP_IFC", 0) if mmap and backend == "flat" else 0)  # FAISS < 1.11: read
        except RuntimeError as error:
            raise IndexOpenError(f"{path}: corrupt vectors file ({str(error).splitlines()[0]})") from None
        if index.d != dimension:
            raise IndexOpenError(f"{path}: vectors of dimension {index.d}, the configuration says {dimension}")
        inner = faiss.downcast_index(index.index) if hasattr(index, "index") else faiss.downcast_index(index)
        kind = type(inner).__name__
        if kind not in _KINDS.get(backend, ()):
            raise IndexOpenError(f"{path}: holds a FAISS {kind} index, the configuration says backend {backend!r}")
        if segment is not None and index.ntotal != segment.count:
            raise IndexOpenError(
                f"{path}: corrupt vectors file ({index.ntotal} vectors, the index committed {segment.count}); run `unres check --repair`"
            )
        if backend == "ivf" and not isinstance(inner, faiss.IndexIVF):
            return cls(None, backend, hnsw_m, dimension)  # saved empty, before any training
        return cls(index, backend, hnsw_m)

    def _vectors(self) -> np.ndarray:
        """A flat index's vectors in stored order (a view: mapped, not read)."""
        faiss = _faiss()
        inner = faiss.downcast_index(self._index.index)
        return faiss.rev_swig_ptr(inner.get_xb(), inner.ntotal * inner.d).reshape(inner.ntotal, inner.d)

    def __len__(self) -> int:
        return 0 if self._index is None else self._index.ntotal

    @property
    def dimension(self) -> int:
        return self._dimension

    def add(self, rows: list[int] | np.ndarray, vectors: np.ndarray) -> None:
        if not len(rows):
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if self._index is None:
            self._index = _trained_ivf(vectors)
        self._index.add_with_ids(vectors, np.asarray(rows, dtype=np.int64))
        self._added += [int(r) for r in rows]

    def remove(self, rows: list[int]) -> None:
        """Drop the vectors of these rows (HNSW cannot delete, so it is rebuilt without them)."""
        if not rows:
            return
        if self._index is None:
            return
        if self.backend in ("flat", "ivf"):
            self._index.remove_ids(np.asarray(rows, dtype=np.int64))
            return
        gone = set(rows)
        keep = [int(r) for r in _faiss().vector_to_array(self._index.id_map) if int(r) not in gone]
        vectors = np.vstack([self._index.reconstruct(r) for r in keep]) if keep else np.zeros((0, self.dimension))
        rebuilt = VectorIndex.create(self.dimension, "hnsw", self.hnsw_m)
        rebuilt.add(keep, vectors)
        self._index = rebuilt._index

    def rows(self) -> list[int]:
        """Every row that has a vector."""
        return self._rows().tolist()

    def _rows(self) -> np.ndarray:
        if isinstance(self._index, _Parts):
            return self._index.rows()
        return _faiss().vector_to_array(self._index.id_map) if self._index is not None else np.zeros(0, dtype=np.int64)

    def vector(self, row: int) -> np.ndarray:
        return self._index.reconstruct(int(row))

    def search(
        self, query: np.ndarray, k: int, rows: Selection | list[int] | None = None, product: Product = np.matmul,
    ) -> list[tuple[int, float]]:
        """Best `k` rows by inner product with `query`, among `rows` when given (filtered before ranking);
        `product` scores a selection ranked from its copy (`Selection.top`)."""
        faiss = _faiss()
        if rows is not None and not isinstance(rows, Selection):
            rows = Selection(rows)
        if (rows is not None and not len(rows)) or self._index is None:
            return []
        k = min(k, len(self) if rows is None else len(rows))
        if k <= 0:
            return []
        if rows is not None and rows.from_copy(self.backend, len(self)):
            return rows.top(self._index, query, k, product)
        params = None
        if rows is not None:
            selector = rows.selector
            if self.backend == "hnsw":
                params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(128, 2 * k))
            elif self.backend == "ivf":
                params = faiss.SearchParametersIVF(sel=selector, nprobe=IVF_PROBE)
            else:
                params = faiss.SearchParameters(sel=selector)
        elif self.backend == "hnsw":
            params = faiss.SearchParametersHNSW(efSearch=max(128, 2 * k))
        elif self.backend == "ivf":
            params = faiss.SearchParametersIVF(nprobe=IVF_PROBE)
        scores, ids = self._index.search(np.asarray(query, dtype=np.float32).reshape(1, -1), k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def search_many(self, queries: np.ndarray, k: int) -> list[list[tuple[int, float]]]:
        """Best `k` rows for each of several queries at once (one FAISS call, for linking at index time).

        Flat vectors are searched exactly, unless the queries are so many that an exact search is past
        `EXACT_PAIRS` query-vector products and an IVF-SQ8 index made for the call pays for itself (more
        queries than four times its lists): a first build of more than about 63,000 paragraphs, where an exact
        search of every vector against every other grows with the square of the corpus, or a write of more
        than 8,000 into a million. Its scores are approximate; linking wants only the near-duplicates among
        the rows, and on the full corpus relinked through it 0.7% of them are missed (benchmarks/README.md)."""
        k = min(k, len(self))
        if k <= 0 or len(queries) == 0:
            return [[] for _ in range(len(queries))]
        faiss = _faiss()
        index, params = self._index, None
        if self.backend == "hnsw":
            params = faiss.SearchParametersHNSW(efSearch=max(128, 2 * k))
        elif self.backend == "ivf":
            params = faiss.SearchParametersIVF(nprobe=IVF_PROBE)
        elif self._worth_an_ivf(len(queries)):
            index = _trained_ivf(self._vectors())
            index.add_with_ids(self._vectors(), self._rows())
            params = faiss.SearchParametersIVF(nprobe=IVF_PROBE)
        scores, ids = index.search(np.ascontiguousarray(queries, dtype=np.float32), k, params=params)
        return [[(int(i), float(s)) for i, s in zip(row_ids, row_scores, strict=True) if i >= 0]
                for row_ids, row_scores in zip(ids, scores, strict=True)]

    def _worth_an_ivf(self, queries: int) -> bool:
        """Whether `search_many` of this many queries over flat vectors goes through an IVF made for it (a
        reader's mapped files, `_Parts`, are always searched exactly)."""
        stored = len(self)
        return queries * stored > EXACT_PAIRS and queries > 4 * _lists(stored) and not isinstance(self._index, _Parts)

    def commit(self, directory: Path, generation: int, *, whole: bool = False) -> VectorsRecord:
        """Write what changed since loading for the commit of `generation` and return its record: for a flat
        index one new file of the vectors added (and of the newest files merged), the rows removed recorded
        against the files holding them; every vector in one file when `whole`, for other backends, or when
        the merge reaches the oldest file or more than a quarter of the stored vectors are deleted ones. A
        file written again is checksummed first, so damage is not copied under a new checksum."""
        live = self._rows() if self._segments else np.zeros(0, dtype=np.int64)
        held = []  # each file's record, its removals added, and its live rows
        for segment, rows in self._segments:
            kept = np.isin(rows, live)
            held.append((replace(segment, deleted=tuple(sorted({*segment.deleted, *rows[~kept].tolist()}))), rows[kept]))
        segments = [s for s, _ in held]
        tail = merge_start([s.live for s in segments], len(self._added))
        if whole or self.backend != "flat" or tail == 0 or too_deleted(sum(len(s.deleted) for s in segments), sum(s.count for s in segments)):
            self._verify(directory, segments)
            segment = self._write(vectors_path(directory, generation), generation, self._index)
            written = [(segment, self._rows() if self.backend == "flat" else None)]
        else:
            self._verify(directory, [s for s, rows in held[tail:] if len(rows)])  # the files whose vectors are written again
            added = np.asarray(self._added, dtype=np.int64)
            rows = np.concatenate([rows for _, rows in held[tail:]] + [added[np.isin(added, live)]])
            written = held[:tail]
            if len(rows):
                part = VectorIndex.create(self.dimension)
                part._index.add_with_ids(self._index.reconstruct_batch(rows), rows)
                written.append((self._write(vectors_path(directory, generation), generation, part._index), rows))
        self._segments, self._added = (written if self.backend == "flat" else []), []  # as committed: a next commit builds on it
        return VectorsRecord(len(self), self.dimension, tuple(s for s, _ in written))

    def _verify(self, directory: Path, segments: list[VectorSegment]) -> None:
        """The files about to be written again are the ones committed."""
        for segment in segments:
            path = vectors_path(directory, segment.generation)
            try:
                data = path.read_bytes()
            except OSError as error:
                raise IndexOpenError(f"{path}: cannot read the vectors file ({error.strerror or error})") from None
            segment.check_bytes(path, data)

    def _write(self, path: Path, generation: int, index) -> VectorSegment:
        """Write a FAISS index beside the target and rename it, so a reader never sees half a file."""
        faiss = _faiss()
        data = faiss.serialize_index(index if index is not None else faiss.IndexFlatIP(self.dimension)).tobytes()
        staging = path.with_name(path.name + ".tmp")
        try:
            with open(staging, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(staging, path)
        except OSError as error:
            unlink_quietly(staging)
            raise IndexWriteError(f"{path}: cannot write the vectors file ({error.strerror or error})") from None
        return VectorSegment(generation, len(data), hashlib.sha256(data).hexdigest(), 0 if index is None else index.ntotal)


class _Parts:
    """A reader's flat files, mapped, searched where they lie as one FAISS index: every file is searched with
    the deleted rows left out and the results merged by score; a row's vector is read from the file holding
    it (the files hold disjoint, ascending ranges of rows: a write's rows are newer than every older file's)."""

    def __init__(self, parts: list, rows: list[np.ndarray], deleted: np.ndarray) -> None:
        faiss = _faiss()
        self.parts = parts
        self.d = parts[0].d
        self._rows = rows  # each file's rows, as stored
        self._holding = [i for i, rows in enumerate(self._rows) if len(rows)]  # the parts holding rows, and their first rows
        self._firsts = np.array([self._rows[i].min() for i in self._holding], dtype=np.int64)
        self._deleted = deleted
        self._live = faiss.IDSelectorNot(faiss.IDSelectorBatch(deleted)) if len(deleted) else None
        self.ntotal = sum(len(rows) for rows in self._rows) - len(deleted)

    @staticmethod
    def apart(rows: list[np.ndarray]) -> bool:
        """Whether the files' rows lie in ascending ranges that do not overlap."""
        spans = [(r.min(), r.max()) for r in rows if len(r)]
        return all(before[1] < after[0] for before, after in zip(spans, spans[1:], strict=False))

    def rows(self) -> np.ndarray:
        rows = np.concatenate(self._rows)
        return rows[~np.isin(rows, self._deleted)] if len(self._deleted) else rows

    def search(self, x: np.ndarray, k: int, params=None) -> tuple[np.ndarray, np.ndarray]:
        faiss = _faiss()
        selector = params.sel if params is not None else None
        if self._live is not None:
            selector = faiss.IDSelectorAnd(selector, self._live) if selector is not None else self._live
        within = faiss.SearchParameters(sel=selector) if selector is not None else None
        found = [part.search(x, k, params=within) for part in self.parts]
        scores = np.hstack([f[0] for f in found])
        ids = np.hstack([f[1] for f in found])
        best = np.stack([np.lexsort((i, -s))[:k] for s, i in zip(scores, ids, strict=True)])  # ties by row
        return np.take_along_axis(scores, best, 1), np.take_along_axis(ids, best, 1)

    def reconstruct_batch(self, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.int64)
        if np.isin(rows, self._deleted).any() or (len(rows) and (not len(self._firsts) or rows.min() < self._firsts[0])):
            raise RuntimeError("a row with no vector")  # as FAISS raises for an index copied into one
        out = np.empty((len(rows), self.d), dtype=np.float32)
        held_by = np.searchsorted(self._firsts, rows, side="right") - 1
        for n, i in enumerate(self._holding):
            mine = held_by == n
            if mine.any():
                out[mine] = self.parts[i].reconstruct_batch(rows[mine])
        return out

    def reconstruct(self, row: int) -> np.ndarray:
        return self.reconstruct_batch(np.array([row]))[0]


def _trained_ivf(vectors: np.ndarray):
    """An IVF-SQ8 index trained on `vectors`: about 2·√n lists, k-means on at most 64 vectors per list."""
    faiss = _faiss()
    count, dimension = vectors.shape
    lists = _lists(count)
    quantizer = faiss.IndexFlatIP(dimension)
    index = faiss.IndexIVFScalarQuantizer(quantizer, dimension, lists, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
    sample = vectors if count <= 64 * lists else vectors[np.random.default_rng(0).choice(count, 64 * lists, replace=False)]
    index.train(sample)
    index.set_direct_map_type(faiss.DirectMap.Hashtable)  # `vector(row)` and `remove` by row id
    return index


def _lists(count: int) -> int:
    """The inverted lists of an IVF index of `count` vectors: about 2·√n, with 39 training vectors each."""
    return max(1, min(int(2 * count**0.5), count // 39))
