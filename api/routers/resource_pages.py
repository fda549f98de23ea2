"""Typed HTML pages for the catalogue's resources (issue 4), registered in RESOURCE_PAGES, and the
BibTeX and RIS exports of sources at /id/source/{slug}.bib and .ris.

Every page is rendered from SPARQL answers: the JSON API's data functions where they give what a page
needs, plgkg/queries/pages/*.rq for the rest, and the resource's own description graph (the answer of
describe-resource) for its own literals and the labels of what it links to."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from api import models
from api.i18n import language, words
from api.pages import local_link, render
from api.routers import json_api
from api.routers.gaps import school_gaps
from api.routers.pages import RESOURCE_PAGES
from plgkg.errors import QueryLimitError, StoreError
from plgkg.namespaces import BIBO, DCTERMS, PLG, PROV, RDF, SKOS
from plgkg.stores import QueryResult
from plgkg.validate import label_of

router = APIRouter(include_in_schema=False)

TABLE_1 = "Tabel 1"  # the locator of the examples Table 1 gives; others come from the running text
BASIS_CLASS = {
    PLG.StatedInChapter: "stated",
    PLG.InferredByCatalogue: "inferred",
    "stated-in-chapter": "stated",
    "inferred-by-catalogue": "inferred",
}


# -- helpers ----------------------------------------------------------------------------------------


def _concept_page(
    request: Request, template: str, iri: str, row: dict, lang: str, *, crumbs: list, **context: object
) -> HTMLResponse:
    """A characteristic, category or framework page: the parts they share, from the page query's row."""
    label = str(row["label"])
    return render(
        request,
        template,
        links=_links(request, iri, lang),
        title=label,
        crumbs=crumbs,
        iri=iri,
        label=label,
        other_lang=_other(lang),
        other_label=str(row["otherLabel"]),
        **context,
    )


def _run(request: Request, name: str, **bindings: Node | str | None) -> QueryResult:
    values = {
        k: (Literal(v) if isinstance(v, str) and not isinstance(v, Node) else v)
        for k, v in bindings.items()
        if v is not None
    }
    try:
        return request.app.state.service.named_query(f"pages/{name}", values)
    except QueryLimitError as err:
        raise HTTPException(503, str(err), headers={"Retry-After": "1"}) from None
    except StoreError as err:
        raise HTTPException(502, f"The store did not answer: {err}") from None


def _rows(request: Request, name: str, **bindings: Node | str | None) -> list[dict]:
    return list(_run(request, name, **bindings).bindings())


def _str(value: Node | None) -> str | None:
    return str(value) if value is not None else None


def _slug(iri: Node | str) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def _href(request: Request, iri: Node | str) -> str:
    q = f"?lang={language(request)}" if request.query_params.get("lang") else ""
    return local_link(request, str(iri), q)


def _text(graph: Graph, subject: Node, prop: Node, lang: str) -> tuple[str, str] | None:
    """The value of a literal property in lang, else in any language: (text, its language)."""
    values = [o for o in graph.objects(subject, prop) if isinstance(o, Literal)]
    for value in values:
        if value.language == lang:
            return str(value), lang
    return (str(values[0]), values[0].language or "") if values else None


def _label(graph: Graph, node: Node, lang: str) -> str:
    return label_of(graph, node, lang) or _slug(node)


@dataclass
class Contributor:
    iri: str
    name: str
    family: str
    role: str

    @property
    def inverted(self) -> str:
        """'Family, Given' as bibliographies write it; a particle stays with the family name."""
        given, family = self.name, self.family
        if family and self.name.lower().endswith(family.lower()):
            family = self.name[len(self.name) - len(family) :]
            given = self.name[: len(self.name) - len(family)].strip()
        elif " " in self.name:
            given, family = self.name.rsplit(" ", 1)
        return f"{family}, {given}" if given else family


