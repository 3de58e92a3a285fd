"""Parsing UN resolutions into paragraphs (and, later, building the search index)."""

from index.builder import BuildReport, Indexer, default_index_dir
from index.errors import IndexOpenError, ParseError, QueryError, UnresError
from index.parse import Parsed, document_paths, parse_file, parse_paths
from index.records import Footnote, Paragraph, Resolution, SubParagraph

__all__ = [
    "BuildReport",
    "IndexOpenError",
    "Indexer",
    "QueryError",
    "default_index_dir",
    "Footnote",
    "Paragraph",
    "ParseError",
    "Parsed",
    "Resolution",
    "SubParagraph",
    "UnresError",
    "document_paths",
    "parse_file",
    "parse_paths",
]
