"""Every shape has a conforming fixture (base.ttl) and at least one violating fixture whose exact
outcome — which shapes fire on which focus nodes — is asserted."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH

from plgkg.catalogue import LoadedGraph
from plgkg.namespaces import PLGSH, PREFIXES, expand
from plgkg.validate import Report, validate_loaded, validate_scoped
from tests.conftest import FIXTURES

SHAPES_DIR = FIXTURES / "shapes"
PREFIX_LINES = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items())


@dataclass
class ViolationFixture:
    shape: str
    update: str
    expected: set[tuple[str, str]] = field(default_factory=set)
    line: int = 0


def _expand(name: str) -> str:
    full = expand(name)
    assert full != name or name.startswith("http"), f"unknown prefix in {name}"
    return full


def _read_fixtures() -> list[ViolationFixture]:
    fixtures: list[ViolationFixture] = []
    for number, line in enumerate((SHAPES_DIR / "violations.ru").read_text().splitlines(), 1):
        header = re.match(r"^#@(\+?) (\S+) (\S+)\s*$", line)
        if header:
            more, shape, focus = header.groups()
            if not more:
                fixtures.append(ViolationFixture(_expand(shape), "", line=number))
            fixtures[-1].expected.add((_expand(shape), _expand(focus)))
        elif fixtures and not line.startswith("#"):
            fixtures[-1].update += line + "\n"
    return fixtures


FIXTURES_BY_SHAPE = _read_fixtures()
FIXTURE_IDS = [f"{f.shape.split('#')[1]}@{f.line}" for f in FIXTURES_BY_SHAPE]


def _named_shapes(shapes: Graph) -> set[str]:
    found = set()
    for kind in (SH.NodeShape, SH.PropertyShape):
        found |= {str(s) for s in shapes.subjects(RDF.type, kind) if str(s).startswith(str(PLGSH))}
    return found


def _base(ontology: Graph) -> Graph:
    graph = Graph()
    graph.parse(SHAPES_DIR / "base.ttl")
    return graph + ontology


def _outcome(report: Report) -> set[tuple[str, str]]:
    results = report.violations + report.warnings
    return {(_expand(r.shape) if ":" in r.shape else r.shape, str(r.focus)) for r in results}


def _keys(report: Report) -> set[tuple]:
    """Everything a report says about each result."""
    return {
        (v.focus, v.path, v.value, tuple(sorted(v.messages.items())), v.shape, v.severity)
        for v in report.violations + report.warnings
    }


def test_base_conforms_without_warnings(shapes: Graph, ontology: Graph) -> None:
    assert _outcome(validate_loaded(LoadedGraph(_base(ontology)), shapes)) == set()


def test_every_shape_has_a_violating_fixture(shapes: Graph) -> None:
    covered = {f.shape for f in FIXTURES_BY_SHAPE}
    assert _named_shapes(shapes) - covered == set()
    assert covered - _named_shapes(shapes) == set(), "fixtures for shapes that do not exist"


def test_every_node_shape_has_a_focus_node_in_the_base(shapes: Graph, ontology: Graph) -> None:
    base = _base(ontology)
    without_focus = []
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        if not isinstance(shape, URIRef):
            continue
        targets = list(shapes.objects(shape, SH.targetClass))
        subjects_of = list(shapes.objects(shape, SH.targetSubjectsOf))
        if targets and not any(base.value(None, RDF.type, t) for t in targets):
            without_focus.append(shape)
        if subjects_of and not any(next(base.subject_objects(p), None) for p in subjects_of):
            without_focus.append(shape)
    assert without_focus == []


def test_every_shape_has_a_name_and_message_in_dutch_and_english(shapes: Graph) -> None:
    incomplete = []
    for shape in sorted(_named_shapes(shapes)):
        node = URIRef(shape)
        for prop in (SH.name, SH.message):
            langs = {o.language for o in shapes.objects(node, prop)}
            if prop == SH.message and not langs:  # SPARQL-based shapes carry it on the constraint
                constraint = shapes.value(node, SH.sparql)
                langs = {o.language for o in shapes.objects(constraint, SH.message)} if constraint else set()
            if langs != {"nl", "en"}:
                incomplete.append((shape, str(prop)))
    assert incomplete == []


def _uses_sparql(shapes: Graph, shape: URIRef) -> bool:
    """Whether shape (or a shape it reaches) has a SPARQL-based constraint or target: there the
    graph pyshacl reads (rdflib's or pyoxigraph's) also runs the SPARQL."""
    seen, todo = set(), [shape]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        if (node, SH.sparql, None) in shapes or (node, SH.target, None) in shapes:
            return True
        todo += [o for _, _, o in shapes.triples((node, None, None)) if isinstance(o, URIRef | BNode)]
    return False


@pytest.mark.parametrize(
    "fixture",
    FIXTURES_BY_SHAPE,
    ids=FIXTURE_IDS,
)
def test_violating_fixture_fires_exactly_the_named_shapes(
    fixture: ViolationFixture, shapes: Graph, ontology: Graph
) -> None:
    graph = _base(ontology)
    graph.update(PREFIX_LINES + "\n" + fixture.update)
    # pyshacl, the reference, over an in-memory pyoxigraph copy (ten times faster than over rdflib's
    # graph here); over rdflib's graph itself too where the shape runs SPARQL, which each graph
    # answers with its own engine (elsewhere pyshacl reads both graphs through the same calls)
    reference = validate_loaded(LoadedGraph(graph), shapes, engine="oxigraph")
    assert _outcome(reference) == fixture.expected
    if _uses_sparql(shapes, URIRef(fixture.shape)):
        assert _keys(validate_loaded(LoadedGraph(graph), shapes, engine="rdflib")) == _keys(reference)
    # the shapes compiled to SPARQL (the default engine: plgkg.shape_queries) and scoped validation
    # (plgkg.validate.validate_scoped, which the imports use) say exactly what pyshacl says: focus,
    # path, value, messages, shape and severity
    assert _keys(validate_loaded(LoadedGraph(graph), shapes)) == _keys(reference)
    assert _keys(validate_scoped(graph, Graph(), shapes)) == _keys(reference)


def test_the_fixtures_of_sparql_based_shapes_are_checked_with_rdflib_too(shapes: Graph) -> None:
    checked = {f.shape for f in FIXTURES_BY_SHAPE if _uses_sparql(shapes, URIRef(f.shape))}
    with_sparql = {str(s) for s in shapes.subjects(SH.sparql, None)}
    with_sparql |= {str(s) for s in shapes.subjects(SH.target, None)}
    assert checked >= with_sparql and len(with_sparql) == 16