@dataclass
class SourceInfo:
    iri: str
    title: str | None = None
    year: str | None = None
    doi: str | None = None
    type: str | None = None
    contributors: list[Contributor] = field(default_factory=list)

    @property
    def authors(self) -> list[Contributor]:
        return [c for c in self.contributors if c.role in ("author", "creator")]

    @property
    def editors(self) -> list[Contributor]:
        return [c for c in self.contributors if c.role == "editor"]

    @property
    def short(self) -> str:
        """A short citation: 'Little 1990', 'Stoll & Kools 2017', 'Lomos et al. 2011'."""
        people = self.authors or self.editors
        families = [c.family or c.name for c in people]
        if not families:
            names = self.title or _slug(self.iri)
        elif people[0].role == "creator" or len(families) > 2:
            names = f"{families[0]} et al."
        else:
            names = " & ".join(families)
        return f"{names} {self.year}" if self.year and families else names


def _source_index(request: Request) -> dict[str, SourceInfo]:
    index: dict[str, SourceInfo] = {}
    for r in _rows(request, "source-index"):
        iri = str(r["source"])
        info = index.get(iri)
        if info is None:
            info = index[iri] = SourceInfo(
                iri=iri,
                title=_str(r.get("title")),
                year=_str(r.get("year")),
                doi=_str(r.get("doi")),
                type=str(r["type"]).rsplit("/", 1)[-1] if r.get("type") is not None else None,
            )
        if r.get("person") is not None and all(
            c.iri != str(r["person"]) or c.role != str(r["role"]) for c in info.contributors
        ):
            info.contributors.append(
                Contributor(str(r["person"]), str(r["name"]), _str(r.get("family")) or "", str(r["role"]))
            )
    return index


def _cites(request: Request, index: dict[str, SourceInfo], iris: Iterable[Node | str]) -> list[dict]:
    """Sources as the pages show them beside a claim: link, short citation, title, DOI."""
    out = []
    for iri in dict.fromkeys(str(i) for i in iris):
        info = index.get(iri) or SourceInfo(iri=iri)
        out.append({"iri": iri, "href": _href(request, iri), "short": info.short, "title": info.title})
    return out


def _basis(value: Node | str | None) -> str | None:
    return BASIS_CLASS.get(value if isinstance(value, URIRef) else str(value)) if value is not None else None


def _figures(request: Request, owner: Node, lang: str) -> list[dict]:
    figures = []
    for r in _rows(request, "figures", owner=URIRef(str(owner)), lang=lang):
        value = _str(r.get("value"))
        if value is None and r.get("min") is not None:
            value = f"{r['min']}–{r['max']}"
        figures.append(
            {
                "iri": str(r["figure"]),
                "label": str(r["label"]),
                "measure": str(r["measureLabel"]),
                "value": value,
                "basis": _basis(r["basis"]),
                "locator": str(r["locator"]),
            }
        )
    return figures


def _links(request: Request, iri: Node | str, lang: str) -> list[dict]:
    """The resource's outgoing links to other vocabularies (issue 5), for the "Elders" list."""
    return [
        {
            "target": str(r["target"]),
            "kind": str(r["predicate"]).rsplit("#", 1)[-1].rsplit("/", 1)[-1],
            "rationale": _str(r.get("rationale")),
        }
        for r in _rows(request, "links", subject=URIRef(str(iri)), lang=lang)
    ]


def _aspects(
    request: Request,
    index: dict[str, SourceInfo],
    findings: Iterable[models.Finding],
    use: Callable[[Iterable[str], str | None], None] | None = None,
) -> list[dict]:
    """Findings grouped by aspect in the order of json_api.ASPECTS, as the pages list them; use is
    told the sources and locator of each (for an intervention's list of sources)."""
    groups: dict[str, list[dict]] = {}
    for f in findings:
        groups.setdefault(f.aspect, []).append(
            {
                "iri": f.iri,
                "label": f.label,
                "description": f.description,
                "basis": _basis(f.basis),
                "locator": f.locator,
                "sources": _cites(request, index, (s.iri for s in f.sources)),
            }
        )
        if use is not None:
            use((s.iri for s in f.sources), f.locator)
    order = [a for a in json_api.ASPECTS if a in groups] + sorted(set(groups) - set(json_api.ASPECTS))
    return [{"aspect": aspect, "findings": groups[aspect]} for aspect in order]


