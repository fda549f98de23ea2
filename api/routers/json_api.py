"""The JSON API under /api: the catalogue for programs, every answer from SPARQL in plgkg/queries/api."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated
from typing import Literal as TypingLiteral

from fastapi import APIRouter, HTTPException, Query, Request
from rdflib import Literal, URIRef
from rdflib.term import Node

from api import models
from plgkg.errors import QueryLimitError, StoreError
from plgkg.execution.service import QueryService
from plgkg.namespaces import PLG, SKOS
from plgkg.stores import QueryResult

ERRORS: dict[int | str, dict] = {
    502: {"model": models.Problem, "description": "The SPARQL endpoint behind the service did not answer"},
    503: {"model": models.Problem, "description": "The query workers are busy or a query hit a limit"},
}
NOT_FOUND: dict[int | str, dict] = {
    404: {"model": models.Problem, "description": "No resource with the id given in the path or a filter"}
}
router = APIRouter(prefix="/api", tags=["JSON API"], responses=ERRORS)

Lang = Annotated[TypingLiteral["nl", "en"], Query(description="Language of labels and texts")]
Limit = Annotated[int, Query(ge=1, le=1000, description="Items per page")]
Offset = Annotated[int, Query(ge=0, description="Items to skip")]
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\Z")
BASIS = {PLG.StatedInChapter: "stated-in-chapter", PLG.InferredByCatalogue: "inferred-by-catalogue"}
BASIS_IRI = {name: iri for iri, name in BASIS.items()}
BasisFilter = Annotated[
    TypingLiteral["stated-in-chapter", "inferred-by-catalogue"] | None,
    Query(description="Only links of this basis"),
]
# a crosswalk link is stored in one direction; read from its target, a mapping property turns round
INVERSE = {"broadMatch": "narrowMatch", "narrowMatch": "broadMatch"}


def _service(request: Request) -> QueryService:
    return request.app.state.service


def _base(request: Request) -> str:
    return request.app.state.settings.service.base_iri


def _iri(request: Request, kind: str, slug: str) -> URIRef:
    if not SLUG.match(slug):
        raise HTTPException(404, f"No {kind} with id {slug!r}")
    return URIRef(f"{_base(request)}{kind}/{slug}")


def _slug(iri: Node) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def _text(value: Node | None) -> str | None:
    return str(value) if value is not None else None


def _ref(iri: Node, label: Node | None = None) -> models.Ref:
    return models.Ref(id=_slug(iri), iri=str(iri), label=str(label) if label is not None else None)


def _run(request: Request, name: str, **bindings: Node | str | None) -> QueryResult:
    values = {
        k: (Literal(v) if isinstance(v, str) and not isinstance(v, Node) else v)
        for k, v in bindings.items()
        if v is not None
    }
    try:
        return _service(request).named_query(f"api/{name}", values)
    except QueryLimitError as err:
        raise HTTPException(503, str(err), headers={"Retry-After": "1"}) from None
    except StoreError as err:
        raise HTTPException(502, f"The store did not answer: {err}") from None


def _page(items: list, limit: int, offset: int) -> dict:
    return {"total": len(items), "limit": limit, "offset": offset, "items": items[offset : offset + limit]}


def _grouped(rows: Iterable[dict], key: str | tuple[str, ...]) -> dict:
    """Rows grouped by the value of one variable (or by a tuple of several), in the rows' order."""
    groups: dict = {}
    for row in rows:
        value = row[key] if isinstance(key, str) else tuple(row.get(k) for k in key)
        groups.setdefault(value, []).append(row)
    return groups


def _unique(values: Iterable[Node | None]) -> list[Node]:
    return list(dict.fromkeys(v for v in values if v is not None))


def _provenance(rows: list[dict]) -> models.Provenance:
    first = rows[0]
    return models.Provenance(
        basis=BASIS[first["basis"]],
        rationale=str(first["rationale"]),
        locator=str(first["locator"]),
        statement=str(first["statement"]),
        sources=[_ref(s) for s in _unique(r.get("source") for r in rows)],
    )


# -- characteristics ----------------------------------------------------------------------------


