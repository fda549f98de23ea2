"""The links to other vocabularies as data (issue 15): VoID linksets in /.well-known/void (target
vocabulary, link property, number of links) and /export/links.csv for spreadsheets, both counted
against the catalogue's plg:Mapping nodes."""

from __future__ import annotations

import csv
import io
from collections import Counter

from fastapi.testclient import TestClient
from rdflib import Graph, Literal, Namespace, URIRef

from plgkg.catalogue import LoadedGraph
from plgkg.exports import link_target
from plgkg.namespaces import PLG, RDF, SKOS

VOID = Namespace("http://rdfs.org/ns/void#")


def mappings(catalogue: LoadedGraph) -> list[tuple[str, str, str]]:
    graph = catalogue.graph
    return [
        (
            str(graph.value(m, PLG.subject)),
            str(graph.value(m, PLG.predicate)),
            str(graph.value(m, PLG.target)),
        )
        for m in graph.subjects(RDF.type, PLG.Mapping)
    ]


def test_void_has_a_linkset_per_vocabulary_and_link_property(
    client: TestClient, catalogue: LoadedGraph
) -> None:
    void = Graph().parse(
        data=client.get("/.well-known/void", headers={"Accept": "text/turtle"}).text, format="turtle"
    )
    expected = Counter((link_target(target)[1], predicate) for _, predicate, target in mappings(catalogue))
    found = Counter()
    for linkset in void.subjects(RDF.type, VOID.Linkset):
        key = (str(void.value(linkset, VOID.objectsTarget)), str(void.value(linkset, VOID.linkPredicate)))
        found[key] = int(void.value(linkset, VOID.triples))
        assert (void.value(linkset, VOID.subjectsTarget), VOID.subset, linkset) in void
    assert found == expected
    unesco_exact = ("http://vocabularies.unesco.org/thesaurus", str(SKOS.exactMatch))
    assert found[unesco_exact] >= 1
    assert (URIRef("http://vocabularies.unesco.org/thesaurus"), None, None) in void
    assert Literal("UNESCO Thesaurus", lang="en") in set(
        void.objects(URIRef("http://vocabularies.unesco.org/thesaurus"))
    )


def test_the_links_as_a_table(client: TestClient, catalogue: LoadedGraph) -> None:
    response = client.get("/export/links.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == len(mappings(catalogue))
    team = [
        r
        for r in rows
        if r["subject_id"] == "intervention/teamteaching" and r["target_vocabulary"] == "unesco"
    ]
    assert {(r["match"], r["target"], r["target_label"]) for r in team} >= {
        ("skos:exactMatch", "http://vocabularies.unesco.org/thesaurus/concept9886", "Team teaching")
    }
    assert all(r["records"].startswith("http") and r["rationale_nl"] and r["rationale_en"] for r in rows)
    assert {r["subject_id"] for r in rows if r["target_vocabulary"] == "wikidata"} >= {"plg:School"}
    dutch = client.get("/export/links-nl.csv").content
    assert dutch.startswith(b"\xef\xbb\xbf") and b";" in dutch.splitlines()[0]
