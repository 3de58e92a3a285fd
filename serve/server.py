"""`unres serve`: open the index, bind the port, run uvicorn until interrupted."""

from __future__ import annotations

import ipaddress
import socket
import sys
from pathlib import Path

from unres.index.errors import UnresError


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(index: Path, host: str = "127.0.0.1", port: int = 8700) -> None:
    """Serve the API and the page over the index at `index` until Ctrl-C.

    A missing index or a busy port fails at once, before the model loads; the model is loaded
    before the first request, so the first answer is as fast as the rest.
    """
    import uvicorn

    from unres.search import Searcher

    from .api import create_app

    with Searcher.open(index) as searcher:
        listener = _bind(host, port)
        searcher.embed("warm-up")
        where = f"[{host}]" if ":" in host else host
        print(f"unres: serving {index} at http://{where}:{listener.getsockname()[1]}/ (Ctrl-C stops)", file=sys.stderr, flush=True)
        config = uvicorn.Config(create_app(searcher), log_level="warning", access_log=False)
        uvicorn.Server(config).run(sockets=[listener])


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