@router.get("/characteristics", response_model=models.Page[models.Characteristic], responses=NOT_FOUND)
def characteristics(
    request: Request, lang: Lang = "nl", framework: str | None = None, limit: Limit = 100, offset: Offset = 0
) -> dict:
    """The characteristics of every framework (or of one: `framework` is its id)."""
    fw = _iri(request, "framework", framework) if framework else None
    rows = _run(request, "characteristics", lang=lang, framework=fw).bindings()
    matches = characteristic_matches(request, lang)
    items = [
        models.Characteristic(
            id=_slug(r["characteristic"]),
            iri=str(r["characteristic"]),
            label=str(r["label"]),
            definition=str(r["definition"]),
            framework=_ref(r["framework"], r["frameworkLabel"]),
            order=int(r["order"]),
            served_by=int(r["served"]),
            matches=matches.get(str(r["characteristic"]), []),
        )
        for r in rows
    ]
    return _page(items, limit, offset)


@router.get("/characteristics/{id}", response_model=models.Characteristic, responses=NOT_FOUND)
def characteristic(request: Request, id: str, lang: Lang = "nl") -> models.Characteristic:
    """One characteristic with its framework and its crosswalk links to other frameworks."""
    iri = str(_iri(request, "characteristic", id))
    found = next((c for c in characteristics(request, lang, None, 1000, 0)["items"] if c.iri == iri), None)
    if found is None:
        raise HTTPException(404, f"No characteristic with id {id!r}")
    return found


def characteristic_matches(
    request: Request, lang: str, characteristic: URIRef | None = None
) -> dict[str, list[models.CharacteristicMatch]]:
    """The crosswalk links of every characteristic (or of one), keyed by its IRI, each read from that
    characteristic's side, in the order of the other's framework and position."""
    rows = _run(request, "characteristic-matches", lang=lang, characteristic=characteristic).bindings()
    out: dict[str, list[models.CharacteristicMatch]] = {}
    for (_, this, _), group in _grouped(rows, ("match", "characteristic", "inverse")).items():
        first = group[0]
        stored = str(first["predicate"]).removeprefix(str(SKOS))
        inverse = bool(first["inverse"].toPython())
        out.setdefault(str(this), []).append(
            models.CharacteristicMatch(
                id=_slug(first["other"]),
                iri=str(first["other"]),
                label=str(first["otherLabel"]),
                framework=_ref(first["framework"], first["frameworkLabel"]),
                relation=INVERSE.get(stored, stored) if inverse else stored,
                basis=BASIS[first["basis"]],
                rationale=str(first["rationale"]),
                serves_note=_text(first.get("servesNote")),
                locator=str(first["locator"]),
                statement=str(first["match"]),
                sources=[_ref(s) for s in _unique(r["source"] for r in group)],
            )
        )
    return out


@router.get(
    "/characteristics/{id}/interventions",
    response_model=models.Page[models.ServingIntervention],
    responses=NOT_FOUND,
)
def characteristic_interventions(
    request: Request, id: str, lang: Lang = "nl", limit: Limit = 100, offset: Offset = 0
) -> dict:
    """The interventions that serve a characteristic, each with its rationale, basis and sources."""
    characteristic = _iri(request, "characteristic", id)
    known = _run(request, "characteristics", lang=lang).bindings()
    if not any(r["characteristic"] == characteristic for r in known):
        raise HTTPException(404, f"No characteristic with id {id!r}")
    rows = list(
        _run(request, "characteristic-interventions", lang=lang, characteristic=characteristic).bindings()
    )
    items = [
        models.ServingIntervention(
            intervention=_ref(iri, group[0]["label"]),
            category=_ref(group[0]["category"]),
            provenance=_provenance(group),
        )
        for iri, group in _grouped(rows, "intervention").items()
    ]
    return _page(items, limit, offset)


# -- interventions ------------------------------------------------------------------------------


