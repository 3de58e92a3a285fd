"""The index's model as ONNX: exported once at index time (torch is there), run at query time without it.

`export_encoder` writes `encoder/` into an index directory: `model.onnx` (the transformer, giving
token embeddings) with its weights in `model.onnx.data`, `embeddings.npy` (its token-embedding
table, float16, outside the graph), `tokenizer.json`, for a SentencePiece Unigram tokenizer the query table `vocab.npy` and
`query-tokenizer.json` (index/unigram.py: a query tokenized without loading 250k pieces), and
`encoder.json` (pooling, normalization, sequence length and the query and passage prefixes, as the
sentence-transformers model's own config says). The table is kept out of the graph
because in a multilingual model it is most of the weights (multilingual-e5-small: 96M of 118M
parameters) while a text reads a few dozen rows: memory-mapped, it costs no load time, and server
workers share the pages they touch. Encoders exported before it (the table inside, `input_ids` in)
still run, as do those with the weights inside `model.onnx`. `files.json` lists each file's SHA-256.
`OnnxEmbedder` runs them with onnxruntime and `tokenizers` alone; its vectors equal sentence-transformers' (tests/index/test_encoder.py).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from . import integrity
from .config import DATABASE_FILE, ENCODER_DIR, default_workers, model_cache, model_path
from .errors import ConfigError, IndexOpenError, IndexWriteError
from .ownership import remove_folder, replace_folder
from .store import Store
from .unigram import PIPELINE_FILE, VOCAB_FILE, QueryTokenizer, write_query_files

MODEL_FILE = "model.onnx"
MODEL_DATA_FILE = "model.onnx.data"  # the graph's weights, beside it: onnxruntime opens such a model in half the time
TABLE_FILE = "embeddings.npy"
TOKENIZER_FILE = "tokenizer.json"
SPEC_FILE = "encoder.json"
MANIFEST_FILE = "files.json"  # each file's SHA-256, written last: an export is whole, and a cached one unchanged
UNQUANTIZED_FILE = "model.fp32.onnx"  # while an int8 export is made
ENCODER_FILES = frozenset({
    MODEL_FILE, MODEL_DATA_FILE, UNQUANTIZED_FILE, TABLE_FILE, TOKENIZER_FILE, VOCAB_FILE, PIPELINE_FILE, SPEC_FILE, MANIFEST_FILE,
})  # all it writes
POOLINGS = ("mean", "cls", "max")
SUPPORTED_MODULES = ("Transformer", "Pooling", "Normalize")
BATCH_TEXTS = 32
QUICK_TEXTS = 8  # batches up to this size (queries) are tokenized from the query table (unigram.py), if the export has one
BATCH_TOKENS = 2048  # per batch when indexing: 32 texts of 64 tokens, 8 of 256
BATCH_PAIRS = BATCH_TOKENS * 256  # token pairs (attention grows with their square): 2 texts of 512 tokens, 8 of 256


@dataclass(frozen=True)
class EncoderSpec:
    """What the ONNX graph leaves to numpy: pooling, normalization; and the tokenizer's length limit."""

    model: str
    dimension: int
    max_length: int
    pooling: str
    normalize: bool
    int8: bool = False
    query_prefix: str = ""  # the model card's prompts (e5: "query: " and "passage: "), from the model's own config
    passage_prefix: str = ""


def encoder_dir(directory: Path) -> Path:
    return Path(directory) / ENCODER_DIR


def export_encoder(model: str | None, name: str, target: Path, *, int8: bool = False) -> EncoderSpec:
    """Export a sentence-transformers model to `target` (replaced whole, by a rename); `int8` quantizes it.

    An export is kept in the model cache under the model's identity, and the next index of the same
    model copies it (checked file by file) instead of exporting again: the export loads torch and the
    whole model, some 15 s for multilingual-e5-small. Without a writable cache it exports in place.
    """
    cached = _cache_entry(model, int8)
    if cached is not None and not _copy_export(cached, target, name):
        _export_in_child(model, name, cached, int8)
        if not _copy_export(cached, target, name):
            cached = None
    if cached is None:
        _export_in_child(model, name, target, int8)
    return EncoderSpec(**json.loads((target / SPEC_FILE).read_text(encoding="utf-8")))


CACHE_FOLDER = "onnx"  # in the model cache: exports by model identity
EXPORT_VERSION = 4  # of `_export`'s output (2: the token table outside the graph, the prefixes recorded; 3: the query
# table; 4: the graph's weights in their own file)


