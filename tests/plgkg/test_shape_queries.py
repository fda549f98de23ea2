"""The shapes compiled to SPARQL (plgkg.shape_queries, engine "sparql") report exactly what pyshacl
reports: every result's focus node, path, value, source shape, severity, constraint component,
source constraint and messages, on the conforming base, on the whole catalogue and on broken
imports. (tests/plgkg/test_shapes.py compares the reports of the two on every violating fixture of
the shapes.)

The catalogue's reference is pyshacl over pyoxigraph (engine "oxigraph"; pyshacl over rdflib takes
tens of seconds there); PLGKG_REFERENCE=rdflib compares with rdflib itself. The base and the broken
import are compared with engine "rdflib" too."""

from __future__ import annotations

import os

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from plgkg.catalogue import LoadedGraph
from plgkg.imports import register
from plgkg.namespaces import PLG, SCHEMA
from plgkg.shape_queries import SURELY_WELL_TYPED, _well_typed, compile_shapes
from plgkg.validate import _shacl, validate_loaded, validate_scoped
from tests.plgkg.test_shapes import _base, _keys
from tests.plgkg.test_validate_scoped import DUO, SCHOOL_DEFECTS

REFERENCE = os.environ.get("PLGKG_REFERENCE", "oxigraph")


def _path(results: Graph, path) -> str | None:
    """A path as text, blank node structure included (result graphs name them differently)."""
    if path is None:
        return None
    if isinstance(path, BNode):
        parts = sorted(f"{p}={_path(results, o)}" for _, p, o in results.triples((path, None, None)))
        return "[" + " ".join(parts) + "]"
    return str(path)


def _results(results: Graph) -> set[tuple]:
    """Everything each result of a results graph says."""
    found = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        messages = frozenset((str(m), m.language) for m in results.objects(result, SH.resultMessage))
        found.add(
            (
                results.value(result, SH.focusNode),
                _path(results, results.value(result, SH.resultPath)),
                results.value(result, SH.value),
                results.value(result, SH.sourceShape),
                results.value(result, SH.resultSeverity),
                results.value(result, SH.sourceConstraintComponent),
                results.value(result, SH.sourceConstraint),
                messages,
            )
        )
    return found


def _conforms(results: Graph) -> bool:
    return bool(next(results.objects(None, SH.conforms)).toPython())


def test_every_shape_is_compiled(shapes: Graph) -> None:
    compiled = compile_shapes(shapes)
    assert compiled.not_compiled == {}
    assert compiled.fallback is None
    assert compile_shapes(shapes) is compiled  # compiled once per shapes graph


def test_the_base_and_the_catalogue_give_pyshacls_results(
    shapes: Graph, ontology: Graph, catalogue: LoadedGraph
) -> None:
    base = _base(ontology)
    assert _results(_shacl(base, shapes, "sparql")) == _results(_shacl(base, shapes, "rdflib")) == set()
    reference = _shacl(catalogue.graph, shapes, REFERENCE)
    compiled = _shacl(catalogue.graph, shapes, "sparql")
    assert _results(compiled) == _results(reference)
    assert _conforms(compiled) == _conforms(reference) is True
    report = validate_loaded(catalogue, shapes, engine="sparql")
    assert _keys(report) == _keys(validate_loaded(catalogue, shapes, engine=REFERENCE))


def test_a_broken_register_import_is_reported_the_same(shapes: Graph, ontology: Graph) -> None:
    rows, problems = register.read_rows(DUO / "vestigingen-vo.csv", "vestigingen-vo.csv")
    assert problems == []
    graph = register.build_graph(rows)
    for defect in ("second name", "unknown property", "misspelled plg term", "codes disagree", "postcode",
                   "no street", "education type", "tagged denomination", "no English label",
                   "address not an address", "municipality code", "literal source"):  # fmt: skip
        SCHOOL_DEFECTS[defect](graph)
    other = register.school_iri(rows[0].code)
    graph.add((other, SCHEMA.name, Literal("Tweede naam")))
    graph.add((other, PLG.runs, URIRef("https://w3id.org/plgkg/id/intervention/teamteaching")))
    compiled = validate_scoped(graph, ontology, shapes, engine="sparql")
    assert _keys(compiled) == _keys(validate_scoped(graph, ontology, shapes, engine="oxigraph"))
    full = validate_loaded(LoadedGraph(graph + ontology), shapes, engine="rdflib")
    assert _keys(compiled) == _keys(full)
    assert len(compiled.violations) >= 12
    # and the problems the import reports, row by row
    assert register.shacl_problems(rows, graph) == register.shacl_problems(rows, graph, scoped=False)


