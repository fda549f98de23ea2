"""Finding and parsing RDF files: where each resource is defined, and errors that name the place."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from plgkg.catalogue import CATALOGUE_DIR, load, rdf_files
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
