"""What an index directory owns, and the locks that keep two writes from touching the same files.

An index writes a fixed set of names and nothing else; cleanup removes only those, and inside its own
folders (`encoder/`, `lexical.<generation>/`) only the file names it writes there, so a user's file is
never deleted or replaced. A directory becomes an index only if it is new or empty, or holds the
marker (`.unres-index`) that creating an index writes first and removes at its first commit. While
the marker is there, every write takes an exclusive lock on it, so a second run creating the same
index waits, then adds to the index the first one made (or creates it, if the first one failed). One
thread cannot take a write lock of an index it is already writing (a write started from a progress
callback would wait for itself forever): that is an error.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .config import CONFIG_FILE
from .errors import ConfigError, IndexWriteError

MARKER_FILE = ".unres-index"

_writing: dict[str, set[int]] = {}  # index directory -> the threads of this process writing it
_writing_lock = threading.Lock()


def creating(directory: Path) -> bool:
    """True while an index in `directory` is being created (or a creation was interrupted): its marker is there."""
    return (directory / MARKER_FILE).is_file()


def refuse_foreign(directory: Path) -> None:
    """A new index may go into a missing or empty directory, or one an unfinished creation marked; else one line."""
    if directory.exists() and not directory.is_dir():
        raise ConfigError(f"{directory}: not a directory; choose another --index")
    if not directory.is_dir() or creating(directory):
        return
    try:
        entries = sorted(_entries(directory))
    except OSError as error:
        raise ConfigError(f"{directory}: cannot read the directory ({error.strerror or error})") from None
    if entries:
        shown = ", ".join(entries[:3]) + (f" and {len(entries) - 3} more" if len(entries) > 3 else "")
        raise ConfigError(f"{directory}: not an unres index and not empty (holds {shown}); choose another --index")


def remove_folder(folder: Path, names: frozenset[str]) -> None:
    """Remove one of the index's own folders: the files named `names` (what it writes there), then the
    folder if nothing else is left."""
    try:
        for path in folder.iterdir():
            if path.name in names and not path.is_dir():
                path.unlink(missing_ok=True)
        folder.rmdir()
    except OSError:  # missing, not ours in part, or unwritable: what is left stays
        pass


def replace_folder(staging: Path, target: Path, names: frozenset[str]) -> None:
    """Put a finished `staging` folder in place of the index's own folder `target`; a `target` holding
    anything but `names` is refused before anything in it is touched."""
    if target.is_dir():
        foreign = sorted(p.name for p in target.iterdir() if p.name not in names or p.is_dir())
        if foreign:
            raise IndexWriteError(f"{target}: holds files unres did not write ({', '.join(foreign[:3])}); move them away and try again")
    elif target.exists():
        raise IndexWriteError(f"{target}: not a folder; move it away and try again")
    remove_folder(target, names)
    os.replace(staging, target)


@contextmanager
def creation_lock(directory: Path, wait: bool, waiting: Callable[[], None]) -> Iterator[None]:
    """Hold the lock of creating an index in `directory` (making the directory and the marker first), or
    nothing if another run finished creating it meanwhile. The marker goes when the block ends well (the
    first commit is made); after a failure that left nothing else, too, so the directory is empty again.
    """
    marker = directory / MARKER_FILE
    descriptor = _locked_marker(directory, marker, wait, waiting)
    try:
        yield
    except BaseException:
        try:
            if descriptor is not None and [p.name for p in directory.iterdir()] == [MARKER_FILE]:
                marker.unlink()
        except OSError:
            pass
        raise
    else:
        if descriptor is not None:
            marker.unlink(missing_ok=True)
    finally:
        if descriptor is not None:
            os.close(descriptor)  # releases the lock


def _locked_marker(directory: Path, marker: Path, wait: bool, waiting: Callable[[], None]) -> int | None:
    """An open descriptor of the marker, locked, the marker made first if missing; None once the index
    exists and no creation is under way (a creation this run waited for has committed)."""
    told = False
    while True:
        if (directory / CONFIG_FILE).is_file() and not creating(directory):
            return None
        refuse_foreign(directory)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(marker, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise IndexWriteError(f"{directory}: cannot create the index ({error.strerror or error})") from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if told else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(descriptor)
            if not wait:
                raise IndexWriteError(f"{directory}: another unres process is creating this index; try again when it is done") from None
            waiting()
            told = True
            continue
        try:
            if os.fstat(descriptor).st_ino == os.stat(marker).st_ino:
                return descriptor
        except FileNotFoundError:
            pass
        os.close(descriptor)  # the marker this run locked was removed meanwhile: look again


@contextmanager
def writing(directory: Path) -> Iterator[None]:
    """Mark this thread as writing `directory` while inside; a nested write of the same index is an error."""
    key = os.path.realpath(directory)
    me = threading.get_ident()
    with _writing_lock:
        threads = _writing.setdefault(key, set())
        if me in threads:
            raise IndexWriteError(
                f"{directory}: this thread is already writing this index (a write started inside another write, "
                "for instance from its progress callback, would wait for itself); start it after that write returns"
            )
        threads.add(me)
    try:
        yield
    finally:
        with _writing_lock:
            threads.discard(me)
            if not threads:
                _writing.pop(key, None)


def _entries(directory: Path) -> Iterator[str]:
    """Names in `directory`, sub-folders shown with what they hold (`encoder/my-thesis.txt`)."""
    for path in directory.iterdir():
        if path.is_dir() and not path.is_symlink():
            inside = sorted(p.name for p in path.iterdir())
            yield f"{path.name}/{inside[0]}" if inside else f"{path.name}/"
        else:
            yield path.name
