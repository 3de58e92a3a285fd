"""Retrieval from one snapshot: the dense and lexical rankings of a query among the filtered rows, put
through the pipeline (fuse → boost → collapse), as hits."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

import numpy as np

from unres.index.errors import QueryError
from unres.index.filters import Filters
from unres.index.reader import Snapshot
from unres.index.store import StoredParagraph

from . import facets, pipeline
from .fts import fts_every, fts_query, query_terms
from .hit import Hit, SearchResult
from .language import ENGLISH
from .query import MAX_K
from .ranking import Ranking
from .spelling import suggest
from .syntax import Syntax
from .understand import Understanding, strip_wrapper

COLLAPSE_DEPTH = 4  # a collapsing search ranks this many times k paragraphs to find k distinct texts
SORTED_DEPTH = 100  # a query in another language sorted by date: its best this many, latest first
# Candidates each ranking gives hybrid fusion for the first pages: what `unres bench run` (k 100, so 400
# ranked) measured the default on; deeper pages add levels of 4 times as many (`_rank`).
FIRST_DEPTH = 400


def search(
    snapshot: Snapshot, syntax: Syntax, understand: Callable[[str], Understanding], embed: Callable[[str], np.ndarray] | None,
    k: int, filters: Filters, mode: str, ranking: Ranking, explain: bool, offset: int = 0, sort: str = "relevance",
) -> SearchResult:
    """A search, the grammar applied: phrases and exclusions restrict the candidates; a resolution the
    query names puts its paragraphs first, in their order when the query has nothing else to look for,
    else ranked by the rest of the query, and other resolutions' after. The result says whether any
    paragraph matches, how many hold every word and how they divide (facets), and offers a spelling for
    words the index never uses. Hits start at rank `offset + 1`; `sort="date"` lists the matches latest first."""
    named = {m: symbol for m in syntax.mentions if (symbol := snapshot.store.resolve_symbol(m.symbol))}
    symbols = tuple(dict.fromkeys(named.values()))
    words = syntax.without(tuple(named)) if named else syntax.text
    filters = replace(filters, phrases=(*filters.phrases, *syntax.phrases), excluded=(*filters.excluded, *syntax.excluded))
    if not words and not symbols:
        raise QueryError("nothing to look for: the query only excludes words")
    read = understand(words) if words else Understanding(syntax.query, syntax.query)  # a look-up has no intents
    understood = replace(read, query=syntax.query, phrases=filters.phrases, excluded=filters.excluded, symbols=symbols)
    within = replace(filters, symbols=symbols) if symbols and not filters.symbols else filters
    page = {"offset": offset, "sort": sort}
    if symbols and fts_query(strip_wrapper(words)) is None:
        found = counted(snapshot, in_order(snapshot, within, offset + k)[offset:])
        counts = facets.count(snapshot.store, None, within)
        return SearchResult(syntax.query, understood, tuple(found), tuple(query_terms(understood.text)), bool(found),
                            total=counts.total, facets=counts.facets, **page)
    english = understood.language == ENGLISH
    match = fts_every(snapshot.store.query_text(understood.topic), snapshot.store.phrase_match)
    counted_in = within if sort == "date" else filters  # latest first lists the named resolution's matches
    counts = (facets.count(snapshot.store, match, counted_in) if match else facets.Counts(0, ())) if english else None
    terms = tuple(query_terms(understood.expanded))
    if sort == "date" and english:
        found = by_date(snapshot, match, within, k, offset) if match else []
    else:
        dense_text = understood.expanded if ranking.expand_dense else understood.text
        vector = None
        if embed is not None and mode != "lexical":
            snapshot.rows(within)  # read first: the model may still be loading (a cold search)
            snapshot.rows(filters)
            vector = embed(dense_text)
        depth = max(offset + k, SORTED_DEPTH) if sort == "date" else offset + k
        found = hits(snapshot, understood, vector, depth, within, mode, ranking, explain)
        if within is not filters:
            seen = {hit.id for hit in found}
            found += [hit for hit in hits(snapshot, understood, vector, depth, filters, mode, ranking, explain) if hit.id not in seen]
        if sort == "date":  # another language than the corpus's: only the ranking says what matches
            found.sort(key=lambda hit: (hit.adopted or "", hit.symbol), reverse=True)
        found = [replace(hit, rank=rank) for rank, hit in enumerate(found[:depth], 1)][offset:offset + k]
    suggestion = suggest(syntax.query, snapshot.lexical, snapshot.store) if english else None
    found = counted(snapshot, found)
    held = bool(counts and counts.total) and counted_in is filters  # holding every word, they hold a word
    return SearchResult(syntax.query, understood, tuple(found), terms, bool(found) and (held or matches(snapshot, understood, filters, ranking)),
                        suggestion, counts.total if counts else None, counts.facets if counts else (), **page)


def similar(snapshot: Snapshot, stored: StoredParagraph, k: int, kinds: Iterable[str] | None) -> list[Hit]:
    """The `k` texts closest to a stored paragraph among those of `kinds` (default its own), itself left out,
    each shown once by its latest copy, ranking deeper while copies of a few texts fill the window."""
    rows = snapshot.rows(Filters(kinds=tuple(kinds or (stored.paragraph.kind,))))
    vector = snapshot.vectors.vector(stored.row)

    def rank(depth: int) -> list[pipeline.Ranked]:
        found = [(row, score) for row, score in snapshot.vectors.search(vector, depth + 1, rows) if row != stored.row]
        return [pipeline.Ranked(row, score, None, place, score) for place, (row, score) in enumerate(found[:depth], 1)]

    return counted(snapshot, _as_hits(snapshot, _distinct(snapshot, rank, k), explain=False))


def counted(snapshot: Snapshot, found: list[Hit]) -> list[Hit]:
    """The hits with their link counts: versions before and after, paragraphs citing their resolution."""
    counts = snapshot.link_counts(hit.id for hit in found)
    return [hit.counted(counts.get(hit.id)) for hit in found]


def by_date(snapshot: Snapshot, match: str, filters: Filters, k: int, offset: int) -> list[Hit]:
    """The paragraphs passing `filters` that hold every word (`match`), latest adopted first, from `offset`."""
    rows = snapshot.store.rows_by_date(match, filters, k, offset)
    stored = snapshot.store.paragraphs(rows)
    return [Hit.of(stored[row], offset + rank, 0.0) for rank, row in enumerate(rows, 1) if row in stored]


def matches(snapshot: Snapshot, understood: Understanding, filters: Filters, ranking: Ranking) -> bool:
    """Whether some paragraph passing the filters holds a word of the query: a dense ranking always has
    a first hit, however unrelated. Similarity cannot say it (multilingual-e5-small gives random letters
    and real Chinese questions the same cosines, 0.81-0.87), so a query in another language than the
    corpus's, which only the model can match, counts as matching."""
    return understood.language != ENGLISH or bool(_lexical(snapshot, understood.expanded, 1, filters, ranking))


