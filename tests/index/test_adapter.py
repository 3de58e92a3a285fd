"""Query adapters: applied as normalize(W q), recorded by the index, and a clear line when the file is bad."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import SEED
from unres.index import adapter as adapters
from unres.index.adapter import SHIPPED_ADAPTER, load_adapter
from unres.index.errors import ConfigError, IndexOpenError


def _write(directory, name: str, matrix: np.ndarray, model: str = "all-MiniLM-L6-v2") -> None:
    with open(directory / f"{name}.npz", "wb") as handle:
        np.savez(handle, matrix=matrix, model=np.array(model), recipe=np.array("{}"))


@pytest.fixture
def adapter_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(adapters, "ADAPTER_DIR", tmp_path)
    return tmp_path


def test_apply_is_normalized_linear_map(adapter_dir):
    rng = np.random.default_rng(0)
    matrix = (np.eye(4) + 0.3 * rng.standard_normal((4, 4))).astype(np.float32)
    _write(adapter_dir, "a", matrix)
    loaded = load_adapter("a", 4)
    q = rng.standard_normal(4).astype(np.float32)
    expected = matrix @ q / np.linalg.norm(matrix @ q)
    assert np.allclose(loaded.apply(q), expected, atol=1e-6)
    assert np.allclose(loaded.apply(np.vstack([q, 2 * q])), np.vstack([expected, expected]), atol=1e-6)


def test_missing_corrupt_or_changed_adapter_is_one_line(adapter_dir):
    with pytest.raises(IndexOpenError, match=r"a\.npz: adapter 'a' missing.*train_adapter\.py") as missing:
        load_adapter("a", 4)
    (adapter_dir / "a.npz").write_bytes(b"not an archive")
    with pytest.raises(IndexOpenError, match=r"a\.npz: corrupt adapter 'a'.*train_adapter\.py") as corrupt:
        load_adapter("a", 4)
    _write(adapter_dir, "a", np.eye(3, dtype=np.float32))
    with pytest.raises(IndexOpenError, match=r"a 3×3 matrix, not 4×4") as shape:
        load_adapter("a", 4)
    with pytest.raises(IndexOpenError, match="differs from the one the index was built with") as changed:
        load_adapter("a", 3, sha256="0" * 64)
    for error in (missing, corrupt, shape, changed):
        assert "\n" not in str(error.value)


def test_shipped_adapter_loads():
    loaded = load_adapter(SHIPPED_ADAPTER, 384)
    assert loaded.model == "all-MiniLM-L6-v2" and loaded.matrix.shape == (384, 384)
    assert not np.allclose(loaded.matrix, np.eye(384), atol=1e-3)


@pytest.fixture
def adapted_index(index_copy) -> Path:
    """The built index as if built with `--adapter un-minilm` (the adapter changes no stored vector)."""
    sha256 = load_adapter(SHIPPED_ADAPTER, 384).sha256
    path = index_copy / "config.json"
    path.write_text(json.dumps(json.loads(path.read_text()) | {"adapter": SHIPPED_ADAPTER, "adapter_sha256": sha256}))
    _set_committed_config(index_copy, _committed_config(index_copy) | {"adapter": SHIPPED_ADAPTER, "adapter_sha256": sha256})
    return index_copy


def test_adapted_index_applies_its_adapter(adapted_index):
    from unres.index.encoder import OnnxEmbedder, encoder_dir
    from unres.search import Searcher

    raw = OnnxEmbedder(encoder_dir(adapted_index)).encode(["an embargo on arms deliveries"], query=True)[0]
    with Searcher.open(adapted_index) as searcher:
        adapted = searcher.embed("an embargo on arms deliveries")
        assert np.allclose(adapted, load_adapter(SHIPPED_ADAPTER, 384).apply(raw), atol=1e-5)
        assert not np.allclose(adapted, raw, atol=1e-3)
        assert searcher.search("South-South cooperation", k=3, mode="dense").hits


def test_index_without_adapter_answers_as_before(built_index, index_copy):
    """An index written before adapters existed has no adapter keys, one built with `--adapter none` has
    None: either way its queries are the model's own vectors."""
    from unres.index.encoder import OnnxEmbedder, encoder_dir
    from unres.search import Searcher

    assert json.loads((built_index / "config.json").read_text())["adapter"] is None

    def older(config: dict) -> dict:
        return {k: v for k, v in config.items() if k not in ("adapter", "adapter_sha256")}

    path = index_copy / "config.json"
    path.write_text(json.dumps(older(json.loads(path.read_text()))))
    _set_committed_config(index_copy, older(_committed_config(index_copy)))
    raw = OnnxEmbedder(encoder_dir(index_copy)).encode(["an embargo on arms deliveries"], query=True)[0]
    for directory in (built_index, index_copy):
        with Searcher.open(directory) as searcher:
            assert np.allclose(searcher.embed("an embargo on arms deliveries"), raw, atol=1e-6)


