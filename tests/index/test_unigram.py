"""The query table (index/unigram.py) gives exactly the ids `tokenizers` gives, on the judged queries of
every language, on real paragraphs and on awkward text; what it cannot encode it hands back."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from unres.index.encoder import OnnxEmbedder
from unres.index.unigram import QueryTokenizer

pytestmark = pytest.mark.model

RELEVANCE = Path(__file__).resolve().parents[2] / "benchmarks" / "relevance"
AWKWARD = [
    "☃☃ 🙂🙂x", "\x01\x02abc\t\tdef\u200b", "ᚠᛇᚻ᛫ᛒᛦᚦ", "a" * 3000, "ﬁnance Ⅻ ＡＢＣ", " multiple   spaces ",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "", "Résolution 58/220 — « coopération Sud-Sud »", "القرار ٥٨/٢٢٠", "决议草案", "Ё ё Й й",
]


def _tokenizers(folder: Path):
    from tokenizers import Tokenizer

    full = Tokenizer.from_file(str(folder / "tokenizer.json"))
    full.enable_truncation(512)
    full.no_padding()
    return full


def test_the_table_gives_the_ids_tokenizers_gives(built_index):
    folder = built_index / "encoder"
    quick, full = QueryTokenizer.load(folder, 512), _tokenizers(folder)
    assert quick is not None, "an export of multilingual-e5-small writes the query table"
    queries = [json.loads(line)["query"] for path in sorted(RELEVANCE.glob("queries*.jsonl"))
               for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(queries) == 6 * 204
    with sqlite3.connect(built_index / "unres.sqlite") as db:
        paragraphs = [text for (text,) in db.execute("SELECT text FROM paragraphs")]
    texts = [f"query: {q}" for q in queries + AWKWARD] + [f"passage: {p}" for p in paragraphs]
    different = [text for text in texts if quick.encode(text) != full.encode(text).ids]
    assert not different, f"{len(different)} of {len(texts)} differ, e.g. {different[0][:80]!r}"


@pytest.mark.parametrize("text", ["what does <mask> mean", "a\x00b", "</s> twice </s>"])
def test_text_the_table_cannot_encode_goes_to_tokenizers(built_index, text):
    assert QueryTokenizer.load(built_index / "encoder", 512).encode(f"query: {text}") is None
    embedder = OnnxEmbedder(built_index / "encoder")
    alone, in_a_long_batch = embedder.encode([text], query=True), embedder.encode([text] * 9, batch_size=9, query=True)
    assert np.allclose(alone[0], in_a_long_batch[0], atol=1e-6)


def test_a_query_embeds_the_same_from_the_table_and_from_tokenizers(built_index):
    """One query goes through the table; nine at once through `tokenizers`."""
    embedder = OnnxEmbedder(built_index / "encoder")
    query = "où l'Assemblée a-t-elle exhorté les États à financer la coopération Sud-Sud ?"
    alone, in_a_long_batch = embedder.encode([query], query=True), embedder.encode([query] * 9, batch_size=9, query=True)
    assert np.allclose(alone[0], in_a_long_batch[0], atol=1e-6)