def _crumb(request: Request, label: str, iri: Node | str) -> tuple[str, str]:
    return (label, _href(request, iri))


def _other(lang: str) -> str:
    return "en" if lang == "nl" else "nl"


def _illustration(link: models.Illustration) -> dict:
    """A case → intervention link as the case and intervention pages show it."""
    return {
        "statement": link.statement,
        "basis": _basis(link.basis),
        "rationale": link.rationale,
        "locator": link.locator,
        "quote": (link.quote, "nl") if link.quote else None,
    }


# -- intervention -----------------------------------------------------------------------------------


def intervention_page(request: Request, iri: str, graph: Graph) -> HTMLResponse:
    lang = language(request)
    detail = json_api.intervention(request, _slug(iri), lang)
    index = _source_index(request)
    subject = URIRef(iri)
    frameworks: dict[str, dict] = {}
    used: dict[str, list[str]] = {}

    def use(sources: Iterable[str], locator: str | None) -> None:
        for s in sources:
            locators = used.setdefault(s, [])
            if locator and locator not in locators:
                locators.append(locator)

    use(sorted(str(s) for s in graph.objects(subject, DCTERMS.source)), detail.locator)
    for served in detail.serves:
        group = frameworks.setdefault(
            served.framework.iri, {"iri": served.framework.iri, "label": served.framework.label, "items": []}
        )
        p = served.provenance
        group["items"].append(
            {
                "iri": served.characteristic.iri,
                "label": served.characteristic.label,
                "statement": p.statement,
                "basis": _basis(p.basis),
                "rationale": p.rationale,
                "locator": p.locator,
                "sources": _cites(request, index, (s.iri for s in p.sources)),
            }
        )
        use((s.iri for s in p.sources), p.locator)
    aspects = _aspects(request, index, detail.findings, use)
    cases = []
    for c in detail.cases:
        link = next(i for i in c.illustrates if i.iri == iri)
        sources = sorted(str(s) for s in graph.objects(URIRef(c.iri), PROV.wasDerivedFrom))
        cases.append(
            {
                "iri": c.iri,
                "label": c.label,
                "description": c.description,
                "boxed": c.boxed,
                **_illustration(link),
                "sources": _cites(request, index, sources),
            }
        )
        use(sources, link.locator)
    source_list = [
        {
            **cite,
            "doi": index[cite["iri"]].doi if cite["iri"] in index else None,
            "locators": used[cite["iri"]],
        }
        for cite in _cites(request, index, used)
    ]
    source_list.sort(key=lambda s: s["short"].lower())
    other = _other(lang)
    return render(
        request,
        "intervention.html",
        links=_links(request, iri, lang),
        title=detail.label,
        crumbs=[_crumb(request, detail.category.label or "", detail.category.iri), (detail.label, "")],
        iri=iri,
        item=detail,
        other_lang=other,
        other_label=detail.labels[other],
        frameworks=list(frameworks.values()),
        examples=[
            {"label": e.label, "running_text": bool(e.locator) and not e.locator.startswith(TABLE_1)}
            for e in detail.example_items
        ],
        aspects=aspects,
        cases=cases,
        sources=source_list,
        dois=[s for s in source_list if s["doi"]],
    )


# -- characteristic ---------------------------------------------------------------------------------


