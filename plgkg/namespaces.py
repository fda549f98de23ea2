"""Every namespace the project uses, declared once."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

PLG = Namespace("https://w3id.org/plgkg/ontology#")
PLGSH = Namespace("https://w3id.org/plgkg/shapes#")
ID = Namespace("https://w3id.org/plgkg/id/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
SCHEMA = Namespace("https://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")

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
    **{prefix: Namespace(f"{ID}{kind}/") for prefix, kind in ID_KINDS.items()},
}


def bind_prefixes(graph) -> None:
    """Bind the project's prefixes on a graph, replacing rdflib's defaults where they clash."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
