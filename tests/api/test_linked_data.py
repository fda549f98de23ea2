"""Linked-data URIs (/id/…, /ontology) with content negotiation, and the dataset routes."""

from __future__ import annotations

import httpx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

from plgkg.catalogue import LoadedGraph

PLG = Namespace("https://w3id.org/plgkg/ontology#")
TEAMTEACHING = URIRef("https://w3id.org/plgkg/id/intervention/teamteaching")
JOINT_WORK = URIRef("https://w3id.org/plgkg/id/characteristic/little-joint-work")
STATEMENT = URIRef("https://w3id.org/plgkg/id/serves/teamteaching--little-joint-work")
VOID = Namespace("http://rdfs.org/ns/void#")


def _graph(response: httpx.Response, fmt: str) -> Graph:
    return Graph().parse(data=response.text, format=fmt)


def test_resource_as_turtle_by_default(client: httpx.Client) -> None:
    response = client.get("/id/intervention/teamteaching")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert response.headers["vary"].startswith("Accept")
    graph = _graph(response, "turtle")
    # its own triples
    assert (TEAMTEACHING, SKOS.prefLabel, Literal("Teamteaching", lang="nl")) in graph
    assert (TEAMTEACHING, PLG.serves, JOINT_WORK) in graph
    # the labels of what it links to
    assert (JOINT_WORK, SKOS.prefLabel, Literal("Joint work", lang="en")) in graph
    # the qualified statements about it
    assert (STATEMENT, RDF.type, PLG.ServesStatement) in graph
    assert (STATEMENT, PLG.basis, PLG.StatedInChapter) in graph
    assert len(list(graph.objects(STATEMENT, PLG.rationale))) == 2


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize(
    ("accept", "suffix", "media", "parser"),
    [
        ("text/turtle", "ttl", "text/turtle", "turtle"),
        ("application/ld+json", "jsonld", "application/ld+json", "json-ld"),
        ("application/n-triples", "nt", "application/n-triples", "nt"),
        ("application/rdf+xml", "rdf", "application/rdf+xml", "xml"),
    ],
)
def test_resource_formats_by_accept_and_by_suffix(
    client: httpx.Client, accept: str, suffix: str, media: str, parser: str
) -> None:
    by_accept = client.get("/id/intervention/teamteaching", headers={"Accept": accept})
    by_suffix = client.get(f"/id/intervention/teamteaching.{suffix}")
    for response in (by_accept, by_suffix):
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media
    from rdflib.compare import isomorphic

    assert isomorphic(_graph(by_accept, parser), _graph(by_suffix, parser))
    assert (TEAMTEACHING, PLG.inCategory, URIRef("https://w3id.org/plgkg/id/category/samenwerken")) in _graph(
        by_suffix, parser
    )


def test_resource_as_html_for_browsers(client: httpx.Client) -> None:
    response = client.get("/id/intervention/teamteaching", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Teamteaching</h1>" in response.text  # Dutch by default
    assert "https://w3id.org/plgkg/id/intervention/teamteaching" in response.text
    english = client.get(
        "/id/intervention/teamteaching", headers={"Accept": "text/html", "Accept-Language": "en-GB,en;q=0.9"}
    )
    assert "<h1>Team teaching</h1>" in english.text
    assert (
        "<h1>Team teaching</h1>"
        in client.get("/id/intervention/teamteaching?lang=en", headers={"Accept": "text/html"}).text
    )


def test_unknown_resource_is_404(client: httpx.Client) -> None:
    response = client.get("/id/intervention/does-not-exist")
    assert response.status_code == 404
    iri = "https://w3id.org/plgkg/id/intervention/does-not-exist"
    assert response.text == f"Not found: {iri} is not in the graph.\n"


def test_unacceptable_format_is_406(client: httpx.Client) -> None:
    assert client.get("/id/intervention/teamteaching", headers={"Accept": "image/png"}).status_code == 406


def test_path_values_reach_the_query_only_as_bound_values(client: httpx.Client) -> None:
    response = client.get("/id/intervention/x> } UNION { ?s ?p ?o } #")
    assert response.status_code == 404


def test_ontology_is_served(client: httpx.Client) -> None:
    response = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = _graph(response, "turtle")
    assert (PLG.Intervention, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in graph
    assert client.get("/ontology.ttl").status_code == 200


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize(("suffix", "parser"), [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_dataset_dumps_hold_the_whole_graph(
    client: httpx.Client, catalogue: LoadedGraph, suffix: str, parser: str
) -> None:
    response = client.get(f"/dataset.{suffix}")
    assert response.status_code == 200
    assert len(_graph(response, parser)) == len(catalogue.graph)


def test_void_description(client: httpx.Client, catalogue: LoadedGraph) -> None:
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = _graph(response, "turtle")
    dataset = next(
        d for d in graph.subjects(RDF.type, VOID.Dataset) if str(d).endswith("/.well-known/void#dataset")
    )
    assert int(graph.value(dataset, VOID.triples)) == len(catalogue.graph)
    assert str(graph.value(dataset, VOID.sparqlEndpoint)).endswith("/sparql")
    assert graph.value(dataset, URIRef("http://purl.org/dc/terms/license")) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    partitions = {
        graph.value(p, VOID["class"]): int(graph.value(p, VOID.entities))
        for p in graph.objects(dataset, VOID.classPartition)
    }
    assert partitions[PLG.Intervention] == 18
    assert partitions[PLG.Characteristic] == 19
    for kind in (PLG.IllustrationStatement, PLG.CharacteristicMatch):  # issue 12
        assert partitions[kind] == len(set(catalogue.graph.subjects(RDF.type, kind))) > 0
    # the crosswalk links characteristics of this dataset: no linkset for it (linksets lead elsewhere)
    linksets = set(graph.subjects(RDF.type, VOID.Linkset))
    assert linksets and all(graph.value(ls, VOID.objectsTarget) != dataset for ls in linksets)


def test_healthz_reports_the_store(client: httpx.Client, catalogue: LoadedGraph) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok"
    assert health["store"] == "oxigraph"
    assert health["triples"] == len(catalogue.graph)
    assert health["workers_confined"] == "seccomp"  # on Linux x86_64 and aarch64 (plgkg.execution.sandbox)


@pytest.mark.parametrize(
    "path", ["/id/intervention/teamteaching", "/api/interventions", "/dataset.ttl", "/healthz"]
)
def test_head_and_options_work_everywhere(client: httpx.Client, path: str) -> None:
    get = client.get(path)
    head = client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    options = client.options(path)
    assert options.status_code == 204
    assert options.headers["allow"] == "GET, HEAD, OPTIONS"
