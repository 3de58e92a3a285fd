"""Queries tokenized without loading the whole vocabulary: a SentencePiece Unigram model read from a
sorted, memory-mapped table.

`tokenizers` builds a trie of all 250k XLM-R pieces when it loads `tokenizer.json`: 0.7 s holding the
GIL and 280 MB per process, paid by every cold `unres search` and every server, to tokenize a dozen
words. A query needs only the pieces that are substrings of its words, so `vocab.npy` keeps every
piece with its id and score sorted by piece; one `searchsorted` finds a query's candidates, and the
segmentation is `tokenizers`' own Viterbi (best total score, shorter piece first on ties, one unknown
token for a run of characters no piece covers). The normalizer, pre-tokenizer and special tokens come
from `tokenizer.json` itself, saved without its vocabulary as `query-tokenizer.json`. A test holds the
ids equal to `tokenizers`' on every judged query in six languages and on corpus paragraphs; a text the
table cannot encode exactly (one holding a special token's text, or a NUL) returns None, and the
caller uses `tokenizers`.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

VOCAB_FILE = "vocab.npy"
PIPELINE_FILE = "query-tokenizer.json"
UNKNOWN_PENALTY = 10.0  # tokenizers' K_UNK_PENALTY: an unknown character scores the lowest piece minus this


def write_query_files(tokenizer_json: Path, folder: Path) -> list[str]:
    """Save the table and the vocabulary-free pipeline of a Unigram `tokenizer_json` into `folder`; the
    names written (none for another kind of tokenizer, or pieces a fixed-width table cannot hold)."""
    data = json.loads(tokenizer_json.read_text(encoding="utf-8"))
    model = data.get("model") or {}
    if model.get("type") != "Unigram" or model.get("byte_fallback") or model.get("unk_id") is None:
        return []
    pieces = [piece for piece, _ in model["vocab"]]
    if len(set(pieces)) != len(pieces) or any(not piece or piece.endswith("\0") for piece in pieces):
        return []
    order = sorted(range(len(pieces)), key=pieces.__getitem__)
    table = np.zeros(len(pieces), dtype=[("piece", f"U{max(map(len, pieces))}"), ("id", "<i4"), ("score", "<f8")])
    table["piece"] = [pieces[i] for i in order]
    table["id"] = order
    table["score"] = [model["vocab"][i][1] for i in order]
    np.save(folder / VOCAB_FILE, table)
    keep = model["unk_id"] + 1  # a loadable model: the pieces up to the unknown token
    pipeline = {"min_score": min(score for _, score in model["vocab"]), "tokenizer": dict(data, model=dict(model, vocab=model["vocab"][:keep]))}
    (folder / PIPELINE_FILE).write_text(json.dumps(pipeline, ensure_ascii=False), encoding="utf-8")
    return [VOCAB_FILE, PIPELINE_FILE]


class QueryTokenizer:
    """`tokenizers`' ids for one text at a time, from the memory-mapped table (see the module's docstring)."""

    def __init__(self, folder: Path, max_length: int) -> None:
        from tokenizers import Tokenizer

        saved = json.loads((folder / PIPELINE_FILE).read_text(encoding="utf-8"))
        pipeline = saved["tokenizer"]
        self._table = np.load(folder / VOCAB_FILE, mmap_mode="r")
        self._pieces = self._table["piece"]
        self._width = self._table.dtype["piece"].itemsize // 4
        stub = Tokenizer.from_str(json.dumps(pipeline))
        self._normalizer, self._pre_tokenizer = stub.normalizer, stub.pre_tokenizer
        model = pipeline["model"]
        self._unknown, self._unknown_score = model["unk_id"], saved["min_score"] - UNKNOWN_PENALTY
        self._specials = [token["content"] for token in pipeline.get("added_tokens", ())]
        ids = {token["content"]: token["id"] for token in pipeline.get("added_tokens", ())}
        template = (pipeline.get("post_processor") or {}).get("single", [{"Sequence": {"id": "A"}}])
        names = [part["SpecialToken"]["id"] if "SpecialToken" in part else None for part in template]
        split = names.index(None)
        self._prefix, self._suffix = [ids[n] for n in names[:split]], [ids[n] for n in names[split + 1:]]
        self._max_tokens = max_length - len(self._prefix) - len(self._suffix)

    @classmethod
    def load(cls, folder: Path, max_length: int) -> QueryTokenizer | None:
        """The table tokenizer of an encoder folder; None when the export did not write one."""
        if not (folder / VOCAB_FILE).is_file() or not (folder / PIPELINE_FILE).is_file():
            return None
        return cls(folder, max_length)

    def encode(self, text: str) -> list[int] | None:
        """The ids `tokenizers` gives `text` (truncated, special tokens added); None if the table cannot say."""
        if "\0" in text or any(special in text for special in self._specials):
            return None
        normalized = self._normalizer.normalize_str(text) if self._normalizer is not None else text
        if "\0" in normalized:
            return None
        words = [word for word, _ in self._pre_tokenizer.pre_tokenize_str(normalized)] if self._pre_tokenizer else [normalized]
        found = self._lookup({word[i:j] for word in words for i in range(len(word))
                              for j in range(i + 1, min(len(word), i + self._width) + 1)})
        ids = [token for word in words for token in self._segment(word, found)]
        return self._prefix + ids[: self._max_tokens] + self._suffix

    def _lookup(self, candidates: set[str]) -> dict[str, tuple[int, float]]:
        """The candidates that are pieces, with their id and score: one binary search for all."""
        if not candidates:
            return {}
        wanted = np.array(sorted(candidates), dtype=self._pieces.dtype)
        at = np.minimum(np.searchsorted(self._pieces, wanted), len(self._pieces) - 1)
        rows = self._table[at]
        hit = rows["piece"] == wanted
        rows = rows[hit]  # to Python values whole: element by element, numpy made a scalar of each
        return dict(zip(wanted[hit].tolist(), zip(rows["id"].tolist(), rows["score"].tolist(), strict=True), strict=True))

    def _segment(self, word: str, found: dict[str, tuple[int, float]]) -> list[int]:
        """tokenizers' `Unigram::encode_optimized`: the best path through the lattice of pieces."""
        best: list[tuple[float, int, int] | None] = [None] * (len(word) + 1)  # (score, start, id) of the best path ending here
        best[0] = (0.0, 0, -1)
        for start in range(len(word)):
            so_far = best[start][0]
            single = False
            for end in range(start + 1, min(len(word), start + self._width) + 1):
                piece = found.get(word[start:end])
                if piece is None:
                    continue
                single = single or end == start + 1
                candidate = piece[1] + so_far
                if best[end] is None or candidate > best[end][0]:
                    best[end] = (candidate, start, piece[0])
            if not single:
                candidate = self._unknown_score + so_far
                if best[start + 1] is None or candidate > best[start + 1][0]:
                    best[start + 1] = (candidate, start, self._unknown)
        tokens: list[int] = []
        end, unknown_run = len(word), ""
        while end > 0:
            _, start, token = best[end]
            if token == self._unknown:
                unknown_run = word[start:end] + unknown_run
            else:
                if unknown_run:
                    tokens.append(self._piece_id(unknown_run, found))
                    unknown_run = ""
                tokens.append(token)
            end = start
        if unknown_run:
            tokens.append(self._piece_id(unknown_run, found))
        return tokens[::-1]

    def _piece_id(self, text: str, found: dict[str, tuple[int, float]]) -> int:
        """A run of unknown characters is one token: a piece's id if the run happens to be one."""
        if text not in found and len(text) <= self._width:
            found.update(self._lookup({text}))
        return found[text][0] if text in found else self._unknown