def in_order(snapshot: Snapshot, filters: Filters, k: int) -> list[Hit]:
    """The first `k` paragraphs passing `filters`, resolution by resolution (in `filters.symbols`' order)
    and in each in document order: a look-up by symbol."""
    order = {symbol: i for i, symbol in enumerate(filters.symbols)}
    stored = snapshot.store.paragraphs(snapshot.store.filtered_rows(filters))
    first = sorted(stored.values(), key=lambda p: (order.get(p.symbol, len(order)), p.symbol, p.position))[:k]
    return [Hit.of(paragraph, rank, 0.0) for rank, paragraph in enumerate(first, 1)]


def hits(
    snapshot: Snapshot, understood: Understanding, vector: np.ndarray | None, k: int,
    filters: Filters, mode: str, ranking: Ranking, explain: bool,
) -> list[Hit]:
    """The hits of a search: ranked, boosted and (unless `ranking.collapse` is off) one per distinct
    text, ranking deeper while copies of a few texts fill the window and more paragraphs are ranked."""
    def rank(depth: int) -> list[pipeline.Ranked]:
        return _rank(snapshot, understood, vector, depth, filters, mode, ranking)

    if ranking.collapse:
        groups = _distinct(snapshot, rank, k)
    else:
        groups = [pipeline.Group(r.row, r.score, r.explanation) for r in rank(k)]
    return _as_hits(snapshot, groups, explain)


def _distinct(snapshot: Snapshot, rank: Callable[[int], list[pipeline.Ranked]], k: int) -> list[pipeline.Group]:
    """The first `k` distinct texts of a ranking (`pipeline.collapse`), asking `rank` for `COLLAPSE_DEPTH`
    times as many paragraphs, and deeper while copies of a few texts fill the window and it has more."""
    depth = min(MAX_K, k * COLLAPSE_DEPTH)
    while True:
        ranked = rank(depth)
        groups = pipeline.collapse(ranked, snapshot.store.copies([r.row for r in ranked]), k)
        if len(groups) >= k or len(ranked) < depth or depth >= MAX_K:
            return groups
        depth = min(MAX_K, depth * COLLAPSE_DEPTH)


