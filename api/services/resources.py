"""What the typed page of each kind of catalogue resource shows (issue 4): an intervention, a
characteristic, a category, a framework, a source, a case, a school, a municipality, a finding, a
qualified statement (serves, illustration, crosswalk link) and an agent. `resource_page` picks the
builder by the IRI's kind; a kind without one (or a resource that turns out not to be of its kind)
gets None, and the router shows the generic description page.

Every page is built from SPARQL answers: the catalogue's and the schools' read models where they give
what a page needs, plgkg/queries/pages/*.rq for the rest, and the resource's own description graph
(the answer of describe-resource) for its own literals and the labels of what it links to."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from plgkg.namespaces import BIBO, DCTERMS, PLG, PROV, RDF, SCHEMA, SKOS
from plgkg.validate import label_of
from plgkg_api import models
from plgkg_api.i18n import words
from plgkg_api.services.bibliography import SourceInfo, cites, order, source_details, source_index
from plgkg_api.services.reader import ASPECTS, BASIS_CLASS, NotFound, basis_class, slug, text
from plgkg_api.services.schools import find as find_schools
from plgkg_api.services.view import Context, Page

TABLE_1 = "Tabel 1"  # the locator of the examples Table 1 gives; others come from the running text


# -- helpers ----------------------------------------------------------------------------------------


def _concept_page(
    ctx: Context,
    template: str,
    iri: str,
    row: dict,
    lang: str,
    *,
    crumbs: list | None = None,
    **context: object,
) -> Page:
    """A characteristic, category or framework page: the parts they share, from the page query's row
    (its labels, definition, description and locator), and the rest of the page's context."""
    label = str(row["label"])
    return Page.of(
        template,
        links=_links(ctx, iri, lang),
        title=label,
        crumbs=crumbs or [(label, "")],
        iri=iri,
        label=label,
        other_lang=ctx.view.other,
        other_label=str(row["otherLabel"]),
        definition=str(row["definition"]),
        description=text(row.get("description")),
        locator=text(row.get("locator")),
        **context,
    )


def _concept_row(ctx: Context, kind: str, iri: str) -> dict | None:
    """The row of pages/<kind>.rq about the characteristic, category or framework iri; None if none."""
    rows = _rows(ctx, kind, **{kind: URIRef(iri)}, lang=ctx.view.lang)
    return rows[0] if rows else None


def _rows(ctx: Context, name: str, **bindings: Node | str | None) -> list[dict]:
    return ctx.reader.rows(f"pages/{name}", **bindings)


def _href(ctx: Context, iri: Node | str) -> str:
    return ctx.view.href(iri)


def _text(graph: Graph, subject: Node, prop: Node, lang: str) -> tuple[str, str] | None:
    """The value of a literal property in lang, else in any language: (text, its language)."""
    values = [o for o in graph.objects(subject, prop) if isinstance(o, Literal)]
    for value in values:
        if value.language == lang:
            return str(value), lang
    return (str(values[0]), values[0].language or "") if values else None


def _label(graph: Graph, node: Node, lang: str) -> str:
    return label_of(graph, node, lang) or slug(node)


def _cites(ctx: Context, index: dict[str, SourceInfo], iris: Iterable[Node | str]) -> list[dict]:
    return cites(index, iris, ctx.view.href)


def _figures(ctx: Context, owner: Node, lang: str) -> list[dict]:
    figures = []
    for r in _rows(ctx, "figures", owner=URIRef(str(owner)), lang=lang):
        value = text(r.get("value"))
        if value is None and r.get("min") is not None:
            value = f"{r['min']}–{r['max']}"
        figures.append(
            {
                "iri": str(r["figure"]),
                "label": str(r["label"]),
                "measure": str(r["measureLabel"]),
                "value": value,
                "basis": basis_class(r["basis"]),
                "locator": str(r["locator"]),
            }
        )
    return figures


def _links(ctx: Context, iri: Node | str, lang: str) -> list[dict]:
    """The resource's outgoing links to other vocabularies (issue 5), for the "Elders" list."""
    return [
        {
            "target": str(r["target"]),
            "label": (str(r["targetLabel"]), r["targetLabel"].language) if r.get("targetLabel") else None,
            "kind": str(r["predicate"]).rsplit("#", 1)[-1].rsplit("/", 1)[-1],
            "rationale": text(r.get("rationale")),
        }
        for r in _rows(ctx, "links", subject=URIRef(str(iri)), lang=lang)
    ]


