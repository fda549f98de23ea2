"""The dataset as files: the dumps, the exports for Skosmos, JSON-LD and spreadsheets, each written
once per data version and then sent from its file (issue 11), and the VoID + DCAT description."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from plgkg import exports
from plgkg.execution.service import QueryService
from plgkg.formats import GRAPH_MEDIA_TYPES, SUFFIX_MEDIA_TYPES
from plgkg.namespaces import PLG, bind_prefixes

VOID = Namespace("http://rdfs.org/ns/void#")
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
DUMPS = ("ttl", "nt", "jsonld")
EXAMPLES = ("intervention/teamteaching", "characteristic/little-joint-work", "framework/stoll-kools-2017")


@dataclass(frozen=True)
class Export:
    """A file built from plgkg's own queries: how (build gets a function that runs a named query
    without a row limit), its media type and the file name a download gets (None: shown inline)."""

    build: Callable[[Callable], str | bytes]
    media_type: str
    download: str | None = None


EXPORTS = {
    "skos.ttl": Export(lambda query: exports.skos(query).serialize(format="turtle"), "text/turtle"),
    "context.jsonld": Export(
        lambda query: json.dumps(exports.jsonld_context(query), indent=2, ensure_ascii=False),
        "application/ld+json",
    ),
    "interventions.csv": Export(exports.interventions_csv, "text/csv", "plgkg-interventions.csv"),
    "serves.csv": Export(exports.serves_csv, "text/csv", "plgkg-serves.csv"),
    # the same for Dutch spreadsheets: ';' and a byte-order mark
    "interventions-nl.csv": Export(
        lambda query: exports.for_dutch_spreadsheets(exports.interventions_csv(query)),
        "text/csv; charset=utf-8",
        "plgkg-interventies.csv",
    ),
    "serves-nl.csv": Export(
        lambda query: exports.for_dutch_spreadsheets(exports.serves_csv(query)),
        "text/csv; charset=utf-8",
        "plgkg-dient.csv",
    ),
    "links.csv": Export(exports.links_csv, "text/csv", "plgkg-links.csv"),
    "links-nl.csv": Export(
        lambda query: exports.for_dutch_spreadsheets(exports.links_csv(query)),
        "text/csv; charset=utf-8",
        "plgkg-koppelingen.csv",
    ),
}


def exported(service: QueryService, name: str) -> Path:
    """The file of the export with this name (EXPORTS), built once per data version."""

    def query(query_name: str, bindings=None):
        return service.named_query(query_name, bindings, unlimited_rows=True)

    def encoded() -> bytes:
        body = EXPORTS[name].build(query)
        return body if isinstance(body, bytes) else body.encode("utf-8")

    return service.document(name, encoded)


def dump(service: QueryService, suffix: str) -> Path:
    """The whole dataset in the format of this suffix (one of DUMPS), built once per data version."""
    media = SUFFIX_MEDIA_TYPES[suffix]

    def build() -> bytes:
        graph = service.named_query("dataset", unlimited_rows=True).graph
        bind_prefixes(graph)
        return graph.serialize(format=GRAPH_MEDIA_TYPES[media], encoding="utf-8")

    return service.document(f"dataset.{suffix}", build)


def void(service: QueryService, public_url: str) -> Graph:
    """The VoID and DCAT description of the dataset, its URLs under public_url (never a request's
    Host header): title, licence, endpoint, IRI space, size, dumps and class partitions."""
    dataset = URIRef(f"{public_url}/.well-known/void#dataset")
    graph = Graph()
    bind_prefixes(graph)
    graph.bind("void", VOID)
    graph.bind("dcat", DCAT)
    for kind in (VOID.Dataset, DCAT.Dataset):
        graph.add((dataset, RDF.type, kind))
    graph.add(
        (dataset, DCTERMS.title, Literal("plgkg: de school als professionele leergemeenschap", lang="nl"))
    )
    graph.add(
        (dataset, DCTERMS.title, Literal("plgkg: the school as a professional learning community", lang="en"))
    )
    description = (
        "Interventions that help a school become a professional learning community, the PLG "
        "characteristics they serve, findings, practice cases and sources."
    )
    graph.add((dataset, DCTERMS.description, Literal(description, lang="en")))
    graph.add((dataset, DCTERMS.license, LICENCE))
    graph.add((dataset, DCTERMS.modified, Literal(service.loaded_at.isoformat(), datatype=XSD.dateTime)))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(f"{public_url}/sparql")))
    graph.add((dataset, VOID.uriSpace, Literal(service.settings.base_iri)))
    graph.add((dataset, VOID.vocabulary, URIRef(str(PLG))))
    graph.add((dataset, VOID.triples, Literal(service.triples, datatype=XSD.integer)))
    for example in EXAMPLES:
        graph.add((dataset, VOID.exampleResource, URIRef(service.settings.base_iri + example)))
    for suffix in DUMPS:
        dist = URIRef(f"{public_url}/dataset.{suffix}")
        graph.add((dataset, VOID.dataDump, dist))
        graph.add((dataset, DCAT.distribution, dist))
        graph.add((dist, RDF.type, DCAT.Distribution))
        graph.add((dist, DCAT.mediaType, Literal(SUFFIX_MEDIA_TYPES[suffix])))
        graph.add((dist, DCAT.downloadURL, dist))
    for number, row in enumerate(service.named_query("void-statistics").bindings()):
        partition = URIRef(f"{public_url}/.well-known/void#class-{number}")
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], row["class"]))
        graph.add((partition, VOID.entities, row["count"]))
    _linksets(service, graph, dataset, public_url)
    return graph


def _linksets(service: QueryService, graph: Graph, dataset: URIRef, public_url: str) -> None:
    """One void:Linkset per target vocabulary and link property (skos:exactMatch to the UNESCO
    Thesaurus, say), with the number of links, and the links as a CSV table."""
    counts: dict[tuple[str, str], int] = {}
    for row in service.named_query("exports/links-csv", unlimited_rows=True).bindings():
        key = (exports.link_target(str(row["target"]))[0], str(row["predicate"]))
        counts[key] = counts.get(key, 0) + 1
    targets = {t[0]: t for t in exports.LINK_TARGETS.values()}
    for (vocabulary, predicate), count in sorted(counts.items()):
        if vocabulary not in targets:
            continue
        _, target_iri, name = targets[vocabulary]
        local = predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        linkset = URIRef(f"{public_url}/.well-known/void#links-{vocabulary}-{local}")
        target = URIRef(target_iri)
        graph.add((linkset, RDF.type, VOID.Linkset))
        graph.add((dataset, VOID.subset, linkset))
        graph.add((linkset, VOID.subjectsTarget, dataset))
        graph.add((linkset, VOID.objectsTarget, target))
        graph.add((linkset, VOID.target, dataset))
        graph.add((linkset, VOID.target, target))
        graph.add((linkset, VOID.linkPredicate, URIRef(predicate)))
        graph.add((linkset, VOID.triples, Literal(count, datatype=XSD.integer)))
        graph.add((linkset, DCTERMS.title, Literal(f"plgkg → {name} ({local})", lang="en")))
        graph.add((target, RDF.type, VOID.Dataset))
        graph.add((target, DCTERMS.title, Literal(name, lang="en")))
    links = URIRef(f"{public_url}/export/links.csv")
    graph.add((dataset, DCAT.distribution, links))
    graph.add((links, RDF.type, DCAT.Distribution))
    graph.add((links, DCAT.mediaType, Literal("text/csv")))
    graph.add((links, DCAT.downloadURL, links))
