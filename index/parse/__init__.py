"""Parsing: files (GA PDFs, GA text renderings, SC texts) into `Resolution` records.

Readers (`pdf`, `rendering`, `sc`) turn a file into blocks or chunks; assembly (`ga`, `sc`,
`assembly`) builds the paragraphs; the lexicon (`verbs`), `citations` and `footnotes` fill them in.
Imports nothing of the store, numpy, faiss or torch. Names are loaded on first use, so a reader of the
records (`unres.index.parse.records`, as a search is) loads no parser.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

_EXPORTS = {
    "Citation": ".citations",
    "Footnote": ".records",
    "Paragraph": ".records",
    "Parsed": ".files",
    "Resolution": ".records",
    "SubParagraph": ".records",
    "document_paths": ".files",
    "parse_file": ".files",
    "parse_paths": ".files",
}

__all__ = [
    "Citation",
    "Footnote",
    "Paragraph",
    "Parsed",
    "Resolution",
    "SubParagraph",
    "document_paths",
    "parse_file",
    "parse_paths",
]

if TYPE_CHECKING:
    from .citations import Citation
    from .files import Parsed, document_paths, parse_file, parse_paths
    from .records import Footnote, Paragraph, Resolution, SubParagraph


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
