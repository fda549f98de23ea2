"""The one table that turns what the domain raises into HTTP answers (as Prez does), so that no
failure of a store, a limit or a value reaches a client as a 500 with a class name or a remote
server's error body in it, and every route answers the same failure the same way.

| raised | status |
| --- | --- |
| NotFound (no resource with that id), an unknown path | 404 |
| UnknownNames (ids that no resource has, e.g. a profile's interventions) | 400, naming the closest |
| ScreeningError (a refused query) | its own status (400, 403 for updates, 413) |
| QueryLimitError: busy, rows, memory, crash | 503 with Retry-After |
| QueryLimitError: client (its share of the workers is in use) | 429 with Retry-After |
| QueryLimitError: timeout | 503 with Retry-After (504 when a remote store timed out) |
| QueryError (a value the store would not take) | 400 |
| StoreError (a remote store that does not answer) | 502 with Retry-After |
| HTTPException (a status a route or the framework chose: 405, …) | its own status |
| anything else | 500 "internal error", logged with its traceback, nothing more said |

API paths (/api/...) answer JSON `{"detail": ...}`; a browser (text/html acceptable) gets an HTML page
in the site's style with the same message; every other client plain text.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException

from plgkg.errors import QueryError, QueryLimitError, RemoteTimeout, ScreeningError, StoreError
from plgkg_api.html import render
from plgkg_api.i18n import language, words
from plgkg_api.negotiation import prefers_html
from plgkg_api.services.reader import NotFound, UnknownNames
from plgkg_api.services.reconcile import ReconcileError
from plgkg_api.services.view import Page

LOG = logging.getLogger("plgkg.api")
JSON_PATHS = ("/api/", "/reconcile")  # answered in JSON whatever the client accepts
RETRY_AFTER = {"Retry-After": "2"}
# the words of an error page's heading, by status (else "error")
HEADINGS = {
    404: "error_not_found",
    429: "error_busy",
    502: "error_store",
    503: "error_busy",
    504: "error_store",
}


def _answer(
    request: Request,
    status: int,
    message: str,
    headers: dict[str, str] | None = None,
    extra: dict | None = None,
) -> Response:
    if request.url.path.startswith(JSON_PATHS):
        return JSONResponse({"detail": message, **(extra or {})}, status_code=status, headers=headers)
    if prefers_html(request.headers.get("accept")):
        t = words(language(request))
        heading = t[HEADINGS.get(status, "error")]
        shown = Page.of(
            "error.html",
            title=heading,
            status=status,
            headers=headers,
            heading=heading,
            message=message,
            status_code=status,
        )
        return render(request, shown)
    return PlainTextResponse(message.rstrip("\n") + "\n", status_code=status, headers=headers)


async def not_found(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotFound)
    return _answer(request, 404, str(exc))


async def unknown_names(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, UnknownNames)
    closest = [{"id": name, "closest": near} for name, near in exc.closest.items()]
    return _answer(request, 400, str(exc), extra={"unknown": closest})


async def reconcile_error(request: Request, exc: Exception) -> Response:
    return _answer(request, 400, f"Bad reconciliation request: {exc}")


async def http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404 and exc.detail == "Not Found":
        message = f"Not found: nothing is served at {request.url.path}."
    else:
        message = str(exc.detail)
    return _answer(request, exc.status_code, message, dict(exc.headers or {}) or None)


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
    NotFound: not_found,
    UnknownNames: unknown_names,
    ReconcileError: reconcile_error,
    HTTPException: http_exception,
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