def test_a_shape_that_is_not_compiled_is_left_to_pyshacl(shapes: Graph, ontology: Graph) -> None:
    extra = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix schema: <https://schema.org/> .
        <urn:test:NameEqualsShape> a sh:NodeShape ;
            sh:targetClass <https://w3id.org/plgkg/ontology#School> ;
            sh:message "name equals label"@en ;
            sh:property <urn:test:NameEqualsShape-name> .
        <urn:test:NameEqualsShape-name> a sh:PropertyShape ; sh:path schema:name ;
            sh:equals <http://www.w3.org/2000/01/rdf-schema#label> ; sh:message "name equals label"@en .
        """,
        format="turtle",
    )
    mixed = shapes + extra
    compiled = compile_shapes(mixed)
    assert set(compiled.not_compiled) == {URIRef("urn:test:NameEqualsShape")}
    graph = _base(ontology)
    found = _results(_shacl(graph, mixed, "sparql"))
    assert found == _results(_shacl(graph, mixed, "oxigraph"))
    assert {r[3] for r in found} == {URIRef("urn:test:NameEqualsShape-name")}


@pytest.mark.parametrize("engine", ["sparql", "oxigraph"])
def test_validate_scoped_takes_an_engine(engine: str, shapes: Graph, ontology: Graph) -> None:
    rows, _ = register.read_rows(DUO / "vestigingen-vo.csv", "vestigingen-vo.csv")
    report = validate_scoped(register.build_graph(rows), ontology, shapes, engine=engine)
    assert (report.conforms, report.violations, report.warnings) == (True, [], [])


def _matching(datatype: URIRef) -> list[str]:
    """Lexical forms of SURELY_WELL_TYPED[datatype], the edges of each part included."""
    years = ["1000", "1900", "1999", "2000", "2024", "9999"]
    return {
        XSD.gYear: years,
        XSD.date: [f"{y}-{m:02d}-{d:02d}" for y in years for m in range(1, 13) for d in range(1, 29)],
        XSD.integer: ["0", "+0", "-0", "007", "-1", "+42", "999999999999999", "-999999999999999"],
        XSD.boolean: ["true", "false"],
    }[datatype]


_NOT_MATCHING = {
    XSD.gYear: ["0999", "19999", "-2019", " 2019", "2019\n", "2019Z"],
    XSD.date: ["2019-02-29", "2019-13-01", "2019-00-10", "2019-1-01", "0999-01-01", "2019-01-01Z"],
    XSD.integer: ["1e3", "1.0", "9999999999999999", " 1", "1\n", ""],
    XSD.boolean: ["True", "1", "0", "true\n"],
}


def _sparql_matches(form: str, pattern: str) -> bool:
    """REGEX(form, pattern) as pyoxigraph evaluates it in the compiled queries."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:form"), ox.Literal(form)))
    store.add(ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:pattern"), ox.Literal(pattern)))
    query = "SELECT (REGEX(?f, ?p) AS ?m) WHERE { <urn:x> <urn:form> ?f ; <urn:pattern> ?p }"
    [row] = list(store.query(query))
    return row["m"].value == "true"


@pytest.mark.parametrize("datatype", sorted(SURELY_WELL_TYPED, key=str))
def test_a_literal_decided_in_sparql_is_one_rdflib_finds_well_typed(datatype: URIRef) -> None:
    # the shortcut that saves the call into Python only ever says well-typed where rdflib does
    pattern, iri = SURELY_WELL_TYPED[datatype], ox.NamedNode(str(datatype))
    for form in _matching(datatype):
        assert _sparql_matches(form, pattern), form
        assert getattr(Literal(form, datatype=datatype), "ill_typed", None) is not True, form
        assert _well_typed(ox.Literal(form, datatype=iri), iri).value == "true", form
    # what it does not decide is left to rdflib (_well_typed), as before the shortcut
    for form in _NOT_MATCHING[datatype]:
        assert not _sparql_matches(form, pattern), form
