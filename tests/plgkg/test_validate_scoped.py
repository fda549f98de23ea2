"""Scoped validation (plgkg.validate.validate_scoped), which the imports use, reports about the
imported nodes exactly what full validation by pyshacl (validate_loaded, engine "oxigraph") reports
about them: on imported schools and practices broken in every way the shapes can see, and, for one
defect of each kind of node, with the whole catalogue beside them too (each such run validates the
whole catalogue). The shapes' own violating fixtures are checked the same way in test_shapes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from plgkg.catalogue import LoadedGraph
from plgkg.imports import profiles, register
from plgkg.imports.pipeline import Problem
from plgkg.namespaces import PLG, SCHEMA
from plgkg.validate import scoped_shapes

ROOT = Path(__file__).resolve().parents[2]
DUO = ROOT / "tests" / "fixtures" / "duo"
ID = "https://w3id.org/plgkg/id/"


def test_pruning_keeps_only_targets_that_can_name_a_node_of_the_data(shapes: Graph, ontology: Graph) -> None:
    rows, _ = register.read_rows(DUO / "vestigingen-vo.csv", "vestigingen-vo.csv")
    data = register.build_graph(rows)
    pruned = scoped_shapes(shapes, data, data + ontology)
    from rdflib.namespace import SH

    classes = set(pruned.objects(None, SH.targetClass))
    assert classes == {
        PLG.School,
        SCHEMA.PostalAddress,
        PLG.Municipality,
        PLG.Institution,
        PLG.CompetentAuthority,
    }
    assert set(pruned.objects(None, SH.targetSubjectsOf)) == set()  # no plg:runs, no bibo:isbn13
    assert len(pruned) < len(shapes)
    # every shape is still there (only targets go), so sh:node and sh:property references hold
    assert set(pruned.subjects(RDF.type, SH.NodeShape)) == set(shapes.subjects(RDF.type, SH.NodeShape))


# -- registry schools -------------------------------------------------------------------------

# The defects also checked beside the whole catalogue: a school's closed shape, an address, a
# municipality (a node the catalogue's own schools share), an unknown school and a missing plg:runs.
BESIDE_CATALOGUE = {
    "unknown property",
    "address not an address",
    "municipality code",
    "unknown school",
    "no runs triple",
}

SCHOOL = register.school_iri("98YY00")
ADDRESS = register.address_iri("98YY00")
NAME = "Proefcollege Prinses Ariëlle"
CHARACTERISTIC = URIRef(f"{ID}characteristic/little-joint-work")


def _replace(graph: Graph, node: URIRef, prop: URIRef, value) -> None:
    graph.remove((node, prop, None))
    graph.add((node, prop, value))


SCHOOL_DEFECTS: dict[str, Callable[[Graph], None]] = {
    "second name": lambda g: g.add((SCHOOL, SCHEMA.name, Literal("Tweede naam"))),
    "unknown property": lambda g: g.add((SCHOOL, SKOS.note, Literal("closed shape"))),
    "misspelled plg term": lambda g: g.add((SCHOOL, PLG.municipalty, Literal("x"))),
    "institution code": lambda g: _replace(g, SCHOOL, PLG.institutionCode, Literal("9YY")),
    "codes disagree": lambda g: _replace(g, SCHOOL, PLG.locationCode, Literal("97XX03")),
    "postcode": lambda g: _replace(g, ADDRESS, SCHEMA.postalCode, Literal("0711 mn")),
    "no street": lambda g: g.remove((ADDRESS, SCHEMA.streetAddress, None)),
    "education type": lambda g: g.add((SCHOOL, PLG.educationType, Literal("havo"))),
    "authority": lambda g: _replace(g, SCHOOL, PLG.competentAuthority, Literal("abc")),
    "tagged denomination": lambda g: _replace(g, SCHOOL, PLG.denomination, Literal("Openbaar", lang="nl")),
    "no English label": lambda g: g.remove((SCHOOL, RDFS.label, Literal(NAME, lang="en"))),
    "address not an address": lambda g: g.remove((ADDRESS, RDF.type, SCHEMA.PostalAddress)),
    "municipality code": lambda g: _replace(
        g, register.municipality_iri("0363"), PLG.municipalityCode, Literal("363")
    ),
    "literal source": lambda g: _replace(g, SCHOOL, DCTERMS.source, Literal("DUO")),
}  # fmt: skip


@pytest.fixture(scope="module")
def duo_rows() -> list[register.Row]:
    rows, problems = register.read_rows(DUO / "vestigingen-vo.csv", "vestigingen-vo.csv")
    assert problems == []
    return rows


def _without_line_0(problems: list[Problem]) -> list[tuple]:
    return sorted((p.line, p.column, p.reason) for p in problems if p.line != 0)


@pytest.mark.parametrize("defect", SCHOOL_DEFECTS)
def test_a_broken_school_is_reported_the_same(defect: str, duo_rows: list, catalogue: LoadedGraph) -> None:
    graph = register.build_graph(duo_rows)
    SCHOOL_DEFECTS[defect](graph)
    scoped = register.shacl_problems(duo_rows, graph)
    full = register.shacl_problems(duo_rows, graph, scoped=False)
    assert scoped, "the defect is reported"
    assert [(p.line, p.column, p.reason) for p in scoped] == [(p.line, p.column, p.reason) for p in full]
    if defect in BESIDE_CATALOGUE:
        # the same beside the whole catalogue (full validation of catalogue + import; catalogue results aside)
        beside = register.shacl_problems(duo_rows, graph + catalogue.graph, scoped=False)
        assert _without_line_0(scoped) == _without_line_0(beside)


def test_good_schools_give_no_problems(duo_rows: list) -> None:
    assert register.shacl_problems(duo_rows, register.build_graph(duo_rows)) == []


# -- profiles ---------------------------------------------------------------------------------

RINGEN = URIRef(f"{ID}school/school-in-de-ringen")
TEAMTEACHING = URIRef(f"{ID}intervention/teamteaching")
OBSERVATIE = URIRef(f"{ID}intervention/intercollegiale-observatie")
P1 = profiles.practice_iri(RINGEN, TEAMTEACHING)


def _practices() -> list[profiles.Practice]:
    return [
        profiles.Practice(2, RINGEN, TEAMTEACHING, Literal("2019", datatype=XSD.gYear), [Literal("notes")]),
        profiles.Practice(3, RINGEN, OBSERVATIE, Literal("2020-08-24", datatype=XSD.date), []),
    ]


def _context(catalogue: Graph, ontology: Graph, practices: list[profiles.Practice]) -> Graph:
    """What import_profiles puts beside the practices."""
    context = Graph() + ontology
    for intervention in set(profiles.intervention_keys(catalogue).values()):
        context.add((intervention, RDF.type, PLG.Intervention))
    for school in {p.school for p in practices}:
        context.add((school, RDF.type, PLG.School))
    return context


PRACTICE_DEFECTS: dict[str, Callable[[Graph], None]] = {
    "not an intervention": lambda g: _replace(g, P1, PLG.intervention, CHARACTERISTIC),
    "plain since": lambda g: _replace(g, P1, PLG.since, Literal("2019")),
    "integer since": lambda g: _replace(g, P1, PLG.since, Literal(2019)),
    "two since": lambda g: g.add((P1, PLG.since, Literal("2018", datatype=XSD.gYear))),
    "empty note": lambda g: g.add((P1, RDFS.comment, Literal(""))),
    "two sources": lambda g: g.add((P1, DCTERMS.source, Literal("other.csv"))),
    "unknown property": lambda g: g.add((P1, SKOS.note, Literal("closed shape"))),
    "no runs triple": lambda g: g.remove((RINGEN, PLG.runs, TEAMTEACHING)),
    "unknown school": lambda g: _replace(g, P1, PLG.school, URIRef(f"{ID}school/nergens")),
    "no school": lambda g: g.remove((P1, PLG.school, None)),
}  # fmt: skip


@pytest.mark.parametrize("defect", PRACTICE_DEFECTS)
def test_a_broken_practice_is_reported_the_same(defect: str, catalogue: LoadedGraph, ontology: Graph) -> None:
    practices = _practices()
    graph = profiles.build_graph(practices, "x.csv")
    PRACTICE_DEFECTS[defect](graph)
    context = _context(catalogue.graph, ontology, practices)
    scoped = profiles.shacl_problems(practices, graph, context)
    full = profiles.shacl_problems(practices, graph, context, scoped=False)
    assert scoped, "the defect is reported"
    assert sorted((p.line, p.column, p.reason) for p in scoped) == sorted(
        (p.line, p.column, p.reason) for p in full
    )
    if defect not in BESIDE_CATALOGUE:
        return
    beside = profiles.shacl_problems(practices, graph, catalogue.graph + ontology, scoped=False)
    assert sorted((p.line, p.column, p.reason) for p in scoped) == sorted(
        (p.line, p.column, p.reason) for p in beside
    )


def test_good_practices_give_no_problems(catalogue: LoadedGraph, ontology: Graph) -> None:
    practices = _practices()
    graph = profiles.build_graph(practices, "x.csv")
    assert profiles.shacl_problems(practices, graph, _context(catalogue.graph, ontology, practices)) == []
