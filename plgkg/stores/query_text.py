"""What a store needs to know of a query's text: its form, whether it names its own dataset, and
where bound values go in. Read with plgkg's one SPARQL parser (plgkg.execution.grammar), the one the
screen reads every query with, so the stores never read a query differently from the screen.

A text the parser does not read (a server's own extension, say) is sent on unchanged: its form is
unknown (the caller asks for every result type) and it names no dataset, so the server that runs it
reports what is wrong. Bound values need the parse: they go into the WHERE clause it finds.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.term import Node

from plgkg.errors import QueryError, SparqlSyntaxError, TooDeepError
from plgkg.execution.grammar import ParsedQuery, parse_query
from plgkg.terms import sparql_term

# The stores run what the screen let through (or plgkg's own queries): no depth limit of their own,
# only Python's, which a query deeper than any screen allows could reach.
_MAX_DEPTH = 10_000
_VARNAME = re.compile(r"^[A-Za-z_0-9]+\Z")


@lru_cache(maxsize=256)
def _parse(sparql: str) -> ParsedQuery | tuple[str, int | None, int | None]:
    """The parse, or why there is none: the arguments of a QueryError that says where."""
    try:
        return parse_query(sparql, _MAX_DEPTH)
    except (SparqlSyntaxError, TooDeepError) as err:
        line = sparql.count("\n", 0, err.pos) + 1
        return (f"syntax error: {err}", line, err.pos - sparql.rfind("\n", 0, err.pos))
    except RecursionError:
        return ("the query nests too deeply to be read", None, None)


def _parsed(sparql: str) -> ParsedQuery | None:
    parsed = _parse(sparql)
    return parsed if isinstance(parsed, ParsedQuery) else None


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; None for a text the grammar does not read."""
    parsed = _parsed(sparql)
    return None if parsed is None else parsed.form


def has_dataset_clause(sparql: str) -> bool:
    """Whether the query names its own dataset with FROM or FROM NAMED."""
    parsed = _parsed(sparql)
    return parsed is not None and bool(parsed.graphs or parsed.named_graphs)


def with_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """The query with `VALUES (?a ?b) { (t1 t2) }` first in its WHERE clause."""
    names, terms = [], []
    for name, term in bindings.items():
        if not _VARNAME.match(name):
            raise QueryError(f"bad variable name for a binding: {name!r}")
        if not isinstance(term, URIRef | Literal):
            raise QueryError(f"?{name}: only IRIs and literals can be bound on a remote store")
        try:
            terms.append(sparql_term(term))
        except ValueError as err:  # Oxigraph refuses IRIs it cannot write as one token
            raise QueryError(f"?{name}: {err}") from None
        names.append(f"?{name}")
    values = f" VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }} "
    parsed = _parse(sparql)
    if not isinstance(parsed, ParsedQuery):
        raise QueryError(*parsed)
    if parsed.where is not None:
        at = parsed.where + 1
        return sparql[:at] + values + sparql[at:]
    if parsed.form == "CONSTRUCT":
        raise QueryError("bindings need CONSTRUCT {…} WHERE {…}, not the short form")
    raise QueryError("bindings need a query with a WHERE clause")
