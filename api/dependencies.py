"""The read models a router asks for (FastAPI dependencies): the app's catalogue and schools services,
and a page context built from the request. Routers take these and never reach into app.state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from plgkg_api.html import view_of
from plgkg_api.services.catalogue import Catalogue
from plgkg_api.services.reader import Reader
from plgkg_api.services.schools import Schools
from plgkg_api.services.search import Search
from plgkg_api.services.view import Context


def catalogue(request: Request) -> Catalogue:
    return request.app.state.catalogue


def schools(request: Request) -> Schools:
    return request.app.state.schools


def search(request: Request) -> Search:
    return request.app.state.search


def reader(request: Request) -> Reader:
    return request.app.state.reader


def context(request: Request) -> Context:
    state = request.app.state
    return Context(state.reader, state.catalogue, state.schools, state.search, view_of(request))


CatalogueReads = Annotated[Catalogue, Depends(catalogue)]
SchoolReads = Annotated[Schools, Depends(schools)]
SearchReads = Annotated[Search, Depends(search)]
QueryReader = Annotated[Reader, Depends(reader)]
PageContext = Annotated[Context, Depends(context)]
