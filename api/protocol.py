"""HTTP bounds below the application: uvicorn's httptools protocol with limits on what a client may
hold open or send before the app sees a request (issue 11).

uvicorn bounds neither the size of request headers nor the time a client takes to send them, and the
httptools binding joins a header's pieces by concatenation (quadratic in the number of pieces): one
128 MiB header stalled every other request for seconds, and a thousand half-sent requests stayed
open. This protocol counts the bytes of a request's head before the parser sees them and answers 431
past `max_header_bytes`; a head not complete within `header_timeout_s` of its first byte (or of the
previous response) gets 408 and the connection is closed; a body not complete within `body_timeout_s`
of its head closes the connection too. The number of connections is capped by uvicorn's
`limit_concurrency` (503 past it), which `plgkg serve` sets, and one client address may hold at most
`max_connections_per_client` of them (more are answered 503 and closed), so that one address's
half-sent requests cannot take the connections everybody else needs.

The bounds come from the uvicorn Config that `plgkg serve` builds (attributes `plgkg_max_header_bytes`,
`plgkg_header_timeout_s`, `plgkg_body_timeout_s`, `plgkg_max_connections_per_client`);
plgkg.service.HttpBounds' defaults otherwise.
"""

from __future__ import annotations

import asyncio
from collections import Counter

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from plgkg.settings import HttpBounds

DEFAULTS = HttpBounds()


def _plain(status: bytes, message: str) -> bytes:
    body = message.encode("ascii")
    return b"".join(
        [
            b"HTTP/1.1 ",
            status,
            b"\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ",
            str(len(body)).encode("ascii"),
            b"\r\nconnection: close\r\n\r\n",
            body,
        ]
    )


TOO_LARGE = _plain(b"431 Request Header Fields Too Large", "Request headers too large.\n")
TOO_SLOW = _plain(b"408 Request Timeout", "The request was not sent in time.\n")
TOO_MANY = _plain(b"503 Service Unavailable", "Too many connections from your address.\n")


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """HttpToolsProtocol with a size limit on request heads and time limits on heads and bodies."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.max_header_bytes = getattr(self.config, "plgkg_max_header_bytes", DEFAULTS.max_header_bytes)
        self.header_timeout_s = getattr(self.config, "plgkg_header_timeout_s", DEFAULTS.header_timeout_s)
        self.body_timeout_s = getattr(self.config, "plgkg_body_timeout_s", DEFAULTS.body_timeout_s)
        self._in_head = True
        self._head_bytes = 0
        self._refused = False
        self._guard: asyncio.TimerHandle | None = None
        # connections per client address, shared by all connections of this server
        per_client = self.server_state.__dict__.setdefault("plgkg_per_client", Counter())
        self._address = self.client[0] if self.client else ""
        per_client[self._address] += 1
        limit = getattr(self.config, "plgkg_max_connections_per_client", DEFAULTS.max_connections_per_client)
        if per_client[self._address] > limit:
            self._refuse(TOO_MANY)
            return
        self._arm(self.header_timeout_s)

    # -- timers ----------------------------------------------------------------------------------

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._guard = self.loop.call_later(seconds, self._expired)

    def _disarm(self) -> None:
        if self._guard is not None:
            self._guard.cancel()
            self._guard = None

    def _expired(self) -> None:
        self._guard = None
        if self.transport.is_closing() or self._refused:
            self.transport.close()
            return
        if self._in_head:
            self._refuse(TOO_SLOW)
        else:
            self.transport.close()

    def _refuse(self, response: bytes) -> None:
        """Answer and end the connection without losing the answer: send it, end our side, read and
        drop what the client still sends for a moment (closing with unread data would reset the
        connection, and the client might never see the answer), then close."""
        self._refused = True
        self.connections.discard(self)  # a refused connection no longer counts against the cap
        self.transport.write(response)
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self._disarm()
        self._guard = self.loop.call_later(1.0, self.transport.close)

    # -- bytes in --------------------------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # dropped: the answer is on its way
        if not self._in_head:
            super().data_received(data)
            return
        allowance = self.max_header_bytes - self._head_bytes
        if len(data) <= allowance:
            self._head_bytes += len(data)
            super().data_received(data)
            return
        # feed what the head may still take; if the head is still not complete, it is too large
        self._head_bytes = self.max_header_bytes
        if allowance > 0:
            super().data_received(data[:allowance])
        if self._in_head and not self.transport.is_closing():
            self._refuse(TOO_LARGE)
            return
        if not self.transport.is_closing():
            super().data_received(data[allowance:])

    # -- parser events ---------------------------------------------------------------------------

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._arm(self.body_timeout_s)
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._disarm()
        self._in_head, self._head_bytes = True, 0  # what comes next is the next request's head
        super().on_message_complete()

    def eof_received(self) -> bool | None:
        if self._refused:
            self.transport.close()
            return None
        return super().eof_received()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm(self.header_timeout_s)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        per_client = self.server_state.__dict__.get("plgkg_per_client")
        if per_client is not None:
            per_client[self._address] -= 1
            if per_client[self._address] <= 0:
                del per_client[self._address]
        super().connection_lost(exc)
