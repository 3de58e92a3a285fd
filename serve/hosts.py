"""The `Host` names the server answers to: a page elsewhere that rebinds its own name to this machine
(DNS rebinding) reaches the port, but its requests still carry its own name, and get a 400.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from .http_errors import error

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
ANY_ADDRESS = frozenset({"0.0.0.0", "::"})


def host_names(bound: str, allow: Iterable[str] = ()) -> frozenset[str]:
    """The names a server bound to `bound` answers to: that address, the loopback names when this
    machine can reach it through them (bound to loopback or to every address), and `allow`."""
    names = {normal_host(bound), *(header_host(name) for name in allow)}
    if normal_host(bound) in ANY_ADDRESS or is_loopback(bound):
        names |= LOOPBACK_NAMES
    return frozenset(names)


def normal_host(name: str) -> str:
    """One spelling per name: lower case, no trailing dot, no IPv6 brackets, an address in its short form."""
    name = name.strip().lower().rstrip(".").removeprefix("[").removesuffix("]")
    try:
        return str(ipaddress.ip_address(name))
    except ValueError:
        return name


def header_host(value: str) -> str:
    """The name of a `Host` header value without its port (`[::1]:8700` → `::1`); anything else after
    the name is kept, so the value matches no name."""
    if value.startswith("["):
        name, close, port = value[1:].partition("]")
        well_formed = close and (not port or (port[0] == ":" and port[1:].isdigit()))
        return normal_host(name) if well_formed else value
    name, colon, port = value.partition(":")
    return normal_host(name if colon and port.isdigit() else value)


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class HostCheck:
    """ASGI middleware: a request whose `Host` is not one of `names` gets a 400 before any work."""

    def __init__(self, app: ASGIApp, names: frozenset[str]) -> None:
        self.app = app
        self.names = names

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            value = dict(scope.get("headers", ())).get(b"host", b"").decode("latin-1")
            if header_host(value) not in self.names:
                shown = value[:100] or "(none)"
                await error(400, f"Host {shown!r} is not a name this server answers to; a reverse proxy's name "
                                 "must be given with --allow-host")(scope, receive, send)
                return
        await self.app(scope, receive, send)
