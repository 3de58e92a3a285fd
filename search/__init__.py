"""The query layer: ranked paragraphs in context, over an index built by `index`."""

from search.hit import Hit
from search.searcher import MODES, Searcher

__all__ = ["Hit", "MODES", "Searcher"]
