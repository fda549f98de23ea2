"""The JSON API under /api: the catalogue and the schools for programs. Each route takes its
parameters, asks one read model (api.services) and returns its answer; errors are api.errors's."""

from __future__ import annotations

from typing import Annotated
from typing import Literal as TypingLiteral

from fastapi import APIRouter, Depends, Query
from pydantic import StringConstraints

from plgkg_api import models
from plgkg_api.dependencies import CatalogueReads, SchoolReads, SearchReads
from plgkg_api.services.reader import ASPECTS, page
from plgkg_api.services.schools import find
from plgkg_api.services.search import KINDS

ERRORS: dict[int | str, dict] = {
    502: {"model": models.Problem, "description": "The SPARQL endpoint behind the service did not answer"},
    503: {"model": models.Problem, "description": "The query workers are busy or a query hit a limit"},
}
NOT_FOUND: dict[int | str, dict] = {
    404: {"model": models.Problem, "description": "No resource with the id given in the path or a filter"}
}
router = APIRouter(prefix="/api", tags=["JSON API"], responses=ERRORS)

Lang = Annotated[TypingLiteral["nl", "en"], Query(description="Language of labels and texts")]


class Paging:
    """The page of a list an answer gives: `limit` items from `offset` on."""

    def __init__(
        self,
        limit: Annotated[int, Query(ge=1, le=1000, description="Items per page")] = 100,
        offset: Annotated[int, Query(ge=0, description="Items to skip")] = 0,
    ) -> None:
        self.limit = limit
        self.offset = offset

    def of(self, items: list) -> dict:
        return page(items, self.limit, self.offset)


Pages = Annotated[Paging, Depends()]
Text = Annotated[str | None, Query(max_length=200, description="Text in nl or en labels and definitions")]
BasisFilter = Annotated[
    TypingLiteral["stated-in-chapter", "inferred-by-catalogue"] | None,
    Query(description="Only links of this basis"),
]
Aspect = Annotated[str | None, Query(pattern=f"^({'|'.join(ASPECTS)})$")]


# -- characteristics ----------------------------------------------------------------------------


@router.get("/characteristics", response_model=models.Page[models.Characteristic], responses=NOT_FOUND)
def characteristics(
    catalogue: CatalogueReads,
    paging: Pages,
    lang: Lang = "nl",
    framework: str | None = None,
) -> dict:
    """The characteristics of every framework (or of one: `framework` is its id)."""
    return paging.of(catalogue.characteristics(lang, framework))


@router.get("/characteristics/{id}", response_model=models.Characteristic, responses=NOT_FOUND)
def characteristic(catalogue: CatalogueReads, id: str, lang: Lang = "nl") -> models.Characteristic:
    """One characteristic with its framework and its crosswalk links to other frameworks."""
    return catalogue.characteristic(id, lang)


@router.get(
    "/characteristics/{id}/interventions",
    response_model=models.Page[models.ServingIntervention],
    responses=NOT_FOUND,
)
def characteristic_interventions(
    catalogue: CatalogueReads, paging: Pages, id: str, lang: Lang = "nl"
) -> dict:
    """The interventions that serve a characteristic, each with its rationale, basis and sources."""
    return paging.of(catalogue.serving(id, lang))


# -- interventions ------------------------------------------------------------------------------


@router.get("/interventions", response_model=models.Page[models.InterventionSummary], responses=NOT_FOUND)
def interventions(
    catalogue: CatalogueReads,
    paging: Pages,
    lang: Lang = "nl",
    category: str | None = None,
    characteristic: str | None = None,
    framework: str | None = None,
    q: Text = None,
) -> dict:
    """Interventions, filtered by category, characteristic served, framework served and text."""
    return paging.of(catalogue.interventions(lang, category, characteristic, framework, q))


@router.get("/interventions/{id}", response_model=models.InterventionDetail, responses=NOT_FOUND)
def intervention(catalogue: CatalogueReads, id: str, lang: Lang = "nl") -> models.InterventionDetail:
    """One intervention with its examples, the characteristics it serves, findings and cases."""
    return catalogue.intervention(id, lang)


# -- findings and cases -------------------------------------------------------------------------


@router.get("/findings", response_model=models.Page[models.Finding], responses=NOT_FOUND)
def findings(
    catalogue: CatalogueReads,
    paging: Pages,
    lang: Lang = "nl",
    intervention: str | None = None,
    aspect: Aspect = None,
) -> dict:
    """What the chapter finds: prevalence, durability, obstacles, conditions, intended mechanisms and
    effects."""
    about = catalogue.reader.iri("intervention", intervention) if intervention else None
    return paging.of(catalogue.findings(lang, about=about, aspect=aspect))


@router.get("/cases", response_model=models.Page[models.Case], responses=NOT_FOUND)
def cases(
    catalogue: CatalogueReads,
    paging: Pages,
    lang: Lang = "nl",
    intervention: str | None = None,
    basis: BasisFilter = None,
) -> dict:
    """Practice cases: the school, the interventions they illustrate (each link with its basis,
    rationale and locator; `basis` keeps only the links of that basis, and the cases that have one)
    and the partners they name."""
    illustrates = catalogue.reader.iri("intervention", intervention) if intervention else None
    return paging.of(catalogue.cases(lang, illustrates=illustrates, basis=basis))


