"""Finding and parsing RDF files: where each resource is defined, and errors that name the place."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from plgkg.catalogue import CATALOGUE_DIR, ONTOLOGY_DIR, load, load_store, rdf_files
from plgkg.errors import DataError

TURTLE = """\
@prefix plg: <https://w3id.org/plgkg/ontology#> .
@prefix iv: <https://w3id.org/plgkg/id/intervention/> .

# a comment
iv:a a plg:Intervention .

<https://w3id.org/plgkg/id/intervention/b>
    a plg:Intervention .
iv:a plg:order 1 .
"""


def test_origin_is_the_file_and_line_that_types_the_resource(tmp_path: Path) -> None:
    (tmp_path / "a.ttl").write_text(TURTLE, encoding="utf-8")
    (tmp_path / "b.ttl").write_text(
        "@prefix iv: <https://w3id.org/plgkg/id/intervention/> .\n"
        "@prefix plg: <https://w3id.org/plgkg/ontology#> .\n"
        "iv:b plg:order 2 .\n",
        encoding="utf-8",
    )
    loaded = load([tmp_path])
    a = loaded.origin(URIRef("https://w3id.org/plgkg/id/intervention/a"))
    b = loaded.origin(URIRef("https://w3id.org/plgkg/id/intervention/b"))
    assert (a.path.name, a.line) == ("a.ttl", 5)
    assert (b.path.name, b.line) == ("a.ttl", 7)


def test_folders_are_searched_for_rdf_files_only(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.nt").write_text("", encoding="utf-8")
    (tmp_path / "y.ttl").write_text("", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not rdf", encoding="utf-8")
    assert [p.name for p in rdf_files([tmp_path])] == ["x.nt", "y.ttl"]


def test_the_catalogue_files_are_all_found() -> None:
    names = {p.name for p in rdf_files([CATALOGUE_DIR])}
    assert {"interventions.ttl", "frameworks.ttl", "serves.ttl", "findings.ttl", "cases.ttl"} <= names


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("bad.ttl", "@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:d ex:e .\n", 3),
        ("bad.nt", "<http://ex/a> <http://ex/b> <http://ex/c> .\n<http://ex/a> <http://ex/b> .\n", 2),
    ],
)
def test_syntax_errors_name_file_and_line(tmp_path: Path, name: str, text: str, line: int) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load([tmp_path / name])
    assert (caught.value.path.name, caught.value.line) == (name, line)
    assert caught.value.reason.startswith("syntax error")


@pytest.mark.parametrize(("name", "at"), [("cases.ttl", 85), ("serves.ttl", 40), ("interventions.ttl", 7)])
def test_a_syntax_error_is_reported_at_its_own_line(tmp_path: Path, name: str, at: int) -> None:
    """rdflib's Turtle parser reads ahead and names a later line; the error names the line where the
    bad text stands, and its column, as pyoxigraph's parser finds them."""
    lines = (CATALOGUE_DIR / name).read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(at - 1, "this is not turtle\n")
    (tmp_path / name).write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load([tmp_path / name])
    assert (caught.value.line, caught.value.column) == (at, 1)
    assert str(caught.value).endswith(
        f"{name}:{at}: syntax error: line {at}, column 1: this is not a valid subject or graph name"
    )


def _as_graph(store: ox.Store) -> Graph:
    graph = Graph()
    graph.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt")
    return graph


def test_load_store_reads_what_load_reads(tmp_path: Path) -> None:
    # the catalogue, a JSON-LD file (read by rdflib) and two N-Triples files that use the same
    # blank node label: the store holds the same graph as load's, each file's blank node its own
    (tmp_path / "extra.jsonld").write_text(
        '{"@id": "https://w3id.org/plgkg/id/x", "http://www.w3.org/2000/01/rdf-schema#label": "x"}',
        encoding="utf-8",
    )
    for name in ("one.nt", "two.nt"):
        (tmp_path / name).write_text(f'_:b <http://example.org/p> "{name}" .\n', encoding="utf-8")
    paths = [ONTOLOGY_DIR, CATALOGUE_DIR, tmp_path]
    found = load_store(paths)
    assert found is not None
    store, files = found
    assert files == rdf_files(paths)
    assert isomorphic(_as_graph(store), load(paths).graph)
    shared_label = store.quads_for_pattern(None, ox.NamedNode("http://example.org/p"), None)
    assert len({quad.subject for quad in shared_label}) == 2


@pytest.mark.parametrize(
    ("name", "text"),
    [("bad.ttl", "<a> <b> .\n"), ("latin1.nt", None), ("bad.jsonld", "{not json")],
)
def test_load_store_leaves_what_it_cannot_read_to_load(tmp_path: Path, name: str, text: str | None) -> None:
    # None: load then says what is wrong and where (or reads the file after all)
    path = tmp_path / name
    if text is None:
        path.write_bytes('<http://example.org/s> <http://example.org/p> "caf\xe9" .\n'.encode("latin-1"))
    else:
        path.write_text(text, encoding="utf-8")
    assert load_store([path]) is None
    with pytest.raises(DataError) as err:
        load([path])
    assert err.value.line == 1
