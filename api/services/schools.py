"""Schools as read models: the index (the chapter's case and study schools and the register's
locations), one school, and the gap analysis (api/services/gaps.py) of its imported profile
(plgkg/queries/gaps/practices.rq, the school bound as a value) or of a profile given in the request."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.term import Node

from plgkg.names import key
from plgkg_api import models
from plgkg_api.services.catalogue import Catalogue
from plgkg_api.services.gaps import Gaps
from plgkg_api.services.reader import NotFound, Reader, grouped, ref, slug, text, unique, unique_pairs


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


@lru_cache(maxsize=1 << 16)
def _haystack(*texts: str | None) -> str:
    """What a school is found by, as compared (plgkg.names.key); a postcode also without its space.
    Remembered: the register's 12,000 schools are searched on every keystroke."""
    postcode = texts[3]
    return key(" ".join(t for t in (*texts, postcode.replace(" ", "") if postcode else None) if t))


def find(
    schools: Iterable[models.SchoolSummary],
    q: str | None = None,
    municipality: str | None = None,
    profiled: bool = False,
) -> list[models.SchoolSummary]:
    """The schools in the municipality with this number (if given), with a profile (if profiled),
    and where every word of q is part of the name, a code, the place, the postcode (with or without
    its space) or the municipality: case, accents and hyphens ignored ("kwc culemborg", "1011ab",
    "proefcollege arielle")."""
    wanted = key(q).split() if q else []

    def matches(school: models.SchoolSummary) -> bool:
        if municipality and (school.municipality is None or school.municipality.code != municipality):
            return False
        if profiled and not school.runs:
            return False
        if not wanted:
            return True
        haystack = _haystack(
            school.label,
            school.location_code,
            school.place,
            school.postal_code,
            school.municipality.label if school.municipality else None,
        )
        return all(word in haystack for word in wanted)

    return [school for school in schools if matches(school)]


class Schools:
    def __init__(self, reader: Reader, catalogue: Catalogue) -> None:
        self.reader = reader
        self.analysis = Gaps(reader, catalogue)

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

    def gaps(self, id: str, lang: str) -> models.SchoolGaps:
        """The gap analysis of the school with this id, from its imported profile; NotFound when
        there is no such school."""
        school = self.reader.iri("school", id)
        profile = self.reader.rows("gaps/practices", school=school, lang=lang)
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
        return models.SchoolGaps(
            school=ref(school, profile[0]["label"]),
            runs=runs,
            **self.analysis.analyse([r["intervention"] for r in practices.values()], lang),
        )

    def profile_gaps(self, runs: list[str], lang: str, school: str | None = None) -> models.ProfileGaps:
        """The gap analysis of the interventions named in runs (ids or names), for the school with
        this id or vestigingscode if given: UnknownNames for names no intervention has, NotFound for
        an unknown school. Nothing is stored."""
        interventions = self.analysis.resolve(runs, lang)
        known = self.analysis.interventions(lang)
        labels = {i.iri: i.label for i in known}
        return models.ProfileGaps(
            school=self._ref(self.find_one(school, lang)) if school else None,
            runs=[ref(i, labels.get(str(i))) for i in interventions],
            **self.analysis.analyse(interventions, lang),
        )

    def find_one(self, id_or_code: str, lang: str) -> models.SchoolSummary:
        """The school with this id or vestigingscode (any case); NotFound if there is none."""
        wanted = id_or_code.strip().casefold()
        for school in self.index(lang):
            if school.id.casefold() == wanted or (school.location_code or "").casefold() == wanted:
                return school
        raise NotFound("school", id_or_code)

    @staticmethod
    def _ref(school: models.SchoolSummary) -> models.Ref:
        return models.Ref(id=school.id, iri=school.iri, label=school.label)
