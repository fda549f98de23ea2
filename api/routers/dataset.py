"""The dataset: dumps, exports, a VoID + DCAT description, and the health check. The files come from
api.services.dataset, built once per data version; unknown names answer 404 through api.errors."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from plgkg.execution.service import QueryService
from plgkg.formats import GRAPH_MEDIA_TYPES, SUFFIX_MEDIA_TYPES
from plgkg_api.negotiation import choose
from plgkg_api.services import dataset

router = APIRouter(tags=["Dataset"])


def _service(request: Request) -> QueryService:
    return request.app.state.service


@router.api_route("/dataset.{suffix}", methods=["GET"], summary="The whole dataset as one file")
async def dump(suffix: str, request: Request) -> Response:
    if suffix not in dataset.DUMPS:
        raise HTTPException(404, "Not found: dumps are /dataset.ttl, /dataset.nt and /dataset.jsonld.")
    service = _service(request)
    path = await run_in_threadpool(dataset.dump, service, suffix)
    return FileResponse(
        path,
        media_type=SUFFIX_MEDIA_TYPES[suffix],
        headers={
            "Content-Disposition": f'inline; filename="plgkg.{suffix}"',
            "Last-Modified": service.loaded_at.strftime("%a, %d %b %Y %H:%M:%S GMT"),
        },
    )


@router.api_route("/.well-known/void", methods=["GET"], summary="VoID and DCAT description")
async def void(request: Request) -> Response:
    public_url = request.app.state.settings.public_url  # never the request's Host header
    graph = await run_in_threadpool(dataset.void, _service(request), public_url)
    media = choose(request.headers.get("accept"), list(GRAPH_MEDIA_TYPES)) or "text/turtle"
    body = graph.serialize(format=GRAPH_MEDIA_TYPES[media])
    return Response(body, media_type=media, headers={"Vary": "Accept"})


def _export_route(name: str) -> Callable[[Request], FileResponse]:
    export = dataset.EXPORTS[name]
    headers = {"Content-Disposition": f'attachment; filename="{export.download}"'} if export.download else {}

    def send(request: Request) -> FileResponse:
        path = dataset.exported(_service(request), name)
        return FileResponse(path, media_type=export.media_type, headers=headers)

    return send


# each export at its path, built once per data version (api.services.dataset.EXPORTS)
for _path, _name, _summary in (
    ("/export/skos.ttl", "skos.ttl", "The catalogue as plain SKOS concept schemes (for Skosmos)"),
    ("/context.jsonld", "context.jsonld", "The published JSON-LD @context"),
    ("/export/interventions.csv", "interventions.csv", "The interventions as CSV"),
    ("/export/serves.csv", "serves.csv", "The characteristic → intervention links as CSV"),
    (
        "/export/interventions-nl.csv",
        "interventions-nl.csv",
        "The interventions as CSV for Dutch spreadsheets",
    ),
    ("/export/serves-nl.csv", "serves-nl.csv", "The serves links as CSV for Dutch spreadsheets"),
    ("/export/links.csv", "links.csv", "The links to other vocabularies and identifiers as CSV"),
    ("/export/links-nl.csv", "links-nl.csv", "The links to other vocabularies as CSV for Dutch spreadsheets"),
):
    router.add_api_route(_path, _export_route(_name), methods=["GET"], summary=_summary)


@router.get("/healthz", summary="Health of the service and its store")
async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok", **_service(request).health()})
