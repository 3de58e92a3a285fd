"""The citation and lineage graph as edges, written as GraphML or CSV for networkx and Gephi."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ..store import Store
from . import citegraph, lineage


@dataclass(frozen=True)
class Edge:
    """`source` → `target`: a paragraph citing a document (`cites`), or an earlier paragraph's later
    version (`version`) or near-duplicate on another item (`elsewhere`)."""

    source: str
    target: str
    relation: str  # "cites" | "version" | "elsewhere"
    via: str | None  # for cites: "text" or "footnote"
    weight: float  # word similarity for lineage, 1 for citations
    target_in_index: bool


@dataclass(frozen=True)
class Graph:
    edges: tuple[Edge, ...]


def graph_of(store: Store) -> Graph:
    """Every citation and lineage edge of the index."""
    db = store.connection
    edges = [
        Edge(pid, cited, "cites", via, 1.0, bool(known)) for pid, _, cited, via, known in citegraph.all_citations(db)
    ]
    edges += [Edge(a, b, relation, None, score, True) for a, b, relation, score in lineage.all_links(db)]
    return Graph(tuple(edges))


def to_csv(graph: Graph) -> str:
    """One edge a line: source,target,relation,via,weight,target_in_index."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["source", "target", "relation", "via", "weight", "target_in_index"])
    for e in graph.edges:
        writer.writerow([e.source, e.target, e.relation, e.via or "", e.weight, str(e.target_in_index).lower()])
    return out.getvalue()


def to_graphml(graph: Graph) -> str:
    """A directed GraphML graph: paragraph and document nodes (with a `kind`), edges with relation, via, weight."""
    from xml.sax.saxutils import quoteattr  # imported here: it loads urllib and ssl, 20 ms of every cold search

    nodes: dict[str, str] = {}
    for e in graph.edges:
        nodes.setdefault(e.source, "paragraph")
        nodes.setdefault(e.target, "document" if e.relation == "cites" else "paragraph")
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        '  <key id="kind" for="node" attr.name="kind" attr.type="string"/>',
        '  <key id="symbol" for="node" attr.name="symbol" attr.type="string"/>',
        '  <key id="relation" for="edge" attr.name="relation" attr.type="string"/>',
        '  <key id="via" for="edge" attr.name="via" attr.type="string"/>',
        '  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>',
        '  <graph id="unres" edgedefault="directed">',
    ]
    for node, kind in nodes.items():
        lines.append(
            f'    <node id={quoteattr(node)}><data key="kind">{kind}</data>'
            f"<data key=\"symbol\">{_escape(node.split('#', 1)[0])}</data></node>"
        )
    for e in graph.edges:
        lines.append(
            f"    <edge source={quoteattr(e.source)} target={quoteattr(e.target)}>"
            f'<data key="relation">{e.relation}</data><data key="via">{e.via or ""}</data>'
            f'<data key="weight">{e.weight}</data></edge>'
        )
    lines += ["  </graph>", "</graphml>", ""]
    return "\n".join(lines)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