def _cache_entry(model: str | None, int8: bool) -> Path | None:
    """Where the cache keeps this model's export; None when the cache cannot be written."""
    try:
        folder = model_cache() / CACHE_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
    except (OSError, ConfigError):  # unwritable, or no home directory to hold it
        return None
    if not os.access(folder, os.W_OK):
        return None
    return folder / f"{integrity.model_identity(model)[:32]}-v{EXPORT_VERSION}{'-int8' * int8}"


def _export_in_child(model: str | None, name: str, target: Path, int8: bool) -> None:
    """Run `_export` in a child process, so torch never loads into (nor stays in the memory of) the
    process that goes on to embed and write the index."""
    request = json.dumps({"model": model, "name": name, "target": str(target), "int8": int8})
    child = subprocess.run(
        [sys.executable, "-m", "unres.index.encoder", request], capture_output=True, text=True, env=os.environ | _QUIET
    )
    if child.returncode != 0:
        lines = child.stderr.strip().splitlines() or [f"exit status {child.returncode}"]
        failure = next((line[len("unres: "):] for line in lines if line.startswith("unres: ")), None)
        if failure is not None:
            raise ConfigError(failure)
        raise IndexWriteError(f"{target}: exporting model {name} to ONNX failed ({lines[-1]})")


def _copy_export(cached: Path, target: Path, name: str) -> bool:
    """Copy a cached export into `target` under the model name `name`. False when there is none, and
    the cache entry is removed when a file of it is missing or no longer has its recorded checksum."""
    manifest = cached / MANIFEST_FILE
    if not manifest.is_file():
        return False
    staging = target.with_name(f"{target.name}.tmp{os.getpid()}")
    remove_folder(staging, ENCODER_FILES)
    try:
        staging.mkdir(parents=True)
        files = json.loads(manifest.read_text(encoding="utf-8"))
        for file, sha256 in files.items():
            shutil.copyfile(cached / file, staging / file)
            if integrity.file_sha256(staging / file) != sha256:
                raise ValueError(f"{cached / file}: changed since it was cached")
        spec = json.loads((staging / SPEC_FILE).read_text(encoding="utf-8")) | {"model": name}
        (staging / SPEC_FILE).write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")
        files[SPEC_FILE] = integrity.file_sha256(staging / SPEC_FILE)
        (staging / MANIFEST_FILE).write_text(json.dumps(files) + "\n", encoding="utf-8")
        replace_folder(staging, target, ENCODER_FILES)
    except (FileNotFoundError, ValueError, TypeError, AttributeError):  # a damaged cache entry: export again
        shutil.rmtree(cached, ignore_errors=True)
        return False
    finally:
        remove_folder(staging, ENCODER_FILES)
    return True


_QUIET = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_VERBOSITY": "error", "HF_HUB_DISABLE_PROGRESS_BARS": "1", "TOKENIZERS_PARALLELISM": "false"}


def _export(model: str | None, name: str, target: Path, int8: bool) -> EncoderSpec:
    """The export itself (in the child process started by `export_encoder`)."""
    from sentence_transformers import SentenceTransformer

    source = model_path(model)
    try:
        st = SentenceTransformer(source, device="cpu")
    except (OSError, ValueError) as error:
        raise ConfigError(f"{name}: cannot load the model ({error})") from None
    spec = _spec(st, name, int8)
    transformer = st[0].auto_model.eval()
    staging = target.with_name(f"{target.name}.tmp{os.getpid()}")  # two processes may fill the same cache entry
    remove_folder(staging, ENCODER_FILES)
    staging.mkdir(parents=True)
    try:
        return _export_into(st, transformer, spec, Path(source), target, staging, int8)
    finally:
        remove_folder(staging, ENCODER_FILES)


