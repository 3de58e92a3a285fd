"""Parsing: files (GA PDFs, GA text renderings, SC texts) into `Resolution` records.

Readers (`pdf`, `rendering`, `sc`) turn a file into blocks or chunks; assembly (`ga`, `sc`,
`assembly`) builds the paragraphs; the lexicon (`verbs`), `citations` and `footnotes` fill them in.
Imports nothing of the store, numpy, faiss or torch.
"""

from .citations import Citation
from .files import Parsed, document_paths, parse_file, parse_paths
from .records import Footnote, Paragraph, Resolution, SubParagraph

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
