"""Identical paragraphs from different sessions collapse into one hit, shown by its latest copy."""

from __future__ import annotations

from collections import defaultdict

from unres.evaluation.benchmark import Query, run_queries
from unres.search import Ranking


def identical_copies(searcher) -> list[str]:
    """Ids of an operative paragraph text that stands in more than one resolution of the index."""
    by_text = defaultdict(list)
    for pid, text in searcher.texts().items():
        by_text[" ".join(text.casefold().split())].append(pid)
    copies = [ids for ids in by_text.values() if len({pid.split("#")[0] for pid in ids}) > 1]
    assert copies, "the lineage subset repeats paragraphs from session 78 in session 79"
    return max(copies, key=lambda ids: len(searcher.paragraph(ids[0]).text))


def test_identical_texts_become_one_hit_with_the_latest_first(lineage_searcher):
    ids = identical_copies(lineage_searcher)
    text = lineage_searcher.paragraph(ids[0]).text
    hits = lineage_searcher.search(text, 10).hits
    top = hits[0]
    assert {top.id, *top.also_in} >= set(ids)
    assert top.session == max(lineage_searcher.paragraph(pid).session for pid in ids)
    sessions = [lineage_searcher.paragraph(pid).session for pid in top.also_in]
    assert sessions == sorted(sessions, reverse=True)
    texts = [" ".join(h.text.casefold().split()) for h in hits]
    assert len(texts) == len(set(texts)) == 10
    assert [h.rank for h in hits] == list(range(1, 11))


def test_collapse_can_be_turned_off(lineage_searcher):
    ids = identical_copies(lineage_searcher)
    text = lineage_searcher.paragraph(ids[0]).text
    hits = lineage_searcher.search(text, 10, ranking=Ranking(collapse=False)).hits
    assert set(ids) <= {h.id for h in hits}
    assert all(h.also_in == () for h in hits)


def test_a_benchmark_run_keeps_one_docid_per_paragraph(lineage_searcher):
    ids = identical_copies(lineage_searcher)
    query = Query("q", lineage_searcher.paragraph(ids[0]).text)
    lines = run_queries(lineage_searcher, [query], k=10)
    docids = [line.split()[2] for line in lines]
    assert len(lines) == 10 and len(set(docids)) == 10
    assert set(ids) <= set(docids)


def test_a_collapsed_search_still_returns_k_distinct_texts(lineage_searcher):
    # the closing clause every resolution repeats fills a window of 4·k candidates with copies
    for k in (1, 5, 20):
        hits = lineage_searcher.search("Decides to include in the provisional agenda of its session the item", k).hits
        texts = {" ".join(h.text.casefold().split()) for h in hits}
        assert len(hits) == len(texts) == k
