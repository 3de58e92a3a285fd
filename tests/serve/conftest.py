"""The app over the shared six-document index: in-process (TestClient) and on a real local port (uvicorn)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


@pytest.fixture(scope="session")
def app(searcher):
    from unres.serve.api import create_app
    from unres.serve.hosts import LOOPBACK_NAMES

    return create_app(searcher, allowed_hosts=(*LOOPBACK_NAMES, "testserver"))  # TestClient's Host


@pytest.fixture(scope="session")
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as opened:
        yield opened


@contextmanager
def serving(server) -> Iterator[tuple[str, int]]:
    """A uvicorn `server` on a free port of 127.0.0.1, in a thread of this process: its (host, port) while inside."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # so asyncio sets TCP_NODELAY
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield listener.getsockname()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


@pytest.fixture(scope="session", params=[1, 2], ids=["one worker", "two workers"])
def live_url(request, built_index):
    """The app over its own searcher, served by uvicorn on a free port of 127.0.0.1 in a thread of this
    process, with one worker and with two (as `unres serve --workers 2` opens it)."""
    import uvicorn

    from unres.search import Searcher
    from unres.serve.api import create_app
    from unres.serve.live import searcher_options

    workers = request.param
    with Searcher.open(built_index, **searcher_options(workers)) as searcher:
        app = create_app(searcher, workers=workers)
        with serving(uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))) as (host, port):
            yield f"http://{host}:{port}"
