"""`unres serve`: open the index, bind the port, run uvicorn until interrupted."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from unres.index.config import default_workers
from unres.index.errors import UnresError

from .hosts import host_names

if TYPE_CHECKING:
    import uvicorn
    from fastapi import FastAPI

HEAD_TIMEOUT = 10.0  # seconds for a request line and headers to arrive, from connecting or the last response
IDLE_TIMEOUT = 5.0  # seconds a kept-alive connection may stay silent after a response


def serve(
    index: Path, host: str = "127.0.0.1", port: int = 8700, allow_hosts: Iterable[str] = (), workers: int | None = None,
) -> None:
    """Serve the API and the page over the index at `index` until Ctrl-C, answering only requests whose
    `Host` names this server (`host`, loopback names when they reach it, or one of `allow_hosts`), and
    `workers` searches at once (default: one per core).

    A missing index or a busy port fails at once, before the model loads; the model is loaded (and with
    several workers both its sessions run once, `OnnxEmbedder`'s `alone`) before the first request, so the
    first answer is as fast as the rest.
    """
    from unres.search import Searcher

    from .api import create_app
    from .live import searcher_options

    workers = workers or default_workers()
    with Searcher.open(index, **searcher_options(workers)) as searcher:
        listener = _bind(host, port)
        searcher.embed("warm-up")
        app = create_app(searcher, allowed_hosts=host_names(host, allow_hosts), workers=workers)
        where = f"[{host}]" if ":" in host else host
        print(f"unres: serving {index} at http://{where}:{listener.getsockname()[1]}/ with {workers} "
              f"worker{'s' * (workers > 1)} (Ctrl-C stops)", file=sys.stderr, flush=True)
        uvicorn_server(app).run(sockets=[listener])


def uvicorn_server(app: FastAPI, head_timeout: float = HEAD_TIMEOUT, idle_timeout: float = IDLE_TIMEOUT) -> uvicorn.Server:
    """uvicorn over `app` on HTTP/1.1 (h11), closing connections that send their request head too
    slowly or stay idle too long."""
    import uvicorn

    from .timeouts import HeadDeadline

    config = uvicorn.Config(
        app, http=partial(HeadDeadline, head_timeout=head_timeout), timeout_keep_alive=idle_timeout,
        log_level="warning", access_log=False,
    )
    return uvicorn.Server(config)


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket, or one line saying why the address cannot be used."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        # The protocol must be IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on such sockets, and
        # without it every keep-alive response waits ~40 ms for a delayed ACK.
        listener = socket.socket(family, kind, protocol)
    except OSError as error:
        raise UnresError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(128)
    except OSError as error:
        listener.close()
        raise UnresError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    return listener
