"""Query-side adapters: a linear map that fits the shipped model's query vectors to the corpus's wording.

An adapter is a 384×384 matrix W trained on pairs from the corpus itself (benchmarks/relevance/
train_adapter.py): a query's vector q becomes normalize(W q), the paragraph vectors stay as indexed, so
an adapter changes no stored vector and needs no torch. Adapters ship in the package
(`index/adapters/<name>.npz`: `matrix`, the `model` it was trained for, its training `recipe`); an
index records the name and SHA-256 of the one it answers with.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import ConfigError, IndexOpenError

ADAPTER_DIR = Path(__file__).parent / "adapters"
SHIPPED_ADAPTER = "un-minilm"  # for all-MiniLM-L6-v2; opt in with `unres index --adapter un-minilm`
# The adapter a new index of the default model uses unless told otherwise. None: on benchmarks/relevance
# the shipped one lifts dense mode on the dev half, hybrid (the default mode) only within noise, and the
# test half not significantly (README there).
DEFAULT_ADAPTER: str | None = None
NO_ADAPTER = "none"
_RETRAIN = (
    "python benchmarks/relevance/train_adapter.py --index INDEX --qrels benchmarks/relevance/qrels.txt --out {path}"
)


@dataclass(frozen=True, eq=False)
class Adapter:
    """A loaded adapter: its name, the SHA-256 of its file and the matrix applied to query vectors."""

    name: str
    sha256: str
    model: str
    matrix: np.ndarray = field(repr=False)

    def apply(self, vectors: np.ndarray) -> np.ndarray:
        """normalize(W q) for each row q (a single vector, or a matrix of them)."""
        adapted = np.asarray(vectors, dtype=np.float32) @ self.matrix.T
        norms = np.linalg.norm(adapted, axis=-1, keepdims=True)
        return (adapted / np.clip(norms, 1e-12, None)).astype(np.float32)


def adapter_path(name: str) -> Path:
    return ADAPTER_DIR / f"{name}.npz"


def adapter_names() -> list[str]:
    """The adapters this unres ships."""
    return sorted(p.stem for p in ADAPTER_DIR.glob("*.npz"))


def check_adapter_name(name: str) -> None:
    """An adapter option names a shipped adapter or `none`."""
    if name != NO_ADAPTER and name not in adapter_names():
        known = ", ".join([*adapter_names(), NO_ADAPTER])
        raise ConfigError(f"unknown adapter {name!r}; use one of {known}")


def load_adapter(name: str, dimension: int, sha256: str | None = None) -> Adapter:
    """The shipped adapter `name`, checked: readable, a `dimension`-square matrix, and (if given) the file
    the index recorded by its SHA-256. Any fault is one `IndexOpenError` line naming the file."""
    path = adapter_path(name)
    rebuild = f"reinstall unres, or rebuild the file: {_RETRAIN.format(path=path)}"
    try:
        data = path.read_bytes()
    except OSError as error:
        raise IndexOpenError(f"{path}: adapter {name!r} missing ({error.strerror or error}); {rebuild}") from None
    digest = hashlib.sha256(data).hexdigest()
    if sha256 is not None and digest != sha256:
        raise IndexOpenError(
            f"{path}: adapter {name!r} differs from the one the index was built with (SHA-256 {digest[:12]}…, "
            f"recorded {sha256[:12]}…); {rebuild}, or rebuild the index with `unres index --adapter {name}`"
        )
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            matrix = np.asarray(archive["matrix"], dtype=np.float32)
            model = str(archive["model"])
    except (ValueError, KeyError, OSError, EOFError, zipfile.BadZipFile) as error:
        raise IndexOpenError(f"{path}: corrupt adapter {name!r} ({error}); {rebuild}") from None
    if matrix.shape != (dimension, dimension) or not np.isfinite(matrix).all():
        raise IndexOpenError(
            f"{path}: corrupt adapter {name!r} (a {'×'.join(map(str, matrix.shape))} matrix, not {dimension}×{dimension} "
            f"finite numbers); {rebuild}"
        )
    return Adapter(name=name, sha256=digest, model=model, matrix=matrix)


class AdaptedEmbedder:
    """An embedder whose vectors pass through an adapter: what a query is embedded with."""

    def __init__(self, embedder, adapter: Adapter) -> None:
        self._embedder = embedder
        self.adapter = adapter
        self.name = embedder.name
        self.dimension = embedder.dimension

    def encode(self, texts: list[str], batch_size: int = 32, *, query: bool = True) -> np.ndarray:
        return self.adapter.apply(self._embedder.encode(texts, batch_size, query=query))
