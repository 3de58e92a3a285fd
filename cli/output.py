"""Where the commands write: standard output, whose failure ends a command in one line (a full disk) or quietly
(a reader that went away), and output files, checked before any work starts and written or reported in one line."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from unres.index.errors import UnresError

from .common import warn

BROKEN_PIPE_EXIT = 141  # 128 + SIGPIPE: the status of a C program that wrote to a pipe nobody reads any more


class OutputError(UnresError):
    """An output file that cannot be written: found before any work, or when writing it."""


class StandardOutputError(Exception):
    """Standard output failed. Not an UnresError, so it passes every `errors()` block up to `standard_output`."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.errno = error.errno


class _CheckedStream:
    """Standard output whose write and flush failures are StandardOutputError, whoever writes (print, rich, typer)."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as error:
            raise StandardOutputError(error) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as error:
            raise StandardOutputError(error) from None

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextmanager
def standard_output() -> Iterator[None]:
    """Run a command with standard output checked and flushed here, not at interpreter exit where a failure cannot
    be reported: a closed pipe ends it quietly (exit 141), any other failure in one line (exit 1). A command that
    failed already said why and keeps its status."""
    stream = sys.stdout
    if stream is None:  # started with standard output closed: nothing is printed, as before
        yield
        return
    sys.stdout = _CheckedStream(stream)
    code = None
    try:
        try:
            yield
        except SystemExit as exited:
            code = exited.code
            raise
        finally:
            sys.stdout.flush()
    except StandardOutputError as error:
        sys.stdout = stream
        with contextlib.suppress(AttributeError, OSError, ValueError):  # a stream without a descriptor keeps its buffer
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())  # what is still buffered goes nowhere at exit, without a message
            os.close(devnull)
        if code not in (0, None):
            raise SystemExit(code) from None
        if error.errno == errno.EPIPE:
            raise SystemExit(BROKEN_PIPE_EXIT) from None
        warn(f"standard output: {error}")
        raise SystemExit(1) from None
    finally:
        if isinstance(sys.stdout, _CheckedStream):
            sys.stdout = stream


def check_output(path: Path) -> None:
    """Fail before any work unless `path` can be written: a regular file, or a new one in an existing, writable
    directory. A directory, a device or a pipe is refused rather than written beside or into."""
    try:
        found = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        found = None
    except OSError as error:
        raise OutputError(f"{path}: cannot write ({error.strerror or error})") from None
    if found is not None:
        if stat.S_ISDIR(found.st_mode):
            raise OutputError(f"{path}: is a directory; name a file")
        if not stat.S_ISREG(found.st_mode):
            raise OutputError(f"{path}: not a regular file (a device, pipe or socket); name a file")
        if not os.access(path, os.W_OK):
            raise OutputError(f"{path}: cannot write (permission denied)")
        return
    directory = path.parent
    try:
        parent = directory.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise OutputError(f"{path}: cannot write (no directory {directory})") from None
    except OSError as error:
        raise OutputError(f"{path}: cannot write ({error.strerror or error})") from None
    if not stat.S_ISDIR(parent.st_mode):
        raise OutputError(f"{path}: cannot write ({directory} is not a directory)")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: cannot write (permission denied in {directory})")


def write_file(path: Path, data: bytes) -> None:
    """Write a file `check_output` passed; a failure is one line, and the half-written file is removed (its old
    content went when it was opened), so it cannot later be read as a whole one."""
    try:
        file = open(path, "wb")
    except OSError as error:
        raise OutputError(f"{path}: cannot write ({error.strerror or error})") from None
    try:
        with file:
            file.write(data)
    except OSError as error:
        if not path.is_symlink():
            with contextlib.suppress(OSError):
                path.unlink()
        raise OutputError(f"{path}: cannot write ({error.strerror or error})") from None
