"""The triple store behind one interface, with one class per backend.

Every backend answers SPARQL with a `QueryResult`, so that callers never depend on a backend's
own result types. Values enter queries only as bound values (`bindings`), never as text.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from pyparsing.exceptions import ParseBaseException
from rdflib import Graph
from rdflib.term import Identifier, Node, Variable

from plgkg.namespaces import bind_prefixes


class QueryError(Exception):
    """A query that cannot be parsed or run: says what is wrong and where."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.line = line
        self.column = column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(f"{where}{message}")


@dataclass
class QueryResult:
    """The answer to a query: rows for SELECT, a boolean for ASK, a graph for CONSTRUCT/DESCRIBE."""

    kind: str  # "SELECT", "ASK" or "CONSTRUCT" (DESCRIBE answers as CONSTRUCT)
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Identifier | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def bindings(self) -> Iterator[dict[str, Identifier]]:
        """Each row as a dict of bound variables."""
        for row in self.rows:
            yield {v: t for v, t in zip(self.variables, row, strict=True) if t is not None}


class Store(ABC):
    """A read-mostly RDF store that answers SPARQL."""

    @abstractmethod
    def add(self, graph: Graph) -> None:
        """Add all triples of graph to the store."""

    @abstractmethod
    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        """Run a SPARQL query with the given variables bound beforehand."""

    @abstractmethod
    def graph(self) -> Graph:
        """The store's content as an rdflib graph (for export)."""

    @abstractmethod
    def __len__(self) -> int:
        """The number of triples in the store."""


class RdflibStore(Store):
    """rdflib's in-memory graph: the pure-Python reference backend."""

    def __init__(self, graph: Graph | None = None) -> None:
        self._graph = Graph()
        bind_prefixes(self._graph)
        if graph is not None:
            self.add(graph)

    def add(self, graph: Graph) -> None:
        self._graph += graph

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        init = {Variable(k): v for k, v in (bindings or {}).items()}
        try:
            result = self._graph.query(sparql, initBindings=init)
        except ParseBaseException as err:
            raise QueryError(_parse_message(err), err.lineno, err.col) from None
        except Exception as err:  # rdflib evaluation errors have no common base class
            raise QueryError(f"{type(err).__name__}: {err}") from None
        if result.type == "SELECT":
            variables = [str(v) for v in result.vars or []]
            return QueryResult("SELECT", variables, [tuple(row) for row in result])
        if result.type == "ASK":
            return QueryResult("ASK", boolean=bool(result.askAnswer))
        graph = Graph()
        bind_prefixes(graph)
        for triple in result:
            graph.add(triple)
        return QueryResult("CONSTRUCT", graph=graph)

    def graph(self) -> Graph:
        return self._graph

    def __len__(self) -> int:
        return len(self._graph)


def _parse_message(err: ParseBaseException) -> str:
    found = err.line[err.col - 1 : err.col + 19] if err.line else ""
    expected = re.sub(r"\s+", " ", str(err.msg))
    return f"syntax error near {found!r}: {expected}" if found else f"syntax error: {expected}"
