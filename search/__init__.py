"""The query layer: ranked paragraphs in context (dense, lexical, hybrid) over an index built by `unres.index`.

It owns reading a query (`understand`, `fts`, `query`), ranking (`pipeline`, `fusion`, `ranking`),
result shapes (`hit`: `Hit`, `SearchResult`), trends, and the `Searcher` façade that applications,
the CLI and the HTTP API call. Reading the index itself (snapshots, links, stats) is `unres.index`'s.
"""

from unres.index.filters import Filters

from .hit import Hit, SearchResult
from .ranking import Ranking
from .searcher import Searcher

__all__ = ["Filters", "Hit", "Ranking", "SearchResult", "Searcher"]
