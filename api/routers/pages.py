"""HTML pages over many resources: the home page, the coverage matrix, the search, the index pages
(A–Z, findings, cases, bibliography), the school list and Mijn school (a profile's gap analysis,
with the profile as files). Each asks api.services for its page and renders it."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from plgkg_api.dependencies import PageContext
from plgkg_api.html import render
from plgkg_api.services import indexes, overviews, profile

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


@router.get("/concepts", response_class=HTMLResponse)
def concepts(request: Request, ctx: PageContext) -> HTMLResponse:
    """Every concept A to Z, alternative names pointing to the preferred one (?kind= narrows)."""
    return render(request, indexes.concepts_page(ctx, request.query_params))


@router.get("/findings", response_class=HTMLResponse)
def findings(request: Request, ctx: PageContext) -> HTMLResponse:
    """Every finding by aspect (?aspect= and ?intervention= narrow)."""
    return render(request, indexes.findings_page(ctx, request.query_params))


@router.get("/cases", response_class=HTMLResponse)
def cases(request: Request, ctx: PageContext) -> HTMLResponse:
    """Every practice case with its school and interventions (?intervention= narrows)."""
    return render(request, indexes.cases_page(ctx, request.query_params))


@router.get("/sources", response_class=HTMLResponse)
def sources(request: Request, ctx: PageContext) -> HTMLResponse:
    """The bibliography: the chapter, its book and the works it cites."""
    return render(request, indexes.sources_page(ctx))


@router.get("/sources.{suffix}")
def bibliography(ctx: PageContext, suffix: Literal["bib", "ris"]) -> Response:
    """The whole bibliography as one BibTeX or RIS file."""
    media_type, body = indexes.bibliography(ctx, suffix)
    disposition = f'attachment; filename="plgkg-sources.{suffix}"'
    return Response(body, media_type=media_type, headers={"Content-Disposition": disposition})


@router.get("/data", response_class=HTMLResponse)
def data(request: Request, ctx: PageContext) -> HTMLResponse:
    """Every download and service of the dataset: dumps, tables, vocabularies, SPARQL, the API."""
    return render(request, overviews.data_page(ctx))


@router.get("/about", response_class=HTMLResponse)
def about(request: Request, ctx: PageContext) -> HTMLResponse:
    """What the catalogue is, what its labels mean and the words its pages use."""
    return render(request, overviews.about_page(ctx))


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request, ctx: PageContext) -> HTMLResponse:
    """The JSON API's documentation: Swagger UI over /openapi.json, served by this site."""
    return render(request, overviews.api_docs_page(ctx))


@router.get("/schools", response_class=HTMLResponse)
def schools(request: Request, ctx: PageContext) -> HTMLResponse:
    """The schools in the store (the chapter's and the imported registry locations): find one by
    name, code, place or municipality, page through the rest; each links to its page and gaps."""
    return render(request, overviews.schools_page(ctx, request.query_params))


Runs = Annotated[list[str], Query()]  # bounded by api.services.profile (count and length), each said
School = Annotated[str | None, Query()]


@router.get("/gaps", response_class=HTMLResponse)
def gaps(request: Request, ctx: PageContext, run: Runs = [], school: School = None) -> HTMLResponse:  # noqa: B006
    """Mijn school: pick a school, tick what it runs, read the gaps and the ranked next steps."""
    return render(request, profile.profile_page(ctx, run, school))


@router.get("/gaps/profile.{suffix}")
def profile_file(
    ctx: PageContext,
    suffix: Literal["csv", "yaml"],
    run: Runs = [],  # noqa: B006
    school: School = None,
) -> Response:
    """The profile of /gaps as the CSV or YAML that `plgkg import profiles` reads."""
    file = profile.profile_file(ctx, run, school, suffix)
    disposition = f'attachment; filename="{file.name}"'
    return Response(file.body, media_type=file.media_type, headers={"Content-Disposition": disposition})