def aspect_groups(
    ctx: Context,
    index: dict[str, SourceInfo],
    findings: Iterable[models.Finding],
    use: Callable[[Iterable[str], str | None], None] | None = None,
) -> list[dict]:
    """Findings grouped by aspect in the order of ASPECTS, as the pages list them (each with what
    it is about, its basis, locator and sources); use is told the sources and locator of each (for
    an intervention's list of sources)."""
    groups: dict[str, list[dict]] = {}
    for f in findings:
        groups.setdefault(f.aspect, []).append(
            {
                "iri": f.iri,
                "label": f.label,
                "description": f.description,
                "about": [{"iri": a.iri, "label": a.label or a.id} for a in f.about],
                "basis": basis_class(f.basis),
                "locator": f.locator,
                "sources": _cites(ctx, index, (s.iri for s in f.sources)),
            }
        )
        if use is not None:
            use((s.iri for s in f.sources), f.locator)
    order = [a for a in ASPECTS if a in groups] + sorted(set(groups) - set(ASPECTS))
    return [{"aspect": aspect, "findings": groups[aspect]} for aspect in order]


def _crumb(ctx: Context, label: str, iri: Node | str) -> tuple[str, str]:
    return ctx.view.crumb(label, iri)


def _illustration(link: models.Illustration) -> dict:
    """A case → intervention link as the case and intervention pages show it."""
    return {
        "statement": link.statement,
        "basis": basis_class(link.basis),
        "rationale": link.rationale,
        "locator": link.locator,
        "quote": (link.quote, "nl") if link.quote else None,
    }


# -- intervention -----------------------------------------------------------------------------------


