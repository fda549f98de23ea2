"""The index pages (issue 14): the A–Z of every concept (Skosmos-style, alternative labels pointing
to the preferred one), all findings, all cases and the bibliography, each a way into the catalogue
beside search and the matrix. Filters come from the URL; an unknown value is named (status 400)."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from rdflib import URIRef

from plgkg.names import key
from plgkg.namespaces import PLG
from plgkg_api.i18n import words
from plgkg_api.services.bibliography import SourceInfo, collection, order, source_details, source_index
from plgkg_api.services.reader import ASPECTS, basis_class, slug, text
from plgkg_api.services.resources import aspect_groups
from plgkg_api.services.view import Context, Page

CONCEPT_KINDS = {
    PLG.InterventionCategory: "category",
    PLG.Intervention: "intervention",
    PLG.Characteristic: "characteristic",
    PLG.Framework: "framework",
}
OTHER = "#"  # the letter of entries that begin with a digit or sign


def _letter(label: str) -> str:
    first = key(label)[:1].upper()
    return first if first.isalpha() and first.isascii() else OTHER


def _first_sentence(definition: str) -> str:
    """The definition up to its first full stop (the A–Z shows one line per concept)."""
    end = re.search(r"[.!?](\s|$)", definition)
    return definition[: end.start() + 1] if end else definition


def _title(index: Mapping[str, SourceInfo], iri: str) -> str:
    info = index.get(iri)
    return (info.title or info.short) if info else slug(iri)


def _url(ctx: Context, path: str, state: Mapping[str, str]) -> str:
    return ctx.view.with_lang(path, {k: v for k, v in state.items() if v})


def _chosen(
    params: Mapping[str, str], allowed: Mapping[str, Collection[str]], t: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """The filters asked for in params, each of its allowed values or "" (then named in an error)."""
    chosen = {name: (params.get(name) or "").strip() for name in allowed}
    errors = []
    for name, value in chosen.items():
        if value and value not in allowed[name]:
            errors.append(t["search_unknown"].format(what=t[f"filter_{name}"], value=value[:100]))
            chosen[name] = ""
    return chosen, errors


def index_links(ctx: Context, here: str = "") -> list[dict]:
    """The links between the index pages, the one shown marked."""
    t = words(ctx.view.lang)
    return [
        {"href": ctx.view.with_lang(path), "label": t[f"index_{name}"], "current": path == here}
        for name, path in (("concepts", "/concepts"), ("findings", "/findings"), ("cases", "/cases"),
                           ("sources", "/sources"))
    ]  # fmt: skip


def _index_page(
    ctx: Context, name: str, chosen: dict[str, str], errors: list[str], **context: object
) -> Page:
    """The index page of this name (/name, name.html): its title and crumb, the filters chosen (kept
    in its share link), the errors about them (then status 400) and the links to the other indexes."""
    t = words(ctx.view.lang)
    path = f"/{name}"
    return Page.of(
        f"{name}.html",
        title=t[f"index_{name}"],
        crumbs=[(t[f"index_{name}"], _url(ctx, path, chosen))],
        status=400 if errors else 200,
        errors=errors,
        indexes=index_links(ctx, path),
        chosen=chosen,
        share_url=_url(ctx, path, chosen),
        **context,
    )


# -- A–Z --------------------------------------------------------------------------------------------


def concepts_page(ctx: Context, params: Mapping[str, str]) -> Page:
    """Every category, intervention, characteristic and framework by its preferred label in the
    page's language, A to Z in letter groups; each alternative label is an entry of its own that
    points to the preferred one. ?kind= narrows to one kind."""
    lang = ctx.view.lang
    t = words(lang)
    kinds = list(CONCEPT_KINDS.values())
    chosen, errors = _chosen(params, {"kind": kinds}, t)
    kind = chosen["kind"]
    concepts: dict[str, dict] = {}
    for r in ctx.reader.rows("pages/concept-index", lang=lang):
        iri = str(r["concept"])
        entry = concepts.get(iri)
        if entry is None:
            kind_of = CONCEPT_KINDS[URIRef(str(r["class"]))]
            entry = concepts[iri] = {
                "iri": iri,
                "label": str(r["label"]),
                "kind": kind_of,
                "kind_label": t[f"kind_{kind_of}"],
                "definition": _first_sentence(text(r.get("definition")) or ""),
                "parent": (
                    {"iri": str(r["parent"]), "label": str(r["parentLabel"])}
                    if r.get("parent") is not None
                    else None
                ),
                "alts": [],
            }
        alt = text(r.get("alt"))
        if alt and alt not in entry["alts"] and key(alt) != key(entry["label"]):
            entry["alts"].append(alt)
    shown = [c for c in concepts.values() if not kind or c["kind"] == kind]
    entries = [{"label": c["label"], "concept": c, "alt": False} for c in shown]
    entries += [{"label": a, "concept": c, "alt": True} for c in shown for a in c["alts"]]
    entries.sort(key=lambda e: (key(e["label"]), e["alt"], e["label"]))
    letters: dict[str, list[dict]] = {}
    for e in entries:
        letters.setdefault(_letter(e["label"]), []).append(e)
    order = sorted(letters, key=lambda letter: (letter == OTHER, letter))
    counts = {k: sum(1 for c in concepts.values() if c["kind"] == k) for k in kinds}
    return _index_page(
        ctx,
        "concepts",
        chosen,
        errors,
        kind=kind,
        kinds=[
            {
                "kind": k,
                "label": t[f"kind_{k}_plural"],
                "count": counts[k],
                "href": _url(ctx, "/concepts", {"kind": k}),
                "current": k == kind,
            }
            for k in kinds
        ],  # fmt: skip
        all_href=_url(ctx, "/concepts", {}),
        alphabet=[chr(c) for c in range(ord("A"), ord("Z") + 1)] + [OTHER],
        letters=[
            {
                "letter": letter,
                "id": f"letter-{'other' if letter == OTHER else letter}",
                "entries": letters[letter],
            }
            for letter in order
        ],  # fmt: skip
        total=len(shown),
    )


# -- findings ---------------------------------------------------------------------------------------


def _by_intervention(
    ctx: Context, params: Mapping[str, str], allowed: Mapping[str, Collection[str]]
) -> tuple[dict[str, str], list[str], URIRef | None, dict[str, str]]:
    """The filters of the findings and cases pages (an intervention and the others allowed): the
    values chosen, the errors, the chosen intervention's IRI and the interventions to choose from."""
    interventions = {i.id: i.label for i in ctx.catalogue.interventions(ctx.view.lang)}
    chosen, errors = _chosen(params, {**allowed, "intervention": interventions}, words(ctx.view.lang))
    about = ctx.reader.iri("intervention", chosen["intervention"]) if chosen["intervention"] else None
    return chosen, errors, about, interventions


