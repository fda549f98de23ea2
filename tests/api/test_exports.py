"""The export routes of the service answer what the library exports."""

from __future__ import annotations

import csv
import io

import httpx
from rdflib import Graph
from rdflib.namespace import RDF, SKOS


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
    assert len(list(csv.DictReader(io.StringIO(serves.text)))) == 70
