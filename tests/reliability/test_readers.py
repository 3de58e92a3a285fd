"""Readers are never locked out by a writer, and a `Searcher` answers from one committed state."""

from __future__ import annotations

import threading

import pytest

from tests.conftest import GA
from tests.reliability.conftest import ROUNDS
from tests.reliability.test_writers import hold_write_lock
from unres.index import Indexer
from unres.search import Searcher

NEW = GA / "A_RES_78_64.pdf"
QUERY = "cooperation among developing countries"


def test_readers_work_while_a_writer_holds_the_lock(index_copy):
    with Searcher.open(index_copy) as searcher:
        before = [h.id for h in searcher.search(QUERY, k=5, mode="lexical").hits]
    lock = hold_write_lock(index_copy)
    try:
        lock.execute("DELETE FROM paragraphs WHERE symbol = 'A/RES/58/220'")  # uncommitted: nobody sees it
        with Searcher.open(index_copy) as searcher:
            assert [h.id for h in searcher.search(QUERY, k=5, mode="lexical").hits] == before
            assert searcher.paragraph("A/RES/58/220#11").symbol == "A/RES/58/220"
    finally:
        lock.rollback()
        lock.close()


def test_a_searcher_sees_a_commit_on_its_next_call(index_copy):
    with Searcher.open(index_copy) as searcher:
        pinned = searcher.generation
        assert len(searcher.search(QUERY, k=3, mode="dense").hits) == 3
        Indexer(index_copy).remove("A/RES/58/220")
        hits = searcher.search(QUERY, k=3, mode="dense").hits
        assert searcher.generation == pinned + 1
        assert len(hits) == 3 and all(h.symbol != "A/RES/58/220" for h in hits)
        Indexer(index_copy).add([NEW])
        assert searcher.refresh() is True and searcher.refresh() is False
        assert searcher.stats().vectors == sum(sum(k.values()) for k in searcher.stats().paragraphs.values())


@pytest.mark.parametrize("round", range(ROUNDS))
def test_searches_during_updates_never_fail_or_mix(index_copy, round):
    """A reader loops over searches while a writer adds and removes a document again and again."""
    stop = threading.Event()
    failures: list[BaseException] = []

    def writer():
        try:
            for _ in range(3):
                Indexer(index_copy).add([NEW])
                Indexer(index_copy).remove("A/RES/78/64")
        except BaseException as error:  # reported by the main thread
            failures.append(error)
        finally:
            stop.set()

    searches = 0
    with Searcher.open(index_copy) as searcher:
        thread = threading.Thread(target=writer)
        thread.start()
        while not stop.is_set() or searches < 5:
            for mode in ("dense", "lexical", "hybrid"):
                hits = searcher.search(QUERY, k=3, mode=mode).hits
                assert len(hits) == 3 and [h.rank for h in hits] == [1, 2, 3], (mode, searcher.generation, hits)
            facts = searcher.stats()
            assert facts.vectors == sum(sum(k.values()) for k in facts.paragraphs.values()), facts
            searches += 1
        thread.join(timeout=300)
    assert not failures, failures
    assert searches >= 5
