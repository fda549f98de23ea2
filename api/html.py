"""Rendering HTML pages: every page gets the language, the words, breadcrumbs, its IRI and data links."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from plgkg_api.i18n import language, words
from plgkg_api.locators import where
from plgkg_api.prose import prose
from plgkg_api.services.view import Page, View, local_link


def view_of(request: Request) -> View:
    """What a page read model may know of the request: its language (and whether the URL chose it),
    the path and the base of the catalogue's IRIs."""
    return View(
        lang=language(request),
        chosen=bool(request.query_params.get("lang")),
        path=request.url.path,
        base_iri=request.app.state.settings.service.base_iri,
    )


def render(request: Request, page: Page) -> HTMLResponse:
    """The page in its template, with the parts every page has (base.html)."""
    view = view_of(request)
    base = view.base_iri
    iri = page.iri
    t = words(view.lang)
    crumbs = list(page.crumbs)

    def link(target: object) -> str:
        return local_link(base, str(target), view.q)

    def names() -> dict[str, str]:
        return request.app.state.catalogue.names(view.lang)

    return request.app.state.templates.TemplateResponse(
        request,
        page.template,
        {
            "lang": view.lang,
            "t": t,
            "q": view.q,
            "path": view.path,
            "crumbs": [(t["home"], f"/{view.q}"), *crumbs] if crumbs else [],
            "iri": iri,
            "base_iri": base,
            "data_path": f"/id/{iri[len(base) :]}" if iri and iri.startswith(base) else None,
            "title": page.title,
            "link": link,
            "where": lambda locator: where(locator, view.lang),
            "prose": lambda text: prose(text, names, link),
            **page.context,
        },
        status_code=page.status,
        headers={"Vary": "Accept, Accept-Language", **page.headers},
    )
