"""The gap analysis of a school at /api/schools/{id}/gaps: per framework, which characteristics the
interventions the school runs serve (and with which), which none do (the gaps), and which catalogue
interventions would cover each gap, with the chapter's findings on them. Every answer comes from
plgkg/queries/gaps/*.rq with the school bound as a value; `school_gaps` also feeds the school page."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from rdflib import Literal, URIRef
from rdflib.term import Node

from api import models
from api.routers.json_api import BASIS, NOT_FOUND, Lang, _iri, _ref, _slug, _text
from plgkg.errors import QueryLimitError, StoreError

router = APIRouter(prefix="/api", tags=["JSON API"])


def _rows(request: Request, name: str, school: URIRef, lang: str) -> list[dict[str, Node]]:
    try:
        result = request.app.state.service.named_query(
            f"gaps/{name}", {"school": school, "lang": Literal(lang)}
        )
    except QueryLimitError as err:
        raise HTTPException(503, str(err), headers={"Retry-After": "1"}) from None
    except StoreError as err:
        raise HTTPException(502, f"The store did not answer: {err}") from None
    return list(result.bindings())


def _note(notes: list[Literal], lang: str) -> str | None:
    """The note in lang, else the one without a language, else any."""
    for wanted in (lang, None):
        for note in notes:
            if note.language == wanted:
                return str(note)
    return str(notes[0]) if notes else None


def school_gaps(request: Request, school: URIRef, lang: str) -> models.SchoolGaps:
    """The gap analysis of the school with this IRI; 404 when there is no such school."""
    profile = _rows(request, "practices", school, lang)
    if not profile:
        raise HTTPException(404, f"No school with id {_slug(school)!r}")
    notes: dict[Node, list[Literal]] = {}
    practices: dict[Node, dict] = {}
    for r in profile:
        if r.get("practice") is not None:
            practices.setdefault(r["practice"], r)
            if r.get("note") is not None:
                notes.setdefault(r["practice"], []).append(r["note"])
    runs = [
        models.Practice(
            intervention=_ref(r["intervention"], r["interventionLabel"]),
            practice=str(p),
            since=_text(r.get("since")),
            notes=_note(notes.get(p, []), lang),
        )
        for p, r in practices.items()
    ]

    findings: dict[Node, list[models.GapFinding]] = {}
    for r in _rows(request, "findings", school, lang):
        findings.setdefault(r["intervention"], []).append(
            models.GapFinding(
                id=_slug(r["finding"]),
                iri=str(r["finding"]),
                label=str(r["label"]),
                description=str(r["description"]),
                aspect=str(r["aspect"]).rsplit("#", 1)[-1].lower(),
                basis=BASIS[r["basis"]],
            )
        )

    frameworks: dict[Node, models.FrameworkGaps] = {}

    def framework(r: dict) -> models.FrameworkGaps:
        return frameworks.setdefault(
            r["framework"],
            models.FrameworkGaps(framework=_ref(r["framework"], r["frameworkLabel"]), served=[], gaps=[]),
        )

    for r in _rows(request, "served", school, lang):
        served = framework(r).served
        if not served or served[-1].characteristic.iri != str(r["characteristic"]):
            served.append(
                models.ServedAtSchool(
                    characteristic=_ref(r["characteristic"], r["label"]), order=int(r["order"]), by=[]
                )
            )
        served[-1].by.append(
            models.Via(
                intervention=_ref(r["intervention"], r["interventionLabel"]),
                basis=BASIS[r["basis"]],
                statement=str(r["statement"]),
            )
        )
    for r in _rows(request, "gaps", school, lang):
        gaps = framework(r).gaps
        if not gaps or gaps[-1].characteristic.iri != str(r["characteristic"]):
            gaps.append(
                models.Gap(
                    characteristic=_ref(r["characteristic"], r["label"]),
                    order=int(r["order"]),
                    covered_by=[],
                    unserved_reason=_text(r.get("reason")),
                )
            )
        if r.get("intervention") is not None:
            gaps[-1].covered_by.append(
                models.Covering(
                    intervention=_ref(r["intervention"], r["interventionLabel"]),
                    basis=BASIS[r["basis"]],
                    statement=str(r["statement"]),
                    findings=findings.get(r["intervention"], []),
                )
            )
    return models.SchoolGaps(
        school=_ref(school, profile[0]["label"]),
        runs=runs,
        frameworks=[frameworks[f] for f in sorted(frameworks, key=str)],
    )


@router.get("/schools/{id}/gaps", response_model=models.SchoolGaps, responses=NOT_FOUND)
def gaps(request: Request, id: str, lang: Lang = "nl") -> models.SchoolGaps:
    """What a school does and what is missing: per framework, the characteristics its interventions
    serve (with which, and on what basis), the gaps, and the catalogue interventions that would cover
    each gap with the chapter's findings on them (durability, obstacles, conditions)."""
    return school_gaps(request, _iri(request, "school", id), lang)