def _export_into(st, transformer, spec: EncoderSpec, source: Path, target: Path, staging: Path, int8: bool) -> EncoderSpec:
    """Write the export into `staging`, then rename it to `target`."""
    import warnings

    import torch

    sample = st.tokenizer(["a sample sentence", "a second, somewhat longer sample sentence"], padding=True, return_tensors="pt")
    table = transformer.get_input_embeddings().weight.detach()
    np.save(staging / TABLE_FILE, table.numpy().astype(np.float16))
    sample["inputs_embeds"] = table[sample["input_ids"]].to(torch.float16).to(torch.float32)  # rows first: no table copies
    transformer.get_input_embeddings().weight.data = table[:1].clone()  # not in the graph: free its memory
    del table
    inputs = [n for n in ("inputs_embeds", "attention_mask", "token_type_ids") if n in sample]

    class TokenEmbeddings(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, *tensors):
            return self.transformer(**dict(zip(inputs, tensors, strict=True))).last_hidden_state

    axes = {n: {0: "batch", 1: "tokens"} for n in inputs} | {"token_embeddings": {0: "batch", 1: "tokens"}}
    exported = staging / (UNQUANTIZED_FILE if int8 else MODEL_FILE)
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            TokenEmbeddings().eval(), tuple(sample[n] for n in inputs), str(exported), input_names=inputs,
            output_names=["token_embeddings"], dynamic_axes=axes, opset_version=17, dynamo=False,
        )
    if int8:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        logging.disable(logging.WARNING)  # its advice to pre-process applies to static quantization
        try:  # per-channel 7-bit weights: cosine to fp32 0.992 on corpus paragraphs, against 0.958 per tensor
            quantize_dynamic(
                str(exported), str(staging / MODEL_FILE), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True
            )
        finally:
            logging.disable(logging.NOTSET)
        exported.unlink()
    _weights_apart(staging / MODEL_FILE)
    tokenizer_json = source / TOKENIZER_FILE
    if tokenizer_json.is_file():
        shutil.copyfile(tokenizer_json, staging / TOKENIZER_FILE)
    else:
        st.tokenizer.backend_tokenizer.save(str(staging / TOKENIZER_FILE))
    write_query_files(staging / TOKENIZER_FILE, staging)
    (staging / SPEC_FILE).write_text(json.dumps(asdict(spec), indent=2) + "\n", encoding="utf-8")
    files = sorted(path.name for path in staging.iterdir())
    (staging / MANIFEST_FILE).write_text(json.dumps({f: integrity.file_sha256(staging / f) for f in files}) + "\n")
    if target.parent.name != CACHE_FOLDER:
        replace_folder(staging, target, ENCODER_FILES)
        return spec
    if not (target / MANIFEST_FILE).is_file():  # a damaged cache entry
        shutil.rmtree(target, ignore_errors=True)
    try:
        os.replace(staging, target)
    except OSError:  # a cache entry another process finished first: keep it
        if not (target / MANIFEST_FILE).is_file():
            raise
    return spec


def _weights_apart(model_file: Path) -> None:
    """Store the graph's weights in `MODEL_DATA_FILE` beside it (ONNX external data): onnxruntime then reads
    them as one block instead of parsing them out of the protobuf, 0.22 -> 0.13 s of every cold search
    for multilingual-e5-small (benchmarks/README.md). The graph itself is unchanged."""
    import onnx

    model = onnx.load(str(model_file))
    onnx.save_model(
        model, str(model_file), save_as_external_data=True, all_tensors_to_one_file=True, location=MODEL_DATA_FILE, size_threshold=1024
    )
    os.chmod(model_file.with_name(MODEL_DATA_FILE), model_file.stat().st_mode & 0o777)  # onnx creates it private


def _spec(st, name: str, int8: bool) -> EncoderSpec:
    """Pooling and normalization from the model's modules; models with other modules are refused."""
    kinds = [type(module).__name__ for module in st]
    if kinds[:2] != ["Transformer", "Pooling"] or set(kinds) - set(SUPPORTED_MODULES):
        raise ConfigError(f"{name}: modules {', '.join(kinds)}; unres runs only Transformer, Pooling [, Normalize] models")
    pooling = st[1].pooling_mode if isinstance(getattr(st[1], "pooling_mode", None), str) else None
    if pooling is None:
        config = st[1].get_config_dict()
        modes = [m for m in POOLINGS if config.get(f"pooling_mode_{m}_tokens") or config.get(f"pooling_mode_{m}_token")]
        pooling = modes[0] if len(modes) == 1 else None
    if pooling not in POOLINGS:
        raise ConfigError(f"{name}: pooling {pooling!r}; unres runs {', '.join(POOLINGS)} pooling")
    prompts = st.prompts or {}
    return EncoderSpec(
        model=name, dimension=int(st.get_embedding_dimension()), max_length=int(st.max_seq_length),
        pooling=pooling, normalize="Normalize" in kinds, int8=int8,
        query_prefix=prompts.get("query") or "", passage_prefix=prompts.get("passage") or prompts.get("document") or "",
    )


