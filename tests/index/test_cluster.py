"""`--engine ray`: parsing and embedding on a local 2-CPU Ray instance build the index a plain build does."""

from __future__ import annotations

import logging
import subprocess
import sys
import tempfile

import numpy as np
import pytest

from tests.bad_files import make_bad_files
from tests.conftest import GA, SC, SEED, SUBSET
from unres.index import Indexer
from unres.index.cluster import _failures, _model_folder
from unres.index.encoder import MANIFEST_FILE, OnnxEmbedder
from unres.index.errors import ConfigError, IndexWriteError
from unres.index.filters import Filters
from unres.index.parse.records import KINDS
from unres.search import Searcher

EVERY = Filters(kinds=KINDS)


@pytest.fixture(scope="module")
def ray_address():
    """A local Ray instance of 2 CPUs for this module's builds, and its address for other processes."""
    import ray  # the test extra installs unres[cluster]

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    yield ray.get_runtime_context().gcs_address
    ray.shutdown()


def contents(directory) -> tuple:
    with Searcher.open(directory) as searcher:
        ids, vectors = searcher.vectors(EVERY)
        return ids, vectors, searcher.texts(EVERY)


@pytest.mark.model
def test_a_ray_build_is_the_plain_build(built_index, tmp_path, ray_address):
    steps: list[str] = []
    indexer = Indexer(tmp_path / "ray", engine="ray", progress=lambda stage, done, total: steps.append(stage))
    report = indexer.add(SUBSET)
    assert report.added == len(SUBSET) and not report.failures
    assert {"parse", "embed", "write"} <= set(steps)
    ids, vectors, texts = contents(tmp_path / "ray")
    plain_ids, plain_vectors, plain_texts = contents(built_index)
    assert ids == plain_ids and len(ids) > 100
    assert abs(vectors - plain_vectors).max() <= 1e-6
    assert texts == plain_texts
    again = indexer.add([*SUBSET, GA / "A_RES_78_64.pdf"])  # the same Indexer again: unchanged files skipped before Ray sees them
    assert (again.added, again.skipped) == (1, len(SUBSET))
    import ray

    assert ray.is_initialized()  # an instance this process joined is left running


@pytest.mark.model
def test_the_command_on_its_own_ray_instance_names_bad_files_and_writes_nothing(tmp_path, ray_address):
    bad = make_bad_files(tmp_path)
    command = [sys.executable, "-m", "unres.cli", "index", str(SEED), str(bad["truncated"]), str(bad["prose"]),
               "--index", str(tmp_path / "index"), "--engine", "ray"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)  # starts and stops a local instance of its own
    assert done.returncode == 1 and not (tmp_path / "index").exists()
    lines = done.stderr.splitlines()
    assert any(line.startswith(f"unres: {bad['truncated']}: ") for line in lines)
    assert any(line.startswith(f"unres: {bad['prose']}: not a UN resolution") for line in lines)
    assert lines[-1] == f"unres: nothing written to {tmp_path / 'index'}: 2 file(s) failed"


def test_a_node_without_the_index_gets_the_model_from_the_object_store(built_index, tmp_path, monkeypatch, ray_address):
    import ray

    encoder = built_index / "encoder"
    manifest = (encoder / MANIFEST_FILE).read_bytes()
    files = ray.put({path.name: path.read_bytes() for path in encoder.iterdir()})
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    copy = _model_folder(tmp_path / "elsewhere", manifest, files)
    assert copy.parent == tmp_path and (copy / MANIFEST_FILE).read_bytes() == manifest
    assert _model_folder(tmp_path / "elsewhere", manifest, None) == copy  # kept for the next actor and run
    assert [p.name for p in tmp_path.iterdir()] == [copy.name]  # no staging folder left
    texts = ["Urges Member States to finance South-South cooperation", "Decides to remain seized of the matter"]
    ids = OnnxEmbedder(encoder).plan(texts)[0]
    assert np.array_equal(OnnxEmbedder(copy, threads=1).embed_ids(ids), OnnxEmbedder(encoder).embed_ids(ids))
    with pytest.raises(IndexWriteError, match="not readable on this Ray node"):
        _model_folder(tmp_path / "elsewhere", b"another model", None)


def test_a_failure_inside_ray_is_one_line(ray_address):
    import ray

    @ray.remote
    def broken() -> None:
        raise ValueError("no such batch\nsecond line")

    def broken_batch(batch):
        raise RuntimeError("the actor lost its model")

    with pytest.raises(IndexWriteError, match=r"^parsing on Ray failed: ValueError: no such batch; nothing was written$"):
        with _failures("parsing"):
            ray.get(broken.remote())
    with pytest.raises(IndexWriteError, match=r"^embedding on Ray failed: RuntimeError: the actor lost its model; nothing was written$"):
        with _failures("embedding"):
            list(ray.data.from_items([{"x": 1}]).map_batches(broken_batch).iter_rows())


@pytest.mark.model
def test_the_command_joins_a_cluster_by_its_address(tmp_path, ray_address):
    files = [SEED, GA / "A_RES_78_1.pdf", SC / "S_RES_0661_1990_EN_GOLD.txt"]
    command = [sys.executable, "-m", "unres.cli", "index", *map(str, files), "--index", str(tmp_path / "index"),
               "--engine", "ray", "--address", ray_address]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "3 added" in done.stdout and "parse 3/3" in done.stderr and "embed" in done.stderr
    with Searcher.open(tmp_path / "index") as searcher:
        assert {id.split("#")[0] for id in searcher.paragraph_ids()} == {"A/RES/58/220", "A/RES/78/1", "S/RES/661(1990)"}


@pytest.mark.parametrize(
    ("options", "message"),
    [({"engine": "spark"}, "engine must be one of local, ray"), ({"address": "10.0.0.1:6379"}, "needs engine 'ray'")],
)
def test_bad_engine_options_are_refused(tmp_path, options, message):
    with pytest.raises(ConfigError, match=message):
        Indexer(tmp_path / "index", **options)


def test_an_unreachable_cluster_is_one_line_in_seconds(tmp_path):
    command = [sys.executable, "-m", "unres.cli", "index", str(SEED), "--index", str(tmp_path / "index"),
               "--engine", "ray", "--address", "127.0.0.1:1"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    assert done.returncode == 1 and not (tmp_path / "index").exists()
    assert done.stderr.strip().splitlines()[-1] == "unres: cannot reach the Ray cluster at 127.0.0.1:1 (Connection refused)"
