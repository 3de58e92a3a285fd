"""A deadline for each request head, which uvicorn lacks: its keep-alive timer starts only after a
response and stops at the first byte received, so a silent socket, or one header line every few
seconds (slowloris), held a connection for ever.
"""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol


class HeadDeadline(H11Protocol):
    """uvicorn's h11 protocol, closing a connection that has not sent a whole request line and headers
    within `head_timeout` seconds of connecting or of the previous response; a dripped byte does not
    restart the count."""

    def __init__(self, *args, head_timeout: float, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.head_timeout = head_timeout
        self.head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._watch_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        super().handle_events()
        self._watch_head()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._watch_head()

    def _watch_head(self) -> None:
        """Count while the client owes a request head (or a body nobody reads), not while we answer."""
        owed = self.conn.their_state is h11.IDLE or self.conn.our_state is h11.DONE
        if not owed or self.transport.is_closing():
            self._stop_head_timer()
        elif self.head_timer is None:
            self.head_timer = self.loop.call_later(self.head_timeout, self._head_too_slow)

    def _stop_head_timer(self) -> None:
        if self.head_timer is not None:
            self.head_timer.cancel()
            self.head_timer = None

    def _head_too_slow(self) -> None:
        self.head_timer = None
        if not self.transport.is_closing():
            self.transport.close()
