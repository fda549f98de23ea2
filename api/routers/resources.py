"""Linked-data URIs: every catalogue IRI under the base is served at /id/…, the ontology at
/ontology, with content negotiation (Accept or a file suffix) and Vary: Accept. Browsers get the
typed page of the resource's kind (api.services.resources) or the generic description; sources also
as BibTeX and RIS at /id/source/{slug}.bib and .ris."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import PlainTextResponse, Response
from rdflib import URIRef
from starlette.concurrency import run_in_threadpool

from plgkg.execution.service import QueryService
from plgkg.formats import GRAPH_MEDIA_TYPES, SUFFIX_MEDIA_TYPES
from plgkg.iris import is_iri
from plgkg.namespaces import ONTOLOGY_IRI, bind_prefixes
from plgkg_api.dependencies import QueryReader, context
from plgkg_api.html import render
from plgkg_api.negotiation import choose
from plgkg_api.services import bibliography, overviews
from plgkg_api.services.reader import NotFound
from plgkg_api.services.resources import description_page, resource_page

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
    not_found = HTTPException(404, f"Not found: {iri} is not in the graph.", headers={"Vary": "Accept"})
    if not is_iri(iri):
        raise not_found
    bindings = {"resource": URIRef(iri)} if query_name == "describe-resource" else None
    result = await run_in_threadpool(service.named_query, query_name, bindings)
    graph = result.graph
    if graph is None or len(graph) == 0:
        raise not_found
    bind_prefixes(graph)
    headers = {"Vary": "Accept", "Link": f'<{iri}>; rel="canonical"'}
    if chosen == "text/html":
        return await run_in_threadpool(_html, request, iri, graph, headers)
    body = await run_in_threadpool(graph.serialize, format=GRAPH_MEDIA_TYPES[chosen])
    return Response(body, media_type=chosen, headers=headers)


def _html(request: Request, iri: str, graph, headers: dict[str, str]) -> Response:
    """A typed page where one exists for this kind of resource, else the generic description."""
    ctx = context(request)
    typed = resource_page(ctx, iri, graph)
    if typed is not None:
        typed.headers.update(headers)
        return render(request, typed)
    generic = description_page(ctx, iri, graph, request.url.path)
    generic.headers.update(headers)
    return render(request, generic)


@router.get("/id/source/{slug}.bib", include_in_schema=False)
def source_bibtex(reader: QueryReader, slug: str) -> Response:
    """The source as a BibTeX entry."""
    return _record(reader, slug, "bib")


@router.get("/id/source/{slug}.ris", include_in_schema=False)
def source_ris(reader: QueryReader, slug: str) -> Response:
    """The source as a RIS record."""
    return _record(reader, slug, "ris")


def _record(reader: QueryReader, slug: str, suffix: str) -> Response:
    found = bibliography.record(reader, slug, suffix)
    if found is None:
        raise NotFound("source", slug)
    iri, media, text = found
    return Response(
        text,
        media_type=f"{media}; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{slug}.{suffix}"',
            "Link": f'<{iri}>; rel="canonical"',
        },
    )


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
            raise HTTPException(404, f"Not found: the ontology is not served as {suffix!r}.")
    elif choose(request.headers.get("accept"), OFFERS) == "text/html":
        # the documentation page, for browsers
        documented = await run_in_threadpool(overviews.ontology_page, context(request))
        return render(request, documented)
    return await _describe(request, ONTOLOGY_IRI, "describe-ontology", media)
