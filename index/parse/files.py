"""Parse files of any supported format into `Resolution` records, detecting the format from content."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import ParseError
from .records import Resolution

SUFFIXES = (".pdf", ".txt")
MAX_DOCUMENT_BYTES = 50 * 2**20  # far above any real resolution (the largest corpus PDF is under 1 MB)


def read_file(path: str | Path, max_bytes: int = MAX_DOCUMENT_BYTES) -> bytes:
    """A document's bytes; a directory, a FIFO or device, a file over `max_bytes`, an unreadable or an
    empty file is a `ParseError` naming it. Opened without blocking, so a FIFO never hangs the run."""
    path = Path(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except IsADirectoryError:
        raise ParseError(path, "is a directory") from None
    except OSError as error:
        raise ParseError(path, f"cannot be read ({error.strerror or error})") from None
    with os.fdopen(descriptor, "rb") as handle:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise ParseError(path, "is a directory")
        if not stat.S_ISREG(mode):
            raise ParseError(path, f"is not a regular file (a {_kind(mode)}); give a PDF or text file")
        try:
            data = handle.read(max_bytes + 1)
        except OSError as error:
            raise ParseError(path, f"cannot be read ({error.strerror or error})") from None
    if len(data) > max_bytes:
        raise ParseError(path, f"is larger than the {_megabytes(max_bytes)} limit per document")
    if not data.strip():
        raise ParseError(path, "is empty")
    return data


def _kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    for test, name in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"),
                       (stat.S_ISSOCK, "socket")):
        if test(mode):
            return name
    return "special file"


def _megabytes(size: int) -> str:
    return f"{size / 2**20:g} MB" if size >= 2**20 else f"{size} bytes"


def parse_file(path: str | Path) -> Resolution:
    """Parse one GA PDF, GA text rendering or SC text; raise `ParseError` naming the file otherwise."""
    return parse_data(path, read_file(path))


def parse_data(path: str | Path, data: bytes, sha256: str | None = None) -> Resolution:
    """Parse a document already read from `path` (its `sha256` computed here unless given)."""
    path = Path(path)
    sha256 = sha256 or hashlib.sha256(data).hexdigest()
    if data.startswith(b"%PDF"):
        from .ga import build_ga
        from .pdf import read_pdf

        return build_ga(read_pdf(path, data), path, sha256)
    if b"\x00" in data[:4096]:
        raise ParseError(path, "binary data, not a PDF or text document")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ParseError(path, f"not UTF-8 text (invalid byte at offset {error.start}); convert it to UTF-8") from None
    from .sc import looks_like_sc, read_sc

    if looks_like_sc(text):
        return read_sc(text, path, sha256)
    if "General Assembly" in text:
        from .ga import build_ga
        from .rendering import read_rendering

        return build_ga(read_rendering(text), path, sha256)
    raise ParseError(path, "not a UN resolution (no General Assembly or Security Council heading)")


@dataclass(frozen=True)
class Parsed:
    """The outcome for one file: its resolution, or the error that stopped it."""

    path: Path
    resolution: Resolution | None = None
    error: ParseError | None = None


def document_paths(paths: str | Path | Iterable[str | Path]) -> Iterator[Path]:
    """The files named, and every supported file below each directory named, in sorted order.

    A single path is accepted as well as a list of them. Below a directory only regular files are
    taken (never a FIFO or device); a path named directly is yielded for `read_file` to judge.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            yield path


def parse_paths(paths: str | Path | Iterable[str | Path]) -> Iterator[Parsed]:
    """Parse every document under `paths`, reporting each failure without stopping the others."""
    for path in document_paths(paths):
        try:
            yield Parsed(path, resolution=parse_file(path))
        except ParseError as error:
            yield Parsed(path, error=error)
