"""The export routes of the service answer what the library exports."""

from __future__ import annotations

import csv
import io

import httpx
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from tests.api.conftest import select


def test_skos_route(client: httpx.Client) -> None:
    response = client.get("/export/skos.ttl")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    assert len(set(graph.subjects(RDF.type, SKOS.Concept))) == 42


def test_context_route(client: httpx.Client) -> None:
    response = client.get("/context.jsonld")
    assert response.headers["content-type"].startswith("application/ld+json")
    context = response.json()["@context"]
    assert context["serves"] == {"@id": "plg:serves", "@type": "@id"}
    assert context["Intervention"] == "plg:Intervention"


def test_csv_routes(client: httpx.Client) -> None:
    interventions = client.get("/export/interventions.csv")
    assert interventions.headers["content-disposition"] == 'attachment; filename="plgkg-interventions.csv"'
    assert len(list(csv.DictReader(io.StringIO(interventions.text)))) == 18
    serves = client.get("/export/serves.csv")
    statements = select(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s a plg:ServesStatement }")
    assert len(list(csv.DictReader(io.StringIO(serves.text)))) == int(statements[0]["n"])


def test_skos_export_has_the_crosswalk_as_mappings_between_schemes(client: httpx.Client) -> None:
    graph = Graph().parse(data=client.get("/export/skos.ttl").text, format="turtle")
    links = select(
        client,
        "SELECT (STR(?a) AS ?s) (STR(?p) AS ?m) (STR(?b) AS ?o) WHERE { "
        "?x a plg:CharacteristicMatch ; plg:subject ?a ; plg:predicate ?p ; plg:target ?b }",
    )
    assert len(links) >= 9
    for link in links:
        subject, target = URIRef(link["s"]), URIRef(link["o"])
        assert (subject, URIRef(link["m"]), target) in graph
        assert graph.value(subject, SKOS.inScheme) != graph.value(target, SKOS.inScheme)
    lomos = URIRef("https://w3id.org/plgkg/id/characteristic/lomos-leerlingen")
    gh = URIRef("https://w3id.org/plgkg/id/characteristic/gh-onderwijs-verbeteren")
    assert (lomos, SKOS.closeMatch, gh) in graph
