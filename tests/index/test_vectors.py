"""The FAISS backends behind `VectorIndex`: filtered before ranking, rows kept through remove, save and load."""

from __future__ import annotations

import numpy as np
import pytest

from unres.index import vectors as vectors_module
from unres.index.vectors import Cores, Selection, VectorIndex


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
    assert (allowed._matrix is None) == (exact_rows == 100)  # ranked from a copy up to EXACT_ROWS rows
    once = Selection(rows[::2].tolist(), copy=False)  # made for a process that searches once: flat, a bitmap
    assert [r for r, _ in index.search(vectors[4], 10, once)] == [r for r, _ in index.search(vectors[4], 10, allowed)]
    assert (once._matrix is None) == (backend == "flat" or exact_rows == 100)
    few = Selection(rows[: STORED // 20].tolist(), copy=False)  # a twentieth: flat copies it all the same
    found = index.search(vectors[3], 5, few)
    assert found[0][0] == rows[3] and few._matrix is not None
    index.remove(rows[:10].tolist())
    assert len(index) == STORED - 10 and int(rows[0]) not in {r for r, _ in index.search(vectors[0], 5)}
    record = index.commit(tmp_path, 1)
    loaded = VectorIndex.load(tmp_path, 1, record, 384, backend, verify=True)
    assert len(loaded) == STORED - 10 and loaded.search(vectors[20], 1)[0][0] == rows[20]
    assert np.allclose(loaded.vector(int(rows[20])), vectors[20], atol=0.02)


def test_flat_vectors_are_written_in_segments_that_load_as_one_index(tmp_path):
    """Each write adds a file of what it adds (merging the newest files while they are no larger) and records
    its removals; after every write the committed files load as exactly the vectors a write-all would hold, and a
    reader searching the files where they lie answers as one index they were copied into."""
    import random

    rng = random.Random(3)
    pool = unit_vectors(3000, seed=4)
    expected: dict[int, np.ndarray] = {}
    record, next_row = None, 0
    for generation in range(1, 31):
        vectors = VectorIndex.create(384) if record is None else VectorIndex.load(tmp_path, generation - 1, record, 384, "flat", writable=True)
        removed = rng.sample(sorted(expected), min(len(expected), rng.choice([0, 0, 2, 9])))
        vectors.remove(removed)
        for row in removed:
            del expected[row]
        added = list(range(next_row, next_row + rng.choice([1, 3, 10, 40, 200])))
        next_row = added[-1] + 1
        vectors.add(added, pool[added])
        expected.update({row: pool[row] for row in added})
        record = vectors.commit(tmp_path, generation)
        vectors_module.clear_older(tmp_path, generation, record)
        assert sorted(p.name for p in tmp_path.glob("vectors.*")) == sorted(f"vectors.{s.generation}.faiss" for s in record.segments)
        reader = VectorIndex.load(tmp_path, generation, record, 384, "flat", verify=True)  # the files searched where they lie
        copied = VectorIndex.load(tmp_path, generation, record, 384, "flat", writable=True)  # copied into one index
        for loaded in (reader, copied):
            assert sorted(loaded.rows()) == sorted(expected) and len(loaded) == record.count == len(expected)
            rows = sorted(expected)[::7]
            assert np.array_equal(loaded._index.reconstruct_batch(np.array(rows)), pool[rows])
        some = sorted(expected)[::3]
        for query in pool[rng.sample(range(len(pool)), 3)]:
            assert reader.search(query, 20) == copied.search(query, 20)
            for within in (Selection(some[:50]), Selection(some, copy=False)):  # from a copy; through a bitmap
                assert reader.search(query, 10, within) == copied.search(query, 10, within)
            assert reader.search_many(query[None], 5) == copied.search_many(query[None], 5)
        deleted = [r for s in record.segments for r in s.deleted]
        if deleted:
            with pytest.raises(RuntimeError):  # a deleted row has no vector, as in the copy
                reader.vector(deleted[0])
    assert 1 < len(record.segments) <= 10 and any(s.deleted for s in record.segments)
    vectors.add([next_row], pool[[next_row]])  # the same index commits again, building on its last commit
    record = vectors.commit(tmp_path, 31)
    assert sorted(VectorIndex.load(tmp_path, 31, record, 384, "flat").rows()) == sorted([*expected, next_row])


def test_search_many_past_its_exact_budget_still_finds_near_duplicates(monkeypatch):
    """Linking a large first build searches every vector against every other; past `EXACT_PAIRS` products
    that goes through an IVF index made for the call, which must still find each vector's near-copies."""
    stored = unit_vectors(STORED)
    copies = stored[:300] + 0.08 * unit_vectors(300, seed=1)  # near-duplicates of the first 300 (cosine about 0.99)
    copies /= np.linalg.norm(copies, axis=1, keepdims=True)
    rows = np.arange(STORED, dtype=np.int64) * 5 + 1
    index = VectorIndex.create(384)
    index.add(rows, stored)
    made, trained_ivf = [], vectors_module._trained_ivf

    def counted(vectors):
        made.append(len(vectors))
        return trained_ivf(vectors)

    monkeypatch.setattr(vectors_module, "_trained_ivf", counted)
    exact = index.search_many(copies, 5)
    assert not made and exact == [index.search(q, 5) for q in copies]
    monkeypatch.setattr(vectors_module, "EXACT_PAIRS", len(copies) * STORED - 1)
    approximate = index.search_many(copies, 5)
    assert made == [STORED]  # one IVF of every stored vector, for the whole call
    assert [ranked[0][0] for ranked in approximate] == rows[:300].tolist()
    assert all(len(ranked) == 5 and {r for r, _ in ranked} <= set(rows.tolist()) for ranked in approximate)


@pytest.mark.parametrize("rows", [vectors_module.SPLIT_ROWS, 19_671, 31_117])  # the full corpus's operative paragraphs; a ragged end
def test_a_search_running_alone_splits_its_product_and_scores_every_row_the_same(rows, monkeypatch):
    from threadpoolctl import threadpool_limits

    matrix, query = unit_vectors(rows, seed=1), unit_vectors(1, seed=2)[0]
    cores = Cores(2)
    handed = []
    submit = cores._helpers.submit
    monkeypatch.setattr(cores._helpers, "submit", lambda *args, **kwargs: handed.append(args) or submit(*args, **kwargs))
    with threadpool_limits(1, user_api="blas"):  # a server's worker thread: BLAS on one core
        whole = matrix @ query
        with cores.running() as product:
            split = product(matrix, query)
            assert len(handed) == 1 and (rows - len(handed[0][1])) % vectors_module.ROW_BLOCK == 0  # the second slice starts a block
            with cores.running():  # another search starts: this one's product stays on its own thread
                assert np.array_equal(product(matrix, query), whole) and len(handed) == 1
            assert np.array_equal(product(matrix[:100], query), whole[:100]) and len(handed) == 1  # too small to split
    assert np.array_equal(split, whole)  # bit for bit: each row's score is the one the whole product gives


def test_a_selection_ranks_with_the_product_it_is_given():
    vectors = unit_vectors(500)
    index = VectorIndex.create(384, "flat")
    index.add(np.arange(500, dtype=np.int64), vectors)
    selection = Selection(list(range(0, 500, 3)))
    called = []
    expected = index.search(vectors[3], 5, selection)
    assert index.search(vectors[3], 5, selection, lambda m, v: called.append(len(m)) or m @ v) == expected
    assert called == [len(selection)]
