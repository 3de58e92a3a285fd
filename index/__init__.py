"""Parsing UN resolutions into paragraphs (and, later, building the search index)."""

from index.errors import ParseError, UnresError
from index.parse import Parsed, document_paths, parse_file, parse_paths
from index.records import Footnote, Paragraph, Resolution, SubParagraph

__all__ = [
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
