"""Schools as read models: the index (the chapter's case and study schools and the register's
locations), one school, and its gap analysis: per framework, which characteristics the interventions
the school runs serve (and with which), which none do, and which catalogue interventions would cover
each gap with the chapter's findings on them. From plgkg/queries/api/school*.rq and
plgkg/queries/gaps/*.rq, the school bound as a value."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.term import Node

from plgkg_api import models
from plgkg_api.services.reader import BASIS, NotFound, Reader, grouped, ref, slug, text, unique, unique_pairs


def _municipality(row: dict[str, Node]) -> models.Municipality | None:
    place = row.get("municipality")
    if place is None:
        return None
    return models.Municipality(
        id=slug(place),
        iri=str(place),
        label=text(row.get("municipalityName")),
        code=text(row.get("municipalityCode")),
    )


def _note(notes: list[Literal], lang: str) -> str | None:
    """The note in lang, else the one without a language, else any."""
    for wanted in (lang, None):
        for note in notes:
            if note.language == wanted:
                return str(note)
    return str(notes[0]) if notes else None


def find(
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
        return any(needle in t.casefold() for t in texts if t)

    return [school for school in schools if matches(school)]


class Schools:
    def __init__(self, reader: Reader) -> None:
        self.reader = reader

    def _runs(self, school: URIRef | None = None) -> dict[Node, int]:
        rows = self.reader.rows("api/school-practice-counts", school=school)
        return {r["school"]: int(r["runs"]) for r in rows}

    def index(self, lang: str) -> list[models.SchoolSummary]:
        """Every school, sorted by name, with the size of its profile: built once and remembered
        until the data change. Read-only for its holders."""
        return self.reader.memo(("school-index", lang), lambda: self._index(lang))

    def _index(self, lang: str) -> list[models.SchoolSummary]:
        runs = self._runs()
        items = [
            models.SchoolSummary(
                id=slug(s),
                iri=str(s),
                label=str(g[0]["label"]),
                institution_code=text(g[0].get("institutionCode")),
                location_code=text(g[0].get("locationCode")),
                place=text(g[0].get("place")),
                postal_code=text(g[0].get("postalCode")),
                municipality=_municipality(g[0]),
                education_types=sorted(str(t) for t in unique(r.get("educationType") for r in g)),
                runs=runs.get(s, 0),
            )
            for s, g in grouped(self.reader.rows("api/school-index", lang=lang), "school").items()
        ]
        return sorted(items, key=lambda school: (school.label.casefold(), school.iri))

    def school(self, id: str, lang: str) -> models.School:
        """One school with all its details; NotFound if there is none with this id."""
        iri = self.reader.iri("school", id)
        rows = self.reader.rows("api/school", lang=lang, school=iri)
        if not rows:
            raise NotFound("school", id)
        first = rows[0]
        address = models.Address(
            street=text(first.get("street")),
            postal_code=text(first.get("postalCode")),
            place=text(first.get("place")),
        )
        return models.School(
            id=slug(iri),
            iri=str(iri),
            label=str(first["label"]),
            studied_in=[ref(x, label) for x, label in unique_pairs(rows, "study", "studyLabel")],
            cases=[ref(x, label) for x, label in unique_pairs(rows, "case", "caseLabel")],
            institution_code=text(first.get("institutionCode")),
            location_code=text(first.get("locationCode")),
            competent_authority=text(first.get("competentAuthority")),
            denomination=text(first.get("denomination")),
            education_types=sorted(str(t) for t in unique(r.get("educationType") for r in rows)),
            address=address if any(address.model_dump().values()) else None,
            municipality=_municipality(first),
            source=None if first.get("source") is None else ref(first["source"], first.get("sourceTitle")),
            runs=self._runs(iri).get(iri, 0),
        )

    # -- the gap analysis -------------------------------------------------------------------------

    def _gap_rows(self, name: str, school: URIRef, lang: str) -> list[dict[str, Node]]:
        return self.reader.rows(f"gaps/{name}", school=school, lang=lang)

    def gaps(self, id: str, lang: str) -> models.SchoolGaps:
        """The gap analysis of the school with this id; NotFound when there is no such school."""
        school = self.reader.iri("school", id)
        profile = self._gap_rows("practices", school, lang)
        if not profile:
            raise NotFound("school", id)
        notes: dict[Node, list[Literal]] = {}
        practices: dict[Node, dict] = {}
        for r in profile:
            if r.get("practice") is not None:
                practices.setdefault(r["practice"], r)
                if r.get("note") is not None:
                    notes.setdefault(r["practice"], []).append(r["note"])
        runs = [
            models.Practice(
                intervention=ref(r["intervention"], r["interventionLabel"]),
                practice=str(p),
                since=text(r.get("since")),
                notes=_note(notes.get(p, []), lang),
            )
            for p, r in practices.items()
        ]

        findings: dict[Node, list[models.GapFinding]] = {}
        for r in self._gap_rows("findings", school, lang):
            findings.setdefault(r["intervention"], []).append(
                models.GapFinding(
                    id=slug(r["finding"]),
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
                models.FrameworkGaps(framework=ref(r["framework"], r["frameworkLabel"]), served=[], gaps=[]),
            )

        for r in self._gap_rows("served", school, lang):
            served = framework(r).served
            if not served or served[-1].characteristic.iri != str(r["characteristic"]):
                served.append(
                    models.ServedAtSchool(
                        characteristic=ref(r["characteristic"], r["label"]), order=int(r["order"]), by=[]
                    )
                )
            served[-1].by.append(
                models.Via(
                    intervention=ref(r["intervention"], r["interventionLabel"]),
                    basis=BASIS[r["basis"]],
                    statement=str(r["statement"]),
                )
            )
        for r in self._gap_rows("gaps", school, lang):
            gaps = framework(r).gaps
            if not gaps or gaps[-1].characteristic.iri != str(r["characteristic"]):
                gaps.append(
                    models.Gap(
                        characteristic=ref(r["characteristic"], r["label"]),
                        order=int(r["order"]),
                        covered_by=[],
                        unserved_reason=text(r.get("reason")),
                    )
                )
            if r.get("intervention") is not None:
                gaps[-1].covered_by.append(
                    models.Covering(
                        intervention=ref(r["intervention"], r["interventionLabel"]),
                        basis=BASIS[r["basis"]],
                        statement=str(r["statement"]),
                        findings=findings.get(r["intervention"], []),
                    )
                )
        return models.SchoolGaps(
            school=ref(school, profile[0]["label"]),
            runs=runs,
            frameworks=[frameworks[f] for f in sorted(frameworks, key=str)],
        )