def load_encoder(
    directory: Path, config, exported: Callable[[int], None] | None = None, *, model_sha256: str | None = None,
    threads: int | None = None, quick: bool = False, alone: int | None = None,
) -> OnnxEmbedder:
    """The index's ONNX encoder, the one every reader and writer embeds with (no query adapter).

    An index that predates its `encoder/` has it exported now from its recorded model, which must then
    be the model that built the index (by content hash); a writer passes the hash it will record
    (`model_sha256`) so the check always runs. The vectors it gives must have the index's dimension.
    Each model run uses `threads` cores (default all); `quick` and `alone`: see `OnnxEmbedder`.
    """
    exporting = not encoder_dir(directory).exists()
    embedder = _ensure_encoder(directory, config, exported, threads, quick, alone)
    if exporting or model_sha256 is not None:
        check_model(directory, model_sha256 or integrity.model_identity(config.model), config)
    if embedder.dimension != config.dimension:
        raise IndexOpenError(
            f"{directory}: model {config.model} gives {embedder.dimension}-d vectors, the index holds {config.dimension}-d ones"
        )
    return embedder


def check_model(directory: Path, sha256: str | None, config) -> None:
    """The model loaded is the one that built the index: same content hash when the index recorded one."""
    database = directory / DATABASE_FILE
    if sha256 is None or not database.is_file():
        return
    store = Store.open(database)
    try:
        recorded = store.meta(integrity.MODEL_KEY)
    finally:
        store.close()
    if recorded is not None and recorded != sha256:
        raise IndexOpenError(
            f"{directory}: the model {config.model} is not the one that built this index "
            "(its files changed); restore that model or build a new index"
        )


def _ensure_encoder(
    directory: Path, config, exported: Callable[[int], None] | None = None, threads: int | None = None, quick: bool = False,
    alone: int | None = None,
) -> OnnxEmbedder:
    """The index's ONNX model, exported first from its recorded model if the index predates it."""
    target = encoder_dir(directory)
    if not target.exists():
        if exported is not None:
            exported(0)
        try:
            export_encoder(config.model, config.model, target, int8=config.int8)
        except OSError as error:
            raise IndexOpenError(f"{target}: cannot export the index's model there ({error.strerror or error})") from None
        if exported is not None:
            exported(1)
    embedder = OnnxEmbedder(target, threads, quick=quick, alone=alone)
    if embedder.spec.model != config.model or embedder.spec.int8 != config.int8:
        raise IndexOpenError(
            f"{target / SPEC_FILE}: encoder of {embedder.spec.model}{' (int8)' * embedder.spec.int8}, the index was built "
            f"with {config.model}{' (int8)' * config.int8}; {_REBUILD}"
        )
    return embedder


