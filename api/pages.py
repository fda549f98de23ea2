"""Rendering HTML pages: every page gets the language, the words, breadcrumbs, its IRI and data links."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse

from api.i18n import language, words

LINKABLE = ("http://", "https://", "mailto:")


def safe_href(iri: str) -> str:
    """iri as a link target that cannot run anything: http(s) and mailto IRIs and this site's own
    paths as they are; any other IRI (javascript:, data:, urn:, …) becomes this site's description
    of it (a DESCRIBE on the query page), so data can name any IRI without making a page run it."""
    if iri.lower().startswith(LINKABLE) or (iri.startswith("/") and not iri.startswith("//")):
        return iri
    return "/sparql?" + urlencode({"query": f"DESCRIBE <{iri}>"})


def local_link(request: Request, iri: str, lang_query: str = "") -> str:
    """The local path of a catalogue IRI (the same resource, served here); other IRIs as safe_href."""
    base = request.app.state.settings.service.base_iri
    if iri.startswith(base):
        return f"/id/{iri[len(base) :]}{lang_query}"
    if iri.startswith("https://w3id.org/plgkg/ontology"):
        return f"/ontology{lang_query}#{iri.rpartition('#')[2]}" if "#" in iri else f"/ontology{lang_query}"
    return safe_href(iri)


def render(
    request: Request,
    template: str,
    *,
    title: str,
    crumbs: Iterable[tuple[str, str]] = (),
    iri: str | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: object,
) -> HTMLResponse:
    lang = language(request)
    q = f"?lang={lang}" if request.query_params.get("lang") else ""
    base = request.app.state.settings.service.base_iri
    data_path = f"/id/{iri[len(base) :]}" if iri and iri.startswith(base) else None
    t = words(lang)
    all_crumbs = [(t["home"], f"/{q}"), *crumbs] if crumbs else []
    return request.app.state.templates.TemplateResponse(
        request,
        template,
        {
            "lang": lang,
            "t": t,
            "q": q,
            "path": request.url.path,
            "crumbs": all_crumbs,
            "iri": iri,
            "data_path": data_path,
            "title": title,
            "link": lambda target: local_link(request, str(target), q),
            **context,
        },
        status_code=status,
        headers={"Vary": "Accept, Accept-Language", **(headers or {})},
    )
