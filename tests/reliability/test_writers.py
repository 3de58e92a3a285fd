"""One writer at a time: a second writer waits (or fails with one line), never loses a vector."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from tests.conftest import GA
from tests.reliability.conftest import ROUNDS, one_error_line, run_cli
from unres.index import Indexer
from unres.index.check import check_index
from unres.index.errors import IndexWriteError, NotFoundError
from unres.search import Searcher

NEW = GA / "A_RES_78_64.pdf"
REMOVED = "S/RES/661(1990)"


def hold_write_lock(directory):
    """What another writer looks like from outside: an open write transaction on the index."""
    connection = sqlite3.connect(directory / "unres.sqlite", isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    return connection


@pytest.mark.parametrize("round", range(ROUNDS))
def test_two_writers_race_and_lose_nothing(index_copy, round):
    barrier = threading.Barrier(2, timeout=120)
    waited: list[str] = []
    outcome: dict[str, object] = {}

    def at_write(stage: str, done: int, total: int) -> None:
        if stage == "write" and done == 0:
            barrier.wait()  # both writers have parsed and embedded: now they race for the lock

    def adder():
        outcome["add"] = Indexer(index_copy, progress=at_write, on_wait=waited.append).add([NEW])

    def remover():
        outcome["remove"] = Indexer(index_copy, progress=at_write, on_wait=waited.append).remove([REMOVED, REMOVED])

    threads = [threading.Thread(target=adder), threading.Thread(target=remover)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert outcome["add"].added == 1 and outcome["remove"].removed == 1
    assert all(message.startswith("waiting for another unres index on") for message in waited)
    report = check_index(index_copy)
    assert report.problems == () and report.vectors == report.paragraphs
    with Searcher.open(index_copy) as searcher:
        symbols = {h.symbol for h in searcher.search("Iraq Kuwait sanctions", k=50, mode="dense").hits}
        assert REMOVED not in symbols
        added = searcher.resolution("A/RES/78/64").operative[0].id
        assert len(searcher.similar(added, k=3)) == 3


def test_second_writer_waits_with_a_message(index_copy):
    lock = hold_write_lock(index_copy)
    waited: list[str] = []
    done = threading.Event()

    def remove():
        Indexer(index_copy, on_wait=waited.append).remove(REMOVED)
        done.set()

    thread = threading.Thread(target=remove)
    thread.start()
    assert not done.wait(1.0), "the second writer did not wait for the lock"
    assert waited == [f"waiting for another unres index on {index_copy}…"]
    lock.rollback()
    lock.close()
    thread.join(timeout=60)
    assert done.is_set()
    with Searcher.open(index_copy) as searcher, pytest.raises(NotFoundError):
        searcher.resolution(REMOVED)


def test_no_wait_is_a_clear_error_and_changes_nothing(index_copy):
    lock = hold_write_lock(index_copy)
    try:
        with pytest.raises(IndexWriteError, match="another unres process is writing this index"):
            Indexer(index_copy, wait=False).remove(REMOVED)
        line = one_error_line(run_cli("remove", "--no-wait", "--index", str(index_copy), REMOVED))
        assert "another unres process is writing this index" in line
    finally:
        lock.rollback()
        lock.close()
    with Searcher.open(index_copy) as searcher:
        assert searcher.resolution(REMOVED).symbol == REMOVED


def test_remove_the_same_symbol_twice_counts_once(index_copy):
    result = run_cli("remove", "--index", str(index_copy), REMOVED, REMOVED, "S/RES/800(1993)")
    assert result.returncode == 0 and result.stdout.decode().strip().endswith(": 2 removed")