def findings_page(ctx: Context, params: Mapping[str, str]) -> Page:
    """Every finding, grouped by aspect (how common, how durable, obstacles, conditions, working,
    yield), each with what it is about, its basis and sources; ?aspect= and ?intervention= narrow."""
    lang = ctx.view.lang
    t = words(lang)
    chosen, errors, about, interventions = _by_intervention(ctx, params, {"aspect": ASPECTS})
    findings = ctx.catalogue.findings(lang, about=about, aspect=chosen["aspect"] or None)
    aspects = aspect_groups(ctx, source_index(ctx.reader), findings)
    return _index_page(
        ctx,
        "findings",
        chosen,
        errors,
        aspect_options=[(a, t[f"rp_aspect_{a}"]) for a in ASPECTS],
        intervention_options=list(interventions.items()),
        aspects=aspects,
        total=len(findings),
    )


# -- cases ------------------------------------------------------------------------------------------


def cases_page(ctx: Context, params: Mapping[str, str]) -> Page:
    """Every practice case with its school, the interventions it illustrates (with the basis of each
    link) and where the chapter tells it; ?intervention= narrows."""
    lang = ctx.view.lang
    chosen, errors, about, interventions = _by_intervention(ctx, params, {})
    cases = [
        {
            "iri": c.iri,
            "label": c.label,
            "description": c.description,
            "school": {"iri": c.school.iri, "label": c.school.label or c.school.id},
            "illustrates": [
                {"iri": i.iri, "label": i.label or i.id, "basis": basis_class(i.basis)} for i in c.illustrates
            ],
            "locator": c.locator,
        }
        for c in ctx.catalogue.cases(lang, illustrates=about)
    ]
    return _index_page(
        ctx,
        "cases",
        chosen,
        errors,
        intervention_options=list(interventions.items()),
        cases=cases,
    )


# -- bibliography -----------------------------------------------------------------------------------


def sources_page(ctx: Context) -> Page:
    """The bibliography in reference-list order: first the works the chapter cites, then the chapter
    and the book it is part of; each with its full citation, how the chapter cites it, how many
    catalogue statements rest on it, and its BibTeX and RIS record. The whole list downloads too."""
    t = words(ctx.view.lang)
    index = source_index(ctx.reader)
    uses = {str(r["source"]): r for r in ctx.reader.rows("pages/source-uses")}
    cited_as = {s.iri: s.cited_as for s in ctx.catalogue.sources()}
    groups: dict[str, list[dict]] = {"cited": [], "chapter": []}
    for info in sorted(index.values(), key=order):
        details = source_details(ctx.reader, info.iri)
        row = uses.get(info.iri, {})
        citing = (text(row.get("citedBy")) or "").split()
        groups["cited" if citing else "chapter"].append(
            {
                "source": info,
                "details": details,
                "part_of_href": ctx.view.href(details["container"]) if details.get("container") else None,
                "cited_as": sorted(cited_as.get(info.iri, [])),
                "cited_by": [{"iri": c, "title": _title(index, c)} for c in citing],
                "uses": int(row["uses"]) if row.get("uses") is not None else 0,
                "download": f"/id/source/{slug(info.iri)}",
            }
        )
    return _index_page(
        ctx,
        "sources",
        {},
        [],
        groups=[{"id": g, "label": t[f"sources_group_{g}"], "sources": s} for g, s in groups.items() if s],
        total=len(index),
    )


def bibliography(ctx: Context, suffix: str) -> tuple[str, str]:
    """The whole bibliography as one BibTeX or RIS file: (media type, text)."""
    return collection(ctx.reader, suffix)