class OnnxEmbedder:
    """An exported model under onnxruntime: L2-normalized float32 vectors, no torch. Each run uses
    `threads` cores (default: every core this process may run on); `gpu` runs it on CUDA when onnxruntime
    has that provider (a Ray GPU actor: index/cluster.py), else on the CPU. A `quick` session skips
    onnxruntime's graph optimizations and weight prepacking, for a process that embeds one query: its first
    vector comes in a third of the time (multilingual-e5-small: 0.05 s against 0.14 s), each later one
    half as slow again, and the vectors are the same within float rounding. With `alone` (more cores than
    `threads`) a second session runs on that many, for a run that starts while no other is under way: a
    server's workers embed side by side on one core each, and a request on its own gets every core
    (multilingual-e5-small: a query in 10 ms instead of 13, for 87 MB more memory, once per server)."""

    def __init__(
        self, directory: Path, threads: int | None = None, *, gpu: bool = False, quick: bool = False, alone: int | None = None,
    ) -> None:
        import onnxruntime

        self.directory = Path(directory)
        spec_path, model_file = self.directory / SPEC_FILE, self.directory / MODEL_FILE
        try:
            self.spec = EncoderSpec(**json.loads(spec_path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError) as error:
            raise IndexOpenError(f"{spec_path}: unreadable encoder description ({error}); {_REBUILD}") from None
        try:
            self._quick = QueryTokenizer.load(self.directory, self.spec.max_length)
        except Exception as error:  # OSError, ValueError (numpy), KeyError (JSON), tokenizers' bare Exception
            raise IndexOpenError(f"{self.directory / VOCAB_FILE}: unreadable query vocabulary ({_first_line(error)}); {_REBUILD}") from None
        self._full = None if self._quick is not None else self._load_tokenizer()  # else loaded by the first long batch
        if not model_file.is_file():
            raise IndexOpenError(f"{model_file}: ONNX model missing; {_REBUILD}")
        cuda = gpu and "CUDAExecutionProvider" in onnxruntime.get_available_providers()
        providers = ["CUDAExecutionProvider", "CPUExecutionProvider"] if cuda else ["CPUExecutionProvider"]
        threads = threads or default_workers()
        self._session = self._open_session(onnxruntime, threads, quick, providers)
        self._alone = self._open_session(onnxruntime, alone, quick, providers) if alone and alone > threads else None
        self._running = 0  # runs under way, of either session
        self._lock = threading.Lock()
        self._inputs = [i.name for i in self._session.get_inputs()]
        self._onnxruntime = onnxruntime
        self._table = None
        if "inputs_embeds" in self._inputs:
            table_path = self.directory / TABLE_FILE
            try:
                self._table = np.load(table_path, mmap_mode="r")
            except (OSError, ValueError) as error:
                raise IndexOpenError(f"{table_path}: unreadable token-embedding table ({_first_line(error)}); {_REBUILD}") from None
        self.name = self.spec.model
        self.dimension = self.spec.dimension
        if self._alone is not None:  # each session's first run, slower than the rest, falls on no request
            feeds = self._feeds(self._ids(["warm-up"]))
            for session in (self._session, self._alone):
                session.run(None, {name: feeds[name] for name in self._inputs})

    def encode(self, texts: list[str], batch_size: int = 32, *, query: bool = False) -> np.ndarray:
        """Embed texts in batches of `batch_size`, in the order given: as queries or (default) passages,
        each with the model's prefix for that role."""
        texts = self._prefixed(texts, query)
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for begin in range(0, len(texts), batch_size):
            vectors[begin : begin + batch_size] = self._batch(texts[begin : begin + batch_size])
        return vectors

    def encode_many(
        self, texts: list[str], chunk: int = 256, progress: Callable[[int, int], None] | None = None, *, query: bool = False
    ) -> np.ndarray:
        """Embed many texts in the batches `plan` makes, reporting progress about every `chunk` texts. The last
        batch gives back onnxruntime's working memory, which the longest texts grew by some 300 MB for
        multilingual-e5-small, before the index is written."""
        ids, batches = self.plan(texts, query=query)
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        done = reported = 0
        for number, picked in enumerate(batches, 1):
            vectors[picked] = self.embed_ids([ids[i] for i in picked], shrink=number == len(batches))
            done += len(picked)
            if progress is not None and (done - reported >= chunk or done == len(texts)):
                progress(done, len(texts))
                reported = done
        return vectors

    def plan(self, texts: list[str], *, query: bool = False) -> tuple[list[np.ndarray], list[list[int]]]:
        """Each text's token ids (with its role's prefix), and the batches to embed them in: positions,
        shortest texts first, at most `BATCH_TOKENS` tokens and `BATCH_PAIRS` token pairs a batch (so the
        longest texts go 2 at a time: a lower peak of memory at no cost in speed). Whoever runs the batches
        (this process, or Ray actors: index/cluster.py) gets the same vectors."""
        ids = [np.asarray(one, dtype=np.int32) for one in self._ids(self._prefixed(texts, query))]  # not lists: 28 bytes an int
        lengths = [len(one) for one in ids]
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        batches: list[list[int]] = []
        begin = 0
        while begin < len(order):
            end = begin + 1
            while end < len(order) and end - begin < BATCH_TEXTS and (end - begin + 1) * lengths[order[end]] <= BATCH_TOKENS \
                    and (end - begin + 1) * lengths[order[end]] ** 2 <= BATCH_PAIRS:
                end += 1
            batches.append(order[begin:end])
            begin = end
        return ids, batches

    def _open_session(self, onnxruntime, threads: int, quick: bool, providers: list[str]):
        """An onnxruntime session of the model running on `threads` cores (`quick`: see the class)."""
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # cores are shared: wait, do not spin
        if quick:
            options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
            options.add_session_config_entry("session.disable_prepacking", "1")
        model_file = self.directory / MODEL_FILE
        try:
            return onnxruntime.InferenceSession(str(model_file), options, providers=providers)
        except Exception as error:  # onnxruntime raises its own Fail/InvalidProtobuf types
            weights = MODEL_DATA_FILE in str(error) or "External" in str(error)  # onnxruntime's words for the weights' file
            named = self.directory / MODEL_DATA_FILE if weights else model_file
            raise IndexOpenError(f"{named}: corrupt ONNX model ({_first_line(error)}); {_REBUILD}") from None

    def _load_tokenizer(self):
        from tokenizers import Tokenizer

        path = self.directory / TOKENIZER_FILE
        try:
            tokenizer = Tokenizer.from_file(str(path))
        except Exception as error:  # tokenizers raises a bare Exception for a missing or malformed file
            raise IndexOpenError(f"{path}: unreadable tokenizer ({_first_line(error)}); {_REBUILD}") from None
        tokenizer.enable_truncation(self.spec.max_length)
        tokenizer.no_padding()
        return tokenizer

    def _ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids of each text: from the query table for a few texts, else from `tokenizers` (loaded then)."""
        if self._quick is not None and len(texts) <= QUICK_TEXTS:
            quick = [self._quick.encode(text) for text in texts]
            if None not in quick:
                return quick
        if self._full is None:
            self._full = self._load_tokenizer()
        return [encoding.ids for encoding in self._full.encode_batch(texts)]

    def _prefixed(self, texts: list[str], query: bool) -> list[str]:
        prefix = self.spec.query_prefix if query else self.spec.passage_prefix
        return [prefix + text.strip() for text in texts]

    def _batch(self, texts: list[str]) -> np.ndarray:
        return self.embed_ids(self._ids(texts))

    def embed_ids(self, encoded: Sequence[Sequence[int]], *, shrink: bool = False) -> np.ndarray:
        """Run the model on one batch of token ids (from `plan`); `shrink` frees what onnxruntime's arena
        holds unused afterwards."""
        feeds = self._feeds(encoded)
        options = None
        if shrink:
            options = self._onnxruntime.RunOptions()
            options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
        with self._lock:
            self._running += 1
            session = self._alone if self._alone is not None and self._running == 1 else self._session
        try:
            (tokens,) = session.run(None, {name: feeds[name] for name in self._inputs}, options)
        finally:
            with self._lock:
                self._running -= 1
        return pool(tokens, feeds["attention_mask"], self.spec.pooling, self.spec.normalize)

    def _feeds(self, encoded: Sequence[Sequence[int]]) -> dict[str, np.ndarray]:
        """The model's inputs for a batch of token ids, padded to the longest."""
        width = max(len(ids) for ids in encoded)
        feeds = {name: np.zeros((len(encoded), width), dtype=np.int64) for name in ("input_ids", "attention_mask", "token_type_ids")}
        for i, ids in enumerate(encoded):  # one sequence per text: its type ids are all 0
            feeds["input_ids"][i, : len(ids)] = ids
            feeds["attention_mask"][i, : len(ids)] = 1
        if self._table is not None:
            feeds["inputs_embeds"] = self._embeddings(feeds["input_ids"])
        return feeds

    def _embeddings(self, ids: np.ndarray) -> np.ndarray:
        """The table's rows for the ids of a batch, read from the memory-mapped file (one read per distinct id)."""
        distinct, where = np.unique(ids, return_inverse=True)
        if distinct[-1] >= len(self._table):
            raise IndexOpenError(f"{self.directory / TABLE_FILE}: fewer rows than the tokenizer's vocabulary; {_REBUILD}")
        return self._table[distinct].astype(np.float32)[where.reshape(ids.shape)]


def pool(tokens: np.ndarray, mask: np.ndarray, pooling: str, normalize: bool) -> np.ndarray:
    """Sentence vectors from token embeddings as sentence-transformers' Pooling and Normalize do."""
    if pooling == "cls":
        vectors = tokens[:, 0]
    elif pooling == "max":
        vectors = np.where(mask[..., None] > 0, tokens, -1e9).max(axis=1)
    else:
        weights = mask[..., None].astype(np.float32)
        vectors = (tokens * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    vectors = vectors.astype(np.float32)
    if normalize:
        vectors /= np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
    return vectors


_REBUILD = "delete that folder and the next query exports it again from the index's recorded model"


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


if __name__ == "__main__":  # the child process of `export_encoder`: export into the target given
    arguments = json.loads(sys.argv[1])
    try:
        _export(arguments["model"], arguments["name"], Path(arguments["target"]), arguments["int8"])
    except ConfigError as error:
        print(f"unres: {error}", file=sys.stderr)
        sys.exit(1)
