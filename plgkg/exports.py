"""Exports for other tools: plain SKOS for vocabulary browsers (Skosmos), the published JSON-LD
@context, and CSV for spreadsheet users. Every export is built from SPARQL in plgkg/queries/exports/,
so it works on every store."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, XSD
from rdflib.term import Node

from plgkg.namespaces import ID, PLG, PREFIXES, bind_prefixes, curie
from plgkg.queries import load_query
from plgkg.stores import QueryResult

Query = Callable[[str, Mapping[str, Node] | None], QueryResult]
"""Runs one of plgkg's named queries (e.g. QueryService.named_query, or a store's query on load_query)."""

CONTEXT_IRI = "https://w3id.org/plgkg/context.jsonld"
BASIS = {PLG.StatedInChapter: "stated-in-chapter", PLG.InferredByCatalogue: "inferred-by-catalogue"}


def store_query(store) -> Query:
    """Adapt a Store to the Query signature."""
    return lambda name, bindings=None: store.query(load_query(name), bindings)


def skos(query: Query) -> Graph:
    """The concept schemes as plain SKOS: explicit skos:Concept, inScheme, top concepts, broader/narrower."""
    graph = query("exports/skos", None).graph
    bind_prefixes(graph)
    return graph


def jsonld_context(query: Query) -> dict:
    """The JSON-LD @context: the project's prefixes, and a term for every class and property of the
    ontology, typed by its range (IRIs for object properties, language maps for texts)."""
    context: dict[str, object] = {
        prefix: str(namespace) for prefix, namespace in PREFIXES.items() if prefix not in ("sh", "plgsh")
    }
    for row in query("exports/context-terms", None).bindings():
        term = str(row["term"])
        name = term.rsplit("#", 1)[1]
        kind, range_ = row["kind"], row.get("range")
        if kind == OWL.Class:
            context[name] = f"plg:{name}"
        elif kind == OWL.ObjectProperty:
            context[name] = {"@id": f"plg:{name}", "@type": "@id"}
        elif range_ == RDF.langString:
            context[name] = {"@id": f"plg:{name}", "@container": "@language"}
        elif isinstance(range_, URIRef) and str(range_).startswith(str(XSD)) and range_ != XSD.string:
            context[name] = {"@id": f"plg:{name}", "@type": f"xsd:{str(range_)[len(str(XSD)) :]}"}
        else:
            context[name] = {"@id": f"plg:{name}"}
    context.update(
        {
            "prefLabel": {"@id": "skos:prefLabel", "@container": "@language"},
            "altLabel": {"@id": "skos:altLabel", "@container": "@language"},
            "definition": {"@id": "skos:definition", "@container": "@language"},
            "label": {"@id": "rdfs:label", "@container": "@language"},
            "description": {"@id": "dcterms:description", "@container": "@language"},
            "source": {"@id": "dcterms:source", "@type": "@id"},
            "wasDerivedFrom": {"@id": "prov:wasDerivedFrom", "@type": "@id"},
            "inScheme": {"@id": "skos:inScheme", "@type": "@id"},
        }
    )
    return {"@context": context}


def _cell(term: Node | None) -> str:
    if term is None:
        return ""
    if term in BASIS:
        return BASIS[term]
    if isinstance(term, URIRef):
        return str(term).rstrip("/").rsplit("/", 1)[-1]
    return str(term)


def _csv(result: QueryResult, rename: Mapping[str, str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([rename.get(v, v) for v in result.variables])
    for row in result.rows:
        writer.writerow(
            [
                "; ".join(sorted(_cell(URIRef(s)) for s in str(t).split("; ")))
                if v == "sources" and t
                else _cell(t)
                for v, t in zip(result.variables, row, strict=True)
            ]
        )
    return buffer.getvalue()


def interventions_csv(query: Query) -> str:
    """One row per intervention, ids as slugs, in Tabel 1 order, with its examples in order."""
    examples: dict[Node, dict[str, list[str]]] = {}
    for row in query("exports/examples", None).bindings():
        entry = examples.setdefault(row["intervention"], {"nl": [], "en": []})
        entry["nl"].append(str(row["nl"]))
        entry["en"].append(str(row["en"]))
    result = query("exports/interventions-csv", None)
    columns = {
        "intervention": "id",
        "category": "category_id",
        "categoryOrder": "category_order",
        "order": "order_in_category",
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*(columns.get(v, v) for v in result.variables), "examples_nl", "examples_en"])
    for row in result.bindings():
        found = examples.get(row["intervention"], {"nl": [], "en": []})
        writer.writerow(
            [*(_cell(row.get(v)) for v in result.variables), "; ".join(found["nl"]), "; ".join(found["en"])]
        )
    return buffer.getvalue()


def serves_csv(query: Query) -> str:
    """One row per characteristic → intervention link with its basis, rationale and sources."""
    return _csv(
        query("exports/serves-csv", None),
        {
            "framework": "framework_id",
            "characteristic": "characteristic_id",
            "intervention": "intervention_id",
            "order": "characteristic_order",
        },
    )


# the vocabularies and identifier systems the catalogue links to: IRI prefix → (id, the target
# dataset's IRI for VoID, its name)
LINK_TARGETS = {
    "http://vocabularies.unesco.org/thesaurus/": (
        "unesco",
        "http://vocabularies.unesco.org/thesaurus",
        "UNESCO Thesaurus",
    ),
    "https://eric.ed.gov/": ("eric", "https://eric.ed.gov/", "ERIC Thesaurus"),
    "http://www.wikidata.org/entity/": ("wikidata", "http://www.wikidata.org/", "Wikidata"),
    "https://doi.org/": ("doi", "https://doi.org/", "DOI"),
    "https://openalex.org/": ("openalex", "https://openalex.org/", "OpenAlex"),
}


def link_target(iri: str) -> tuple[str, str, str]:
    """The vocabulary of a link's target: (id, dataset IRI, name); ("other", …) for the rest."""
    for prefix, target in LINK_TARGETS.items():
        if iri.startswith(prefix):
            return target
    return ("other", iri, iri)


def links_csv(query: Query) -> str:
    """One row per link to another vocabulary: the catalogue resource (kind/id and its names), the
    match property (a prefixed name), the target (its full IRI, its vocabulary and its name there),
    the rationale in both languages, the records it was checked in and the date."""
    result = query("exports/links-csv", None)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["subject_id", "subject_nl", "subject_en", "match", "target", "target_vocabulary",
                     "target_label", "rationale_nl", "rationale_en", "records", "date"])  # fmt: skip
    for row in result.bindings():
        subject = str(row["subject"])
        writer.writerow(
            [
                subject.removeprefix(str(ID)) if subject.startswith(str(ID)) else curie(subject),
                str(row.get("subject_nl") or ""),
                str(row.get("subject_en") or ""),
                curie(str(row["predicate"])),
                str(row["target"]),
                link_target(str(row["target"]))[0],
                str(row.get("target_label") or ""),
                str(row["rationale_nl"]),
                str(row["rationale_en"]),
                "; ".join(sorted(str(row["records"]).split("; "))),
                str(row["date"]),
            ]
        )
    return buffer.getvalue()


def for_dutch_spreadsheets(text: str) -> bytes:
    """A CSV as Dutch spreadsheet programs open it correctly with a double click: separated by ';'
    (the ',' is the decimal sign there) and UTF-8 with a byte-order mark (else accents garble)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(csv.reader(io.StringIO(text)))
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