def characteristic_page(request: Request, iri: str, graph: Graph) -> HTMLResponse | None:
    lang = language(request)
    rows = _rows(request, "characteristic", characteristic=URIRef(iri), lang=lang)
    if not rows:
        return None
    row = rows[0]
    index = _source_index(request)
    page = json_api.characteristic_interventions(request, _slug(iri), lang=lang, limit=1000, offset=0)
    interventions = [
        {
            "iri": s.intervention.iri,
            "label": s.intervention.label,
            "statement": s.provenance.statement,
            "basis": _basis(s.provenance.basis),
            "rationale": s.provenance.rationale,
            "locator": s.provenance.locator,
            "sources": _cites(request, index, (x.iri for x in s.provenance.sources)),
        }
        for s in page["items"]
    ]
    matches = [
        {
            "iri": m.iri,
            "label": m.label,
            "framework": {"iri": m.framework.iri, "label": m.framework.label},
            "relation": m.relation,
            "statement": m.statement,
            "basis": _basis(m.basis),
            "rationale": m.rationale,
            "serves_note": m.serves_note,
            "locator": m.locator,
            "sources": _cites(request, index, (s.iri for s in m.sources)),
        }
        for m in json_api.characteristic_matches(request, lang, URIRef(iri)).get(iri, [])
    ]
    source = index.get(str(row["source"])) or SourceInfo(iri=str(row["source"]))
    label = str(row["label"])
    return _concept_page(
        request,
        "characteristic.html",
        iri,
        row,
        lang,
        crumbs=[_crumb(request, str(row["frameworkLabel"]), row["framework"]), (label, "")],
        definition=str(row["definition"]),
        framework={"iri": str(row["framework"]), "label": str(row["frameworkLabel"])},
        source=source,
        source_href=_href(request, source.iri),
        interventions=interventions,
        matches=matches,
        unserved_reason=_str(row.get("unservedReason")),
    )


# -- category ---------------------------------------------------------------------------------------


def category_page(request: Request, iri: str, graph: Graph) -> HTMLResponse | None:
    lang = language(request)
    rows = _rows(request, "category", category=URIRef(iri), lang=lang)
    if not rows:
        return None
    row = rows[0]
    index = _source_index(request)
    interventions = json_api.interventions(
        request,
        lang=lang,
        category=_slug(iri),
        characteristic=None,
        framework=None,
        q=None,
        limit=1000,
        offset=0,
    )["items"]
    label = str(row["label"])
    return _concept_page(
        request,
        "category.html",
        iri,
        row,
        lang,
        crumbs=[(label, "")],
        definition=str(row["definition"]),
        description=_str(row.get("description")),
        alt_label=_str(row.get("altLabel")),
        alt_lang=row["altLabel"].language if row.get("altLabel") is not None else None,
        locator=_str(row.get("locator")),
        sources=_cites(request, index, [row["source"]] if row.get("source") is not None else []),
        interventions=interventions,
        aspects=_aspects(request, index, json_api._findings(request, lang, about=URIRef(iri))),
    )


# -- framework --------------------------------------------------------------------------------------


def framework_page(request: Request, iri: str, graph: Graph) -> HTMLResponse | None:
    lang = language(request)
    rows = _rows(request, "framework", framework=URIRef(iri), lang=lang)
    if not rows:
        return None
    row = rows[0]
    index = _source_index(request)
    characteristics = json_api.characteristics(request, lang=lang, framework=_slug(iri), limit=1000, offset=0)
    source = index.get(str(row["source"])) or SourceInfo(iri=str(row["source"]))
    label = str(row["label"])
    return _concept_page(
        request,
        "framework.html",
        iri,
        row,
        lang,
        crumbs=[(label, "")],
        definition=str(row["definition"]),
        description=_str(row.get("description")),
        locator=_str(row.get("locator")),
        source=source,
        source_href=_href(request, source.iri),
        characteristics=characteristics["items"],
        aspects=_aspects(request, index, json_api._findings(request, lang, about=URIRef(iri))),
    )


# -- source -----------------------------------------------------------------------------------------

DERIVED_ORDER = (
    "Framework",
    "InterventionCategory",
    "Intervention",
    "ServesStatement",
    "CharacteristicMatch",
    "Finding",
    "Case",
    "IllustrationStatement",
    "Figure",
)