@router.get("/interventions", response_model=models.Page[models.InterventionSummary], responses=NOT_FOUND)
def interventions(
    request: Request,
    lang: Lang = "nl",
    category: str | None = None,
    characteristic: str | None = None,
    framework: str | None = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Text in nl or en labels and definitions")
    ] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict:
    """Interventions, filtered by category, characteristic served, framework served and text."""
    rows = _run(
        request,
        "interventions",
        lang=lang,
        category=_iri(request, "category", category) if category else None,
        characteristic=_iri(request, "characteristic", characteristic) if characteristic else None,
        framework=_iri(request, "framework", framework) if framework else None,
        q=q.strip() if q and q.strip() else None,
    ).bindings()
    items = [
        models.InterventionSummary(
            id=_slug(r["intervention"]),
            iri=str(r["intervention"]),
            label=str(r["label"]),
            definition=str(r["definition"]),
            category=_ref(r["category"], r["categoryLabel"]),
        )
        for r in rows
    ]
    return _page(items, limit, offset)


@router.get("/interventions/{id}", response_model=models.InterventionDetail, responses=NOT_FOUND)
def intervention(request: Request, id: str, lang: Lang = "nl") -> models.InterventionDetail:
    """One intervention with its examples, the characteristics it serves, findings and cases."""
    iri = _iri(request, "intervention", id)
    core = list(_run(request, "intervention", lang=lang, intervention=iri).bindings())
    if not core:
        raise HTTPException(404, f"No intervention with id {id!r}")
    row = core[0]
    serves = _grouped(
        _run(request, "intervention-serves", lang=lang, intervention=iri).bindings(), "characteristic"
    )
    examples = [
        models.Example(iri=str(r["example"]), label=str(r["label"]), locator=_text(r.get("locator")))
        for r in _run(request, "intervention-examples", lang=lang, intervention=iri).bindings()
    ]
    return models.InterventionDetail(
        id=id,
        iri=str(iri),
        label=str(row["nl"] if lang == "nl" else row["en"]),
        labels={"nl": str(row["nl"]), "en": str(row["en"])},
        definition=str(row["definition"]),
        description=_text(row.get("description")),
        category=_ref(row["category"], row["categoryLabel"]),
        examples=[e.label for e in examples],
        example_items=examples,
        serves=[
            models.ServedCharacteristic(
                characteristic=_ref(c, group[0]["label"]),
                framework=_ref(group[0]["framework"], group[0]["frameworkLabel"]),
                provenance=_provenance(group),
            )
            for c, group in serves.items()
        ],
        findings=_findings(request, lang, about=iri),
        cases=_cases(request, lang, illustrates=iri),
        locator=_text(row.get("locator")),
    )


# -- findings and cases -------------------------------------------------------------------------


def _findings(request: Request, lang: str, about: URIRef | None = None, aspect: URIRef | None = None) -> list:
    rows = _run(request, "findings", lang=lang, about=about, onlyAspect=aspect).bindings()
    return [
        models.Finding(
            id=_slug(f),
            iri=str(f),
            label=str(g[0]["label"]),
            description=str(g[0]["description"]),
            about=[_ref(s) for s in _unique(r["subject"] for r in g)],
            aspect=str(g[0]["aspect"]).rsplit("#", 1)[-1].lower(),
            basis=BASIS[g[0]["basis"]],
            locator=str(g[0]["locator"]),
            sources=[_ref(s) for s in _unique(r["source"] for r in g)],
        )
        for f, g in _grouped(rows, "finding").items()
    ]


def _illustration(row: dict) -> models.Illustration:
    return models.Illustration(
        **_ref(row["intervention"], row["interventionLabel"]).model_dump(),
        statement=str(row["illustration"]),
        basis=BASIS[row["basis"]],
        rationale=str(row["rationale"]),
        locator=str(row["linkLocator"]),
        quote=_text(row.get("quote")),
    )


def _cases(
    request: Request, lang: str, illustrates: URIRef | None = None, basis: str | None = None
) -> list[models.Case]:
    """The cases (that illustrate one intervention), each with its links (of one basis: the API's
    name of it, e.g. "stated-in-chapter")."""
    only = BASIS_IRI[basis] if basis else None
    rows = _run(request, "cases", lang=lang, illustrates=illustrates, onlyBasis=only).bindings()
    return [
        models.Case(
            id=_slug(c),
            iri=str(c),
            label=str(g[0]["label"]),
            description=str(g[0]["description"]),
            boxed=bool(g[0]["boxed"].toPython()),
            school=_ref(g[0]["school"]),
            illustrates=[_illustration(links[0]) for links in _grouped(g, "illustration").values()],
            partners=[_ref(p) for p in _unique(r.get("partner") for r in g)],
            locator=str(g[0]["locator"]),
        )
        for c, g in _grouped(rows, "case").items()
    ]


