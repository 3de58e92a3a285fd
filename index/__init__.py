"""The index: parsing (`unres.index.parse`), then storing paragraphs in SQLite and their vectors in FAISS.

It owns everything on disk and every read and write of it: `Indexer` builds and updates an index
directory (builder.py), `IndexReader` reads one committed state at a time (reader.py), `Store`,
`VectorIndex`, `LexicalIndex` and the ONNX encoder are its parts, `links` the lineage and citation
links (written and read), `filters` the filter vocabulary. Nothing outside this package touches the
store's connection. Names are loaded on first use, so importing `unres.index.parse` loads no storage stack.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

_EXPORTS = {
    "Indexer": ".builder",
    "BuildReport": ".builder",
    "IndexConfig": ".config",
    "IndexReader": ".reader",
    "IndexStats": ".stats",
    "default_index_dir": ".config",
    "Filters": ".filters",
    "Citation": ".parse",
    "Footnote": ".parse",
    "Paragraph": ".parse",
    "Parsed": ".parse",
    "Resolution": ".parse",
    "SubParagraph": ".parse",
    "document_paths": ".parse",
    "parse_file": ".parse",
    "parse_paths": ".parse",
    "UnresError": ".errors",
    "ParseError": ".errors",
    "IndexOpenError": ".errors",
    "IndexWriteError": ".errors",
    "ConfigError": ".errors",
    "QueryError": ".errors",
    "NotFoundError": ".errors",
}

__all__ = [
    "BuildReport",
    "Citation",
    "ConfigError",
    "Filters",
    "Footnote",
    "IndexConfig",
    "IndexOpenError",
    "IndexReader",
    "IndexStats",
    "IndexWriteError",
    "Indexer",
    "NotFoundError",
    "Paragraph",
    "ParseError",
    "Parsed",
    "QueryError",
    "Resolution",
    "SubParagraph",
    "UnresError",
    "default_index_dir",
    "document_paths",
    "parse_file",
    "parse_paths",
]

if TYPE_CHECKING:
    from .builder import BuildReport, Indexer
    from .config import IndexConfig, default_index_dir
    from .errors import ConfigError, IndexOpenError, IndexWriteError, NotFoundError, ParseError, QueryError, UnresError
    from .filters import Filters
    from .parse import (
        Citation,
        Footnote,
        Paragraph,
        Parsed,
        Resolution,
        SubParagraph,
        document_paths,
        parse_file,
        parse_paths,
    )
    from .reader import IndexReader
    from .stats import IndexStats


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