def _source_details(request: Request, iri: str) -> dict:
    rows = _rows(request, "source-detail", source=URIRef(iri))
    row = rows[0] if rows else {}
    return {k: _str(v) for k, v in row.items()}


def source_page(request: Request, iri: str, graph: Graph) -> HTMLResponse | None:
    lang = language(request)
    index = _source_index(request)
    info = index.get(iri)
    if info is None:
        return None
    subject = URIRef(iri)
    details = _source_details(request, iri)
    derived: dict[str, list[dict]] = {}
    for r in _rows(request, "source-derived", source=subject, lang=lang):
        kind = str(r["class"]).rsplit("#", 1)[-1]
        derived.setdefault(kind, []).append(
            {
                "iri": str(r["thing"]),
                "label": str(r["label"]),
                "basis": _basis(r.get("basis")),
                "locator": _str(r.get("locator")),
            }
        )
    note = _text(graph, subject, SKOS.editorialNote, lang)
    title = info.title or info.short
    return render(
        request,
        "source.html",
        links=_links(request, iri, lang),
        title=title,
        crumbs=[(info.short, "")],
        iri=iri,
        source=info,
        heading=title,
        details=details,
        cited_as=sorted(str(c) for c in graph.objects(subject, PLG.citedAs)),
        note=note,
        figures=_figures(request, subject, lang),
        derived=[(kind, derived[kind]) for kind in DERIVED_ORDER if kind in derived],
        part_of_href=_href(request, details["container"]) if details.get("container") else None,
        download=f"/id/source/{_slug(iri)}",
    )


# -- case, school, finding, serves statement, agents -------------------------------------------------


def case_page(request: Request, iri: str, graph: Graph) -> HTMLResponse | None:
    lang = language(request)
    case = next((c for c in json_api._cases(request, lang) if c.iri == iri), None)
    if case is None:
        return None
    subject = URIRef(iri)
    index = _source_index(request)
    rationale = _text(graph, subject, PLG.rationale, lang)
    quote = _text(graph, subject, PLG.quote, lang)
    illustrates = [{"iri": i.iri, "label": i.label, **_illustration(i)} for i in case.illustrates]
    return render(
        request,
        "case.html",
        title=case.label,
        crumbs=[(case.label, "")],
        iri=iri,
        case=case,
        school={"iri": case.school.iri, "label": _label(graph, URIRef(case.school.iri), lang)},
        illustrates=illustrates,
        partners=[{"iri": p.iri, "label": _label(graph, URIRef(p.iri), lang)} for p in case.partners],
        figures=_figures(request, subject, lang),
        basis=_basis(graph.value(subject, PLG.basis)),
        rationale=rationale,
        quote=quote,
        sources=_cites(request, index, sorted(str(s) for s in graph.objects(subject, PROV.wasDerivedFrom))),
    )


def _schools_crumb(request: Request, lang: str) -> tuple[str, str]:
    """The crumb back to the school list, keeping a language chosen in the URL."""
    return (
        words(lang)["schools"],
        "/schools" + (f"?lang={lang}" if request.query_params.get("lang") else ""),
    )


def school_page(request: Request, iri: str, graph: Graph) -> HTMLResponse | None:
    lang = language(request)
    school = json_api._school(request, URIRef(iri), lang)
    if school is None:
        return None
    index = _source_index(request)
    cases = [c for c in json_api._cases(request, lang) if c.school.iri == iri]
    description = _text(graph, URIRef(iri), DCTERMS.description, lang)
    return render(
        request,
        "school.html",
        title=school.label,
        crumbs=[_schools_crumb(request, lang), (school.label, "")],
        iri=iri,
        school=school,
        description=description,
        cases=cases,
        studies=_cites(request, index, (s.iri for s in school.studied_in)),
        gaps=school_gaps(request, URIRef(iri), lang),
        basis_class=BASIS_CLASS,
    )


