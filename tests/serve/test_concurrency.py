"""Eight clients at once over real HTTP get exactly the answers they get one at a time, with one worker
and with two; two workers really answer two requests at once, each with its own searcher, one model
and one count of the searches running."""

from __future__ import annotations

import asyncio
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, urlencode
from urllib.request import urlopen

import pytest

from unres.index.errors import IndexOpenError

QUERIES = [
    {"q": "a day to celebrate cooperation among southern countries", "mode": "hybrid"},
    {"q": "embargo on imports from Iraq and occupied Kuwait", "mode": "dense"},
    {"q": "human rights defenders detained", "mode": "lexical"},
    {"q": "Slovakia becoming a member of the UN", "k": 3, "body": "SC"},
    {"q": "sustainable development", "kind": "annex", "k": 20},
    {"q": "human rights", "verb": "urges", "mode": "dense", "k": 7},
    {"q": "Palestinians deciding their own future", "from": "2023"},
    {"q": "cooperation", "session": 58, "mode": "lexical"},
]
PATHS = [f"/search?{urlencode(q)}" for q in QUERIES] + [
    f"/paragraphs/{quote('A/RES/58/220#11', safe='')}/similar?k=5",
    "/paragraphs/A/RES/78/192%231",
    "/resolutions/S/RES/661(1990)",
]


def fetch(base: str, path: str) -> object:
    with urlopen(base + path, timeout=60) as response:
        assert response.status == 200
        return json.load(response)


def test_eight_concurrent_clients_match_sequential_results(live_url):
    sequential = {path: fetch(live_url, path) for path in PATHS}
    work = [path for _ in range(4) for path in PATHS]  # 44 requests, eight in flight at a time
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda path: (path, fetch(live_url, path)), work))
    assert len(answers) == len(work)
    for path, answer in answers:
        assert answer == sequential[path], path


@pytest.mark.parametrize("workers", [1, 2])
def test_two_workers_answer_two_calls_at_once(built_index, workers):
    """The first call waits for the second to start: it can only finish if both run at the same time."""
    from unres.search import Searcher
    from unres.serve.live import LiveIndex, searcher_options

    started = threading.Event()
    first_done = []

    def first(searcher):
        first_done.append(started.wait(timeout=5))
        return searcher

    def second(searcher):
        started.set()
        return searcher

    async def both():
        return await asyncio.gather(index.run(first), index.run(second))

    index = LiveIndex(Searcher.open(built_index, **searcher_options(workers)), workers)
    try:
        one, two = asyncio.run(both())
    finally:
        index.close()
    assert first_done == [workers == 2], "two workers overlap; one worker answers in turn"
    if workers == 2:
        assert one is not two and one._encoder is two._encoder is not None, "own searchers, one model"
        assert one._reader.cores is two._reader.cores is not None, "one count of the searches running (Cores)"
        with pytest.raises(IndexOpenError):
            one.search("peace", mode="lexical")  # closed with the server
