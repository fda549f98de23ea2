"""The gap analysis of a profile (the interventions a school runs, from its imported profile or from
the request): per framework, the characteristics those interventions serve (with which), the gaps
(with the interventions that would serve each), and the next steps ranked by plgkg.coverage's greedy
cover, each with what it closes, the basis of each link, the chapter's findings to heed and its cases.

The catalogue's part (characteristics, serves links, findings, cases: gaps/*.rq and the catalogue
read model) is the same for every school and remembered until the data change; only the profile
differs, so an analysis costs no query beyond reading the profile."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Node

from plgkg import coverage, names
from plgkg.namespaces import PLG
from plgkg_api import models
from plgkg_api.services.catalogue import Catalogue
from plgkg_api.services.reader import BASIS, Reader, UnknownNames, ref, slug, text


@dataclass(frozen=True)
class _Catalogue:
    """What every analysis in one language reads, built once per data generation."""

    characteristics: list[dict[str, Node]]  # gaps/characteristics: by framework, then order
    links: list[dict[str, Node]]  # gaps/links
    findings: dict[str, list[models.GapFinding]]  # by intervention IRI
    cases: dict[str, list[models.Ref]]  # by intervention IRI
    interventions: dict[str, models.InterventionSummary]  # by IRI, in Tabel 1's order
    serves: list[coverage.Link]  # the links as plgkg.coverage reads them
    by_characteristic: dict[str, list[dict[str, Node]]]  # the links by characteristic IRI


class Gaps:
    def __init__(self, reader: Reader, catalogue: Catalogue) -> None:
        self.reader = reader
        self.catalogue = catalogue

    def _read(self, lang: str) -> _Catalogue:
        return self.reader.memo(("gap-catalogue", lang), lambda: self._build(lang))

    def _build(self, lang: str) -> _Catalogue:
        findings: dict[str, list[models.GapFinding]] = {}
        for r in self.reader.rows("gaps/findings", lang=lang):
            findings.setdefault(str(r["intervention"]), []).append(
                models.GapFinding(
                    id=slug(r["finding"]),
                    iri=str(r["finding"]),
                    label=str(r["label"]),
                    description=str(r["description"]),
                    aspect=str(r["aspect"]).rsplit("#", 1)[-1].lower(),
                    basis=BASIS[r["basis"]],
                )
            )
        cases: dict[str, list[models.Ref]] = {}
        for case in self.catalogue.cases(lang):
            for shown in case.illustrates:
                cases.setdefault(shown.iri, []).append(models.Ref(id=case.id, iri=case.iri, label=case.label))
        links = self.reader.rows("gaps/links", lang=lang)
        by_characteristic: dict[str, list[dict[str, Node]]] = {}
        for r in links:
            by_characteristic.setdefault(str(r["characteristic"]), []).append(r)
        return _Catalogue(
            characteristics=self.reader.rows("gaps/characteristics", lang=lang),
            links=links,
            findings=findings,
            cases=cases,
            interventions={i.iri: i for i in self.catalogue.interventions(lang)},
            serves=[
                coverage.Link(
                    str(r["intervention"]), str(r["characteristic"]), r["basis"] == PLG.StatedInChapter
                )
                for r in links
            ],
            by_characteristic=by_characteristic,
        )

    def _known(self, lang: str) -> dict[str, str]:
        """Every way to name an intervention (id, Dutch and English label, as plgkg.names.key
        compares them) → its IRI, the page's language first."""

        def build() -> dict[str, str]:
            known: dict[str, str] = {}
            for language in dict.fromkeys((lang, "nl", "en")):
                for iri, item in self._read(language).interventions.items():
                    known.setdefault(names.key(item.id), iri)
                    known.setdefault(names.key(item.label), iri)
            return known

        return self.reader.memo(("intervention-names", lang), build)

    def interventions(self, lang: str) -> list[models.InterventionSummary]:
        """Every intervention a profile can name, in Tabel 1's order."""
        return list(self._read(lang).interventions.values())

    def resolve(self, given: Collection[str], lang: str) -> list[URIRef]:
        """The interventions named by given, each once, in the order given; UnknownNames lists
        the others with the closest known ids (see match)."""
        found, unknown = self.match(given, lang)
        if unknown:
            raise UnknownNames("intervention", unknown)
        return found

    def match(self, given: Collection[str], lang: str) -> tuple[list[URIRef], dict[str, list[str]]]:
        """The interventions named by given (ids, or names in Dutch or English as plgkg.names
        compares them), each once, in the order given; and the names no intervention has, each
        with the closest known ids."""
        known = self._known(lang)
        found: list[URIRef] = []
        unknown: dict[str, list[str]] = {}
        for name in given:
            iri = known.get(names.key(name))
            if iri is None:
                unknown[name] = [slug(x) for x in names.closest(name, known)]
            elif URIRef(iri) not in found:
                found.append(URIRef(iri))
        return found, unknown

    def analyse(self, runs: Collection[Node | str], lang: str) -> dict:
        """frameworks, next_steps and open (the fields of models.GapAnalysis) for a profile."""
        cat = self._read(lang)
        running = {str(r) for r in runs}
        links, by_characteristic = cat.serves, cat.by_characteristic
        order = {iri: n for n, iri in enumerate(cat.interventions)}
        frameworks: dict[str, models.FrameworkGaps] = {}
        framework_of: dict[str, models.Ref] = {}
        characteristic_ref: dict[str, models.Ref] = {}
        open_ids: dict[str, list[str]] = {}
        for r in cat.characteristics:
            iri = str(r["characteristic"])
            place = frameworks.setdefault(
                str(r["framework"]),
                models.FrameworkGaps(
                    framework=ref(r["framework"], r["frameworkLabel"]), served=[], gaps=[], next_steps=[]
                ),
            )
            framework_of[iri] = place.framework
            characteristic_ref[iri] = ref(r["characteristic"], r["label"])
            serving = sorted(by_characteristic.get(iri, []), key=lambda x: str(x["intervention"]))
            own = [x for x in serving if str(x["intervention"]) in running]
            if own:
                place.served.append(
                    models.ServedAtSchool(
                        characteristic=characteristic_ref[iri],
                        order=int(r["order"]),
                        by=[_via(x, models.Via) for x in own],
                    )
                )
                continue
            open_ids.setdefault(str(r["framework"]), []).append(iri)
            place.gaps.append(
                models.Gap(
                    characteristic=characteristic_ref[iri],
                    order=int(r["order"]),
                    covered_by=[
                        _via(x, models.Covering, findings=cat.findings.get(str(x["intervention"]), []))
                        for x in serving
                    ],
                    unserved_reason=text(r.get("reason")),
                )
            )

        def steps(open_: list[str]) -> list[models.NextStep]:
            return [
                self._step(cat, step, by_characteristic, characteristic_ref, framework_of)
                for step in coverage.next_steps(links, running, open_, order)
            ]

        for framework, place in frameworks.items():
            place.next_steps = steps(open_ids.get(framework, []))
        everything = [c for f in frameworks for c in open_ids.get(f, [])]
        overall = steps(everything)
        closed = {c for step in overall for c in step.closes}
        return {
            "frameworks": [frameworks[f] for f in sorted(frameworks)],
            "next_steps": overall,
            "open": [slug(c) for c in everything if slug(c) not in closed],
        }

    def _step(
        self,
        cat: _Catalogue,
        step: coverage.Step,
        by_characteristic: dict[str, list[dict[str, Node]]],
        characteristic_ref: dict[str, models.Ref],
        framework_of: dict[str, models.Ref],
    ) -> models.NextStep:
        summary = cat.interventions.get(step.intervention)
        closing = []
        for c in step.closes:
            # the statement of this intervention's link to c; a stated one where there are several
            link = min(
                (r for r in by_characteristic[c] if str(r["intervention"]) == step.intervention),
                key=lambda r: (r["basis"] != PLG.StatedInChapter, str(r["statement"])),
            )
            closing.append(
                models.Closing(
                    characteristic=characteristic_ref[c],
                    framework=framework_of[c],
                    basis=BASIS[link["basis"]],
                    statement=str(link["statement"]),
                )
            )
        label = summary.label if summary else str(link["interventionLabel"])
        return models.NextStep(
            id=slug(step.intervention),
            iri=step.intervention,
            label=label,
            category=summary.category if summary else None,
            closes=[slug(c) for c in step.closes],
            closing=closing,
            stated=step.stated,
            findings=cat.findings.get(step.intervention, []),
            cases=cat.cases.get(step.intervention, []),
        )


def _via(row: dict[str, Node], model: type, **extra: object):
    return model(
        intervention=ref(row["intervention"], row["interventionLabel"]),
        basis=BASIS[row["basis"]],
        statement=str(row["statement"]),
        **extra,
    )
