"""Writing query results and graphs in the formats the CLI offers."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Identifier

from plgkg.errors import FormatError

if TYPE_CHECKING:
    from plgkg.stores.base import QueryResult


RESULT_FORMATS = ("table", "json", "csv", "ttl")

# CLI name -> (rdflib serializer, what it is)
GRAPH_FORMATS: dict[str, str] = {
    "ttl": "turtle",
    "nt": "nt",
    "jsonld": "json-ld",
    # rdflib's plain RDF/XML writer, as the service's: its pretty-xml writer warns on every RDF list
    # and drops any triple on a list node other than rdf:first and rdf:rest
    "xml": "xml",
}


def render(result: QueryResult, fmt: str, graph_for_prefixes: Graph | None = None) -> str:
    """The result as text in fmt: table, json, csv (SELECT/ASK) or ttl (CONSTRUCT/DESCRIBE)."""
    if result.kind == "CONSTRUCT":
        if fmt in ("ttl", "table"):
            return result.graph.serialize(format="turtle")
        if fmt == "json":
            return result.graph.serialize(format="json-ld")
        raise FormatError(f"--format {fmt} is for SELECT and ASK; use ttl or json for {result.kind}")
    if fmt == "ttl":
        raise FormatError(
            f"--format ttl is for CONSTRUCT and DESCRIBE; use table, json or csv for {result.kind}"
        )
    if fmt == "json":  # indented for people; the head first, as in the protocol's answers
        answer = json.loads(sparql_json(result))
        return json.dumps({"head": answer.pop("head"), **answer}, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return sparql_csv(result)
    return table(result, graph_for_prefixes)


def sparql_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON (rdflib's writer)."""
    return _rdflib_result(result).serialize(format="json").decode("utf-8")


def sparql_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV (rdflib's writer). The format has no boolean form: ASK answers
    as one column 'boolean' (plgkg's convention)."""
    if result.kind == "ASK":
        return f"boolean\r\n{_boolean(result)}\r\n"
    return _rdflib_result(result).serialize(format="csv").decode("utf-8")


def table(result: QueryResult, graph: Graph | None = None) -> str:
    """A plain-text table with IRIs shortened to prefixed names."""
    if result.kind == "ASK":
        return ("true" if result.boolean else "false") + "\n"
    manager = (graph or Graph()).namespace_manager

    def cell(term: Identifier | None) -> str:
        if term is None:
            return ""
        if isinstance(term, URIRef):
            try:
                return manager.normalizeUri(term)
            except Exception:  # not abbreviable
                return f"<{term}>"
        if isinstance(term, Literal) and term.language:
            return f"{term}@{term.language}"
        return str(term)

    header = list(result.variables)
    rows = [[cell(t) for t in row] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


# -- SPARQL 1.1 protocol media types --------------------------------------------------------------

RESULT_MEDIA_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
}

GRAPH_MEDIA_TYPES: dict[str, str] = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}

# File suffixes of linked-data URIs and dumps -> media type.
SUFFIX_MEDIA_TYPES: dict[str, str] = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
}


def sparql_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV, terms in Turtle syntax (pyoxigraph's writer: rdflib has none).
    Like CSV it has no boolean form: ASK answers as one column '?boolean' (plgkg's convention)."""
    if result.kind == "ASK":
        return f"?boolean\n{_boolean(result)}\n"
    solutions = ox.parse_query_results(
        _rdflib_result(result, _oxigraph_label).serialize(format="json"), ox.QueryResultsFormat.JSON
    )
    return solutions.serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8")


def sparql_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML Format (rdflib's writer)."""
    return _rdflib_result(result).serialize(format="xml").decode("utf-8")


def _boolean(result: QueryResult) -> str:
    return "true" if result.boolean else "false"


def _rdflib_result(result: QueryResult, label: Callable[[BNode], BNode] | None = None) -> Result:
    """The result as rdflib's query Result, which its SPARQL results serializers write; label
    renames blank nodes (their labels are scoped to one result, so any one-to-one renaming holds)."""
    out = Result(result.kind)
    if result.kind == "ASK":
        out.askAnswer = bool(result.boolean)
        return out
    variables = [Variable(v) for v in result.variables]
    out.vars = variables
    out.bindings = [
        {
            var: label(term) if label is not None and isinstance(term, BNode) else term
            for var, term in zip(variables, row, strict=True)
            if term is not None
        }
        for row in result.rows
    ]
    return out


def _oxigraph_label(node: BNode) -> BNode:
    """node, or (if pyoxigraph would refuse its label, e.g. a remote store's 'nodeID://b1') a
    blank node labelled by a hash of it."""
    try:
        ox.BlankNode(str(node))
    except ValueError:
        return BNode("b" + hashlib.sha256(str(node).encode("utf-8")).hexdigest()[:32])
    return node


def serialize_result(result: QueryResult, media_type: str) -> str:
    """The result in one of the protocol's media types (the caller has negotiated it)."""
    if result.kind == "CONSTRUCT":
        return result.graph.serialize(format=GRAPH_MEDIA_TYPES[media_type])
    kind = RESULT_MEDIA_TYPES[media_type]
    if kind == "json":
        return sparql_json(result)
    if kind == "xml":
        return sparql_xml(result)
    if kind == "csv":
        return sparql_csv(result)
    return sparql_tsv(result)
