"""Errors raised by the library; the CLI turns them into one line on stderr."""

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


class IndexOpenError(UnresError):
    """The index directory is missing, corrupt, or was built differently (another model)."""


class QueryError(UnresError):
    """A query or filter that cannot be answered: empty, too long, an unknown verb or symbol."""