def municipality_page(request: Request, iri: str, graph: Graph) -> HTMLResponse | None:
    """A municipality of the school registry: its name and number, and the schools that lie there."""
    lang = language(request)
    code = graph.value(URIRef(iri), PLG.municipalityCode)
    if code is None:
        return None
    name = label_of(graph, URIRef(iri), lang) or str(code)
    schools = json_api.find_schools(json_api.school_index(request, lang), municipality=str(code))
    chosen = {"lang": lang} if request.query_params.get("lang") else {}
    listed = f"/schools?{urlencode({'municipality': str(code), **chosen})}"
    return render(
        request,
        "municipality.html",
        title=name,
        crumbs=[_schools_crumb(request, lang), (name, "")],
        iri=iri,
        name=name,
        code=str(code),
        schools=schools,
        listed=listed,
    )


def finding_page(request: Request, iri: str, graph: Graph) -> HTMLResponse | None:
    lang = language(request)
    finding = next((f for f in json_api._findings(request, lang) if f.iri == iri), None)
    if finding is None:
        return None
    subject = URIRef(iri)
    index = _source_index(request)
    about = [{"iri": a.iri, "label": _label(graph, URIRef(a.iri), lang)} for a in finding.about]
    crumbs = [_crumb(request, about[0]["label"], about[0]["iri"])] if about else []
    return render(
        request,
        "finding.html",
        title=finding.label,
        crumbs=[*crumbs, (finding.label, "")],
        iri=iri,
        finding=finding,
        about=about,
        basis=_basis(finding.basis),
        aspect_label=words(lang)[f"rp_aspect_{finding.aspect}"],
        rationale=_text(graph, subject, PLG.rationale, lang),
        quote=_text(graph, subject, PLG.quote, lang),
        figures=_figures(request, subject, lang),
        sources=_cites(request, index, (s.iri for s in finding.sources)),
    )


def _statement_page(query: str, describe: Callable[[Request, dict, dict[str, str]], dict]) -> Callable:
    """The renderer of a kind of qualified statement (serves, illustration, crosswalk link): its page
    query (pages/<query>.rq, one row per source) and describe(request, row, words), which gives the
    page's kind, title, crumbs and facts: what it links, as (term, [{iri, label} or {text}]) pairs.
    Basis, rationale, quote, serves note, locator and sources are the same for every kind."""

    def page(request: Request, iri: str, graph: Graph) -> HTMLResponse | None:
        lang = language(request)
        rows = _rows(request, query, statement=URIRef(iri), lang=lang)
        if not rows:
            return None
        row = rows[0]
        quote = row.get("quote")
        return render(
            request,
            "statement.html",
            iri=iri,
            **describe(request, row, words(lang)),
            basis=_basis(row["basis"]),
            rationale=str(row["rationale"]),
            serves_note=_str(row.get("servesNote")),
            locator=str(row["locator"]),
            quote=(str(quote), quote.language or "") if quote is not None else None,
            sources=_cites(request, _source_index(request), (r["source"] for r in rows)),
        )

    return page


def _pair(row: dict, name: str, parent: str) -> list[dict]:
    """A resource and the one it belongs to (an intervention and its category, say), for a fact."""
    return [
        {"iri": str(row[name]), "label": str(row[f"{name}Label"])},
        {"iri": str(row[parent]), "label": str(row[f"{parent}Label"])},
    ]


def _serves(request: Request, row: dict, t: dict[str, str]) -> dict:
    return {
        "kind": t["rp_statement"],
        "title": f"{row['interventionLabel']} → {row['characteristicLabel']}",
        "crumbs": [
            _crumb(request, str(row["categoryLabel"]), row["category"]),
            _crumb(request, str(row["interventionLabel"]), row["intervention"]),
            (str(row["characteristicLabel"]), ""),
        ],
        "facts": [
            (t["rp_intervention"], _pair(row, "intervention", "category")),
            (t["rp_characteristic"], _pair(row, "characteristic", "framework")),
        ],
    }


