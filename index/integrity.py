"""What the database records about the files beside it, so damage is a clear error, not a wrong answer.

At each commit the database records each vectors file's size, checksum and vector count, the rows
deleted from it since, the vector count and dimension, the configuration it was written under, and the
model's content hash. Opening an index for reading
checks the vectors files' sizes and their vector count and dimension against the record (hashing them
would cost every cold start and every write); a writer compares the checksum of a file before it writes
its vectors again (a merge), and `unres check` compares them all, and every row with every vector. An
index written before these records existed has none and opens as before.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import IndexOpenError

VECTORS_KEY = "vectors"
CONFIG_KEY = "config"
MODEL_KEY = "model_sha256"


@dataclass(frozen=True)
class VectorSegment:
    """One committed vectors file, `vectors.<generation>.faiss`: its bytes on disk, their SHA-256, how many
    vectors it holds and the rows deleted from it since."""

    generation: int
    size: int
    sha256: str
    count: int
    deleted: tuple[int, ...] = ()

    @property
    def live(self) -> int:
        return self.count - len(self.deleted)

    def check_bytes(self, path: Path, data: bytes | None, *, size: int | None = None) -> None:
        """The file is the one committed: the same size (`size`, else the bytes'), and the same checksum when its
        bytes are given."""
        size = len(data) if size is None else size
        if size != self.size:
            raise IndexOpenError(
                f"{path}: corrupt vectors file ({size} bytes where the index committed {self.size}: changed or "
                "replaced); run `unres check --repair`"
            )
        if data is not None and hashlib.sha256(data).hexdigest() != self.sha256:
            raise IndexOpenError(
                f"{path}: corrupt vectors file (its checksum differs from the one committed); run `unres check --repair`"
            )


@dataclass(frozen=True)
class VectorsRecord:
    """The vectors as committed: how many (deleted ones left out) and of what size, in which files, oldest first."""

    count: int
    dimension: int
    segments: tuple[VectorSegment, ...]

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, path: Path, text: str | None, generation: int) -> VectorsRecord | None:
        """The record of the commit of `generation`; one written before segments named that generation's one file."""
        if text is None:
            return None
        try:
            data = json.loads(text)
            if "segments" not in data:
                return cls(data["count"], data["dimension"], (VectorSegment(generation, data["size"], data["sha256"], data["count"]),))
            segments = tuple(VectorSegment(**s | {"deleted": tuple(s["deleted"])}) for s in data["segments"])
            return cls(int(data["count"]), int(data["dimension"]), segments)
        except (ValueError, TypeError, KeyError) as error:
            raise IndexOpenError(f"{path}: corrupt vectors record in the database ({error})") from None


def model_sha256(directory: str | Path) -> str:
    """A content hash of a model directory (every file's relative path and bytes), its identity."""
    root = Path(directory)
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            digest.update(str(path.relative_to(root)).encode("utf-8", "surrogateescape") + b"\0")
            _read_into(digest, path)
            digest.update(b"\0")
    return digest.hexdigest()


def model_identity(model: str | None) -> str:
    """The content hash an index records for its model (None: the default): a model directory's files,
    or for multilingual-e5-small, unpacked by unres, its packed file and the unpacking's version (the
    unpacked files' bytes depend on the libraries that wrote them, the model does not)."""
    from .config import DEFAULT_MODEL, model_path

    if model in (None, DEFAULT_MODEL):
        from .packed_e5 import UNPACK_VERSION, packed_file

        return hashlib.sha256(f"{DEFAULT_MODEL} unpack {UNPACK_VERSION} {file_sha256(packed_file())}".encode()).hexdigest()
    return model_sha256(model_path(model))


def file_sha256(path: Path) -> str:
    """The SHA-256 of one file."""
    digest = hashlib.sha256()
    _read_into(digest, path)
    return digest.hexdigest()


def _read_into(digest, path: Path) -> None:
    """Feed a file to a hash in 1 MB blocks."""
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)


def check_config(directory: Path, recorded: str | None, current: dict) -> None:
    """config.json must say what the index was committed with: a changed backend or template is damage."""
    if recorded is None:
        return
    committed = json.loads(recorded)
    changed = [f"{key} {committed[key]!r} → {current.get(key)!r}" for key in sorted(committed) if committed[key] != current.get(key)]
    if changed:
        raise IndexOpenError(
            f"{directory / 'config.json'}: differs from the configuration the index was written with "
            f"({'; '.join(changed)}); restore it (`unres check --repair`)"
        )