def intervention_page(ctx: Context, iri: str, graph: Graph) -> Page:
    lang = ctx.view.lang
    detail = ctx.catalogue.intervention(slug(iri), lang)
    index = source_index(ctx.reader)
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
                "basis": basis_class(p.basis),
                "rationale": p.rationale,
                "locator": p.locator,
                "sources": _cites(ctx, index, (s.iri for s in p.sources)),
            }
        )
        use((s.iri for s in p.sources), p.locator)
    aspects = aspect_groups(ctx, index, detail.findings, use)
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
                "sources": _cites(ctx, index, sources),
            }
        )
        use(sources, link.locator)
    source_list = [
        {
            **cite,
            "doi": index[cite["iri"]].doi if cite["iri"] in index else None,
            "locators": used[cite["iri"]],
        }
        for cite in _cites(ctx, index, used)
    ]
    source_list.sort(key=lambda s: s["short"].lower())
    other = ctx.view.other
    return Page.of(
        "intervention.html",
        links=_links(ctx, iri, lang),
        basis_class=BASIS_CLASS,
        title=detail.label,
        crumbs=[_crumb(ctx, detail.category.label or "", detail.category.iri), (detail.label, "")],
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


def characteristic_page(ctx: Context, iri: str, graph: Graph) -> Page | None:
    lang = ctx.view.lang
    row = _concept_row(ctx, "characteristic", iri)
    if row is None:
        return None
    index = source_index(ctx.reader)
    serving = ctx.catalogue.serving(slug(iri), lang)
    interventions = [
        {
            "iri": s.intervention.iri,
            "label": s.intervention.label,
            "statement": s.provenance.statement,
            "basis": basis_class(s.provenance.basis),
            "rationale": s.provenance.rationale,
            "locator": s.provenance.locator,
            "sources": _cites(ctx, index, (x.iri for x in s.provenance.sources)),
        }
        for s in serving
    ]
    matches = [
        {
            "iri": m.iri,
            "label": m.label,
            "framework": {"iri": m.framework.iri, "label": m.framework.label},
            "relation": m.relation,
            "statement": m.statement,
            "basis": basis_class(m.basis),
            "rationale": m.rationale,
            "serves_note": m.serves_note,
            "locator": m.locator,
            "sources": _cites(ctx, index, (s.iri for s in m.sources)),
        }
        for m in ctx.catalogue.matches(lang, URIRef(iri)).get(iri, [])
    ]
    source = index.get(str(row["source"])) or SourceInfo(iri=str(row["source"]))
    label = str(row["label"])
    return _concept_page(
        ctx,
        "characteristic.html",
        iri,
        row,
        lang,
        crumbs=[_crumb(ctx, str(row["frameworkLabel"]), row["framework"]), (label, "")],
        framework={"iri": str(row["framework"]), "label": str(row["frameworkLabel"])},
        source=source,
        source_href=_href(ctx, source.iri),
        interventions=interventions,
        matches=matches,
        unserved_reason=text(row.get("unservedReason")),
    )


# -- category ---------------------------------------------------------------------------------------


def category_page(ctx: Context, iri: str, graph: Graph) -> Page | None:
    lang = ctx.view.lang
    row = _concept_row(ctx, "category", iri)
    if row is None:
        return None
    index = source_index(ctx.reader)
    interventions = ctx.catalogue.interventions(lang, category=slug(iri))
    return _concept_page(
        ctx,
        "category.html",
        iri,
        row,
        lang,
        alt_label=text(row.get("altLabel")),
        alt_lang=row["altLabel"].language if row.get("altLabel") is not None else None,
        sources=_cites(ctx, index, [row["source"]] if row.get("source") is not None else []),
        interventions=interventions,
        aspects=aspect_groups(ctx, index, ctx.catalogue.findings(lang, about=URIRef(iri))),
    )


# -- framework --------------------------------------------------------------------------------------


def framework_page(ctx: Context, iri: str, graph: Graph) -> Page | None:
    lang = ctx.view.lang
    row = _concept_row(ctx, "framework", iri)
    if row is None:
        return None
    index = source_index(ctx.reader)
    characteristics = ctx.catalogue.characteristics(lang, framework=slug(iri))
    source = index.get(str(row["source"])) or SourceInfo(iri=str(row["source"]))
    return _concept_page(
        ctx,
        "framework.html",
        iri,
        row,
        lang,
        source=source,
        source_href=_href(ctx, source.iri),
        characteristics=characteristics,
        aspects=aspect_groups(ctx, index, ctx.catalogue.findings(lang, about=URIRef(iri))),
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


def source_page(ctx: Context, iri: str, graph: Graph) -> Page | None:
    lang = ctx.view.lang
    index = source_index(ctx.reader)
    info = index.get(iri)
    if info is None:
        return None
    subject = URIRef(iri)
    details = source_details(ctx.reader, iri)
    derived: dict[str, list[dict]] = {}
    for r in _rows(ctx, "source-derived", source=subject, lang=lang):
        kind = str(r["class"]).rsplit("#", 1)[-1]
        derived.setdefault(kind, []).append(
            {
                "iri": str(r["thing"]),
                "label": str(r["label"]),
                "basis": basis_class(r.get("basis")),
                "locator": text(r.get("locator")),
            }
        )
    note = _text(graph, subject, SKOS.editorialNote, lang)
    title = info.title or info.short
    references: dict[str, list[dict]] = {"cites": [], "cited-by": []}
    for r in _rows(ctx, "source-references", source=subject):
        other = index.get(str(r["other"])) or SourceInfo(iri=str(r["other"]))
        references[str(r["direction"])].append({"iri": other.iri, "source": other})
    return Page.of(
        "source.html",
        cites=sorted(references["cites"], key=lambda c: order(c["source"])),
        cited_in=references["cited-by"],
        links=_links(ctx, iri, lang),
        title=title,
        crumbs=[(info.short, "")],
        iri=iri,
        source=info,
        heading=title,
        details=details,
        cited_as=sorted(str(c) for c in graph.objects(subject, PLG.citedAs)),
        note=note,
        figures=_figures(ctx, subject, lang),
        derived=[(kind, derived[kind]) for kind in DERIVED_ORDER if kind in derived],
        part_of_href=_href(ctx, details["container"]) if details.get("container") else None,
        download=f"/id/source/{slug(iri)}",
    )


# -- case, school, finding, serves statement, agents -------------------------------------------------


def case_page(ctx: Context, iri: str, graph: Graph) -> Page | None:
    lang = ctx.view.lang
    case = next((c for c in ctx.catalogue.cases(lang) if c.iri == iri), None)
    if case is None:
        return None
    subject = URIRef(iri)
    index = source_index(ctx.reader)
    rationale = _text(graph, subject, PLG.rationale, lang)
    quote = _text(graph, subject, PLG.quote, lang)
    illustrates = [{"iri": i.iri, "label": i.label, **_illustration(i)} for i in case.illustrates]
    return Page.of(
        "case.html",
        title=case.label,
        crumbs=[(case.label, "")],
        iri=iri,
        case=case,
        school={"iri": case.school.iri, "label": _label(graph, URIRef(case.school.iri), lang)},
        illustrates=illustrates,
        partners=[{"iri": p.iri, "label": _label(graph, URIRef(p.iri), lang)} for p in case.partners],
        figures=_figures(ctx, subject, lang),
        basis=basis_class(graph.value(subject, PLG.basis)),
        rationale=rationale,
        quote=quote,
        sources=_cites(ctx, index, sorted(str(s) for s in graph.objects(subject, PROV.wasDerivedFrom))),
    )


def _schools_crumb(ctx: Context, lang: str) -> tuple[str, str]:
    """The crumb back to the school list, keeping a language chosen in the URL."""
    return (words(lang)["schools"], ctx.view.with_lang("/schools"))


def school_page(ctx: Context, iri: str, graph: Graph) -> Page | None:
    lang = ctx.view.lang
    school = ctx.schools.school(slug(iri), lang)
    index = source_index(ctx.reader)
    cases = [c for c in ctx.catalogue.cases(lang) if c.school.iri == iri]
    description = _text(graph, URIRef(iri), DCTERMS.description, lang)
    gaps = ctx.schools.gaps(slug(iri), lang)
    return Page.of(
        "school.html",
        title=school.label,
        crumbs=[_schools_crumb(ctx, lang), (school.label, "")],
        iri=iri,
        school=school,
        description=description,
        cases=cases,
        studies=_cites(ctx, index, (s.iri for s in school.studied_in)),
        gaps=gaps,
        edit_url=ctx.view.with_lang(
            "/gaps", {"school": school.id, "run": [p.intervention.id for p in gaps.runs]}
        ),
        basis_class=BASIS_CLASS,
    )


def municipality_page(ctx: Context, iri: str, graph: Graph) -> Page | None:
    """A municipality of the school registry: its name and number, and the schools that lie there."""
    lang = ctx.view.lang
    code = graph.value(URIRef(iri), PLG.municipalityCode)
    if code is None:
        return None
    name = label_of(graph, URIRef(iri), lang) or str(code)
    schools = find_schools(ctx.schools.index(lang), municipality=str(code))
    listed = ctx.view.with_lang("/schools", {"municipality": str(code)})
    return Page.of(
        "municipality.html",
        title=name,
        crumbs=[_schools_crumb(ctx, lang), (name, "")],
        iri=iri,
        name=name,
        code=str(code),
        schools=schools,
        listed=listed,
    )


def organisation_page(ctx: Context, iri: str, graph: Graph) -> Page | None:
    """An institution (BRIN) or competent authority (board) of the school registry: its code, the
    organisation above it, and every school location under it (for a board: by institution)."""
    lang = ctx.view.lang
    subject = URIRef(iri)
    code = graph.value(subject, SCHEMA.identifier)
    if code is None:
        return None
    name = _label(graph, subject, lang)
    parent = graph.value(subject, SCHEMA.parentOrganization)
    institutions: dict[str, dict] = {}
    for r in _rows(ctx, "organisation-schools", organisation=subject, lang=lang):
        entry = institutions.setdefault(
            str(r["institution"]),
            {"iri": str(r["institution"]), "code": str(r["institutionCode"]), "schools": []},
        )
        entry["schools"].append(
            {
                "iri": str(r["school"]),
                "label": str(r["label"]),
                "code": text(r.get("code")),
                "place": text(r.get("place")),
            }
        )
    return Page.of(
        "organisation.html",
        title=name,
        crumbs=[_schools_crumb(ctx, lang), (name, "")],
        iri=iri,
        name=name,
        kind=ctx.reader.kind(iri),
        code=str(code),
        parent={"iri": str(parent), "label": _label(graph, parent, lang)} if parent is not None else None,
        institutions=list(institutions.values()),
        total=sum(len(i["schools"]) for i in institutions.values()),
    )


def finding_page(ctx: Context, iri: str, graph: Graph) -> Page | None:
    lang = ctx.view.lang
    finding = next((f for f in ctx.catalogue.findings(lang) if f.iri == iri), None)
    if finding is None:
        return None
    subject = URIRef(iri)
    index = source_index(ctx.reader)
    about = [{"iri": a.iri, "label": _label(graph, URIRef(a.iri), lang)} for a in finding.about]
    crumbs = [_crumb(ctx, about[0]["label"], about[0]["iri"])] if about else []
    return Page.of(
        "finding.html",
        title=finding.label,
        crumbs=[*crumbs, (finding.label, "")],
        iri=iri,
        finding=finding,
        about=about,
        basis=basis_class(finding.basis),
        aspect_label=words(lang)[f"rp_aspect_{finding.aspect}"],
        rationale=_text(graph, subject, PLG.rationale, lang),
        quote=_text(graph, subject, PLG.quote, lang),
        figures=_figures(ctx, subject, lang),
        sources=_cites(ctx, index, (s.iri for s in finding.sources)),
    )


def _statement_page(query: str, describe: Callable[[Context, dict, dict[str, str]], dict]) -> Callable:
    """The renderer of a kind of qualified statement (serves, illustration, crosswalk link): its page
    query (pages/<query>.rq, one row per source) and describe(ctx, row, words), which gives the
    page's kind, title, crumbs and facts: what it links, as (term, [{iri, label} or {text}]) pairs.
    Basis, rationale, quote, serves note, locator and sources are the same for every kind."""

    def page(ctx: Context, iri: str, graph: Graph) -> Page | None:
        lang = ctx.view.lang
        rows = _rows(ctx, query, statement=URIRef(iri), lang=lang)
        if not rows:
            return None
        row = rows[0]
        quote = row.get("quote")
        return Page.of(
            "statement.html",
            iri=iri,
            **describe(ctx, row, words(lang)),
            basis=basis_class(row["basis"]),
            rationale=str(row["rationale"]),
            serves_note=text(row.get("servesNote")),
            locator=str(row["locator"]),
            quote=(str(quote), quote.language or "") if quote is not None else None,
            sources=_cites(ctx, source_index(ctx.reader), (r["source"] for r in rows)),
        )

    return page


@dataclass(frozen=True)
class Side:
    """One end of a qualified statement in its page query's row: the variable of the resource (its
    label in <name>Label), the variable of the one it belongs to, if shown, and the word of its fact."""

    name: str
    parent: str | None
    word: str

    def parts(self, row: dict) -> list[dict]:
        """The resource and the one it belongs to (an intervention and its category, say)."""
        names = [self.name, self.parent] if self.parent else [self.name]
        return [{"iri": str(row[n]), "label": str(row[f"{n}Label"])} for n in names]


def _describer(kind: str, subject: Side, target: Side) -> Callable[[Context, dict, dict[str, str]], dict]:
    """describe() of a kind of statement "subject → target": the title, the crumbs (the subject's
    parent, the subject, the target) and the facts (both sides; a crosswalk link also its relation)."""

    def describe(ctx: Context, row: dict, t: dict[str, str]) -> dict:
        crumbs = (
            [ctx.view.crumb(str(row[f"{subject.parent}Label"]), row[subject.parent])]
            if subject.parent
            else []
        )
        crumbs += [ctx.view.crumb(str(row[f"{subject.name}Label"]), row[subject.name])]
        facts = [(t[subject.word], subject.parts(row)), (t[target.word], target.parts(row))]
        if "predicate" in row:
            relation = str(row["predicate"]).removeprefix(str(SKOS))
            facts.append((t["rp_relation"], [{"text": t.get(f"rp_relation_{relation}", relation)}]))
        return {
            "kind": t[kind],
            "title": f"{row[f'{subject.name}Label']} → {row[f'{target.name}Label']}",
            "crumbs": [*crumbs, (str(row[f"{target.name}Label"]), "")],
            "facts": facts,
        }

    return describe


_serves = _describer(
    "rp_statement",
    Side("intervention", "category", "rp_intervention"),
    Side("characteristic", "framework", "rp_characteristic"),
)
_illustrates = _describer(
    "rp_illustration", Side("case", None, "rp_case"), Side("intervention", "category", "rp_intervention")
)
_crosswalk = _describer(
    "rp_crosswalk_link",
    Side("subject", "subjectFramework", "rp_characteristic"),
    Side("target", "targetFramework", "rp_other_characteristic"),
)


ROLE_ORDER = ("author", "editor", "publisher", "venue", "partner")


def agent_page(ctx: Context, iri: str, graph: Graph) -> Page | None:
    lang = ctx.view.lang
    subject = URIRef(iri)
    name = label_of(graph, subject, lang)
    if name is None:
        return None
    index = source_index(ctx.reader)
    cases = {c.iri: c for c in ctx.catalogue.cases(lang)}
    roles: dict[str, list[dict]] = {}
    for r in _rows(ctx, "agent-works", agent=subject):
        work = str(r["work"])
        if work in cases:
            entry = {"iri": work, "href": _href(ctx, work), "short": cases[work].label, "title": None}
        else:
            entry = _cites(ctx, index, [work])[0]
        roles.setdefault(str(r["role"]), []).append(entry)
    kinds = [str(t).rsplit("/", 1)[-1].rsplit("#", 1)[-1] for t in graph.objects(subject, RDF.type)]
    return Page.of(
        "agent.html",
        links=_links(ctx, iri, lang),
        title=name,
        crumbs=[(name, "")],
        iri=iri,
        name=name,
        kinds=sorted(kinds),
        issn=text(graph.value(subject, BIBO.issn)),
        eissn=text(graph.value(subject, BIBO.eissn)),
        roles=[(role, roles[role]) for role in ROLE_ORDER if role in roles],
    )


# -- choosing the builder ---------------------------------------------------------------------------

BUILDERS: dict[str, Callable[[Context, str, Graph], Page | None]] = {
    "intervention": intervention_page,
    "characteristic": characteristic_page,
    "category": category_page,
    "framework": framework_page,
    "source": source_page,
    "case": case_page,
    "school": school_page,
    "municipality": municipality_page,
    "institution": organisation_page,
    "authority": organisation_page,
    "finding": finding_page,
    "serves": _statement_page("statement", _serves),
    "illustration": _statement_page("illustration", _illustrates),
    "crosswalk": _statement_page("crosswalk", _crosswalk),
    "person": agent_page,
    "agent": agent_page,
    "venue": agent_page,
}


def _term_names(ctx: Context, lang: str) -> dict[str, str]:
    """The ontology's classes, properties and individuals by IRI, named in lang (memo)."""
    return ctx.reader.memo(
        ("term-names", lang),
        lambda: {str(r["term"]): str(r["label"]) for r in _rows(ctx, "term-labels", lang=lang)},
    )


def description_page(ctx: Context, iri: str, graph: Graph, path: str) -> Page:
    """Any resource without a typed page (a figure, an example, a mapping, …): its statements as a
    table people can read: each property by its name in the page's language (the ontology's label,
    else the site's word for a common vocabulary's property, else its prefixed name), each linked
    resource by its name, a text in the page's language where the data have one."""
    lang = ctx.view.lang
    t = words(lang)
    subject = URIRef(iri)
    terms = _term_names(ctx, lang)
    names = ctx.catalogue.names(lang)

    def name_of(term: Node) -> str | None:
        """The term's name for people: the ontology's, the catalogue's, the graph's label, the
        site's word for a common vocabulary's term; None when there is none."""
        own = names.get(str(term)) or label_of(graph, term, lang)
        if own:
            return own
        short = graph.namespace_manager.normalizeUri(term)
        word = terms.get(str(term)) or t.get("prop_" + short.replace(":", "_"))
        return word[:1].upper() + word[1:] if word else None  # the ontology's labels are lower case

    def shown(term: Node) -> str:
        short = graph.namespace_manager.normalizeUri(term)
        return name_of(term) or (str(term) if short.startswith("<") else short)

    def value(p: Node, o: Node) -> dict:
        if p == PLG.locator:
            return {"href": None, "text": str(o), "lang": "", "locator": True}
        if isinstance(o, URIRef):
            return {"href": _href(ctx, o), "text": shown(o), "lang": ""}
        language = o.language if isinstance(o, Literal) else None
        return {"href": None, "text": str(o), "lang": language or ""}

    rows: dict[str, dict] = {}
    for p, o in sorted(graph.predicate_objects(subject), key=lambda po: (str(po[0]), str(po[1]))):
        row = rows.setdefault(str(p), {"property": shown(p), "iri": str(p), "values": []})
        row["values"].append(value(p, o))
    for row in rows.values():  # a text in the page's language, where the data have one, stands alone
        if any(v["lang"] == lang for v in row["values"]):
            row["values"] = [v for v in row["values"] if v["lang"] in (lang, "")]
    label = label_of(graph, subject, lang) or iri
    return Page.of(
        "resource.html",
        title=label,
        crumbs=[(label, path)],
        iri=iri,
        label=label,
        rows=sorted(rows.values(), key=lambda r: (r["iri"] != str(RDF.type), r["property"].casefold())),
    )


def resource_page(ctx: Context, iri: str, graph: Graph) -> Page | None:
    """The typed page of the resource with this IRI and description graph; None when its kind has no
    builder or it turns out not to be of its kind (then the generic description page shows it)."""
    builder = BUILDERS.get(ctx.reader.kind(iri))
    if builder is None:
        return None
    try:
        return builder(ctx, iri, graph)
    except NotFound:
        return None
