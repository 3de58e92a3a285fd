"""unres: semantic search over UN resolutions, one paragraph at a time.

The package's parts live in the repository's top-level folders: `unres.index` (parsing and the
index), `unres.search` (the query layer), `unres.evaluation` (relevance benchmarking) and
`unres.cli` (the command line). The names below are loaded on first use, so `import unres` stays
cheap and importing the parser never loads the storage stack.
"""

from __future__ import annotations

import os
from importlib import import_module
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# onnxruntime (the query encoder) otherwise keeps a device id and a row per session under
# ~/.cache/Microsoft/DeveloperTools/: a log of searches nobody asked for. It reads this once, at import.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

_EXPORTS = {
    "Searcher": "unres.search",
    "Hit": "unres.search",
    "Filters": "unres.index",
    "Indexer": "unres.index",
    "BuildReport": "unres.index",
    "Resolution": "unres.index.parse",
    "Paragraph": "unres.index.parse",
    "Footnote": "unres.index.parse",
    "SubParagraph": "unres.index.parse",
    "parse_file": "unres.index.parse",
    "parse_paths": "unres.index.parse",
    "UnresError": "unres.index.errors",
    "ParseError": "unres.index.errors",
    "IndexOpenError": "unres.index.errors",
    "IndexWriteError": "unres.index.errors",
    "ConfigError": "unres.index.errors",
    "QueryError": "unres.index.errors",
    "NotFoundError": "unres.index.errors",
}

__all__ = [
    "BuildReport",
    "ConfigError",
    "Filters",
    "Footnote",
    "Hit",
    "IndexOpenError",
    "IndexWriteError",
    "Indexer",
    "NotFoundError",
    "Paragraph",
    "ParseError",
    "QueryError",
    "Resolution",
    "Searcher",
    "SubParagraph",
    "UnresError",
    "parse_file",
    "parse_paths",
]

if TYPE_CHECKING:
    from unres.index import BuildReport, Filters, Indexer
    from unres.index.errors import (
        ConfigError,
        IndexOpenError,
        IndexWriteError,
        NotFoundError,
        ParseError,
        QueryError,
        UnresError,
    )
    from unres.index.parse import Footnote, Paragraph, Resolution, SubParagraph, parse_file, parse_paths
    from unres.search import Hit, Searcher


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'unres' has no attribute {name!r}")
