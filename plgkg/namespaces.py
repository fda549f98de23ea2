"""Every namespace the project uses, declared once, and prefixed names (CURIEs) made and read with
them through one rdflib NamespaceManager."""

from __future__ import annotations

import threading
from functools import cache

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, XSD, NamespaceManager

PLG = Namespace("https://w3id.org/plgkg/ontology#")
PLGSH = Namespace("https://w3id.org/plgkg/shapes#")
ID = Namespace("https://w3id.org/plgkg/id/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
SCHEMA = Namespace("https://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")
WD = Namespace("http://www.wikidata.org/entity/")  # items used only where verified (links.ttl says where)

ONTOLOGY_IRI = "https://w3id.org/plgkg/ontology"

# Kinds of catalogue resource: https://w3id.org/plgkg/id/<kind>/<slug>, with their Turtle prefix.
ID_KINDS: dict[str, str] = {
    "scheme": "scheme",
    "cat": "category",
    "iv": "intervention",
    "exa": "example",
    "fw": "framework",
    "ch": "characteristic",
    "srv": "serves",
    "fnd": "finding",
    "fig": "figure",
    "case": "case",
    "sch": "school",
    "src": "source",
    "per": "person",
    "ven": "venue",
    "ag": "agent",
    "map": "mapping",
    "ill": "illustration",
    "cw": "crosswalk",
}

PREFIXES: dict[str, Namespace] = {
    "plg": PLG,
    "plgsh": PLGSH,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "bibo": BIBO,
    "prov": PROV,
    "foaf": FOAF,
    "schema": SCHEMA,
    "sh": SH,
    "vann": VANN,
    "wd": WD,
    **{prefix: Namespace(f"{ID}{kind}/") for prefix, kind in ID_KINDS.items()},
}


def bind_prefixes(graph: Graph | NamespaceManager) -> None:
    """Bind the project's prefixes on a graph, replacing rdflib's defaults where they clash."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


@cache
def namespace_manager() -> NamespaceManager:
    """A NamespaceManager with the project's prefixes and no others (none of rdflib's defaults)."""
    manager = NamespaceManager(Graph(), bind_namespaces="none")
    bind_prefixes(manager)
    return manager


_LOCK = threading.Lock()  # the manager caches what it computes: one thread at a time


def curie(iri: str) -> str:
    """iri as a prefixed name with the project's prefixes (e.g. iv:teamteaching), or iri itself
    where none fits or the rest is not a local name."""
    try:
        with _LOCK:
            prefix, _, local = namespace_manager().compute_qname(iri, generate=False)
    except (KeyError, ValueError):
        return iri
    return f"{prefix}:{local}" if local else iri


def expand(name: str) -> str:
    """A prefixed name with one of the project's prefixes, or an IRI in <>, as the full IRI;
    anything else (a full IRI, an unknown prefix) as it is."""
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    try:
        return str(namespace_manager().expand_curie(name))
    except ValueError:
        return name