def test_changed_adapter_file_is_a_clear_error(adapted_index, monkeypatch, tmp_path):
    from unres.search import Searcher

    monkeypatch.setattr(adapters, "ADAPTER_DIR", tmp_path)
    _write(tmp_path, SHIPPED_ADAPTER, np.eye(384, dtype=np.float32))
    with Searcher.open(adapted_index) as searcher:
        assert searcher.search("South-South cooperation", k=1, mode="lexical").hits  # lexical search needs no adapter
        with pytest.raises(IndexOpenError, match=f"{SHIPPED_ADAPTER}.npz: adapter .* differs"):
            searcher.search("South-South cooperation", k=1, mode="dense")


def test_adapter_option_is_checked(tmp_path, built_index):
    from unres.index import Indexer

    with pytest.raises(ConfigError, match="unknown adapter 'nope'"):
        Indexer(tmp_path / "index", adapter="nope").add(tmp_path)
    with pytest.raises(ConfigError, match="index built with adapter 'none', not 'un-minilm'"):
        Indexer(built_index, adapter=SHIPPED_ADAPTER).add(tmp_path)


@pytest.mark.model
def test_new_index_records_the_adapter_asked_for(tmp_path):
    from unres.index import Indexer
    from unres.index.config import MINILM
    from unres.index.errors import ConfigError

    with pytest.raises(ConfigError, match="trained for model all-MiniLM-L6-v2, not multilingual-e5-small"):
        Indexer(tmp_path / "e5", adapter=SHIPPED_ADAPTER).add(SEED)
    Indexer(tmp_path / "index", model=MINILM, adapter=SHIPPED_ADAPTER).add(SEED)
    config = json.loads((tmp_path / "index" / "config.json").read_text())
    assert (config["adapter"], config["adapter_sha256"]) == (SHIPPED_ADAPTER, load_adapter(SHIPPED_ADAPTER, 384).sha256)


def _committed_config(directory) -> dict:
    from unres.index.config import DATABASE_FILE
    from unres.index.integrity import CONFIG_KEY
    from unres.index.store import Store

    store = Store.open(directory / DATABASE_FILE)
    try:
        return json.loads(store.meta(CONFIG_KEY))
    finally:
        store.close()


def _set_committed_config(directory, config: dict) -> None:
    from unres.index.config import DATABASE_FILE
    from unres.index.integrity import CONFIG_KEY
    from unres.index.store import Store

    store = Store.open(directory / DATABASE_FILE)
    try:
        with store.transaction():
            store.set_meta(CONFIG_KEY, json.dumps(config, sort_keys=True))
    finally:
        store.close()


def test_adapted_queries_are_torch_free_and_a_missing_adapter_is_one_line(adapted_index):
    from tests.reliability.conftest import one_error_line, run_cli

    code = (
        "import sys; from unres.search import Searcher; "
        f"hits = Searcher.open({str(adapted_index)!r}).search('embargo on Iraq', k=3, mode='dense').hits; "
        "print(len(hits), [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "3 []", result.stderr

    gone = {"adapter": "gone", "adapter_sha256": "0" * 64}
    path = adapted_index / "config.json"
    path.write_text(json.dumps(json.loads(path.read_text()) | gone))
    _set_committed_config(adapted_index, _committed_config(adapted_index) | gone)
    line = one_error_line(run_cli("search", "embargo on Iraq", "--mode", "dense", "--index", str(adapted_index)))
    assert "gone.npz: adapter 'gone' missing" in line and "train_adapter.py" in line
    assert run_cli("search", "embargo on Iraq", "--mode", "lexical", "--index", str(adapted_index)).returncode == 0
