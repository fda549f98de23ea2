"""HTML pages that are not a single resource: the home page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.i18n import language, words
from api.pages import render
from api.routers import json_api

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    lang = language(request)
    categories = json_api.categories(request, lang=lang, limit=100, offset=0)["items"]
    characteristics = json_api.characteristics(request, lang=lang, framework=None, limit=1000, offset=0)[
        "items"
    ]
    frameworks: dict[str, dict] = {}
    for c in characteristics:
        entry = frameworks.setdefault(c.framework.id, {"framework": c.framework, "characteristics": []})
        entry["characteristics"].append(c)
    return render(
        request,
        "home.html",
        title=words(lang)["site"],
        categories=categories,
        frameworks=list(frameworks.values()),
    )


# -- typed resource pages ---------------------------------------------------------------------------
# A renderer takes (request, iri, description graph) and returns a page. Kinds without one get the
# generic description page.

RESOURCE_PAGES: dict[str, object] = {}


def resource_page(request: Request, iri: str, graph) -> HTMLResponse | None:
    base = request.app.state.settings.service.base_iri
    kind = iri[len(base) :].split("/", 1)[0] if iri.startswith(base) else ""
    renderer = RESOURCE_PAGES.get(kind)
    return renderer(request, iri, graph) if renderer else None
