"""The searchers a server answers from: one per worker thread, sharing one model, reopened when the
index directory at their path is replaced.

A `Searcher` is not safe to call from several threads at once (one SQLite connection, a filter cache),
so each worker thread has its own, made with `Searcher.sibling()`, and a request waits for a free
worker. Threads rather than processes: the model, the largest part of a searcher, is loaded once, and
onnxruntime, FAISS and SQLite release the GIL for most of a search (benchmarks/speed/serve_latency.py).
With several workers each search runs its kernels on one core (onnxruntime, BLAS and OpenMP), so that
N searches take N cores instead of fighting over all of them; a query embedded while no other is gets
every core, and so does the ranking of a search running alone (the searchers are opened with `alone`).

`rm -r idx && unres index ... --index idx` under a running server leaves its searchers reading deleted
files: old counts, new paragraphs not found. Two `stat` calls per request notice it. A new generation
of the same index is not a replacement: the searchers load those themselves.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from unres.index.config import DATABASE_FILE, default_workers
from unres.index.errors import IndexOpenError
from unres.search import Searcher

Identity = tuple[int, int, int, int]
T = TypeVar("T")


class LiveIndex:
    """`workers` searchers over the index at a path, each on its own thread. It owns them, the one it
    is given first: each is closed and reopened at its next use once the index at the path is replaced."""

    def __init__(self, searcher: Searcher, workers: int = 1) -> None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValueError(f"workers must be a whole number of at least 1, not {workers!r}")
        self.directory = searcher.directory
        self._identity = identity(self.directory)
        self._options = searcher_options(workers)
        self._searchers: list[Searcher | None] = [searcher, *(searcher.sibling() for _ in range(workers - 1))]
        self._stale: set[int] = set()  # workers whose searcher reads a replaced index
        self._model: Searcher | None = None  # the first searcher reopened over a replacement, whose model the rest share
        self._lock = threading.Lock()
        self._threads_of = [ThreadPoolExecutor(1, f"unres-searcher-{n}", _one_core) for n in range(workers)]
        self._free: asyncio.Queue[int] | None = None

    async def run(self, call: Callable[[Searcher], T]) -> T:
        """`call` on a free worker's searcher, on that worker's thread; waits while every worker is busy."""
        if self._free is None:
            self._free = asyncio.Queue()
            for worker in range(len(self._searchers)):
                self._free.put_nowait(worker)
        worker = await self._free.get()
        try:
            return await asyncio.get_running_loop().run_in_executor(self._threads_of[worker], lambda: call(self.current(worker)))
        finally:  # a cancelled request frees its worker at once; its call still runs first on that thread
            self._free.put_nowait(worker)

    def current(self, worker: int = 0) -> Searcher:
        """The worker's searcher over the index now at the path; none there: `IndexOpenError`, once per request."""
        now = identity(self.directory)
        with self._lock:
            if now != self._identity:
                self._identity = now
                self._stale = set(range(len(self._searchers)))
                self._model = None
            if worker in self._stale:
                self._stale.discard(worker)
                self._close(worker)
            if now is None:
                self._close(worker)
                raise IndexOpenError(f"{self.directory}: no index here any more (deleted, or not yet rebuilt)")
            searcher = self._searchers[worker]
            if searcher is None:  # reopen, sharing the model of the first worker that did
                searcher = self._model.sibling() if self._model is not None else Searcher.open(self.directory, **self._options)
                self._searchers[worker] = searcher
                self._model = self._model or searcher
            return searcher

    def close(self) -> None:
        """Release the index files (a deleted index's disk space is freed only then) and the threads."""
        for worker in range(len(self._searchers)):
            self._close(worker)
        for thread in self._threads_of:
            thread.shutdown(wait=False)

    def _close(self, worker: int) -> None:
        searcher, self._searchers[worker] = self._searchers[worker], None
        if searcher is not None:
            searcher.close()


def searcher_options(workers: int) -> dict:
    """How a server of `workers` workers opens its searchers: with several, each query embedded on one core,
    and on every core when no other is being embedded; a search running alone ranks on every core (`Cores`)."""
    return {"threads": 1, "alone": default_workers()} if workers > 1 else {"alone": default_workers()}


def _one_core() -> None:
    """Run this worker thread's BLAS and OpenMP kernels (numpy, FAISS) on one core: N searches take N
    cores, and no BLAS thread spins on a core after its product (a server's ran every request at
    twice its time in CPU); a search running alone splits its product itself (`Cores`)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def identity(directory: Path) -> Identity | None:
    """The directory's and its database's (device, inode), or None if either is missing. The open
    database keeps its inode allocated, so a new database never takes the old one's number."""
    try:
        folder, database = os.stat(directory), os.stat(directory / DATABASE_FILE)
    except OSError:
        return None
    return folder.st_dev, folder.st_ino, database.st_dev, database.st_ino