# -- categories, frameworks, sources ------------------------------------------------------------


@router.get("/categories", response_model=models.Page[models.Category])
def categories(catalogue: CatalogueReads, paging: Pages, lang: Lang = "nl") -> dict:
    """The five intervention categories of Tabel 1 with their interventions."""
    return paging.of(catalogue.categories(lang))


@router.get("/frameworks", response_model=models.Page[models.Framework])
def frameworks(catalogue: CatalogueReads, paging: Pages, lang: Lang = "nl") -> dict:
    """The frameworks of PLG characteristics and the publications they rest on."""
    return paging.of(catalogue.frameworks(lang))


@router.get("/sources", response_model=models.Page[models.Source])
def sources(catalogue: CatalogueReads, paging: Pages) -> dict:
    """The chapter, its book and the works it cites, with authors in order."""
    return paging.of(catalogue.sources())


# -- search -------------------------------------------------------------------------------------


class Asked:
    """What a search asks: the text, the kinds to keep, the language of the answer."""

    def __init__(
        self,
        q: Annotated[
            str, Query(min_length=1, max_length=200, description="What to look for, in Dutch or English")
        ],
        kind: Annotated[
            list[TypingLiteral[KINDS]] | None,  # type: ignore[valid-type]
            Query(description="Only these kinds (repeat for several)"),
        ] = None,
        lang: Lang = "nl",
    ) -> None:
        self.q, self.kinds, self.lang = q, kind or (), lang


Searched = Annotated[Asked, Depends()]


@router.get("/search", response_model=list[models.SearchHit])
def search(
    reads: SearchReads, asked: Searched, limit: Annotated[int, Query(ge=1, le=100)] = 20
) -> list[models.SearchHit]:
    """Every kind of resource that matches q, best first: Dutch and English word forms, accents
    ignored; every word must match, else the most of them. Each hit with its label in lang, what it
    belongs to, and its best matching text with the matching words marked."""
    return reads.find(asked.q, asked.lang, asked.kinds, limit=limit)


@router.get("/suggest", response_model=list[models.SearchHit])
def suggest(
    reads: SearchReads, asked: Searched, limit: Annotated[int, Query(ge=1, le=20)] = 8
) -> list[models.SearchHit]:
    """Suggestions as you type: as /api/search, the last word also as the start of a word."""
    return reads.find(asked.q, asked.lang, asked.kinds, limit=limit, prefix=True)


# -- schools ------------------------------------------------------------------------------------


@router.get("/schools", response_model=models.Page[models.SchoolSummary])
def schools(
    reads: SchoolReads,
    paging: Pages,
    lang: Lang = "nl",
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Text in the name, location code, place, postcode or municipality (any case)",
        ),
    ] = None,
    municipality: Annotated[
        str | None, Query(pattern=r"^[0-9]{4}$", description="Four-digit CBS municipality number")
    ] = None,
    profile: Annotated[bool, Query(description="Only schools with an imported profile")] = False,
) -> dict:
    """The schools, by name: the chapter's anonymous case and study schools and the registry locations
    imported from DUO, with how many interventions they run; details at /api/schools/{id}."""
    return paging.of(find(reads.index(lang), q and q.strip(), municipality, profile))


@router.get("/schools/{id}", response_model=models.School, responses=NOT_FOUND)
def school(reads: SchoolReads, id: str, lang: Lang = "nl") -> models.School:
    """One school with its register details; its profile and gaps are at /api/schools/{id}/gaps."""
    return reads.school(id, lang)


Runs = Annotated[
    # bounded so that the longest request stays well inside the 32 KiB a request's head may take
    list[Annotated[str, StringConstraints(max_length=100)]],
    Query(
        max_length=50,
        description="An intervention the school runs: its id (e.g. teamteaching) or its name in Dutch or "
        "English; repeat for each",
    ),
]
UNKNOWN: dict[int | str, dict] = {
    400: {"model": models.UnknownProblem, "description": "An intervention no one knows: the closest ids"}
}


@router.get("/gaps", response_model=models.ProfileGaps, responses={**NOT_FOUND, **UNKNOWN})
def profile_gaps(
    reads: SchoolReads,
    run: Runs = [],  # noqa: B006 (FastAPI copies the default)
    school: Annotated[
        str | None, Query(max_length=100, description="A school's id or vestigingscode (optional)")
    ] = None,
    lang: Lang = "nl",
) -> models.ProfileGaps:
    """The gap analysis of a profile given here, stored nowhere: per framework what the interventions
    in `run` serve, the gaps, and `next_steps`, the interventions not yet run ranked by a greedy cover
    of the open characteristics (most closed first; ties to the most links the chapter states), each
    with what it closes, the basis of each link, the chapter's findings to heed and its cases."""
    return reads.profile_gaps(run, lang, school=school)


@router.get("/schools/{id}/gaps", response_model=models.SchoolGaps, responses=NOT_FOUND)
def gaps(reads: SchoolReads, id: str, lang: Lang = "nl") -> models.SchoolGaps:
    """What a school does and what is missing: per framework, the characteristics its interventions
    serve (with which, and on what basis), the gaps, and the catalogue interventions that would cover
    each gap with the chapter's findings on them (durability, obstacles, conditions); `next_steps`
    ranks them as /api/gaps does."""
    return reads.gaps(id, lang)