def _as_hits(snapshot: Snapshot, groups: list[pipeline.Group], explain: bool) -> list[Hit]:
    """Each group as a hit at its place: its shown paragraph, the other copies' ids in `also_in`."""
    stored = snapshot.store.paragraphs([g.row for g in groups])
    ids = snapshot.store.ids([row for g in groups for row in g.also])
    return [
        Hit.of(stored[g.row], rank, g.score, g.explanation if explain else None, tuple(ids[r] for r in g.also))
        for rank, g in enumerate(groups, 1) if g.row in stored
    ]


def _rank(
    snapshot: Snapshot, understood: Understanding, vector: np.ndarray | None, k: int,
    filters: Filters, mode: str, ranking: Ranking,
) -> list[pipeline.Ranked]:
    """The first `k` of the mode's ranking, fused and (hybrid, for a query with intents) boosted. Hybrid fuses
    level by level, `FIRST_DEPTH` candidates from each ranking and then `COLLAPSE_DEPTH` times as many, each
    level adding only what the levels before did not rank: however deep a page asks, the ranking before it
    is the same, so the next page goes on from where the last one ended."""
    if mode != "hybrid":
        return _fused(snapshot, understood, vector, k, filters, mode, ranking, k)[0]
    ranked: list[pipeline.Ranked] = []
    seen: set[int] = set()
    depth = max(ranking.pool, FIRST_DEPTH)
    while True:  # a level's first k + len(seen) rows hold the k it adds, if it has them
        fused, exhausted = _fused(snapshot, understood, vector, depth, filters, mode, ranking, k + len(seen))
        level = [r for r in fused if r.row not in seen]
        ranked += level
        seen.update(r.row for r in level)
        if len(ranked) >= k or exhausted or depth >= MAX_K:
            return ranked[:k]
        depth = min(MAX_K, depth * COLLAPSE_DEPTH)


def _fused(
    snapshot: Snapshot, understood: Understanding, vector: np.ndarray | None, depth: int,
    filters: Filters, mode: str, ranking: Ranking, limit: int,
) -> tuple[list[pipeline.Ranked], bool]:
    """The first `limit` of the mode's ranking of the first `depth` of each ranking, and whether no
    ranking had more to give. Boosts reorder the whole fused ranking; without them only `limit` rows
    are made records (a hybrid search fuses some 700)."""
    dense = snapshot.vectors.search(vector, depth, snapshot.rows(filters), snapshot.product) if vector is not None else []
    lexical = _lexical(snapshot, _lexical_text(snapshot, understood, dense, ranking), depth, filters, ranking) if mode != "dense" else []
    boosted = mode == "hybrid" and understood.intents
    ranked = pipeline.fuse(dense, lexical, mode, ranking, None if boosted else limit)
    if boosted:
        ranked = pipeline.boost(ranked, snapshot.store.facets([r.row for r in ranked]), understood, ranking)[:limit]
    return ranked, len(dense) < depth and len(lexical) < depth


def _lexical_text(snapshot: Snapshot, understood: Understanding, dense: list[tuple[int, float]], ranking: Ranking) -> str:
    """What the lexical ranking reads: the query (acronyms spelled out); for a query in another language
    than the corpus's English, also the words of the dense ranking's first `ranking.feedback` paragraphs,
    so that BM25 can weigh in where the query's own words (names, numbers, acronyms aside) match nothing."""
    if understood.language == ENGLISH or not ranking.feedback or not dense:
        return understood.expanded
    feedback = snapshot.store.texts([row for row, _ in dense[: ranking.feedback]])
    return " ".join([understood.expanded, *feedback.values()])


def _lexical(snapshot: Snapshot, text: str, depth: int, filters: Filters, ranking: Ranking) -> list[tuple[int, float]]:
    """BM25 of the index's lexical files among the filtered rows; SQLite FTS5 when asked (`Ranking.lexical`),
    for an index made before them, or a query whose only words are stop words (which BM25 leaves out)."""
    if ranking.lexical == "bm25" and snapshot.lexical is not None:
        selection = snapshot.rows(filters)
        rows = None if selection is None else selection.rows
        ranked = snapshot.lexical.rank(text, depth, rows, heading_weight=ranking.heading_weight)
        if ranked is not None:
            return ranked
    match = fts_query(snapshot.store.query_text(text), snapshot.store.phrase_match)
    return snapshot.store.lexical(match, filters, depth) if match else []
