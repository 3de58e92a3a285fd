"""The query layer: ranked paragraphs in context (dense, lexical, hybrid) over an index built by `unres.index`."""

from unres.index.filters import Filters

from .hit import Hit
from .ranking import Ranking
from .searcher import Searcher

__all__ = ["Filters", "Hit", "Ranking", "Searcher"]
