"""The one table that turns what the domain raises into HTTP answers (as Prez does), so that no
failure of a store, a limit or a value reaches a client as a 500 with a class name or a remote
server's error body in it.

| raised | status |
| --- | --- |
| ScreeningError (a refused query) | its own status (400, 403 for updates, 413) |
| QueryLimitError: busy, rows, memory, crash | 503 with Retry-After |
| QueryLimitError: client (its share of the workers is in use) | 429 with Retry-After |
| QueryLimitError: timeout | 503 with Retry-After (504 when a remote store timed out) |
| QueryError (a value the store would not take) | 400 |
| StoreError (a remote store that does not answer) | 502 |
| anything else | 500 "internal error", logged with its traceback, nothing more said |

API paths (/api/...) answer JSON `{"detail": ...}`, every other path plain text.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from plgkg.errors import QueryError, QueryLimitError, RemoteTimeout, ScreeningError, StoreError

LOG = logging.getLogger("plgkg.api")
RETRY_AFTER = {"Retry-After": "2"}


def _answer(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    return PlainTextResponse(message.rstrip("\n") + "\n", status_code=status, headers=headers)


async def screening_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ScreeningError)
    return _answer(request, exc.status, f"Query refused: {exc.message}")


async def query_limit(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, QueryLimitError)
    status = 429 if exc.reason == "client" else 503
    return _answer(request, status, f"Not answered now: {exc}", RETRY_AFTER)


async def remote_timeout(request: Request, exc: Exception) -> Response:
    return _answer(request, 504, "The store did not answer in time.")


async def query_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, QueryError)
    LOG.info("a query failed on %s: %s", request.url.path, exc)
    return _answer(request, 400, "The request names something the store cannot look up.")


async def store_error(request: Request, exc: Exception) -> Response:
    LOG.warning("the store failed on %s: %s", request.url.path, exc)
    return _answer(request, 502, "The store did not answer; try again later.", RETRY_AFTER)


async def unexpected(request: Request, exc: Exception) -> Response:
    LOG.error("internal error on %s", request.url.path, exc_info=exc)
    return _answer(request, 500, "Internal error.")


# Most specific first: handlers are looked up along each exception's class hierarchy.
HANDLERS: dict[type[Exception], Callable[[Request, Exception], Awaitable[Response]]] = {
    ScreeningError: screening_error,
    QueryLimitError: query_limit,
    RemoteTimeout: remote_timeout,
    QueryError: query_error,
    StoreError: store_error,
    Exception: unexpected,
}


async def handle(request: Request, exc: Exception) -> Response:
    """The table's answer for exc, for code that runs outside FastAPI's routing (the SPARQL fast lane)."""
    for kind in type(exc).__mro__:
        if kind in HANDLERS:
            return await HANDLERS[kind](request, exc)
    return await unexpected(request, exc)
