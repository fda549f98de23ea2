"""HTML pages over many resources: the home page, the coverage matrix, the search and the school
list. Each asks api.services.overviews for its page and renders it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from plgkg_api.dependencies import PageContext
from plgkg_api.html import render
from plgkg_api.services import overviews

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, ctx: PageContext) -> HTMLResponse:
    return render(request, overviews.home_page(ctx))


@router.get("/matrix", response_class=HTMLResponse)
def matrix(request: Request, ctx: PageContext) -> HTMLResponse:
    return render(request, overviews.matrix_page(ctx, None))


@router.get("/matrix/{framework}", response_class=HTMLResponse)
def framework_matrix(request: Request, ctx: PageContext, framework: str) -> HTMLResponse:
    return render(request, overviews.matrix_page(ctx, framework))


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, ctx: PageContext) -> HTMLResponse:
    return render(request, overviews.search_page(ctx, request.query_params))


@router.get("/schools", response_class=HTMLResponse)
def schools(request: Request, ctx: PageContext) -> HTMLResponse:
    """The schools in the store (the chapter's and the imported registry locations): find one by
    name, code, place or municipality, page through the rest; each links to its page and gaps."""
    return render(request, overviews.schools_page(ctx, request.query_params))
