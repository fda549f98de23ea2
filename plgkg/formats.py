"""Writing query results and graphs in the formats the CLI offers."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

if TYPE_CHECKING:
    from plgkg.stores.base import QueryResult


RESULT_FORMATS = ("table", "json", "csv", "ttl")

# CLI name -> (rdflib serializer, what it is)
GRAPH_FORMATS: dict[str, str] = {
    "ttl": "turtle",
    "nt": "nt",
    "jsonld": "json-ld",
    "xml": "pretty-xml",
}


class FormatError(Exception):
    """A format that does not fit the kind of result."""


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
    if fmt == "json":
        return json.dumps(sparql_json(result), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return sparql_csv(result)
    return table(result, graph_for_prefixes)


def sparql_json(result: QueryResult) -> dict:
    """SPARQL 1.1 Query Results JSON."""
    if result.kind == "ASK":
        return {"head": {}, "boolean": bool(result.boolean)}
    return {
        "head": {"vars": list(result.variables)},
        "results": {
            "bindings": [{var: _json_term(term) for var, term in row.items()} for row in result.bindings()]
        },
    }


def _json_term(term: Identifier) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal):
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype:
            out["datatype"] = str(term.datatype)
    return out


def sparql_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV (ASK answers as one column 'boolean')."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.kind == "ASK":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
        return buffer.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t)) for t in row])
    return buffer.getvalue()


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
    """SPARQL 1.1 Query Results TSV: terms in Turtle syntax."""
    if result.kind == "ASK":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else t.n3() for t in row))
    return "\n".join(lines) + "\n"


def sparql_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML Format."""
    from xml.sax.saxutils import escape, quoteattr

    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "  <head>"]
    if result.kind == "ASK":
        out += ["  </head>", f"  <boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out) + "\n"
    out += [f"    <variable name={quoteattr(v)}/>" for v in result.variables]
    out += ["  </head>", "  <results>"]
    for row in result.bindings():
        out.append("    <result>")
        for var, term in row.items():
            if isinstance(term, URIRef):
                value = f"<uri>{escape(str(term))}</uri>"
            elif isinstance(term, BNode):
                value = f"<bnode>{escape(str(term))}</bnode>"
            elif term.language:
                value = f"<literal xml:lang={quoteattr(term.language)}>{escape(str(term))}</literal>"
            elif term.datatype:
                value = f"<literal datatype={quoteattr(str(term.datatype))}>{escape(str(term))}</literal>"
            else:
                value = f"<literal>{escape(str(term))}</literal>"
            out.append(f"      <binding name={quoteattr(var)}>{value}</binding>")
        out.append("    </result>")
    out += ["  </results>", "</sparql>"]
    return "\n".join(out) + "\n"


def serialize_result(result: QueryResult, media_type: str) -> str:
    """The result in one of the protocol's media types (the caller has negotiated it)."""
    if result.kind == "CONSTRUCT":
        return result.graph.serialize(format=GRAPH_MEDIA_TYPES[media_type])
    kind = RESULT_MEDIA_TYPES[media_type]
    if kind == "json":
        return json.dumps(sparql_json(result), ensure_ascii=False)
    if kind == "xml":
        return sparql_xml(result)
    if kind == "csv":
        return sparql_csv(result)
    return sparql_tsv(result)
