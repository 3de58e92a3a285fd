"""Parse files of any supported format into `Resolution` records, detecting the format from content."""

from __future__ import annotations

import codecs
import hashlib
import multiprocessing
import os
import stat
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..errors import ParseError
from .assembly import strip_control
from .blocks import strip_format
from .records import Resolution

SUFFIXES = (".pdf", ".txt")
MAX_DOCUMENT_BYTES = 50 * 2**20  # far above any real resolution (the largest corpus PDF is under 1 MB)
# Byte-order marks, UTF-32's before UTF-16's (the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Where text of Latin letters in each wide encoding has its NUL bytes, by byte position modulo 4.
_NUL_BYTES = (
    ("utf-32-le", (False, True, True, True)), ("utf-32-be", (True, True, True, False)),
    ("utf-16-le", (False, True, False, True)), ("utf-16-be", (True, False, True, False)),
)


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
    text = strip_format(strip_control(decode_text(path, data)))
    from .sc import looks_like_sc, read_sc

    if looks_like_sc(text):
        return read_sc(text, path, sha256)
    if "General Assembly" in text:
        from .ga import build_ga
        from .rendering import read_rendering

        return build_ga(read_rendering(text), path, sha256)
    raise ParseError(path, "not a UN resolution (no General Assembly or Security Council heading)")


def decode_text(path: str | Path, data: bytes) -> str:
    """A text document's characters: UTF-8, or UTF-16 or UTF-32 as its byte-order mark says or, without one,
    as the NUL bytes beside its Latin letters show (how Windows tools save "Unicode" text). Other data with
    NUL bytes is binary; bytes the encoding cannot decode are a `ParseError` naming it and the offset."""
    encoding, start = _encoding(data)
    if encoding is None:
        raise ParseError(path, "binary data, not a PDF or text document")
    try:
        return data[start:].decode(encoding)
    except UnicodeDecodeError as error:
        name = encoding.upper().removesuffix("-LE").removesuffix("-BE")
        raise ParseError(path, f"not {name} text (invalid byte at offset {start + error.start}); convert it to UTF-8") from None


def _encoding(data: bytes) -> tuple[str | None, int]:
    """The encoding of a text document and the length of its byte-order mark; None for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    sample = data[:4096]
    if b"\x00" not in sample:
        return "utf-8", 0
    units = len(sample) // 4
    shares = [sample[k : 4 * units : 4].count(0) / units for k in range(4)] if units else []
    if shares and all(share >= 0.75 or share <= 0.25 for share in shares):
        nul = tuple(share >= 0.75 for share in shares)
        return next((encoding for encoding, where in _NUL_BYTES if where == nul), None), 0
    return None, 0


@dataclass(frozen=True)
class Parsed:
    """The outcome for one file: its resolution, the error that stopped it, or `skipped` when the
    caller's `skip` said its content (by `sha256`) is unchanged. `warnings` name structure the parser
    kept as printed but found suspicious (a paragraph number out of sequence)."""

    path: Path
    resolution: Resolution | None = None
    error: ParseError | None = None
    sha256: str | None = None
    skipped: bool = False
    warnings: tuple[str, ...] = ()


def document_paths(paths: str | Path | Iterable[str | Path]) -> Iterator[Path]:
    """The files named, and every supported file below each directory named, in sorted order.

    A single path is accepted as well as a list of them. Below a directory only regular files are
    taken (never a FIFO or device); a path named directly is yielded for `read_file` to judge, and so is
    a directory that cannot be listed (`chmod 000`): reading it fails as an unreadable file does.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(_below(path))
        else:
            yield path


def _below(directory: Path) -> Iterator[Path]:
    """The supported files below `directory` (symbolic links to folders not followed), and the folders
    below it that cannot be listed."""
    unlisted: list[Path] = []
    for folder, _, names in os.walk(directory, onerror=lambda error: unlisted.append(Path(error.filename))):
        for name in names:
            path = Path(folder, name)
            if path.suffix.lower() in SUFFIXES and path.is_file():
                yield path
    yield from unlisted


def parse_paths(
    paths: str | Path | Iterable[str | Path],
    *,
    workers: int = 1,
    skip: Callable[[str], bool] | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    runner: Callable[[Iterator[Parsed | tuple[Path, bytes, str]]], Iterator[Parsed]] | None = None,
) -> Iterator[Parsed]:
    """Parse every document under `paths` in input order, reporting each failure without stopping the others.

    Files are read and hashed here (a file over `max_bytes` is a failure); `skip(sha256)` true yields
    the file as skipped, unparsed. The rest are parsed in this process, or in `workers` processes
    (`default_workers()` for one per CPU). A pool's workers import the calling script, so a script
    that asks for one must guard its entry point with `if __name__ == "__main__":`, as every
    multiprocessing program must; the default of one process asks nothing of the caller. A `runner`
    (`RayEngine.parse`) takes the jobs instead: outcomes as they are, (path, bytes, sha256) to parse.
    """
    workers = max(1, workers)
    jobs = (_read(path, skip, max_bytes) for path in document_paths(paths))
    if runner is not None:
        yield from runner(jobs)
        return
    if workers == 1:
        for job in jobs:
            yield job if isinstance(job, Parsed) else parse_job(*job)
        return
    yield from _pooled(jobs, workers)


def _read(path: Path, skip: Callable[[str], bool] | None, max_bytes: int) -> Parsed | tuple[Path, bytes, str]:
    """A file's bytes and hash for a worker, or its outcome when it cannot be read or is to be skipped."""
    try:
        data = read_file(path, max_bytes)
    except ParseError as error:
        return Parsed(path, error=error)
    sha256 = hashlib.sha256(data).hexdigest()
    if skip is not None and skip(sha256):
        return Parsed(path, sha256=sha256, skipped=True)
    return path, data, sha256


def parse_job(path: Path, data: bytes, sha256: str) -> Parsed:
    """Parse one document's bytes (in a worker process or in-process)."""
    try:
        resolution = parse_data(path, data, sha256)
    except ParseError as error:
        return Parsed(path, error=error, sha256=sha256)
    return Parsed(path, resolution=resolution, sha256=sha256, warnings=resolution.warnings)


def _pooled(jobs: Iterator[Parsed | tuple[Path, bytes, str]], workers: int) -> Iterator[Parsed]:
    """Run the jobs in a process pool, a bounded number in flight, yielding outcomes in input order.

    Workers come from a fork server (a clean single-threaded process), never by forking this one:
    the caller may hold threads (torch's and FAISS's OpenMP pools, the tokenizer's, an embedding
    thread), and a child forked from a multi-threaded process inherits their locks held and dies or
    hangs when it touches them.
    """
    context = multiprocessing.get_context("forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn")
    window: deque[Future[Parsed] | Parsed] = deque()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for job in jobs:
            window.append(job if isinstance(job, Parsed) else pool.submit(parse_job, *job))
            while len(window) > 4 * workers:
                yield _outcome(window.popleft())
        while window:
            yield _outcome(window.popleft())


def _outcome(item: Future[Parsed] | Parsed) -> Parsed:
    return item if isinstance(item, Parsed) else item.result()
