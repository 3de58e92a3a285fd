"""The index's ONNX model: the same vectors as sentence-transformers, and clear errors when its files are bad."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import SC
from unres.index.config import DEFAULT_TEMPLATE
from unres.index.embed import Embedder, embedding_text
from unres.index.encoder import MODEL_DATA_FILE, MODEL_FILE, OnnxEmbedder, encoder_dir
from unres.index.errors import IndexOpenError
from unres.index.parse import parse_paths
from unres.search import Searcher

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def corpus_paragraphs(count: int) -> list[str]:
    """The embedding texts of the first `count` paragraphs of the SC texts, newest first (long and short ones)."""
    texts: list[str] = []
    for parsed in parse_paths(sorted(SC.glob("*.txt"), reverse=True)):
        texts += [embedding_text(DEFAULT_TEMPLATE, p, parsed.resolution) for p in parsed.resolution.paragraphs]
        if len(texts) >= count:
            return texts[:count]
    return texts


def judged_queries() -> list[str]:
    relevance = [json.loads(line)["query"] for line in (BENCHMARKS / "relevance" / "queries.jsonl").read_text().splitlines()]
    speed = [q for q in (BENCHMARKS / "speed" / "queries.txt").read_text().splitlines() if q.strip()]
    return relevance + speed


def test_onnx_vectors_equal_sentence_transformers(built_index, corpus):
    texts = corpus_paragraphs(1000) + judged_queries()
    assert len(texts) >= 1100
    reference = Embedder().encode(texts, batch_size=64)
    ours = OnnxEmbedder(encoder_dir(built_index))
    batched = ours.encode_many(texts)
    cosine = (reference * batched).sum(axis=1)
    assert cosine.min() >= 0.9999, (cosine.argmin(), texts[int(cosine.argmin())])
    one = ours.encode([texts[-1]])[0]  # a query alone, unpadded, as `unres search` embeds it
    assert float(one @ reference[-1]) >= 0.9999
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)


def test_index_without_encoder_exports_it_on_first_query(index_copy):
    shutil.rmtree(encoder_dir(index_copy))
    with Searcher.open(index_copy) as searcher:
        assert searcher.search("Slovakia becoming a member of the UN", k=1, mode="dense").hits[0].id == "S/RES/800(1993)#1"
    assert (encoder_dir(index_copy) / MODEL_FILE).is_file()


def test_a_quick_session_gives_the_same_vectors(built_index):
    """The session a one-query process loads (no graph optimizations, no weight prepacking) embeds as the full one."""
    texts = corpus_paragraphs(50) + judged_queries()
    import onnxruntime

    quick = OnnxEmbedder(encoder_dir(built_index), quick=True)
    assert quick._session.get_session_options().graph_optimization_level == onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    full = OnnxEmbedder(encoder_dir(built_index)).encode(texts, query=True)
    assert float((full * quick.encode(texts, query=True)).sum(axis=1).min()) >= 0.99999


def test_a_run_alone_gets_every_core_and_runs_side_by_side_one_each(built_index):
    """`alone`: a run that starts while no other is under way goes to the session on every core; one that
    starts meanwhile, to the one-core session. Both give the same vectors."""
    import threading

    embedder = OnnxEmbedder(encoder_dir(built_index), 1, alone=2)
    assert embedder._alone.get_session_options().intra_op_num_threads == 2
    assert embedder._session.get_session_options().intra_op_num_threads == 1
    texts = judged_queries()[:20]
    single = OnnxEmbedder(encoder_dir(built_index), 1).encode(texts, query=True)
    assert float((single * embedder.encode(texts, query=True)).sum(axis=1).min()) >= 0.99999
    assert OnnxEmbedder(encoder_dir(built_index), 2, alone=2)._alone is None  # no more cores to give
    with Searcher.open(built_index, threads=1, alone=2) as served, Searcher.open(built_index, threads=1) as library:
        assert served._model()._alone is not None and library._model()._alone is None  # only when asked (a server)

    used, started, release = [], threading.Event(), threading.Event()

    class Recording:
        def __init__(self, session, name):
            self.session, self.name = session, name

        def run(self, *args):
            used.append(self.name)
            if len(used) == 1:  # the first run holds on until the second has started
                started.set()
                release.wait(10)
            return self.session.run(*args)

    embedder._session, embedder._alone = Recording(embedder._session, "one core"), Recording(embedder._alone, "every core")
    first = threading.Thread(target=embedder.encode, args=(["peace"],), kwargs={"query": True})
    first.start()
    started.wait(10)
    embedder.encode(["security"], query=True)
    release.set()
    first.join()
    embedder.encode(["again alone"], query=True)
    assert used == ["every core", "one core", "every core"]


def test_the_weights_file_is_as_readable_as_the_graph(built_index):
    """onnx writes external data private (0600); an index others read needs it as readable as `model.onnx`."""
    folder = encoder_dir(built_index)
    assert (folder / MODEL_DATA_FILE).stat().st_mode & 0o777 == (folder / MODEL_FILE).stat().st_mode & 0o777


def test_an_export_with_its_weights_inside_the_graph_still_runs(index_copy):
    """Exports before `model.onnx.data` held the weights in `model.onnx`: they load and embed as before."""
    import onnx

    folder = encoder_dir(index_copy)
    texts = judged_queries()[:20]
    apart = OnnxEmbedder(folder).encode(texts, query=True)
    onnx.save_model(onnx.load(str(folder / MODEL_FILE)), str(folder / MODEL_FILE))  # the weights read back in
    (folder / MODEL_DATA_FILE).unlink()
    assert (folder / MODEL_FILE).stat().st_size > 50_000_000
    assert np.allclose(OnnxEmbedder(folder).encode(texts, query=True), apart, atol=1e-6)


@pytest.mark.parametrize("damage", ["truncate", "delete", "truncate weights", "delete weights"])
def test_bad_onnx_file_is_one_clear_error(index_copy, damage):
    model = encoder_dir(index_copy) / (MODEL_DATA_FILE if damage.endswith("weights") else MODEL_FILE)
    if damage.startswith("truncate"):
        model.write_bytes(model.read_bytes()[:5000])
    else:
        model.unlink()
    with Searcher.open(index_copy) as searcher:
        assert searcher.search("Iraq", k=1, mode="lexical").hits  # what needs no model still works
        with pytest.raises(IndexOpenError) as raised:
            searcher.search("Iraq", k=1, mode="dense")
    message = str(raised.value)
    assert str(model) in message and "\n" not in message
    assert ("ONNX model missing" if damage == "delete" else "corrupt ONNX model") in message
    assert "exports it again" in message
    from typer.testing import CliRunner

    from unres.cli.app import app

    result = CliRunner().invoke(app, ["search", "Iraq", "--index", str(index_copy)])  # the model loads in a thread
    assert result.exit_code == 1 and result.stderr == f"unres: {message}\n"


def test_int8_index_uses_its_quantized_model_throughout(tmp_path, built_index):
    from tests.conftest import SEED
    from unres.index import Indexer
    from unres.index.config import IndexConfig
    from unres.index.filters import KINDS, Filters

    directory = tmp_path / "int8-index"
    assert Indexer(directory, int8=True).add([SEED]).added == 1
    assert IndexConfig.load(directory).int8 and OnnxEmbedder(encoder_dir(directory)).spec.int8
    with Searcher.open(directory) as quantized, Searcher.open(built_index) as full:
        ids, vectors = quantized.vectors(Filters(kinds=KINDS))
        reference = dict(zip(*full.vectors(Filters(kinds=KINDS)), strict=True))
        cosine = np.array([float(v @ reference[i]) for i, v in zip(ids, vectors, strict=True)])
        assert len(ids) == 15 and cosine.min() >= 0.97 and cosine.mean() < 0.99999  # close to fp32, yet not fp32
        query = "renaming the committee that reviews technical cooperation between developing nations"
        assert quantized.search(query, k=1, mode="dense").hits[0].id == "A/RES/58/220#1"


@pytest.mark.model
def test_an_export_is_cached_and_a_damaged_cache_entry_is_made_again(tmp_path, monkeypatch):
    import subprocess

    from unres.index.config import MINILM
    from unres.index.encoder import MANIFEST_FILE, TABLE_FILE, export_encoder

    monkeypatch.setenv("UNRES_MODELS", str(tmp_path / "cache"))
    exports = []
    real_run = subprocess.run
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: exports.append(a) or real_run(*a, **k))
    first = export_encoder(MINILM, MINILM, tmp_path / "one", int8=False)
    second = export_encoder(MINILM, "/some/copy/of/it", tmp_path / "two", int8=False)
    assert len(exports) == 1 and first.model == MINILM and second.model == "/some/copy/of/it"
    assert (tmp_path / "two" / MANIFEST_FILE).is_file() and not list(tmp_path.glob("*.tmp*"))
    vectors = [OnnxEmbedder(tmp_path / name).encode(["Iraq and Kuwait"]) for name in ("one", "two")]
    assert np.array_equal(*vectors)
    (cached,) = (tmp_path / "cache" / "onnx").iterdir()
    with open(cached / TABLE_FILE, "r+b") as table:  # damage in place, as a disk error would
        table.seek(4096)
        table.write(b"\0" * 64)
    export_encoder(MINILM, MINILM, tmp_path / "three", int8=False)
    assert len(exports) == 2 and np.array_equal(OnnxEmbedder(tmp_path / "three").encode(["Iraq and Kuwait"]), vectors[0])
