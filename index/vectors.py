"""FAISS vectors under the store's int64 rows: exact inner product by default, HNSW for large corpora.

Each write produces a new file `vectors.<generation>.faiss` beside the old one; the database names
the generation that matches its rows, so a run killed before its database commit leaves the old
file and the old rows together.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

from .errors import IndexOpenError, IndexWriteError
from .integrity import VectorsRecord


def _faiss():
    import faiss

    return faiss


_KINDS = {"flat": "IndexFlatIP", "hnsw": "IndexHNSWFlat"}


def vectors_path(directory: Path, generation: int) -> Path:
    return directory / f"vectors.{generation}.faiss"


def generation_of(path: Path) -> int | None:
    """The generation a `vectors.<generation>.faiss[.tmp]` file name carries."""
    parts = path.name.split(".")
    return int(parts[1]) if len(parts) >= 3 and parts[0] == "vectors" and parts[1].isdigit() else None


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
        if path.name.endswith(".tmp") or (number is not None and number > generation):
            unlink_quietly(path)


def clear_older(directory: Path, generation: int) -> None:
    """After a commit: vectors files of earlier generations (readers that loaded them keep them in memory)."""
    for path in directory.glob("vectors.*.faiss"):
        number = generation_of(path)
        if number is not None and number < generation:
            unlink_quietly(path)


class VectorIndex:
    """The FAISS part of an index: add, remove, search (optionally within a set of rows), save, load."""

    def __init__(self, index, backend: str, hnsw_m: int = 32) -> None:
        self._index = index
        self.backend = backend
        self.hnsw_m = hnsw_m

    @classmethod
    def create(cls, dimension: int, backend: str = "flat", hnsw_m: int = 32) -> VectorIndex:
        faiss = _faiss()
        if backend == "flat":
            inner = faiss.IndexFlatIP(dimension)
        elif backend == "hnsw":
            inner = faiss.IndexHNSWFlat(dimension, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            inner.hnsw.efConstruction = 80
        else:
            raise ValueError(f"unknown vector backend {backend!r} (flat or hnsw)")
        return cls(faiss.IndexIDMap2(inner), backend, hnsw_m)

    @classmethod
    def load(
        cls, path: Path, dimension: int, backend: str, hnsw_m: int = 32, record: VectorsRecord | None = None
    ) -> VectorIndex:
        """Read a vectors file, checking it is the one committed (`record`) and holds what the configuration says."""
        faiss = _faiss()
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise IndexOpenError(f"{path}: vectors file missing; the index is incomplete, rebuild it") from None
        except OSError as error:
            raise IndexOpenError(f"{path}: cannot read the vectors file ({error.strerror or error})") from None
        if record is not None:
            record.check_bytes(path, data)
        try:
            index = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
        except RuntimeError as error:
            raise IndexOpenError(f"{path}: corrupt vectors file ({str(error).splitlines()[0]})") from None
        if index.d != dimension:
            raise IndexOpenError(f"{path}: vectors of dimension {index.d}, the configuration says {dimension}")
        kind = type(faiss.downcast_index(index.index)).__name__ if hasattr(index, "index") else type(index).__name__
        if kind != _KINDS[backend]:
            raise IndexOpenError(f"{path}: holds a FAISS {kind} index, the configuration says backend {backend!r}")
        if record is not None and (index.ntotal, index.d) != (record.count, record.dimension):
            raise IndexOpenError(
                f"{path}: corrupt vectors file ({index.ntotal} vectors of dimension {index.d}, the index committed "
                f"{record.count} of dimension {record.dimension}); run `unres check --repair`"
            )
        return cls(index, backend, hnsw_m)

    def __len__(self) -> int:
        return self._index.ntotal

    @property
    def dimension(self) -> int:
        return self._index.d

    def add(self, rows: list[int], vectors: np.ndarray) -> None:
        if rows:
            self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(rows, dtype=np.int64))

    def remove(self, rows: list[int]) -> None:
        """Drop the vectors of these rows (HNSW cannot delete, so it is rebuilt without them)."""
        if not rows:
            return
        if self.backend == "flat":
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
        return [int(r) for r in _faiss().vector_to_array(self._index.id_map)]

    def vector(self, row: int) -> np.ndarray:
        return self._index.reconstruct(int(row))

    def search(self, query: np.ndarray, k: int, rows: list[int] | None = None) -> list[tuple[int, float]]:
        """Best `k` rows by inner product with `query`, among `rows` when given (filtered before ranking)."""
        faiss = _faiss()
        if rows is not None and not rows:
            return []
        k = min(k, len(self) if rows is None else len(rows))
        if k <= 0:
            return []
        params = None
        if rows is not None:
            selector = faiss.IDSelectorBatch(np.asarray(rows, dtype=np.int64))
            if self.backend == "hnsw":
                params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(128, 2 * k))
            else:
                params = faiss.SearchParameters(sel=selector)
        elif self.backend == "hnsw":
            params = faiss.SearchParametersHNSW(efSearch=max(128, 2 * k))
        scores, ids = self._index.search(np.asarray(query, dtype=np.float32).reshape(1, -1), k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def search_many(self, queries: np.ndarray, k: int) -> list[list[tuple[int, float]]]:
        """Best `k` rows for each of several queries at once (one FAISS call, for linking at index time)."""
        k = min(k, len(self))
        if k <= 0 or len(queries) == 0:
            return [[] for _ in range(len(queries))]
        params = _faiss().SearchParametersHNSW(efSearch=max(128, 2 * k)) if self.backend == "hnsw" else None
        scores, ids = self._index.search(np.ascontiguousarray(queries, dtype=np.float32), k, params=params)
        return [[(int(i), float(s)) for i, s in zip(row_ids, row_scores, strict=True) if i >= 0]
                for row_ids, row_scores in zip(ids, scores, strict=True)]

    def save(self, path: Path) -> VectorsRecord:
        """Write beside the target and rename, so a reader never sees half a file; return what was written."""
        data = _faiss().serialize_index(self._index).tobytes()
        staging = path.with_name(path.name + ".tmp")
        try:
            with open(staging, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(staging, path)
        except OSError as error:
            try:
                staging.unlink(missing_ok=True)
            except OSError:
                pass
            raise IndexWriteError(f"{path}: cannot write the vectors file ({error.strerror or error})") from None
        return VectorsRecord(len(data), hashlib.sha256(data).hexdigest(), len(self), self.dimension)
