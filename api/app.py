"""The application factory."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import PlainTextResponse
from fastapi.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from plgkg import __version__
from plgkg.execution.service import QueryService
from plgkg_api.errors import HANDLERS
from plgkg_api.middleware import HeadAndOptions, SecurityHeaders, WaitForWorkersOnTheLoop
from plgkg_api.services.catalogue import Catalogue
from plgkg_api.services.reader import Reader
from plgkg_api.services.schools import Schools
from plgkg_api.services.search import Search
from plgkg_api.services.view import safe_href
from plgkg_api.settings import Settings

HERE = Path(__file__).resolve().parent
SWAGGER_UI = Path(str(files("fastapi_offline") / "static"))


def _warm(app: FastAPI) -> None:
    """Build what the first search and the first school list would wait for (each remembered until
    the data change); a failure here is the first visitor's to see, with its own error page."""
    try:
        app.state.search.index()
        for lang in ("nl", "en"):
            app.state.schools.index(lang)
    except Exception:  # noqa: BLE001 - said in the log; the request that needs it tries again
        logging.getLogger("plgkg").warning("warming up the search index failed", exc_info=True)


class PlgkgApp(FastAPI):
    """The app: FastAPI, with a lane in front of its whole stack (create_app sets it: machine
    clients' /sparql requests, plgkg_api.routers.sparql.SparqlFastLane)."""

    front: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.front is None:
            await super().__call__(scope, receive, send)
            return
        scope["app"] = self
        await self.front(scope, receive, send)


def create_app(settings: Settings, service: QueryService | None = None) -> FastAPI:
    """Build the app. The query service starts with the app (or is handed in, for tests) and stops
    with it; invalid data raises plgkg.service.InvalidDataError before the app serves anything."""
    from fastapi.staticfiles import StaticFiles

    from plgkg_api.routers import dataset, json_api, pages, reconcile, resources, sparql

    owned = service is None
    running = service or QueryService.start(settings.service)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # threads for sync routes: plenty, since one that waits for a query worker only sleeps; the
        # pool lets all but a reserve of them wait (plgkg.service.RESERVED_THREADS)
        anyio.to_thread.current_default_thread_limiter().total_tokens = running.settings.threads
        if settings.warm:
            threading.Thread(target=_warm, args=(app,), name="plgkg-warm", daemon=True).start()
        yield
        if owned:
            running.close()

    app = PlgkgApp(
        title="plgkg",
        version=__version__,
        summary="Which interventions help a school become a professional learning community, "
        "what is known about them, and who says so.",
        lifespan=lifespan,
        docs_url=None,  # /docs is the site's own page (api/routers/pages.py), its assets served here
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.service = running
    # the service layer: read models the JSON API and the HTML pages share (api.services)
    app.state.reader = Reader(running, settings.service.base_iri)
    app.state.catalogue = Catalogue(app.state.reader)
    app.state.schools = Schools(app.state.reader, app.state.catalogue)
    app.state.search = Search(app.state.reader, app.state.schools)
    app.state.templates = Jinja2Templates(directory=HERE / "templates")
    app.state.templates.env.filters["href"] = safe_href
    app.add_middleware(WaitForWorkersOnTheLoop, wait_s=running.settings.wait_for_worker_s)  # innermost
    app.add_middleware(HeadAndOptions)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
        allow_headers=["Accept", "Content-Type"],
        allow_credentials=False,
    )
    app.add_middleware(SecurityHeaders)  # outermost: every answer carries them
    # in front of it all: machine clients' queries (it adds the security headers itself)
    app.front = sparql.SparqlFastLane(functools.partial(FastAPI.__call__, app))

    @app.exception_handler(UnicodeDecodeError)
    async def bad_encoding(request: Request, exc: UnicodeDecodeError) -> PlainTextResponse:
        return sparql.not_utf8(exc)

    for exception, handler in HANDLERS.items():
        app.add_exception_handler(exception, handler)

    app.include_router(sparql.router)
    app.include_router(pages.router)
    app.include_router(resources.router)
    app.include_router(dataset.router)
    app.include_router(json_api.router)
    app.include_router(reconcile.router)
    # Swagger UI's files, from the fastapi-offline package (no CDN); mounted before /static
    app.mount("/static/swagger-ui", StaticFiles(directory=SWAGGER_UI), name="swagger-ui")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app
