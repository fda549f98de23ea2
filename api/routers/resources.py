"""Linked-data URIs: every catalogue IRI under the base is served at /id/…, the ontology at
/ontology, with content negotiation (Accept or a file suffix) and Vary: Accept."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from rdflib import URIRef
from starlette.concurrency import run_in_threadpool

from api.i18n import language
from api.negotiation import choose
from api.pages import render
from plgkg.errors import QueryLimitError
from plgkg.execution.service import QueryService
from plgkg.formats import GRAPH_MEDIA_TYPES, SUFFIX_MEDIA_TYPES
from plgkg.iris import is_iri
from plgkg.namespaces import ONTOLOGY_IRI, bind_prefixes
from plgkg.validate import label_of

router = APIRouter(tags=["Linked data"])

OFFERS = ["text/turtle", "text/html", *[m for m in GRAPH_MEDIA_TYPES if m != "text/turtle"]]


def _split_suffix(path: str) -> tuple[str, str | None]:
    stem, dot, suffix = path.rpartition(".")
    if dot and suffix in SUFFIX_MEDIA_TYPES and "/" not in suffix:
        return stem, SUFFIX_MEDIA_TYPES[suffix]
    return path, None


async def _describe(request: Request, iri: str, query_name: str, media: str | None) -> Response:
    service: QueryService = request.app.state.service
    accept = request.headers.get("accept")
    chosen = media or choose(accept, OFFERS)
    if chosen is None:
        return PlainTextResponse(
            f"Cannot answer in {accept!r}; offered: {', '.join(OFFERS)}.\n",
            status_code=406,
            headers={"Vary": "Accept"},
        )
    not_found = PlainTextResponse(
        f"Not found: {iri} is not in the graph.\n", status_code=404, headers={"Vary": "Accept"}
    )
    if not is_iri(iri):
        return not_found
    bindings = {"resource": URIRef(iri)} if query_name == "describe-resource" else None
    try:
        result = await run_in_threadpool(service.named_query, query_name, bindings)
    except QueryLimitError as err:
        return PlainTextResponse(f"Not answered: {err}\n", status_code=503, headers={"Retry-After": "1"})
    graph = result.graph
    if graph is None or len(graph) == 0:
        return PlainTextResponse(
            f"Not found: {iri} is not in the graph.\n", status_code=404, headers={"Vary": "Accept"}
        )
    bind_prefixes(graph)
    headers = {"Vary": "Accept", "Link": f'<{iri}>; rel="canonical"'}
    if chosen == "text/html":
        return await run_in_threadpool(_html, request, iri, graph, headers)
    body = await run_in_threadpool(graph.serialize, format=GRAPH_MEDIA_TYPES[chosen])
    return Response(body, media_type=chosen, headers=headers)


def _html(request: Request, iri: str, graph, headers: dict[str, str]) -> Response:
    """A typed page where one exists for this kind of resource, else the generic description."""
    from api.routers.pages import resource_page

    page = resource_page(request, iri, graph)
    if page is not None:
        page.headers.update(headers)
        return page
    subject = URIRef(iri)
    rows = sorted(graph.predicate_objects(subject), key=lambda po: (str(po[0]), str(po[1])))
    label = label_of(graph, subject, language(request)) or iri
    return render(
        request,
        "resource.html",
        title=label,
        crumbs=[(label, request.url.path)],
        iri=iri,
        headers=headers,
        label=label,
        rows=[(_short(graph, p), o, _short(graph, o) if isinstance(o, URIRef) else str(o)) for p, o in rows],
    )


def _short(graph, term) -> str:
    try:
        return graph.namespace_manager.normalizeUri(term)
    except Exception:  # not abbreviable
        return str(term)


@router.api_route("/id/{path:path}", methods=["GET"], summary="A catalogue resource")
async def resource(path: str, request: Request) -> Response:
    stem, media = _split_suffix(path)
    base = request.app.state.settings.service.base_iri
    return await _describe(request, f"{base}{stem}", "describe-resource", media)


@router.api_route("/ontology{suffix:path}", methods=["GET"], summary="The plgkg ontology")
async def ontology(suffix: str, request: Request) -> Response:
    media = None
    if suffix:
        _, media = _split_suffix("ontology" + suffix)
        if media is None:
            return PlainTextResponse("Not found.\n", status_code=404)
    elif choose(request.headers.get("accept"), OFFERS) == "text/html":
        from api.routers.explore import ontology_page  # the documentation page, for browsers

        page = await run_in_threadpool(ontology_page, request)
        page.headers["Vary"] = "Accept, Accept-Language"
        return page
    return await _describe(request, ONTOLOGY_IRI, "describe-ontology", media)
