"""Parsing and embedding as Ray Data pipelines (`unres index --engine ray`), on a local Ray instance or a cluster.

The run's own process stays the one writer: it reads and hashes the files (so unchanged ones are
skipped as in a plain build), ships their bytes to parse tasks, and plans the embedding batches with
the index's tokenizer (`OnnxEmbedder.plan`). Actors, one per CPU (one per GPU when the cluster has
GPUs: a GPU embeds what many cores do), each load the index's exported model — from the index folder
on a node that sees it, else from a copy per node and model shipped once through the object store,
so no node needs the corpus, the index or a model download — and run those very batches, so on CPUs
the vectors equal a plain build's. Results come back to the writer, which commits as always; a
failure anywhere in Ray is one line and nothing is written. Ray is an optional extra: `unres[cluster]`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from .config import default_workers
from .encoder import MANIFEST_FILE, OnnxEmbedder, _first_line
from .errors import ConfigError, IndexWriteError
from .parse.files import Parsed, parse_job

PARSE_WINDOW_BYTES = 256 * 2**20  # files' bytes in flight at once: a corpus of any size streams through
PARSE_BATCH = 4  # documents a parse task takes
REACH_SECONDS = 5.0


class RayEngine:
    """A connection to Ray (a new local instance, the one this process already joined, or `address`),
    made at first use and closed by `close` if this engine started it."""

    def __init__(self, address: str | None = None) -> None:
        self.address = address
        self._started = False
        self._ray = None

    def parse(self, jobs: Iterable[Parsed | tuple[Path, bytes, str]]) -> Iterator[Parsed]:
        """`parse_paths`' jobs parsed by Ray tasks, outcomes in input order."""
        window: list[Parsed | tuple[Path, bytes, str]] = []
        size = 0
        for job in jobs:
            window.append(job)
            size += 0 if isinstance(job, Parsed) else len(job[1])
            if size >= PARSE_WINDOW_BYTES:
                yield from self._parse_window(window)
                window, size = [], 0
        yield from self._parse_window(window)

    def embed(self, embedder: OnnxEmbedder, texts: list[str], progress: Callable[[int, int], None] | None = None) -> np.ndarray:
        """Passage vectors of `texts`, equal to `embedder.encode_many(texts)`: its batches, run by actors."""
        ids, batches = embedder.plan(texts)
        vectors = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
        if not batches:
            return vectors
        ray = self._connect()
        manifest = (embedder.directory / MANIFEST_FILE).read_bytes()
        files = None
        if _other_nodes(ray):  # nodes that may not see the index folder get its model through the object store
            files = ray.put({path.name: path.read_bytes() for path in sorted(embedder.directory.iterdir()) if path.is_file()})
        gpus = int(ray.cluster_resources().get("GPU", 0))
        actors = min(len(batches), gpus or max(1, int(ray.cluster_resources().get("CPU", 1))))
        # longest batches first, one per block: the actors finish together instead of one running the long tail
        longest_first = sorted(range(len(batches)), key=lambda n: -sum(len(ids[i]) for i in batches[n]))
        rows = [{"batch": n, "ids": _packed([ids[i] for i in batches[n]])} for n in longest_first]
        model = {"path": str(embedder.directory), "manifest": manifest, "files": [files], "gpu": bool(gpus)}
        dataset = ray.data.from_items(rows, override_num_blocks=len(rows)).map_batches(
            _Encoder, fn_constructor_kwargs=model, batch_size=1, compute=ray.data.ActorPoolStrategy(size=actors),
            num_cpus=0 if gpus else 1, num_gpus=1 if gpus else 0,
        )
        done = 0
        with _failures("embedding"):
            for row in dataset.iter_rows():
                picked = batches[int(row["batch"])]
                vectors[picked] = np.frombuffer(row["vectors"], dtype=np.float32).reshape(len(picked), -1)
                done += len(picked)
                if progress is not None:
                    progress(done, len(texts))
        if done != len(texts):
            raise IndexWriteError(f"embedding on Ray returned {done:,} of {len(texts):,} vectors; nothing was written")
        return vectors

    def close(self) -> None:
        """Disconnect from Ray if this engine connected (stopping the local instance it started); a
        connection the process made itself is left as it was."""
        if self._started:
            self._ray.shutdown()
            self._started = False
        self._ray = None

    def _parse_window(self, window: list[Parsed | tuple[Path, bytes, str]]) -> Iterator[Parsed]:
        sent = [(n, job) for n, job in enumerate(window) if not isinstance(job, Parsed)]
        parsed: dict[int, Parsed] = {}
        if sent:
            ray = self._connect()
            rows = [{"job": n, "path": str(path), "data": data, "sha256": sha256} for n, (path, data, sha256) in sent]
            dataset = ray.data.from_items(rows, override_num_blocks=max(1, len(rows) // PARSE_BATCH)).map_batches(
                _parse_rows, batch_size=PARSE_BATCH, num_cpus=1
            )
            with _failures("parsing"):
                parsed = {int(row["job"]): pickle.loads(row["parsed"]) for row in dataset.iter_rows()}
        for n, job in enumerate(window):
            yield job if isinstance(job, Parsed) else parsed[n]

    def _connect(self):
        """Ray, initialised: joined at `address`, or the instance this process has, or a new local one."""
        if self._ray is not None:
            return self._ray
        try:
            import ray
            import ray.data
        except ImportError:
            raise ConfigError("the ray engine needs Ray: pip install 'unres[cluster]'") from None
        if ray.is_initialized():
            if self.address:
                raise ConfigError("this process is already connected to Ray; leave out the address to use that connection")
        else:
            # Ray's core logs an error line for every actor pool Ray Data starts (ray-project/ray#53727);
            # failures that matter reach this process as exceptions
            os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
            address = self.address or os.environ.get("RAY_ADDRESS")
            if address:
                _check_reachable(address)
            # "local": a new instance even when `ray start` runs one on this machine (joining it would refuse num_cpus)
            options = {"address": address} if address else {"address": "local", "num_cpus": default_workers()}
            try:
                ray.init(**options, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
            except (ConnectionError, ValueError, RuntimeError) as error:
                where = f"the Ray cluster at {address}" if address else "a local Ray instance"
                raise ConfigError(f"cannot start or reach {where} ({_first_line(error)})") from None
            self._started = True
        for name in ("ray", "ray.data"):  # Ray Data logs each dataset's start and end, and a failure's stack: `_failures` says it in one line
            logging.getLogger(name).setLevel(logging.CRITICAL)
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False  # the indexer reports its own progress
        context.print_on_execution_start = False
        context.enable_auto_log_stats = False
        self._ray = ray
        return ray


def _packed(encoded: Sequence[Sequence[int]]) -> bytes:
    """A batch of token ids as bytes: its size, each text's length, then every id (int32)."""
    lengths = [len(ids) for ids in encoded]
    return np.concatenate([[len(encoded)], lengths, *encoded]).astype(np.int32).tobytes()


def _unpacked(data: bytes) -> list[np.ndarray]:
    numbers = np.frombuffer(data, dtype=np.int32)
    count = int(numbers[0])
    bounds = np.cumsum(numbers[1 : count + 1])
    return np.split(numbers[count + 1 :], bounds[:-1])


def _other_nodes(ray) -> bool:
    """Whether the cluster has a node besides this process's own."""
    here = ray.get_runtime_context().get_node_id()
    return any(node["Alive"] and node["NodeID"] != here for node in ray.nodes())


@contextmanager
def _failures(stage: str) -> Iterator[None]:
    """A failure inside Ray (a task's exception, a dead actor, a node lost) as one line: the first
    exception its remote traceback names (Ray keeps a task's own exception only as that text)."""
    try:
        yield
    except Exception as error:  # RayTaskError, UserCodeException, ActorDiedError, …
        text = re.sub(r"\x1b\[[0-9;]*m", "", str(error))
        raised = re.search(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit)): (.*)$", text, re.M)
        name, message = (raised[1].rpartition(".")[2], raised[2]) if raised else (type(error).__name__, text.strip().partition("\n")[0])
        raise IndexWriteError(f"{stage} on Ray failed: {name}: {message}; nothing was written") from None


def _check_reachable(address: str) -> None:
    """Fail in seconds, not minutes of Ray's retries, when nothing listens at a cluster's host:port."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return  # "auto", or a form Ray resolves itself
    try:
        socket.create_connection((host, int(port)), timeout=REACH_SECONDS).close()
    except OSError as error:
        raise ConfigError(f"cannot reach the Ray cluster at {address} ({error.strerror or error})") from None


def _parse_rows(batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """A Ray task: parse a few documents' bytes; each outcome pickled whole (a `Parsed`, error and warnings included)."""
    outcomes = [
        pickle.dumps(parse_job(Path(path), bytes(data), str(sha256)))
        for path, data, sha256 in zip(batch["path"], batch["data"], batch["sha256"], strict=True)
    ]
    return {"job": batch["job"], "parsed": np.array(outcomes, dtype=object)}


class _Encoder:
    """A Ray actor running the index's exported model on batches of token ids."""

    def __init__(self, path: str, manifest: bytes, files: list, gpu: bool) -> None:
        self._embedder = OnnxEmbedder(_model_folder(Path(path), manifest, files[0]), threads=1, gpu=gpu)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        vectors = [self._embedder.embed_ids(_unpacked(ids)).tobytes() for ids in batch["ids"]]
        return {"batch": batch["batch"], "vectors": np.array(vectors, dtype=object)}


def _model_folder(directory: Path, manifest: bytes, files) -> Path:
    """Where this node reads the model: the index's own folder when it holds the same files (by their
    manifest), else this node's copy (one per model in the temporary folder, written once from the
    object store's `files` and renamed into place whole, kept for the next run)."""
    if _manifest(directory) == manifest:
        return directory
    copy = Path(tempfile.gettempdir()) / f"unres-encoder-{hashlib.sha256(manifest).hexdigest()[:16]}"
    if _manifest(copy) == manifest:
        return copy
    if files is None:
        raise IndexWriteError(f"{directory}: the index's model is not readable on this Ray node")
    import ray

    staging = Path(tempfile.mkdtemp(prefix=copy.name + ".tmp", dir=copy.parent))
    contents = ray.get(files)
    for name, data in sorted(contents.items(), key=lambda item: item[0] == MANIFEST_FILE):  # the manifest last
        (staging / name).write_bytes(data)
    try:
        staging.rename(copy)
    except OSError:  # another actor of this node renamed its copy first (or a damaged one is in the way: use this one)
        if _manifest(copy) != manifest:
            return staging
        shutil.rmtree(staging, ignore_errors=True)
    return copy


def _manifest(directory: Path) -> bytes | None:
    try:
        return (directory / MANIFEST_FILE).read_bytes()
    except OSError:
        return None
