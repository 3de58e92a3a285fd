"""The FAISS backends behind `VectorIndex`: filtered before ranking, rows kept through remove, save and load."""

from __future__ import annotations

import numpy as np
import pytest

from unres.index import vectors as vectors_module
from unres.index.vectors import Selection, VectorIndex


def unit_vectors(count: int, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((count, 384)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


STORED = 2000  # enough for HNSW and IVF to be approximate, few enough to build in well under a second


@pytest.mark.parametrize("exact_rows", [vectors_module.EXACT_ROWS, 100])  # a filter ranked from its own copy, or by FAISS
@pytest.mark.parametrize("backend", ["flat", "hnsw", "ivf"])
def test_backend_finds_stored_vectors_within_a_filter(backend, exact_rows, tmp_path, monkeypatch):
    monkeypatch.setattr(vectors_module, "EXACT_ROWS", exact_rows)
    vectors = unit_vectors(STORED)
    rows = np.arange(STORED, dtype=np.int64) * 7 + 3  # rows are SQLite's, not positions
    index = VectorIndex.create(384, backend)
    index.add(rows, vectors)
    allowed = Selection(rows[::2].tolist())
    for i in range(0, 40, 2):  # each query is a stored vector that passes the filter
        assert index.search(vectors[i], 1)[0][0] == rows[i]
        found = index.search(vectors[i], 10, allowed)
        assert found[0][0] == rows[i] and {r for r, _ in found} <= set(rows[::2].tolist())
        if backend == "flat":
            exact = rows[::2][np.argsort(-(vectors[::2] @ vectors[i]))[:10]]
            assert [r for r, _ in found] == exact.tolist()
    index.remove(rows[:10].tolist())
    assert len(index) == STORED - 10 and int(rows[0]) not in {r for r, _ in index.search(vectors[0], 5)}
    index.save(tmp_path / "v.faiss")
    loaded = VectorIndex.load(tmp_path / "v.faiss", 384, backend)
    assert len(loaded) == STORED - 10 and loaded.search(vectors[20], 1)[0][0] == rows[20]
    assert np.allclose(loaded.vector(int(rows[20])), vectors[20], atol=0.02)
