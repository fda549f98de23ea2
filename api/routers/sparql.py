"""/sparql — the SPARQL 1.1 Protocol, query operation, read-only.

GET with query=, POST form-encoded, POST application/sparql-query; default-graph-uri and
named-graph-uri. Every query is screened (plgkg.screen) and run isolated (plgkg.workers)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from plgkg.errors import NotAcceptable, QueryError, QueryLimitError, ScreeningError
from plgkg.execution.cache import CachedAnswer, cacheable, entity_tag, etag_matches
from plgkg.execution.service import QueryService
from plgkg.formats import GRAPH_MEDIA_TYPES, RESULT_MEDIA_TYPES
from plgkg.namespaces import curie
from plgkg.queries import example_queries
from plgkg.stores import QueryResult
from plgkg_api import errors
from plgkg_api.html import render
from plgkg_api.i18n import language, words
from plgkg_api.middleware import secured
from plgkg_api.negotiation import choose, prefers_html
from plgkg_api.services.view import Page

router = APIRouter(tags=["SPARQL"])

RESULT_OFFERS = list(RESULT_MEDIA_TYPES)
GRAPH_OFFERS = list(GRAPH_MEDIA_TYPES)
READ_ONLY = "SPARQL Update is not accepted: this endpoint is read-only.\n"
# The query page shows at most this many rows (rendering stays cheap whatever the query); the whole
# result is a download away (format=csv, json, ...), as the page says.
SHOWN_ROWS = 500
LONG_QUERY = 2048  # characters; longer queries are screened in a thread
FORMATS = {
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
}


class ProtocolError(Exception):
    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> PlainTextResponse:
    return PlainTextResponse(message.rstrip("\n") + "\n", status_code=status, headers=headers)


def _params(raw: bytes) -> list[tuple[str, str]]:
    """Query-string or form parameters, decoded strictly as UTF-8 (bad bytes: 400)."""
    text = raw.decode("utf-8")  # non-ASCII bytes must at least be UTF-8
    return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")


def _collect(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if (
        declared
        and declared.isascii()
        and declared.isdigit()
        and (len(declared) > 12 or int(declared) > limit)
    ):
        raise ProtocolError(413, f"The request body is larger than the limit of {limit} bytes.")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ProtocolError(413, f"The request body is larger than the limit of {limit} bytes.")
    return body


async def _request_params(request: Request, service: QueryService) -> dict[str, list[str]]:
    params = _collect(_params(request.scope.get("query_string", b"")))
    if request.method != "POST":
        return params
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await _read_body(request, service.settings.max_body_bytes)
    if content_type == "application/x-www-form-urlencoded":
        for key, values in _collect(_params(body)).items():
            params.setdefault(key, []).extend(values)
    elif content_type == "application/sparql-query":
        if "query" in params:
            raise ProtocolError(400, "A query in the body must not also come as the query= parameter.")
        params["query"] = [body.decode("utf-8")]
    elif content_type == "application/sparql-update":
        raise ProtocolError(403, READ_ONLY)
    else:
        raise ProtocolError(
            415,
            f"Unsupported content type {content_type or '(none)'!r}: send application/sparql-query "
            "or application/x-www-form-urlencoded.",
        )
    return params


def _query_page(
    request: Request, query: str = "", result: QueryResult | None = None, error: str = "", status: int = 200
) -> HTMLResponse:
    shown = Page.of(
        "query.html",
        title=words(language(request))["query_title"],
        crumbs=[("SPARQL", "/sparql")],
        short=curie,
        status=status,
        query=query,
        result=result,
        error=error,
        examples=example_queries(language(request)),
        downloads=_downloads(query, result),
        # the query as it stands, as a link that runs it (sparql-editor.js keeps it up to date)
        share_url="/sparql?" + urlencode({"query": query}) if query else "/sparql",
    )
    return render(request, shown)


def _downloads(query: str, result: QueryResult | None) -> list[tuple[str, str]]:
    """Links to the whole result in each format that fits its kind: (label, href)."""
    if result is None or not query:
        return []
    kinds = (
        ("ttl", "nt", "jsonld") if result.kind in ("CONSTRUCT", "DESCRIBE") else ("csv", "tsv", "json", "xml")
    )
    return [(kind.upper(), "/sparql?" + urlencode({"query": query, "format": kind})) for kind in kinds]


async def _handle(request: Request) -> Response:
    service: QueryService = request.app.state.service
    accept = request.headers.get("accept")
    html = wants_html(accept)
    try:
        params = await _request_params(request, service)
        if "update" in params:
            raise ProtocolError(403, READ_ONLY)
        queries = params.get("query", [])
        if not queries:
            if html:
                return _query_page(request)
            raise ProtocolError(
                400, "Missing query: send it as query=… or in an application/sparql-query body."
            )
        if len(queries) > 1:
            raise ProtocolError(400, "More than one query parameter: send exactly one query.")
        query = queries[0]
        defaults = params.get("default-graph-uri", [])
        named = params.get("named-graph-uri", [])
        chosen = params.get("format", [])
        if chosen:  # a download link's way of saying what Accept says
            if chosen[0] not in FORMATS:
                raise ProtocolError(400, f"Unknown format {chosen[0]!r}; known: {', '.join(FORMATS)}.")
            response = await _answer(request, service, query, defaults, named, FORMATS[chosen[0]])
            response.headers["Content-Disposition"] = f'attachment; filename="plgkg-results.{chosen[0]}"'
            return response
        if not html:
            return await _answer(request, service, query, defaults, named, accept)
        screened = await _screened(service, query, defaults, named)
        with service.quota.slot(_client(request)):
            result = await run_in_threadpool(
                service.run,
                screened,
                default_graph_uris=defaults,
                named_graph_uris=named,
                first_rows=SHOWN_ROWS,
            )
    except ProtocolError as err:
        if html and err.status != 406:
            return _query_page(request, error=err.message, status=err.status)
        return _text(err.status, err.message)
    except ScreeningError as err:
        status = 403 if err.reason == "update" else err.status
        if err.reason == "update":
            message = READ_ONLY
        elif err.reason in ("syntax", "bad-string"):  # not a query by the grammar
            message = f"Malformed query: {err.message}"
        else:
            message = f"Query refused: {err.message}"
        if html:
            return _query_page(request, query=params.get("query", [""])[0], error=message, status=status)
        return _text(status, message)
    except QueryError as err:
        if html:
            return _query_page(request, query=query, error=f"Malformed query: {err}", status=400)
        return _text(400, f"Malformed query: {err}")
    except QueryLimitError as err:
        status = {"busy": 503, "client": 429}.get(err.reason, 400)
        headers = {"Retry-After": "1" if err.reason == "busy" else "2"} if status != 400 else None
        if html:
            return _query_page(request, query=query, error=f"Query stopped: {err}", status=status)
        return _text(status, f"Query stopped: {err}", headers)
    return _query_page(request, query=query, result=result)


async def _answer(
    request: Request,
    service: QueryService,
    query: str,
    defaults: list[str],
    named: list[str],
    accept: str | None,
) -> Response:
    """A machine client's query: from the response cache when the same request was answered on
    the same data, else screened, run and written by a worker. Errors propagate to _handle."""
    # what Accept negotiates to for each kind of query; the cache key holds these, not the header
    # itself (which the client may make huge)
    media_types = (choose(accept, RESULT_OFFERS), choose(accept, GRAPH_OFFERS))
    key = (query, tuple(defaults), tuple(named), *media_types)
    version = service.data_version()
    keep = cacheable(query)
    entry = service.cache.get(key, version) if keep else None
    if entry is None:
        try:
            with service.quota.slot(_client(request)):
                answer = await service.answer(
                    query, media_types, default_graph_uris=defaults, named_graph_uris=named
                )
        except NotAcceptable as err:
            offered = ", ".join(GRAPH_OFFERS if err.form in ("CONSTRUCT", "DESCRIBE") else RESULT_OFFERS)
            raise ProtocolError(
                406, f"Cannot answer a {err.form} query in {accept!r}; offered: {offered}."
            ) from None
        entry = CachedAnswer(answer.media_type, answer.body, entity_tag(answer.media_type, answer.body))
        if keep:
            service.cache.put(key, version, entry)
    headers = {"Vary": "Accept", "ETag": entry.etag}
    if etag_matches(request.headers.get("if-none-match"), entry.etag):
        return Response(status_code=304, headers=headers)
    return Response(entry.body, media_type=entry.media_type, headers=headers)


@router.get("/sparql", summary="SPARQL query via GET", response_class=Response)
async def sparql_get(request: Request) -> Response:
    return await _handle(request)


@router.post(
    "/sparql", summary="SPARQL query via POST (form or application/sparql-query)", response_class=Response
)
async def sparql_post(request: Request) -> Response:
    return await _handle(request)


def wants_html(accept: str | None) -> bool:
    """Whether a request to /sparql is a browser's (the query page) rather than a client's."""
    return prefers_html(accept) and choose(accept, ["text/html", *RESULT_OFFERS]) == "text/html"


async def _screened(service: QueryService, query: str, defaults: list[str], named: list[str]):
    """service.screen; a long query is read in a thread, so that the event loop answers others
    meanwhile (a 16 KiB query takes the parser up to a few hundred milliseconds)."""
    if len(query) <= LONG_QUERY:
        return service.screen(query, defaults, named)
    return await run_in_threadpool(service.screen, query, defaults, named)


def _client(request: Request) -> str:
    """Who is asking, for fair shares of the workers: the peer's address (a proxy in front must
    keep its clients apart itself)."""
    return request.client.host if request.client else "unknown"


def not_utf8(exc: UnicodeDecodeError) -> PlainTextResponse:
    return PlainTextResponse(f"The request is not valid UTF-8 ({exc.reason}).\n", status_code=400)


class SparqlFastLane:
    """Machine clients' GET and POST /sparql, answered before the framework's stack: no routing,
    no dependency machinery, none of the middleware's per-message wrappers (together most of the
    service's own time per query under load). What the stack would add comes here too: the
    security headers of every answer (plgkg_api.middleware.SecurityHeaders) and, for an unexpected
    failure, the app's one exception table. A request the lane does not fit takes the whole stack:
    a browser's (the query page), one with an Origin header (CORS answers it), HEAD and OPTIONS,
    every other path. create_app puts the lane in front of the app (plgkg_api.app.PlgkgApp)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _in_lane(scope):
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            response = await _handle(request)
        except UnicodeDecodeError as exc:
            response = not_utf8(exc)
        except Exception as exc:  # noqa: BLE001 - answered by the app's one table, as elsewhere
            response = await errors.handle(request, exc)
        headers = secured(response.raw_headers)
        await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
        await send({"type": "http.response.body", "body": response.body})


def _in_lane(scope: Scope) -> bool:
    if scope["type"] != "http" or scope["path"] != "/sparql" or scope["method"] not in ("GET", "POST"):
        return False
    accept = None
    for name, value in scope["headers"]:
        if name == b"origin":
            return False
        if name == b"accept":
            accept = value.decode("latin-1") if accept is None else f"{accept},{value.decode('latin-1')}"
    return not wants_html(accept)