def _illustrates(request: Request, row: dict, t: dict[str, str]) -> dict:
    return {
        "kind": t["rp_illustration"],
        "title": f"{row['caseLabel']} → {row['interventionLabel']}",
        "crumbs": [_crumb(request, str(row["caseLabel"]), row["case"]), (str(row["interventionLabel"]), "")],
        "facts": [
            (t["rp_case"], [{"iri": str(row["case"]), "label": str(row["caseLabel"])}]),
            (t["rp_intervention"], _pair(row, "intervention", "category")),
        ],
    }


def _crosswalk(request: Request, row: dict, t: dict[str, str]) -> dict:
    relation = str(row["predicate"]).removeprefix(str(SKOS))
    return {
        "kind": t["rp_crosswalk_link"],
        "title": f"{row['subjectLabel']} → {row['targetLabel']}",
        "crumbs": [
            _crumb(request, str(row["subjectFrameworkLabel"]), row["subjectFramework"]),
            _crumb(request, str(row["subjectLabel"]), row["subject"]),
            (str(row["targetLabel"]), ""),
        ],
        "facts": [
            (t["rp_characteristic"], _pair(row, "subject", "subjectFramework")),
            (t["rp_other_characteristic"], _pair(row, "target", "targetFramework")),
            (t["rp_relation"], [{"text": t.get(f"rp_relation_{relation}", relation)}]),
        ],
    }


ROLE_ORDER = ("author", "editor", "publisher", "venue", "partner")


def agent_page(request: Request, iri: str, graph: Graph) -> HTMLResponse | None:
    lang = language(request)
    subject = URIRef(iri)
    name = label_of(graph, subject, lang)
    if name is None:
        return None
    index = _source_index(request)
    cases = {c.iri: c for c in json_api._cases(request, lang)}
    roles: dict[str, list[dict]] = {}
    for r in _rows(request, "agent-works", agent=subject):
        work = str(r["work"])
        if work in cases:
            entry = {"iri": work, "href": _href(request, work), "short": cases[work].label, "title": None}
        else:
            entry = _cites(request, index, [work])[0]
        roles.setdefault(str(r["role"]), []).append(entry)
    kinds = [str(t).rsplit("/", 1)[-1].rsplit("#", 1)[-1] for t in graph.objects(subject, RDF.type)]
    return render(
        request,
        "agent.html",
        links=_links(request, iri, lang),
        title=name,
        crumbs=[(name, "")],
        iri=iri,
        name=name,
        kinds=sorted(kinds),
        issn=_str(graph.value(subject, BIBO.issn)),
        eissn=_str(graph.value(subject, BIBO.eissn)),
        roles=[(role, roles[role]) for role in ROLE_ORDER if role in roles],
    )


# -- registration -----------------------------------------------------------------------------------


def _guarded(renderer: Callable[[Request, str, Graph], HTMLResponse | None]) -> Callable:
    """A renderer whose resource turns out not to be of its kind gives way to the generic page."""

    def page(request: Request, iri: str, graph: Graph) -> HTMLResponse | None:
        try:
            return renderer(request, iri, graph)
        except HTTPException as err:
            if err.status_code == 404:
                return None
            raise

    return page


for _kind, _renderer in {
    "intervention": intervention_page,
    "characteristic": characteristic_page,
    "category": category_page,
    "framework": framework_page,
    "source": source_page,
    "case": case_page,
    "school": school_page,
    "municipality": municipality_page,
    "finding": finding_page,
    "serves": _statement_page("statement", _serves),
    "illustration": _statement_page("illustration", _illustrates),
    "crosswalk": _statement_page("crosswalk", _crosswalk),
    "person": agent_page,
    "agent": agent_page,
    "venue": agent_page,
}.items():
    RESOURCE_PAGES[_kind] = _guarded(_renderer)


# -- BibTeX and RIS -----------------------------------------------------------------------------------

