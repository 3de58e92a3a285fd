"""Errors raised by the library, one type per kind of failure; the CLI turns each into one line on stderr."""

from __future__ import annotations

from pathlib import Path


class UnresError(Exception):
    """Base class of every error the library raises on purpose."""


class ParseError(UnresError):
    """A file could not be read as a resolution."""

    def __init__(self, path: str | Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem

    def __reduce__(self):
        """Rebuild from path and problem, so the error crosses a process pool intact."""
        return type(self), (self.path, self.problem)


class ConfigError(UnresError):
    """An option for building an index is invalid (unknown backend, bad template, missing model); nothing was written."""


class IndexOpenError(UnresError):
    """The index directory is missing, corrupt, or was built differently (another model)."""


class IndexWriteError(UnresError):
    """The index could not be updated (disk full, read-only, a constraint broken); the previous state is kept."""


class QueryError(UnresError):
    """A query or filter that cannot be answered: empty, too long, an unknown mode, kind, verb or date."""


class NotFoundError(QueryError):
    """A paragraph id or resolution symbol that is not in the index."""