ASPECTS = ("prevalence", "durability", "obstacle", "condition", "mechanism", "effect")


@router.get("/findings", response_model=models.Page[models.Finding], responses=NOT_FOUND)
def findings(
    request: Request,
    lang: Lang = "nl",
    intervention: str | None = None,
    aspect: Annotated[str | None, Query(pattern=f"^({'|'.join(ASPECTS)})$")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict:
    """What the chapter finds: prevalence, durability, obstacles, conditions, intended mechanisms and
    effects."""
    about = _iri(request, "intervention", intervention) if intervention else None
    only = PLG[aspect.capitalize()] if aspect else None
    return _page(_findings(request, lang, about=about, aspect=only), limit, offset)


@router.get("/cases", response_model=models.Page[models.Case], responses=NOT_FOUND)
def cases(
    request: Request,
    lang: Lang = "nl",
    intervention: str | None = None,
    basis: BasisFilter = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict:
    """Practice cases: the school, the interventions they illustrate (each link with its basis,
    rationale and locator; `basis` keeps only the links of that basis, and the cases that have one)
    and the partners they name."""
    illustrates = _iri(request, "intervention", intervention) if intervention else None
    return _page(_cases(request, lang, illustrates=illustrates, basis=basis), limit, offset)


# -- categories, frameworks, sources, schools ------------------------------------------------------


@router.get("/categories", response_model=models.Page[models.Category])
def categories(request: Request, lang: Lang = "nl", limit: Limit = 100, offset: Offset = 0) -> dict:
    """The five intervention categories of Tabel 1 with their interventions."""
    rows = _run(request, "categories", lang=lang).bindings()
    items = [
        models.Category(
            id=_slug(c),
            iri=str(c),
            label=str(g[0]["label"]),
            definition=str(g[0]["definition"]),
            order=int(g[0]["order"]),
            interventions=[
                _ref(r["intervention"], r["interventionLabel"])
                for r in g
                if r.get("intervention") is not None
            ],
        )
        for c, g in _grouped(rows, "category").items()
    ]
    return _page(items, limit, offset)


@router.get("/frameworks", response_model=models.Page[models.Framework])
def frameworks(request: Request, lang: Lang = "nl", limit: Limit = 100, offset: Offset = 0) -> dict:
    """The frameworks of PLG characteristics and the publications they rest on."""
    rows = _run(request, "frameworks", lang=lang).bindings()
    items = [
        models.Framework(
            id=_slug(r["framework"]),
            iri=str(r["framework"]),
            label=str(r["label"]),
            definition=str(r["definition"]),
            source=_ref(r["source"]),
            characteristics=int(r["characteristics"]),
        )
        for r in rows
    ]
    return _page(items, limit, offset)


@router.get("/sources", response_model=models.Page[models.Source])
def sources(request: Request, limit: Limit = 100, offset: Offset = 0) -> dict:
    """The chapter, its book and the works it cites, with authors in order."""
    rows = _run(request, "sources").bindings()
    items = []
    for s, g in _grouped(rows, "source").items():
        first = g[0]
        items.append(
            models.Source(
                id=_slug(s),
                iri=str(s),
                title=_text(first.get("title")),
                year=_text(first.get("year")),
                cited_as=[str(c) for c in _unique(r.get("citedAs") for r in g)],
                doi=_text(first.get("doi")),
                authors=[str(a) for a in _unique(r.get("author") for r in g)],
            )
        )
    return _page(items, limit, offset)


def _municipality(row: dict[str, Node]) -> models.Municipality | None:
    place = row.get("municipality")
    if place is None:
        return None
    return models.Municipality(
        id=_slug(place),
        iri=str(place),
        label=_text(row.get("municipalityName")),
        code=_text(row.get("municipalityCode")),
    )


def _runs(request: Request, school: URIRef | None = None) -> dict[Node, int]:
    rows = _run(request, "school-practice-counts", school=school).bindings()
    return {r["school"]: int(r["runs"]) for r in rows}


def school_index(request: Request, lang: str) -> list[models.SchoolSummary]:
    """Every school, sorted by name, from plgkg/queries/api/school-index.rq, with the size of its
    profile: built once and remembered until the data change. Read-only for its holders."""
    return _service(request).memo(("school-index", lang), lambda: _school_index(request, lang))


def _school_index(request: Request, lang: str) -> list[models.SchoolSummary]:
    runs = _runs(request)
    items = [
        models.SchoolSummary(
            id=_slug(s),
            iri=str(s),
            label=str(g[0]["label"]),
            institution_code=_text(g[0].get("institutionCode")),
            location_code=_text(g[0].get("locationCode")),
            place=_text(g[0].get("place")),
            postal_code=_text(g[0].get("postalCode")),
            municipality=_municipality(g[0]),
            education_types=sorted(str(t) for t in _unique(r.get("educationType") for r in g)),
            runs=runs.get(s, 0),
        )
        for s, g in _grouped(_run(request, "school-index", lang=lang).bindings(), "school").items()
    ]
    return sorted(items, key=lambda school: (school.label.casefold(), school.iri))


def find_schools(
    schools: Iterable[models.SchoolSummary],
    q: str | None = None,
    municipality: str | None = None,
    profiled: bool = False,
) -> list[models.SchoolSummary]:
    """The schools whose name, codes, place, postcode or municipality contain q (ignoring case), in
    the municipality with this number, and, if profiled, with a profile."""
    needle = q.casefold() if q else None

    def matches(school: models.SchoolSummary) -> bool:
        if municipality and (school.municipality is None or school.municipality.code != municipality):
            return False
        if profiled and not school.runs:
            return False
        if needle is None:
            return True
        texts = (
            school.label,
            school.location_code,
            school.place,
            school.postal_code,
            school.municipality.label if school.municipality else None,
        )
        return any(needle in text.casefold() for text in texts if text)

    return [school for school in schools if matches(school)]


def _school(request: Request, iri: URIRef, lang: str) -> models.School | None:
    """One school with all its details from plgkg/queries/api/school.rq; None if there is none."""
    rows = list(_run(request, "school", lang=lang, school=iri).bindings())
    if not rows:
        return None
    first = rows[0]
    address = models.Address(
        street=_text(first.get("street")),
        postal_code=_text(first.get("postalCode")),
        place=_text(first.get("place")),
    )
    return models.School(
        id=_slug(iri),
        iri=str(iri),
        label=str(first["label"]),
        studied_in=[_ref(x) for x in _unique(r.get("study") for r in rows)],
        cases=[_ref(x) for x in _unique(r.get("case") for r in rows)],
        institution_code=_text(first.get("institutionCode")),
        location_code=_text(first.get("locationCode")),
        competent_authority=_text(first.get("competentAuthority")),
        denomination=_text(first.get("denomination")),
        education_types=sorted(str(t) for t in _unique(r.get("educationType") for r in rows)),
        address=address if any(address.model_dump().values()) else None,
        municipality=_municipality(first),
        source=_ref(first["source"], first.get("sourceTitle")) if first.get("source") is not None else None,
        runs=_runs(request, iri).get(iri, 0),
    )


@router.get("/schools", response_model=models.Page[models.SchoolSummary])
def schools(
    request: Request,
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
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict:
    """The schools, by name: the chapter's anonymous case and study schools and the registry locations
    imported from DUO, with how many interventions they run; details at /api/schools/{id}."""
    found = find_schools(school_index(request, lang), q and q.strip(), municipality, profile)
    return _page(found, limit, offset)


@router.get("/schools/{id}", response_model=models.School, responses=NOT_FOUND)
def school(request: Request, id: str, lang: Lang = "nl") -> models.School:
    """One school with its register details; its profile and gaps are at /api/schools/{id}/gaps."""
    found = _school(request, _iri(request, "school", id), lang)
    if found is None:
        raise HTTPException(404, f"No school with id {id!r}")
    return found
