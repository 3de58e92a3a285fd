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

from .citegraph import CitedBy, Citing, CitingResolution, cited_by, normalize
from .counts import LinkCounts, link_counts
from .graph import Edge, Graph, graph_of, to_csv, to_graphml
from .items import ItemLink, items_of
from .lineage import DEFAULT_THRESHOLDS, Lineage, Related, Thresholds, Version, lineage_of
from .linking import LINKS_VERSION, present, relink, require, update

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
