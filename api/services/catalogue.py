"""The catalogue as read models: characteristics and their crosswalk, interventions, findings, cases,
categories, frameworks and sources, each from its query in plgkg/queries/api and with every linked
resource's label."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.term import Node

from plgkg.namespaces import PLG, SKOS
from plgkg_api import models
from plgkg_api.services.reader import (
    ASPECTS,
    BASIS,
    BASIS_IRI,
    NotFound,
    Reader,
    grouped,
    ref,
    slug,
    text,
    unique_pairs,
)

# a crosswalk link is stored in one direction; read from its target, a mapping property turns round
INVERSE = {"broadMatch": "narrowMatch", "narrowMatch": "broadMatch"}


def _sources(rows: list[dict]) -> list[models.Ref]:
    return [ref(s, label) for s, label in unique_pairs(rows, "source", "sourceLabel")]


def _provenance(rows: list[dict]) -> models.Provenance:
    first = rows[0]
    return models.Provenance(
        basis=BASIS[first["basis"]],
        rationale=str(first["rationale"]),
        locator=str(first["locator"]),
        statement=str(first["statement"]),
        sources=_sources(rows),
    )


def _number(value: Node | None) -> float | None:
    return None if value is None else float(value.toPython())


def _illustration(row: dict) -> models.Illustration:
    return models.Illustration(
        **ref(row["intervention"], row["interventionLabel"]).model_dump(),
        statement=str(row["illustration"]),
        basis=BASIS[row["basis"]],
        rationale=str(row["rationale"]),
        locator=str(row["linkLocator"]),
        quote=text(row.get("quote")),
    )


class Catalogue:
    """Read models of the catalogue; every method answers in one language ("nl" or "en")."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader

    def _run(self, name: str, **bindings: Node | str | None):
        return self.reader.run(f"api/{name}", **bindings).bindings()

    # -- characteristics --------------------------------------------------------------------------

    def characteristics(self, lang: str, framework: str | None = None) -> list[models.Characteristic]:
        """The characteristics of every framework (or of the one with this id)."""
        fw = self.reader.iri("framework", framework) if framework else None
        matches = self.matches(lang)
        return [
            models.Characteristic(
                id=slug(r["characteristic"]),
                iri=str(r["characteristic"]),
                label=str(r["label"]),
                definition=str(r["definition"]),
                framework=ref(r["framework"], r["frameworkLabel"]),
                order=int(r["order"]),
                served_by=int(r["served"]),
                matches=matches.get(str(r["characteristic"]), []),
            )
            for r in self._run("characteristics", lang=lang, framework=fw)
        ]

    def characteristic(self, id: str, lang: str) -> models.Characteristic:
        iri = str(self.reader.iri("characteristic", id))
        found = next((c for c in self.characteristics(lang) if c.iri == iri), None)
        if found is None:
            raise NotFound("characteristic", id)
        return found

    def matches(
        self, lang: str, characteristic: URIRef | None = None
    ) -> dict[str, list[models.CharacteristicMatch]]:
        """The crosswalk links of every characteristic (or of one), keyed by its IRI, each read from
        that characteristic's side, in the order of the other's framework and position."""
        rows = self._run("characteristic-matches", lang=lang, characteristic=characteristic)
        out: dict[str, list[models.CharacteristicMatch]] = {}
        for (_, this, _), group in grouped(rows, ("match", "characteristic", "inverse")).items():
            first = group[0]
            stored = str(first["predicate"]).removeprefix(str(SKOS))
            inverse = bool(first["inverse"].toPython())
            out.setdefault(str(this), []).append(
                models.CharacteristicMatch(
                    id=slug(first["other"]),
                    iri=str(first["other"]),
                    label=str(first["otherLabel"]),
                    framework=ref(first["framework"], first["frameworkLabel"]),
                    relation=INVERSE.get(stored, stored) if inverse else stored,
                    basis=BASIS[first["basis"]],
                    rationale=str(first["rationale"]),
                    serves_note=text(first.get("servesNote")),
                    locator=str(first["locator"]),
                    statement=str(first["match"]),
                    sources=_sources(group),
                )
            )
        return out

    def serving(self, id: str, lang: str) -> list[models.ServingIntervention]:
        """The interventions that serve the characteristic with this id, each with its provenance."""
        characteristic = self.reader.iri("characteristic", id)
        if not any(r["characteristic"] == characteristic for r in self._run("characteristics", lang=lang)):
            raise NotFound("characteristic", id)
        rows = self._run("characteristic-interventions", lang=lang, characteristic=characteristic)
        return [
            models.ServingIntervention(
                intervention=ref(iri, group[0]["label"]),
                category=ref(group[0]["category"], group[0]["categoryLabel"]),
                provenance=_provenance(group),
            )
            for iri, group in grouped(rows, "intervention").items()
        ]

    # -- interventions ----------------------------------------------------------------------------

    def interventions(
        self,
        lang: str,
        category: str | None = None,
        characteristic: str | None = None,
        framework: str | None = None,
        q: str | None = None,
    ) -> list[models.InterventionSummary]:
        """Interventions, filtered by category, characteristic served, framework served and text."""
        rows = self._run(
            "interventions",
            lang=lang,
            category=self.reader.iri("category", category) if category else None,
            characteristic=self.reader.iri("characteristic", characteristic) if characteristic else None,
            framework=self.reader.iri("framework", framework) if framework else None,
            q=q.strip() if q and q.strip() else None,
        )
        return [
            models.InterventionSummary(
                id=slug(r["intervention"]),
                iri=str(r["intervention"]),
                label=str(r["label"]),
                definition=str(r["definition"]),
                category=ref(r["category"], r["categoryLabel"]),
            )
            for r in rows
        ]

    def intervention(self, id: str, lang: str) -> models.InterventionDetail:
        """One intervention with its examples, the characteristics it serves, findings and cases."""
        iri = self.reader.iri("intervention", id)
        core = list(self._run("intervention", lang=lang, intervention=iri))
        if not core:
            raise NotFound("intervention", id)
        row = core[0]
        serves = grouped(self._run("intervention-serves", lang=lang, intervention=iri), "characteristic")
        examples = [
            models.Example(iri=str(r["example"]), label=str(r["label"]), locator=text(r.get("locator")))
            for r in self._run("intervention-examples", lang=lang, intervention=iri)
        ]
        served = [
            models.ServedCharacteristic(
                characteristic=ref(c, group[0]["label"]),
                framework=ref(group[0]["framework"], group[0]["frameworkLabel"]),
                provenance=_provenance(group),
            )
            for c, group in serves.items()
        ]
        findings = self.findings(lang, about=iri)
        cases = self.cases(lang, illustrates=iri)
        return models.InterventionDetail(
            id=id,
            iri=str(iri),
            label=str(row["nl"] if lang == "nl" else row["en"]),
            labels={"nl": str(row["nl"]), "en": str(row["en"])},
            definition=str(row["definition"]),
            description=text(row.get("description")),
            category=ref(row["category"], row["categoryLabel"]),
            examples=[e.label for e in examples],
            example_items=examples,
            serves=served,
            findings=findings,
            cases=cases,
            locator=text(row.get("locator")),
            evidence=self._evidence(iri, lang, served, findings, cases),
        )

    def _evidence(
        self,
        iri: URIRef,
        lang: str,
        served: list[models.ServedCharacteristic],
        findings: list[models.Finding],
        cases: list[models.Case],
    ) -> models.Evidence:
        """The evidence summary of one intervention, counted from what its page shows."""
        figures: dict[str, models.EvidenceFigure] = {}
        for r in self._run("intervention-figures", lang=lang, intervention=iri):
            figures.setdefault(
                str(r["figure"]),
                models.EvidenceFigure(
                    label=str(r["label"]),
                    measure=str(r["measureLabel"]),
                    value=_number(r.get("value")),
                    min=_number(r.get("min")),
                    max=_number(r.get("max")),
                    basis=BASIS[r["basis"]],
                    locator=str(r["locator"]),
                    owner=ref(r["owner"], r["ownerLabel"]),
                    owner_kind=str(r["ownerKind"]),
                ),
            )
        sources: dict[str, models.Ref] = {}
        for item in [*(s.provenance.sources for s in served), *(f.sources for f in findings)]:
            for source in item:
                sources.setdefault(source.iri, source)

        def about(aspect: str) -> list[models.Ref]:
            return [models.Ref(id=f.id, iri=f.iri, label=f.label) for f in findings if f.aspect == aspect]

        return models.Evidence(
            links_stated=sum(s.provenance.basis == "stated-in-chapter" for s in served),
            links_inferred=sum(s.provenance.basis == "inferred-by-catalogue" for s in served),
            frameworks=len({s.framework.iri for s in served}),
            findings={a: n for a in ASPECTS if (n := sum(f.aspect == a for f in findings))},
            durability=about("durability"),
            obstacles=about("obstacle"),
            conditions=about("condition"),
            cases=len(cases),
            sources=sorted(sources.values(), key=lambda x: (x.label or x.id).casefold()),
            figures=list(figures.values()),
        )

    # -- findings and cases -----------------------------------------------------------------------

    def findings(
        self, lang: str, about: URIRef | None = None, aspect: str | None = None
    ) -> list[models.Finding]:
        """The chapter's findings (about one intervention, category or framework; of one aspect)."""
        only = PLG[aspect.capitalize()] if aspect else None
        rows = self._run("findings", lang=lang, about=about, onlyAspect=only)
        return [
            models.Finding(
                id=slug(f),
                iri=str(f),
                label=str(g[0]["label"]),
                description=str(g[0]["description"]),
                about=[ref(s, label) for s, label in unique_pairs(g, "subject", "subjectLabel")],
                aspect=str(g[0]["aspect"]).rsplit("#", 1)[-1].lower(),
                basis=BASIS[g[0]["basis"]],
                locator=str(g[0]["locator"]),
                sources=_sources(g),
            )
            for f, g in grouped(rows, "finding").items()
        ]

    def cases(
        self, lang: str, illustrates: URIRef | None = None, basis: str | None = None
    ) -> list[models.Case]:
        """The cases (that illustrate one intervention), each with its links (of one basis: the API's
        name of it, e.g. "stated-in-chapter")."""
        only = BASIS_IRI[basis] if basis else None
        rows = self._run("cases", lang=lang, illustrates=illustrates, onlyBasis=only)
        return [
            models.Case(
                id=slug(c),
                iri=str(c),
                label=str(g[0]["label"]),
                description=str(g[0]["description"]),
                boxed=bool(g[0]["boxed"].toPython()),
                school=ref(g[0]["school"], g[0].get("schoolLabel")),
                illustrates=[_illustration(links[0]) for links in grouped(g, "illustration").values()],
                partners=[ref(p, label) for p, label in unique_pairs(g, "partner", "partnerLabel")],
                locator=str(g[0]["locator"]),
            )
            for c, g in grouped(rows, "case").items()
        ]

    def names(self, lang: str) -> dict[str, str]:
        """The name in lang of every resource running text may refer to, by IRI (pages/labels.rq),
        remembered until the data change."""
        return self.reader.memo(
            ("names", lang),
            lambda: {str(r["thing"]): str(r["label"]) for r in self.reader.rows("pages/labels", lang=lang)},
        )

    # -- categories, frameworks, sources ----------------------------------------------------------

    def categories(self, lang: str) -> list[models.Category]:
        """The five intervention categories of Tabel 1 with their interventions."""
        return [
            models.Category(
                id=slug(c),
                iri=str(c),
                label=str(g[0]["label"]),
                definition=str(g[0]["definition"]),
                order=int(g[0]["order"]),
                interventions=[
                    ref(r["intervention"], r["interventionLabel"])
                    for r in g
                    if r.get("intervention") is not None
                ],
            )
            for c, g in grouped(self._run("categories", lang=lang), "category").items()
        ]

    def frameworks(self, lang: str) -> list[models.Framework]:
        """The frameworks of PLG characteristics and the publications they rest on."""
        return [
            models.Framework(
                id=slug(r["framework"]),
                iri=str(r["framework"]),
                label=str(r["label"]),
                definition=str(r["definition"]),
                source=ref(r["source"], r.get("sourceLabel")),
                characteristics=int(r["characteristics"]),
            )
            for r in self._run("frameworks", lang=lang)
        ]

    def sources(self) -> list[models.Source]:
        """The chapter, its book and the works it cites, with authors in order."""
        items = []
        for s, g in grouped(self._run("sources"), "source").items():
            first = g[0]
            items.append(
                models.Source(
                    id=slug(s),
                    iri=str(s),
                    title=text(first.get("title")),
                    year=text(first.get("year")),
                    cited_as=[str(c) for c, _ in unique_pairs(g, "citedAs", "citedAs")],
                    doi=text(first.get("doi")),
                    authors=[str(a) for a, _ in unique_pairs(g, "author", "author")],
                )
            )
        return items
