"""The API's pydantic models document the same JSON the library's result dataclasses produce: field
by field, name and type, so the two shapes cannot drift."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from unres.index.links import citegraph, graph, lineage, textdiff
from unres.index.parse import records
from unres.index.stats import IndexStats
from unres.search import facets, hit, understand
from unres.serve import models

PAIRS = [
    (records.Footnote, models.Footnote),
    (records.SubParagraph, models.SubParagraph),
    (records.Paragraph, models.Paragraph),
    (records.Resolution, models.Resolution),
    (hit.Explanation, models.Explanation),
    (hit.Hit, models.Hit),
    (understand.Expansion, models.Expansion),
    (understand.Understanding, models.Understood),
    (hit.SearchResult, models.SearchResults),
    (facets.Facet, models.Facet),
    (facets.FacetValue, models.FacetValue),
    (IndexStats, models.Stats),
    (textdiff.Span, models.Span),
    (lineage.Version, models.Version),
    (lineage.Related, models.Related),
    (lineage.Lineage, models.Lineage),
    (citegraph.Citing, models.Citing),
    (citegraph.CitingResolution, models.CitingResolution),
    (citegraph.CitedBy, models.CitedBy),
    (graph.Edge, models.Edge),
    (graph.Graph, models.Graph),
]
NOT_JSON = {"warnings", "terms"}  # kept on the records, left out of their JSON (`to_dict`)
COMPUTED = {hit.Hit: [("reference", "str")]}  # properties `to_dict` adds after the fields
RENAMED = {"Understanding": "Understood", "SearchResult": "SearchResults", "IndexStats": "Stats"}


def as_model_type(annotation: str) -> str:
    """A dataclass annotation as the model writes it: tuples are JSON arrays, a few records renamed."""
    annotation = re.sub(r"tuple\[([\w.]+), \.\.\.\]", r"list[\1]", annotation)
    return re.sub(r"\w+", lambda m: RENAMED.get(m.group(), m.group()), annotation)


def written(annotation: object) -> str:
    """A model's resolved annotation as source writes it: `str`, `list[Hit]`, `int | None`."""
    if isinstance(annotation, type) and not getattr(annotation, "__args__", None):
        return annotation.__name__
    return re.sub(r"(?:typing|unres\.serve\.models)\.", "", str(annotation)).replace("NoneType", "None")


@pytest.mark.parametrize(("record", "model"), PAIRS, ids=[model.__name__ for _, model in PAIRS])
def test_each_model_has_the_records_fields_and_types(record, model):
    expected = [(f.name, as_model_type(f.type)) for f in fields(record) if f.name not in NOT_JSON] + COMPUTED.get(record, [])
    documented = [(name, written(info.annotation)) for name, info in model.model_fields.items()]
    assert documented == expected
