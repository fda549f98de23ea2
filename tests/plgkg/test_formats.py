"""SPARQL results as the library writers write them (plgkg.formats): each W3C format reads back to
the same solutions, whatever the terms (languages, datatypes, blank nodes, unbound variables)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result

from plgkg.formats import render, serialize_result
from plgkg.stores import QueryResult

ROWS = [
    (
        URIRef("https://w3id.org/plgkg/id/intervention/teamteaching"),
        Literal('a, "b"\ttab\nline <&>', lang="nl"),
    ),
    (BNode("b0"), Literal(1)),
    (URIRef("https://example.org/ü?q=1&r"), Literal("s", datatype=XSD.string)),
    (None, Literal("plain")),
]
SELECT = QueryResult("SELECT", variables=["s", "o"], rows=ROWS)


def _solutions(body: str, fmt: str) -> list[tuple]:
    read = Result.parse(io.StringIO(body), format=fmt)
    plain = lambda t: Literal(str(t)) if isinstance(t, Literal) and t.datatype == XSD.string else t  # noqa: E731
    return [tuple(plain(b.get(Variable(v))) for v in ("s", "o")) for b in read.bindings]


@pytest.mark.parametrize(
    ("media_type", "fmt"),
    [("application/sparql-results+json", "json"), ("application/sparql-results+xml", "xml")],
)
def test_json_and_xml_read_back_to_the_same_solutions(media_type: str, fmt: str) -> None:
    expected = [(s, Literal(str(o)) if o.datatype == XSD.string else o) for s, o in ROWS]
    assert _solutions(serialize_result(SELECT, media_type), fmt) == expected


def test_tsv_reads_back_and_renames_only_blank_nodes_it_cannot_write() -> None:
    odd = QueryResult("SELECT", variables=["s", "o"], rows=[(BNode("nodeID://b1"), BNode("nodeID://b1"))])
    (row,) = _solutions(serialize_result(odd, "text/tab-separated-values"), "tsv")
    assert isinstance(row[0], BNode) and row[0] == row[1]  # one node, one (new) label
    body = serialize_result(SELECT, "text/tab-separated-values")
    assert body.splitlines()[0] == "?s\t?o"
    assert "_:b0\t1" in body.splitlines()


def test_csv_and_ask() -> None:
    rows = list(csv.reader(io.StringIO(serialize_result(SELECT, "text/csv"), newline="")))
    assert rows == [
        ["s", "o"],
        ["https://w3id.org/plgkg/id/intervention/teamteaching", 'a, "b"\ttab\nline <&>'],
        ["_:b0", "1"],
        ["https://example.org/ü?q=1&r", "s"],
        ["", "plain"],
    ]
    ask = QueryResult("ASK", boolean=True)
    assert json.loads(serialize_result(ask, "application/json")) == {"head": {}, "boolean": True}
    assert serialize_result(ask, "text/csv") == "boolean\r\ntrue\r\n"
    assert serialize_result(ask, "text/tab-separated-values") == "?boolean\ntrue\n"
    assert "<boolean>true</boolean>" in serialize_result(ask, "application/sparql-results+xml")


def test_the_cli_json_is_indented_with_the_head_first() -> None:
    text = render(SELECT, "json")
    assert text.startswith('{\n  "head": {\n    "vars": [\n      "s",')
    assert json.loads(text)["results"]["bindings"][3] == {"o": {"type": "literal", "value": "plain"}}
