"""What the pages over many resources show: the home page, the coverage matrix with the crosswalk,
the intervention search, the school list and the ontology's documentation."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from urllib.parse import urlencode

from rdflib import Literal, URIRef
from rdflib.term import Node

from plgkg.namespaces import ONTOLOGY_IRI, PLG, curie
from plgkg_api import models
from plgkg_api.i18n import words
from plgkg_api.services.dataset import DUMPS
from plgkg_api.services.indexes import index_links
from plgkg_api.services.reader import NotFound, basis_class, slug, text
from plgkg_api.services.schools import find as find_schools
from plgkg_api.services.search import KINDS as SEARCH_KINDS
from plgkg_api.services.view import Context, Page

PLG_NS = str(PLG)
OWL = "http://www.w3.org/2002/07/owl#"
MAX_Q = 200


def _rows(ctx: Context, name: str, **bindings: Node | str | None) -> list[dict[str, Node]]:
    return ctx.reader.rows(f"pages/{name}", **bindings)


# -- home -------------------------------------------------------------------------------------------


def home_page(ctx: Context) -> Page:
    """The categories with their interventions and the frameworks with their characteristics."""
    lang = ctx.view.lang
    frameworks: dict[str, dict] = {}
    for c in ctx.catalogue.characteristics(lang):
        entry = frameworks.setdefault(c.framework.id, {"framework": c.framework, "characteristics": []})
        entry["characteristics"].append(c)
    return Page.of(
        "home.html",
        title=words(lang)["site"],
        categories=ctx.catalogue.categories(lang),
        frameworks=list(frameworks.values()),
        indexes=index_links(ctx),
    )


# -- coverage matrix --------------------------------------------------------------------------------


def _abbreviation(framework_slug: str) -> str:
    """A short code for a framework from its slug: the initials of the names before the year
    (lomos-hofman-bosker-2011 → LHB, little-1990 → L)."""
    names = [part for part in framework_slug.split("-") if not part.isdigit()]
    return "".join(name[0].upper() for name in names if name) or framework_slug[:3].upper()


def build_matrix(rows: Iterable[Mapping[str, Node | None]]) -> dict:
    """The matrix from the rows of pages/matrix.rq: column groups (frameworks, in query order) of
    characteristics, row groups (categories in Tabel 1 order) of interventions, a cell per statement,
    counts per row and column, and the characteristics no intervention serves."""
    frameworks: dict[str, dict] = {}
    columns: dict[str, dict] = {}
    interventions: dict[str, dict] = {}
    cells: dict[tuple[str, str], dict] = {}
    for row in rows:
        intervention = text(row.get("intervention"))
        if intervention is not None and intervention not in interventions:
            interventions[intervention] = {
                "iri": intervention,
                "label": text(row.get("interventionLabel")) or slug(intervention),
                "order": int(row["interventionOrder"]) if row.get("interventionOrder") is not None else 0,
                "category": text(row.get("category")) or "",
                "category_label": text(row.get("categoryLabel")) or "",
                "category_order": int(row["categoryOrder"]) if row.get("categoryOrder") is not None else 0,
            }
        characteristic = text(row.get("characteristic"))
        if characteristic is None:
            continue
        framework = text(row.get("framework")) or ""
        group = frameworks.setdefault(
            framework,
            {
                "iri": framework,
                "label": text(row.get("frameworkLabel")) or slug(framework),
                "code": _abbreviation(slug(framework)),
                "columns": [],
            },
        )
        if characteristic not in columns:
            order = int(row["characteristicOrder"]) if row.get("characteristicOrder") is not None else 0
            column = {
                "iri": characteristic,
                "id": slug(characteristic),
                "label": text(row.get("characteristicLabel")) or slug(characteristic),
                "framework": group,
                "order": order,
                "code": f"{group['code']}{order}",
                "count": 0,
                "stated": 0,
            }
            columns[characteristic] = column
            group["columns"].append(column)
        statement = text(row.get("statement"))
        if statement is not None and intervention is not None and (intervention, characteristic) not in cells:
            basis = basis_class(row.get("basis")) or "inferred"
            cells[(intervention, characteristic)] = {"iri": statement, "basis": basis}
            columns[characteristic]["count"] += 1
            columns[characteristic]["stated"] += basis == "stated"
    for group in frameworks.values():
        group["columns"].sort(key=lambda c: c["order"])
    ordered_columns = [c for g in frameworks.values() for c in g["columns"]]
    categories: dict[str, dict] = {}
    for iv in sorted(interventions.values(), key=lambda i: (i["category_order"], i["order"], i["label"])):
        row_cells = [cells.get((iv["iri"], c["iri"])) for c in ordered_columns]
        served = [cell for cell in row_cells if cell]
        entry = {
            **iv,
            "id": slug(iv["iri"]),
            "cells": row_cells,
            "count": len(served),
            "stated": sum(cell["basis"] == "stated" for cell in served),
        }
        category = categories.setdefault(
            iv["category"], {"iri": iv["category"], "label": iv["category_label"], "interventions": []}
        )
        category["interventions"].append(entry)
    return {
        "frameworks": list(frameworks.values()),
        "columns": ordered_columns,
        "categories": list(categories.values()),
        "unserved": [c for c in ordered_columns if c["count"] == 0],
        "total": len(cells),
        "stated": sum(cell["basis"] == "stated" for cell in cells.values()),
        "interventions": len(interventions),
    }


def build_crosswalk(
    columns: Iterable[Mapping], matches: Mapping[str, list[models.CharacteristicMatch]]
) -> list[dict]:
    """The crosswalk table under the matrix: every link of a characteristic shown in the matrix, once,
    read from the first of its two characteristics in column order (its code and label)."""
    seen: set[str] = set()
    rows = []
    for column in columns:
        for match in matches.get(column["iri"], []):
            if match.statement not in seen:
                seen.add(match.statement)
                rows.append({"column": column, "match": match, "basis": basis_class(match.basis)})
    return rows


def matrix_page(ctx: Context, framework_slug: str | None) -> Page:
    """The coverage matrix of every framework (or of the one with this id) and the crosswalk."""
    lang = ctx.view.lang
    t = words(lang)
    frameworks = ctx.catalogue.frameworks(lang)
    chosen = None
    if framework_slug is not None:
        chosen = next((f for f in frameworks if f.id == framework_slug), None)
        if chosen is None:
            raise NotFound("framework", framework_slug)
    only = URIRef(chosen.iri) if chosen else None
    matrix = build_matrix(_rows(ctx, "matrix", lang=lang, onlyFramework=only))
    crosswalk = build_crosswalk(matrix["columns"], ctx.catalogue.matches(lang))
    q = f"?lang={lang}" if ctx.view.chosen else ""
    crumbs = [(t["matrix"], f"/matrix{q}")]
    if chosen:
        crumbs.append((chosen.label, ctx.view.path))
    return Page.of(
        "matrix.html",
        title=f"{t['matrix_title']}: {chosen.label}" if chosen else t["matrix_title"],
        crumbs=crumbs,
        matrix=matrix,
        crosswalk=crosswalk,
        frameworks=frameworks,
        chosen=chosen,
    )


# -- search -------------------------------------------------------------------------------------


def snippet(text: str, query: str | None, width: int = 240) -> list[tuple[str, bool]]:
    """The text cut to about `width` characters (around the first match when there is one), as
    (part, is_match) pairs so that the template can mark matches and still escape everything."""
    start = 0
    needle = (query or "").strip()
    at = text.lower().find(needle.lower()) if needle else -1
    if at > width // 2:
        start = text.rfind(" ", 0, at - width // 3) + 1
    end = start + width
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    piece = ("…" if start > 0 else "") + text[start:end].strip() + ("…" if end < len(text) else "")
    if not needle:
        return [(piece, False)]
    parts = re.split(f"({re.escape(needle)})", piece, flags=re.IGNORECASE)
    return [(part, i % 2 == 1) for i, part in enumerate(parts) if part]


def search_page(ctx: Context, params: Mapping[str, str]) -> Page:
    """The search: text over every kind of resource (api.services.search), narrowed to one kind, or
    to the interventions of a category, framework or characteristic; unknown values named."""
    lang = ctx.view.lang
    t = words(lang)
    text = (params.get("q") or "").strip()
    chosen = {
        key: (params.get(key) or "").strip() for key in ("kind", "category", "framework", "characteristic")
    }
    categories = ctx.catalogue.categories(lang)
    frameworks = ctx.catalogue.frameworks(lang)
    characteristics = ctx.catalogue.characteristics(lang)
    options = {
        "kind": {k: t[f"kind_{k}"] for k in SEARCH_KINDS},
        "category": {c.id: c.label for c in categories},
        "framework": {f.id: f.label for f in frameworks},
        "characteristic": {c.id: c.label for c in characteristics},
    }
    errors = []
    if len(text) > MAX_Q:
        errors.append(t["search_too_long"].format(n=MAX_Q))
        text = text[:MAX_Q]
    for key, value in chosen.items():
        if value and value not in options[key]:
            errors.append(t["search_unknown"].format(what=t[f"filter_{key}"], value=value))
            chosen[key] = ""
    narrowed = any(chosen[k] for k in ("category", "framework", "characteristic"))
    results: list[dict] = []
    if narrowed or not text:  # the interventions of the filters (all of them without any)
        interventions = ctx.catalogue.interventions(
            lang,
            category=chosen["category"] or None,
            characteristic=chosen["characteristic"] or None,
            framework=chosen["framework"] or None,
        )
        allowed = {i.iri for i in interventions}
        if chosen["kind"] and chosen["kind"] != "intervention":
            allowed = set()
    if text:
        kinds = ["intervention"] if narrowed else ([chosen["kind"]] if chosen["kind"] else [])
        for hit in ctx.search.find(text, lang, kinds, limit=SEARCH_LIMIT):
            if not narrowed or hit.iri in allowed:
                results.append(_search_result(hit.kind, hit.iri, hit.label, hit.context, hit.snippet))
    else:
        results = [
            _search_result("intervention", i.iri, i.label, [i.category.label or i.category.id],
                           [models.SnippetPart(text=p, match=m) for p, m in snippet(i.definition, None)],
                           category=i.category)
            for i in interventions
            if i.iri in allowed
        ]  # fmt: skip
    for r in results:
        r["kind_label"] = t[f"kind_{r['kind']}"] if f"kind_{r['kind']}" in t else r["kind"]
    state = {"q": text, **chosen}
    shared = {k: v for k, v in state.items() if v}
    if ctx.view.chosen:
        shared["lang"] = lang
    share_url = "/search" + (f"?{urlencode(shared)}" if shared else "")
    active = []
    for key in ("q", "kind", "category", "framework", "characteristic"):
        if state[key]:
            rest = {k: v for k, v in shared.items() if k != key}
            active.append(
                {
                    "name": t[f"filter_{key}"],
                    "value": state[key] if key == "q" else options[key][state[key]],
                    "remove": "/search" + (f"?{urlencode(rest)}" if rest else ""),
                }
            )
    # the characteristics to choose from, grouped by framework: (framework label, [(id, label)])
    groups: dict[str, list[tuple[str, str]]] = {}
    for c in characteristics:
        groups.setdefault(c.framework.label or c.framework.id, []).append((c.id, c.label))
    return Page.of(
        "search.html",
        title=t["search"],
        crumbs=[(t["search"], share_url)],
        status=400 if errors else 200,
        text=text,
        chosen=chosen,
        kind_options=list(options["kind"].items()),
        category_options=list(options["category"].items()),
        framework_options=list(options["framework"].items()),
        characteristic_groups=list(groups.items()),
        results=results,
        active=active,
        share_url=share_url,
        errors=errors,
        indexes=index_links(ctx),
    )


SEARCH_LIMIT = 100


def _search_result(
    kind: str,
    iri: str,
    label: str,
    context: list[str],
    parts: list[models.SnippetPart],
    category: models.Ref | None = None,
) -> dict:
    return {
        "kind": kind,
        "iri": iri,
        "label": label,
        "context": context,
        "snippet": parts,
        "category": category,
    }


# -- the data page --------------------------------------------------------------------------------

FORMAT_NAMES = {"ttl": "Turtle", "nt": "N-Triples", "jsonld": "JSON-LD"}
# every download and service the data page lists, by group: path → (words key for what it is, format)
DATA_LINKS: dict[str, dict[str, tuple[str, str]]] = {
    "dumps": {f"/dataset.{suffix}": ("data_dump", FORMAT_NAMES.get(suffix, suffix)) for suffix in DUMPS},
    "tables": {
        "/export/interventions-nl.csv": ("data_interventions_nl", "CSV (;)"),
        "/export/serves-nl.csv": ("data_serves_nl", "CSV (;)"),
        "/export/interventions.csv": ("data_interventions", "CSV (,)"),
        "/export/serves.csv": ("data_serves", "CSV (,)"),
        "/export/links-nl.csv": ("data_links_nl", "CSV (;)"),
        "/export/links.csv": ("data_links", "CSV (,)"),
    },
    "vocabularies": {
        "/export/skos.ttl": ("data_skos", "SKOS, Turtle"),
        "/context.jsonld": ("data_context", "JSON-LD @context"),
        "/ontology": ("data_ontology", "OWL"),
    },
    "services": {
        "/.well-known/void": ("data_void", "VoID, DCAT"),
        "/sparql": ("data_sparql", "SPARQL 1.1"),
        "/docs": ("data_api", "OpenAPI"),
        "/reconcile": ("data_reconcile", "Reconciliation API 0.2"),
    },
}
# pages a browser reads (and the reconciliation manifest): their links keep the chosen language
PAGES = {"/ontology", "/sparql", "/docs", "/reconcile"}


def data_page(ctx: Context) -> Page:
    """Every dump, table, vocabulary and service of the dataset, each with what it is for."""
    t = words(ctx.view.lang)
    groups = {
        group: [
            {
                "path": path,
                "href": ctx.view.with_lang(path) if path in PAGES else path,
                "what": t[key],
                "format": kind,
            }
            for path, (key, kind) in links.items()
        ]
        for group, links in DATA_LINKS.items()
    }
    return Page.of(
        "data.html",
        title=t["data_title"],
        crumbs=[(t["data_title"], ctx.view.with_lang("/data"))],
        groups=[{"id": g, "label": t[f"data_group_{g}"], "links": links} for g, links in groups.items()],
    )


# -- about --------------------------------------------------------------------------------------

ABOUT_WORDS = (  # (the word's id, its name's key, the page that lists what it names and its filter)
    ("intervention", "kind_intervention", "/concepts", {"kind": "intervention"}),
    ("category", "kind_category", "/concepts", {"kind": "category"}),
    ("characteristic", "kind_characteristic", "/concepts", {"kind": "characteristic"}),
    ("framework", "kind_framework", "/concepts", {"kind": "framework"}),
    ("link", "kind_link", "/matrix", {}),
    ("finding", "kind_finding", "/findings", {}),
    ("case", "kind_case", "/cases", {}),
    ("where", "rp_locators", None, {}),
)


def about_page(ctx: Context) -> Page:
    """What the catalogue is, what "stated in the chapter" and "inferred by the catalogue" mean, and
    the words its pages use, each with the page that lists what it names."""
    t = words(ctx.view.lang)
    entries = [
        {
            "id": word_id,
            "term": t[term],
            "meaning": t[f"about_word_{word_id}"],
            "href": ctx.view.with_lang(path, params) if path else None,
            "more": t[f"about_more_{word_id}"] if path else "",
        }
        for word_id, term, path, params in ABOUT_WORDS
    ]
    crumbs = [(t["about"], ctx.view.with_lang("/about"))]
    return Page.of("about.html", title=t["about"], crumbs=crumbs, words=entries)


# -- the API's documentation ----------------------------------------------------------------------


def api_docs_page(ctx: Context) -> Page:
    t = words(ctx.view.lang)
    return Page.of("api_docs.html", title=t["api_docs_title"], crumbs=[(t["api_docs_title"], "/docs")])


# -- schools -----------------------------------------------------------------------------------

SCHOOLS_PER_PAGE = 50


def _municipalities(schools: Iterable[models.SchoolSummary]) -> list[dict]:
    """The municipalities the schools lie in, by name, each with its number of schools (for the
    school list's filter; remembered with the school list, as it changes only with the data)."""
    counted = Counter(
        (s.municipality.code, s.municipality.label or s.municipality.code)
        for s in schools
        if s.municipality is not None and s.municipality.code
    )
    return [
        {"code": c, "name": n, "schools": k}
        for (c, n), k in sorted(counted.items(), key=lambda item: (item[0][1].casefold(), item[0][0]))
    ]


def schools_page(ctx: Context, params: Mapping[str, str]) -> Page:
    """The schools in the store (the chapter's and the imported registry locations): find one by
    name, code, place or municipality, page through the rest; each links to its page and gaps."""
    lang = ctx.view.lang
    t = words(lang)
    text = (params.get("q") or "").strip()
    code = (params.get("municipality") or "").strip()
    profiled = params.get("profile") == "1"
    errors = []
    if len(text) > MAX_Q:
        errors.append(t["search_too_long"].format(n=MAX_Q))
        text = text[:MAX_Q]
    every = ctx.schools.index(lang)
    municipalities = ctx.reader.memo(("school-municipalities", lang), lambda: _municipalities(every))
    names = {m["code"]: m["name"] for m in municipalities}
    if code and code not in names:
        errors.append(t["search_unknown"].format(what=t["rp_municipality"], value=code))
        code = ""
    page_text = params.get("page") or "1"
    # ASCII digits only ('²'.isdigit() is true) and few of them (int() of 5,000 digits raises)
    page = int(page_text) if re.fullmatch(r"[0-9]{1,9}", page_text) else 0
    if not page:
        errors.append(t["schools_bad_page"].format(value=page_text))
        page = 1
    found = find_schools(every, text, code, profiled)
    pages = max(1, -(-len(found) // SCHOOLS_PER_PAGE))
    if page > pages:
        errors.append(t["schools_no_page"].format(value=page, pages=pages))
        page = pages
    state = {"q": text, "municipality": code, "profile": "1" if profiled else ""}
    shared = {k: v for k, v in state.items() if v}
    if ctx.view.chosen:
        shared["lang"] = lang

    def url(page: int = 1) -> str:
        query = {**shared, "page": str(page)} if page > 1 else shared
        return "/schools" + (f"?{urlencode(query)}" if query else "")

    shown = found[(page - 1) * SCHOOLS_PER_PAGE : page * SCHOOLS_PER_PAGE]
    return Page.of(
        "schools.html",
        title=t["schools"],
        crumbs=[(t["schools"], url())],
        status=400 if errors else 200,
        text=text,
        municipality=code,
        municipalities=municipalities,
        municipality_options=[(m["code"], f"{m['name']} ({m['schools']})") for m in municipalities],
        profiled=profiled,
        schools=shown,
        total=len(found),
        page=page,
        pages=pages,
        first=(page - 1) * SCHOOLS_PER_PAGE + 1 if shown else 0,
        last=(page - 1) * SCHOOLS_PER_PAGE + len(shown),
        previous_url=url(page - 1) if page > 1 else None,
        next_url=url(page + 1) if page < pages else None,
        share_url=url(page),
        errors=errors,
    )


# -- ontology documentation ---------------------------------------------------------------------

KINDS = {
    f"{OWL}Class": "class",
    f"{OWL}ObjectProperty": "object_property",
    f"{OWL}DatatypeProperty": "datatype_property",
}


def _term_ref(iri: str | None, labels: Mapping[str, str]) -> dict | None:
    """A domain, range or super-term: a link to its place on this page, or to the outside IRI."""
    if iri is None:
        return None
    if iri.startswith(PLG_NS):
        local = iri[len(PLG_NS) :]
        return {"href": f"#{local}", "label": labels.get(iri, local), "code": f"plg:{local}"}
    return {"href": iri, "label": curie(iri), "code": curie(iri)}


def build_ontology(term_rows: Iterable[Mapping[str, Node | None]], lang: str) -> dict[str, list[dict]]:
    """Classes, object properties and datatype properties from the rows of pages/ontology-terms.rq."""
    terms: dict[str, dict] = {}
    for row in term_rows:
        iri = str(row["term"])
        term = terms.setdefault(
            iri,
            {
                "iri": iri,
                "local": iri[len(PLG_NS) :],
                "kind": None,
                "functional": False,
                "label_nl": text(row.get("labelNl")),
                "label_en": text(row.get("labelEn")),
                "definition": text(row.get("definition")),
                "domain": text(row.get("domain")),
                "range": text(row.get("range")),
                "supers": [],
                "example": text(row.get("example")),
                "example_is_iri": isinstance(row.get("example"), URIRef),
                "example_label": text(row.get("exampleLabel")),
                "example_values": [],
            },
        )
        kind = str(row["type"])
        if kind in KINDS:
            term["kind"] = KINDS[kind]
        elif kind == f"{OWL}FunctionalProperty":
            term["functional"] = True
        if row.get("super") is not None and str(row["super"]) not in term["supers"]:
            term["supers"].append(str(row["super"]))
        value = row.get("exampleValue")
        if value is not None and value not in term["example_values"]:
            term["example_values"].append(value)
    labels = {
        iri: (t["label_nl"] if lang == "nl" else t["label_en"]) or t["local"] for iri, t in terms.items()
    }
    out: dict[str, list[dict]] = {kind: [] for kind in KINDS.values()}
    for term in sorted(terms.values(), key=lambda t: t["local"].lower()):
        if term["kind"] is None:
            continue
        values = term.pop("example_values")
        same_language = [v for v in values if isinstance(v, Literal) and v.language == lang]
        value = (same_language or values or [None])[0]
        term.update(
            label=labels[term["iri"]],
            domain=_term_ref(term["domain"], labels),
            range=_term_ref(term["range"], labels),
            supers=[_term_ref(s, labels) for s in term["supers"]],
            example_value=value,
            example_value_is_iri=isinstance(value, URIRef),
        )
        out[term["kind"]].append(term)
    return out


def build_values(rows: Iterable[Mapping[str, Node | None]]) -> list[dict]:
    """The controlled values, grouped by concept scheme, from the rows of pages/ontology-values.rq."""
    schemes: dict[str, dict] = {}
    for row in rows:
        scheme = schemes.setdefault(
            str(row["scheme"]),
            {
                "iri": str(row["scheme"]),
                "local": str(row["scheme"])[len(PLG_NS) :],
                "label": str(row["schemeLabel"]),
                "definition": text(row.get("schemeDefinition")),
                "values": [],
            },
        )
        if all(v["iri"] != str(row["value"]) for v in scheme["values"]):
            scheme["values"].append(
                {
                    "iri": str(row["value"]),
                    "local": str(row["value"])[len(PLG_NS) :],
                    "class": _term_ref(str(row["class"]), {}),
                    "label_nl": str(row["labelNl"]),
                    "label_en": str(row["labelEn"]),
                    "definition": text(row.get("definition")),
                }
            )
    return list(schemes.values())


def ontology_page(ctx: Context) -> Page:
    """/ontology for browsers: every term of the ontology in the store, documented."""
    lang = ctx.view.lang
    t = words(lang)
    header = _rows(ctx, "ontology-header", lang=lang)
    terms = build_ontology(_rows(ctx, "ontology-terms", lang=lang), lang)
    values = build_values(_rows(ctx, "ontology-values", lang=lang))
    return Page.of(
        "ontology.html",
        title=t["ontology_title"],
        crumbs=[(t["ontology"], ctx.view.path)],
        headers={"Link": f'<{ONTOLOGY_IRI}>; rel="canonical"'},
        ontology=header[0] if header else {},
        ontology_iri=ONTOLOGY_IRI,
        sections=[(kind, terms[kind]) for kind in KINDS.values()],
        schemes=values,
        short=curie,
    )