BIBTEX_TYPES = {
    "AcademicArticle": "article",
    "Book": "book",
    "Chapter": "incollection",
    "Report": "techreport",
}
RIS_TYPES = {"AcademicArticle": "JOUR", "Book": "BOOK", "Chapter": "CHAP", "Report": "RPRT"}


def _bibtex_escape(text: str) -> str:
    for char in "\\{}":
        text = text.replace(char, "")
    for char in "&%$#_":
        text = text.replace(char, "\\" + char)
    return text


def bibtex(info: SourceInfo, details: dict) -> str:
    fields: list[tuple[str, str]] = []
    if info.authors:
        fields.append(("author", " and ".join(c.inverted for c in info.authors)))
    if info.editors:
        fields.append(("editor", " and ".join(c.inverted for c in info.editors)))
    if info.title:
        fields.append(("title", info.title))
    if details.get("venueTitle"):
        fields.append(("journal", details["venueTitle"]))
    if details.get("containerTitle"):
        fields.append(("booktitle", details["containerTitle"]))
    for key, name in (("volume", "volume"), ("issue", "number")):
        if details.get(key):
            fields.append((name, details[key]))
    if details.get("pageStart"):
        end = details.get("pageEnd")
        fields.append(("pages", f"{details['pageStart']}--{end}" if end else details["pageStart"]))
    if details.get("publisherName"):
        fields.append(("publisher", details["publisherName"]))
    if info.year:
        fields.append(("year", info.year))
    if details.get("issn"):
        fields.append(("issn", details["issn"]))
    if info.doi:
        fields.append(("doi", info.doi))
    kind = BIBTEX_TYPES.get(info.type or "", "misc")
    body = ",\n".join(f"  {name} = {{{_bibtex_escape(value)}}}" for name, value in fields)
    return f"@{kind}{{{_slug(info.iri)},\n{body}\n}}\n"


def ris(info: SourceInfo, details: dict) -> str:
    lines = [("TY", RIS_TYPES.get(info.type or "", "GEN"))]
    lines += [("AU", c.inverted) for c in info.authors]
    lines += [("ED", c.inverted) for c in info.editors]
    if info.title:
        lines.append(("TI", info.title))
    if details.get("venueTitle"):
        lines.append(("T2", details["venueTitle"]))
    if details.get("containerTitle"):
        lines.append(("T2", details["containerTitle"]))
    for key, tag in (("volume", "VL"), ("issue", "IS"), ("pageStart", "SP"), ("pageEnd", "EP")):
        if details.get(key):
            lines.append((tag, details[key]))
    if details.get("publisherName"):
        lines.append(("PB", details["publisherName"]))
    if info.year:
        lines.append(("PY", info.year))
    if details.get("issn"):
        lines.append(("SN", details["issn"]))
    if info.doi:
        lines.append(("DO", info.doi))
        lines.append(("UR", f"https://doi.org/{info.doi}"))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


EXPORTS = {
    "bib": ("application/x-bibtex", bibtex),
    "ris": ("application/x-research-info-systems", ris),
}


@router.get("/id/source/{slug}.bib")
def source_bibtex(request: Request, slug: str) -> Response:
    """The source as a BibTeX entry."""
    return _export(request, slug, "bib")


@router.get("/id/source/{slug}.ris")
def source_ris(request: Request, slug: str) -> Response:
    """The source as a RIS record."""
    return _export(request, slug, "ris")


def _export(request: Request, slug: str, suffix: str) -> Response:
    media, make = EXPORTS[suffix]
    iri = f"{request.app.state.settings.service.base_iri}source/{slug}"
    info = _source_index(request).get(iri) if json_api.SLUG.match(slug) else None
    if info is None:
        return PlainTextResponse(f"Not found: {iri} is not in the graph.\n", status_code=404)
    text = make(info, _source_details(request, iri))
    return Response(
        text,
        media_type=f"{media}; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{slug}.{suffix}"',
            "Link": f'<{iri}>; rel="canonical"',
        },
    )
