"""The index a server answers from, reopened when the directory at its path is replaced.

`rm -r idx && unres index ... --index idx` under a running server leaves its `Searcher` reading
deleted files: old counts, new paragraphs not found. Two `stat` calls per request notice it. A new
generation of the same index is not a replacement: the `Searcher` loads those itself.
"""

from __future__ import annotations

import os
from pathlib import Path

from unres.index.config import DATABASE_FILE
from unres.index.errors import IndexOpenError
from unres.search import Searcher

Identity = tuple[int, int, int, int]


class LiveIndex:
    """One `Searcher` over the index at a path, reopened when the directory or its database there is
    no longer the one it opened. It owns the searcher it holds and closes it once the index is replaced."""

    def __init__(self, searcher: Searcher) -> None:
        self.directory = searcher.directory
        self._searcher: Searcher | None = searcher
        self._identity = identity(self.directory)

    def current(self) -> Searcher:
        """The searcher over the index now at the path; none there: `IndexOpenError`, once per request."""
        now = identity(self.directory)
        if now is None:
            self.close()
            raise IndexOpenError(f"{self.directory}: no index here any more (deleted, or not yet rebuilt)")
        if now != self._identity or self._searcher is None:
            self.close()
            self._searcher = Searcher.open(self.directory)
            self._identity = now
        return self._searcher

    def close(self) -> None:
        """Release the index files (a deleted index's disk space is freed only then)."""
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = None


def identity(directory: Path) -> Identity | None:
    """The directory's and its database's (device, inode), or None if either is missing. The open
    database keeps its inode allocated, so a new database never takes the old one's number."""
    try:
        folder, database = os.stat(directory), os.stat(directory / DATABASE_FILE)
    except OSError:
        return None
    return folder.st_dev, folder.st_ino, database.st_dev, database.st_ino
