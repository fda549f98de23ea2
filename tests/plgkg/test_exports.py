"""Exports for other tools: plain SKOS, the JSON-LD @context, CSV — from the library and the CLI."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from plgkg import exports
from plgkg.catalogue import LoadedGraph
from plgkg.namespaces import PLG
from plgkg.stores import RdflibStore
from tests.plgkg.test_cli import run

INTERVENTIONS = URIRef("https://w3id.org/plgkg/id/scheme/interventies")


@pytest.fixture(scope="module")
def query(catalogue: LoadedGraph) -> exports.Query:
    return exports.store_query(RdflibStore(catalogue.graph))


MAPPINGS = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)


def test_skos_carries_the_alignments_serves_links_and_licence(
    query: exports.Query, catalogue: LoadedGraph
) -> None:
    graph = exports.skos(query)
    exported = set(graph.subjects(RDF.type, SKOS.Concept)) | set(graph.subjects(RDF.type, SKOS.ConceptScheme))
    wanted = {(s, p, o) for p in MAPPINGS for s, o in catalogue.graph.subject_objects(p) if s in exported}
    assert {(s, p, o) for p in MAPPINGS for s, o in graph.subject_objects(p)} == wanted
    assert (
        URIRef("https://w3id.org/plgkg/id/intervention/teamteaching"),
        SKOS.exactMatch,
        URIRef("https://eric.ed.gov/?ti=Team+Teaching"),
    ) in graph
    serves = set(catalogue.graph.subject_objects(PLG.serves))
    assert len(serves) == 84
    assert set(graph.subject_objects(SKOS.related)) == serves | {(c, i) for i, c in serves}
    licences = {
        s: set(graph.objects(s, DCTERMS.license)) for s in graph.subjects(RDF.type, SKOS.ConceptScheme)
    }
    assert licences == {s: {URIRef("https://creativecommons.org/licenses/by/4.0/")} for s in licences}
    assert len(licences) == 5


def test_skos_is_plain_and_complete(query: exports.Query) -> None:
    graph = exports.skos(query)
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) == 5 + 18 + 19
    assert not [t for t in graph if any(str(x).startswith(str(PLG)) for x in t)]  # no plg: terms
    assert len(set(graph.objects(INTERVENTIONS, SKOS.hasTopConcept))) == 5
    schemes = set(graph.subjects(RDF.type, SKOS.ConceptScheme))
    tops = {str(s).rsplit("/", 1)[1]: len(set(graph.objects(s, SKOS.hasTopConcept))) for s in schemes}
    assert tops == {
        "interventies": 5,
        "lomos-hofman-bosker-2011": 6,
        "stoll-kools-2017": 7,
        "giles-hargreaves-2006": 3,
        "little-1990": 3,
    }
    for concept in concepts:
        labels = [label.language for label in graph.objects(concept, SKOS.prefLabel)]
        assert sorted(labels) == ["en", "nl"], concept
        assert len(set(graph.objects(concept, SKOS.inScheme))) == 1, concept
    teamteaching = URIRef("https://w3id.org/plgkg/id/intervention/teamteaching")
    samenwerken = URIRef("https://w3id.org/plgkg/id/category/samenwerken")
    assert (teamteaching, SKOS.broader, samenwerken) in graph
    assert (samenwerken, SKOS.narrower, teamteaching) in graph
    assert (teamteaching, SKOS.notation, Literal("2")) in graph


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_context_names_every_term_and_expands_correctly(query: exports.Query, ontology: Graph) -> None:
    context = exports.jsonld_context(query)["@context"]
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in ontology.subjects(RDF.type, kind):
            if str(term).startswith(str(PLG)):
                assert str(term).rsplit("#", 1)[1] in context, term
    document = {
        **exports.jsonld_context(query),
        "@id": "iv:teamteaching",
        "@type": "Intervention",
        "prefLabel": {"nl": "Teamteaching", "en": "Team teaching"},
        "serves": "ch:little-joint-work",
        "order": 2,
    }
    graph = Graph().parse(data=json.dumps(document), format="json-ld")
    subject = URIRef("https://w3id.org/plgkg/id/intervention/teamteaching")
    assert set(graph) == {
        (subject, RDF.type, PLG.Intervention),
        (subject, SKOS.prefLabel, Literal("Teamteaching", lang="nl")),
        (subject, SKOS.prefLabel, Literal("Team teaching", lang="en")),
        (subject, PLG.serves, URIRef("https://w3id.org/plgkg/id/characteristic/little-joint-work")),
        (subject, PLG.order, Literal(2)),
    }


def test_interventions_csv(query: exports.Query) -> None:
    rows = list(csv.DictReader(io.StringIO(exports.interventions_csv(query))))
    assert len(rows) == 18
    assert list(rows[0]) == [
        "id",
        "label_nl",
        "label_en",
        "category_id",
        "category_nl",
        "category_en",
        "definition_nl",
        "definition_en",
        "category_order",
        "order_in_category",
        "examples_nl",
        "examples_en",
    ]
    first = rows[0]
    assert (first["id"], first["label_nl"], first["category_id"], first["examples_nl"]) == (
        "startactiviteiten",
        "Startactiviteiten",
        "missie-en-visie",
        "schrijfgroep; responsgroep; informatiebijeenkomsten; studiedagen; personeelsvergaderingen",
    )
    assert [r["id"] for r in rows][-1] == "leraren-als-leiders"


def test_serves_csv(query: exports.Query) -> None:
    rows = list(csv.DictReader(io.StringIO(exports.serves_csv(query))))
    assert len(rows) == 84
    joint = [r for r in rows if r["characteristic_id"] == "little-joint-work"]
    assert sorted(r["intervention_id"] for r in joint) == ["plgs-werkplaatsen-ontwerpteams", "teamteaching"]
    team = next(r for r in joint if r["intervention_id"] == "teamteaching")
    assert (team["framework_id"], team["basis"], team["sources"]) == (
        "little-1990",
        "stated-in-chapter",
        "de-school-als-plg; little-1990",
    )
    assert {r["basis"] for r in rows} == {"stated-in-chapter", "inferred-by-catalogue"}


@pytest.mark.parametrize("fmt", ["skos", "context", "interventions-csv", "serves-csv"])
def test_cli_exports(fmt: str, query: exports.Query) -> None:
    done = run("export", "--format", fmt)
    assert done.returncode == 0, done.stderr
    expected = {
        "skos": lambda: exports.skos(query).serialize(format="turtle"),
        "context": lambda: json.dumps(exports.jsonld_context(query), indent=2, ensure_ascii=False) + "\n",
        "interventions-csv": lambda: exports.interventions_csv(query),
        "serves-csv": lambda: exports.serves_csv(query),
    }[fmt]()
    if fmt == "skos":
        from tests.conftest import same_graph

        assert same_graph(Graph().parse(data=done.stdout, format="turtle"), Graph().parse(data=expected))
    else:
        assert done.stdout.replace("\r\n", "\n") == expected.replace("\r\n", "\n")
