"""Writing query results and graphs in the formats the CLI offers."""

from __future__ import annotations

import csv
import io
import json

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from plgkg.store import QueryResult

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
