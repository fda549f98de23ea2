"""/reconcile: the W3C Entity Reconciliation API (0.2) for OpenRefine and other clients — the manifest,
query batches (GET or POST, queries= or query=), suggestions and the preview card. Each route reads
its parameters, asks api.services.reconcile and answers; errors are api.errors's (400 for bad input)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, TypeVar
from urllib.parse import parse_qsl

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from plgkg_api.html import render
from plgkg_api.i18n import language
from plgkg_api.services.reader import NotFound
from plgkg_api.services.reconcile import MAX_TEXT, ReconcileError, Reconciler, parse_queries, parse_query
from plgkg_api.services.view import Page

router = APIRouter(prefix="/reconcile", tags=["Reconciliation"])
T = TypeVar("T")

Text = Annotated[str, Query(max_length=MAX_TEXT)]
# the preview is shown in a frame of another site (OpenRefine's): it may be framed, and runs nothing
PREVIEW_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors *"
)


def _reconciler(request: Request) -> Reconciler:
    state = request.app.state
    return Reconciler(state.search, state.catalogue, state.schools)


async def _params(request: Request) -> dict[str, str]:
    """The request's parameters: the query string, and for POST the form body (OpenRefine's way,
    application/x-www-form-urlencoded, UTF-8; the body's size is bounded by the app)."""
    params = dict(request.query_params)
    if request.method == "POST":
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media != "application/x-www-form-urlencoded":
            raise ReconcileError(
                f"send the form as application/x-www-form-urlencoded, not {media or '(no content type)'}"
            )
        try:
            body = (await request.body()).decode("utf-8")
        except UnicodeDecodeError:
            raise ReconcileError("the form is not UTF-8") from None
        params.update(parse_qsl(body, keep_blank_values=True, max_num_fields=20))
    return params


@router.get("", summary="Manifest, or the answers to a batch of queries")
async def service(request: Request) -> JSONResponse:
    """Without `queries` or `query`: the service manifest. With `queries` (a JSON object of query
    objects: `query`, `type`, `limit`, `properties`): the candidates for each, with `score` and
    `match`. With `query` (one query, as text or object): its candidates."""
    params = await _params(request)
    reconciler, lang = _reconciler(request), language(request)
    if "queries" in params:
        batch = parse_queries(params["queries"])
        return JSONResponse(await _run(reconciler.answer, batch, lang))
    if "query" in params:
        raw = params["query"]
        try:
            one = json.loads(raw) if raw.lstrip().startswith("{") else raw
        except ValueError as err:
            raise ReconcileError(f"query is not JSON: {err}") from None
        answer = await _run(reconciler.answer, {"q": parse_query("query", one)}, lang)
        return JSONResponse(answer["q"])
    settings = request.app.state.settings
    return JSONResponse(reconciler.manifest(settings.public_url, lang))


@router.post("", summary="The answers to a batch of queries (a form, as OpenRefine sends it)")
async def service_form(request: Request) -> JSONResponse:
    """The same as GET, with the parameters in an application/x-www-form-urlencoded body."""
    return await service(request)


async def _run(function: Callable[..., T], *args: object) -> T:
    """The answer, computed in a thread (the search index is read, the catalogue may be queried)."""
    return await run_in_threadpool(function, *args)


@router.get("/suggest/entity", summary="Entities whose names start with the prefix")
def suggest_entity(
    request: Request,
    prefix: Text = "",
    type: Text | None = None,
    cursor: Annotated[int, Query(ge=0, le=1000)] = 0,
) -> dict:
    return {"result": _reconciler(request).suggest_entity(prefix, type, cursor, language(request))}


@router.get("/suggest/type", summary="Types whose names hold the prefix")
def suggest_type(request: Request, prefix: Text = "") -> dict:
    return {"result": _reconciler(request).suggest_type(prefix, language(request))}


@router.get("/suggest/property", summary="Properties a query may give, for a type")
def suggest_property(request: Request, prefix: Text = "", type: Text | None = None) -> dict:
    return {"result": _reconciler(request).suggest_property(prefix, type, language(request))}


@router.get("/preview", response_class=HTMLResponse, summary="A small card of an entity, for a frame")
def preview(request: Request, id: Annotated[str, Query(max_length=300)]) -> Response:
    shown = _reconciler(request).preview(id, language(request))
    if shown is None:
        raise NotFound("entity", id)
    headers = {"Content-Security-Policy": PREVIEW_POLICY}
    return render(
        request, Page.of("reconcile_preview.html", title=shown["label"], headers=headers, item=shown)
    )
