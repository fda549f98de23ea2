"""The dataset: dumps, a VoID + DCAT description, and the health check."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD
from starlette.concurrency import run_in_threadpool

from api.negotiation import choose
from plgkg import exports
from plgkg.execution.service import QueryService
from plgkg.formats import GRAPH_MEDIA_TYPES, SUFFIX_MEDIA_TYPES
from plgkg.namespaces import bind_prefixes

router = APIRouter(tags=["Dataset"])

VOID = Namespace("http://rdfs.org/ns/void#")
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")


@router.api_route("/dataset.{suffix}", methods=["GET"], summary="The whole dataset as one file")
async def dump(suffix: str, request: Request) -> Response:
    media = SUFFIX_MEDIA_TYPES.get(suffix)
    if media is None or suffix == "rdf":
        return PlainTextResponse("Not found: dumps are /dataset.ttl, /dataset.nt and /dataset.jsonld.\n", 404)
    service: QueryService = request.app.state.service

    def build() -> bytes:
        graph = service.named_query("dataset", unlimited_rows=True).graph
        bind_prefixes(graph)
        return graph.serialize(format=GRAPH_MEDIA_TYPES[media], encoding="utf-8")

    # written once per data version, then sent from the file (issue 11: no rebuild per request)
    path = await run_in_threadpool(service.document, f"dataset.{suffix}", build)
    return FileResponse(
        path,
        media_type=media,
        headers={
            "Content-Disposition": f'inline; filename="plgkg.{suffix}"',
            "Last-Modified": service.loaded_at.strftime("%a, %d %b %Y %H:%M:%S GMT"),
        },
    )


@router.api_route("/.well-known/void", methods=["GET"], summary="VoID and DCAT description")
async def void(request: Request) -> Response:
    service: QueryService = request.app.state.service
    root = request.app.state.settings.public_url  # never the request's Host header
    dataset = URIRef(f"{root}/.well-known/void#dataset")
    graph = Graph()
    bind_prefixes(graph)
    graph.bind("void", VOID)
    graph.bind("dcat", DCAT)
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add(
        (dataset, DCTERMS.title, Literal("plgkg: de school als professionele leergemeenschap", lang="nl"))
    )
    graph.add(
        (dataset, DCTERMS.title, Literal("plgkg: the school as a professional learning community", lang="en"))
    )
    graph.add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                "Interventions that help a school become a professional learning community, the PLG "
                "characteristics they serve, findings, practice cases and sources.",
                lang="en",
            ),
        )
    )
    graph.add((dataset, DCTERMS.license, LICENCE))
    graph.add((dataset, DCTERMS.modified, Literal(service.loaded_at.isoformat(), datatype=XSD.dateTime)))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(f"{root}/sparql")))
    graph.add((dataset, VOID.uriSpace, Literal(service.settings.base_iri)))
    graph.add((dataset, VOID.vocabulary, URIRef("https://w3id.org/plgkg/ontology#")))
    graph.add((dataset, VOID.triples, Literal(service.triples, datatype=XSD.integer)))
    for example in (
        "intervention/teamteaching",
        "characteristic/little-joint-work",
        "framework/stoll-kools-2017",
    ):
        graph.add((dataset, VOID.exampleResource, URIRef(service.settings.base_iri + example)))
    for suffix in ("ttl", "nt", "jsonld"):
        media = SUFFIX_MEDIA_TYPES[suffix]
        dist = URIRef(f"{root}/dataset.{suffix}")
        graph.add((dataset, VOID.dataDump, dist))
        graph.add((dataset, DCAT.distribution, dist))
        graph.add((dist, RDF.type, DCAT.Distribution))
        graph.add((dist, DCAT.mediaType, Literal(media)))
        graph.add((dist, DCAT.downloadURL, dist))
    classes = await run_in_threadpool(service.named_query, "void-statistics")
    for number, row in enumerate(classes.bindings()):
        partition = URIRef(f"{root}/.well-known/void#class-{number}")
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], row["class"]))
        graph.add((partition, VOID.entities, row["count"]))
    media = choose(request.headers.get("accept"), list(GRAPH_MEDIA_TYPES)) or "text/turtle"
    body = graph.serialize(format=GRAPH_MEDIA_TYPES[media])
    return Response(body, media_type=media, headers={"Vary": "Accept"})


def _exported(request: Request, name: str, build) -> FileResponse:
    """An export, built once per data version from plgkg's own queries (no row limit)."""
    service: QueryService = request.app.state.service

    def query(query_name: str, bindings=None):
        return service.named_query(query_name, bindings, unlimited_rows=True)

    def encoded() -> bytes:
        body = build(query)
        return body if isinstance(body, bytes) else body.encode("utf-8")

    return service.document(name, encoded)


@router.get("/export/skos.ttl", summary="The catalogue as plain SKOS concept schemes (for Skosmos)")
def export_skos(request: Request) -> Response:
    path = _exported(request, "skos.ttl", lambda q: exports.skos(q).serialize(format="turtle"))
    return FileResponse(path, media_type="text/turtle")


@router.get("/context.jsonld", summary="The published JSON-LD @context")
def export_context(request: Request) -> Response:
    def build(query) -> str:
        return json.dumps(exports.jsonld_context(query), indent=2, ensure_ascii=False)

    return FileResponse(_exported(request, "context.jsonld", build), media_type="application/ld+json")


@router.get("/export/interventions.csv", summary="The interventions as CSV")
def export_interventions(request: Request) -> Response:
    return FileResponse(
        _exported(request, "interventions.csv", exports.interventions_csv),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="plgkg-interventions.csv"'},
    )


@router.get("/export/serves.csv", summary="The characteristic → intervention links as CSV")
def export_serves(request: Request) -> Response:
    return FileResponse(
        _exported(request, "serves.csv", exports.serves_csv),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="plgkg-serves.csv"'},
    )


@router.get("/healthz", summary="Health of the service and its store")
async def healthz(request: Request) -> JSONResponse:
    service: QueryService = request.app.state.service
    return JSONResponse({"status": "ok", **service.health()})
