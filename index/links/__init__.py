"""Links between paragraphs and documents, both sides: written at index time inside the builder's
transaction (`update`, `relink`) and read back as results (`lineage_of`, `cited_by`, `graph_of`).

- `lineage`: a paragraph's versions in other years' resolutions on the same item, with word diffs
  (`textdiff`), and the same language elsewhere.
- `items`: which resolutions are on one item (same title, renamed, or a Council resolution citing the
  one it follows), and which of their sections answer each other.
- `citegraph`: which paragraphs cite which documents, in their text or their footnotes.
- `graph`: every edge of both, as GraphML or CSV.

Only this package and the store read its tables; callers outside `unres.index` pass a `Store`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

# Names are loaded on first use, so a search (which reads `counts`) imports none of the linking code.
_EXPORTS = {
    "CitedBy": ".citegraph", "Citing": ".citegraph", "CitingResolution": ".citegraph", "cited_by": ".citegraph",
    "normalize": ".citegraph",
    "LinkCounts": ".counts", "link_counts": ".counts", "present": ".counts", "require": ".counts",
    "Edge": ".graph", "Graph": ".graph", "graph_of": ".graph", "to_csv": ".graph", "to_graphml": ".graph",
    "ItemLink": ".items", "items_of": ".items",
    "DEFAULT_THRESHOLDS": ".lineage", "Lineage": ".lineage", "Related": ".lineage", "Thresholds": ".lineage",
    "Version": ".lineage", "lineage_of": ".lineage",
    "LINKS_VERSION": ".linking", "relink": ".linking", "update": ".linking",
}

__all__ = [
    "DEFAULT_THRESHOLDS",
    "LINKS_VERSION",
    "CitedBy",
    "Citing",
    "CitingResolution",
    "Edge",
    "Graph",
    "ItemLink",
    "LinkCounts",
    "Lineage",
    "Related",
    "Thresholds",
    "Version",
    "cited_by",
    "graph_of",
    "items_of",
    "link_counts",
    "lineage_of",
    "normalize",
    "present",
    "relink",
    "require",
    "to_csv",
    "to_graphml",
    "update",
]

if TYPE_CHECKING:
    from .citegraph import CitedBy, Citing, CitingResolution, cited_by, normalize
    from .counts import LinkCounts, link_counts, present, require
    from .graph import Edge, Graph, graph_of, to_csv, to_graphml
    from .items import ItemLink, items_of
    from .lineage import DEFAULT_THRESHOLDS, Lineage, Related, Thresholds, Version, lineage_of
    from .linking import LINKS_VERSION, relink, update


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
