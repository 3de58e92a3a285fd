"""`Ranking`: how `Searcher.search` combines its rankings — the knobs a relevance benchmark tunes.

The defaults are the configuration chosen on the dev half of `benchmarks/relevance` (see its README);
pass another `Ranking` to measure a different one without rebuilding the index.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from unres.index.errors import QueryError

FUSIONS = ("rrf", "score")
LEXICAL = ("bm25", "fts5")


@dataclass(frozen=True)
class Ranking:
    """Fusion of the dense and lexical rankings: weighted reciprocal rank fusion, or (`fusion="score"`) a
    weighted sum of their min-max normalized scores; and the lexical ranking's weight of the heading
    field (applied at query time: no rebuild to change it)."""

    fusion: str = "rrf"
    lexical: str = "bm25"  # the lexical ranking: the index's BM25 files, or SQLite FTS5 (the ranking before them)
    pool: int = 100  # candidates each ranking contributes to hybrid fusion
    rrf_k: int = 10  # RRF's rank offset: small k trusts the top ranks more
    dense_weight: float = 2.0
    lexical_weight: float = 1.0
    heading_weight: float = 0.1  # times the BM25 of the resolution title and section heading, added to the text's
    collapse: bool = True  # one hit per paragraph text: the latest copy, the others in `Hit.also_in`
    understand: bool = True  # strip question wrappers, expand acronyms, boost body/verb/year intents (understand.py)
    expand_dense: bool = True  # acronym expansions go into the text the dense ranking embeds too, not only BM25's
    body_boost: float = 1.0  # fused score × (1 + boost) for a paragraph matching the query's intent (pipeline.py)
    verb_boost: float = 0.2
    year_boost: float = 0.5
    feedback: int = 3  # a query not in English: its lexical ranking also reads the dense ranking's first N paragraphs

    def __post_init__(self) -> None:
        if self.fusion not in FUSIONS:
            raise QueryError(f"unknown fusion {self.fusion!r}; use one of {', '.join(FUSIONS)}")
        if self.lexical not in LEXICAL:
            raise QueryError(f"unknown lexical ranking {self.lexical!r}; use one of {', '.join(LEXICAL)}")
        if not isinstance(self.pool, int) or not 1 <= self.pool <= 10_000:
            raise QueryError(f"ranking pool must be a whole number from 1 to 10000, not {self.pool!r}")
        for name in ("rrf_k", "feedback"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise QueryError(f"ranking {name} must be a whole number ≥ 0, not {value!r}")
        for name in ("understand", "expand_dense", "collapse"):
            if not isinstance(getattr(self, name), bool):
                raise QueryError(f"ranking {name} must be true or false, not {getattr(self, name)!r}")
        for name in ("dense_weight", "lexical_weight", "heading_weight", "body_boost", "verb_boost", "year_boost"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf"):
                raise QueryError(f"ranking {name} must be a number ≥ 0, not {value!r}")

    @classmethod
    def from_dict(cls, data: dict) -> Ranking:
        """A `Ranking` from JSON (e.g. `unres bench run --ranking '{"rrf_k": 20}'`); unknown keys are an error."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise QueryError(f"unknown ranking option {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return cls(**data)

    def to_dict(self) -> dict:
        return asdict(self)
