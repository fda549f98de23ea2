"""rdflib's in-memory dataset as a store: the pure-Python reference backend."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from pyparsing.exceptions import ParseBaseException
from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Variable

from plgkg.errors import QueryError, ResultTooLarge
from plgkg.namespaces import bind_prefixes
from plgkg.stores.base import QueryResult, Request, Store, capped, new_graph, predeclared_prefixes


class _Dataset(Dataset):
    """rdflib's Dataset without the deprecation warning rdflib's own SPARQL engine triggers."""

    @property
    def default_context(self) -> Graph:
        return self._default_context

    @default_context.setter
    def default_context(self, value: Graph) -> None:
        self._default_context = value

    def contexts(self, triple: tuple | None = None) -> Iterator[Graph]:
        return self.graphs(triple)


class RdflibStore(Store):
    """rdflib's in-memory dataset: the pure-Python reference backend.

    rdflib would fetch graphs named in FROM / FROM NAMED (or the protocol dataset) from the web
    when they are not in the store; this backend never lets it: it builds the requested dataset
    itself from the graphs it holds, and a graph it does not hold is empty.
    """

    def __init__(self, graph: Graph | None = None) -> None:
        self._dataset = _Dataset()
        bind_prefixes(self._dataset)
        self._graph = self._dataset.default_graph
        if graph is not None:
            self.add(graph)

    def add(self, graph: Graph, *, graph_uri: str | None = None) -> None:
        target = self._graph if graph_uri is None else self._dataset.graph(URIRef(graph_uri))
        target += graph

    def run(self, request: Request) -> QueryResult:
        init = {Variable(k): v for k, v in request.bindings.items()}
        try:
            prepared = prepareQuery(request.sparql, initNs=predeclared_prefixes())
            target: Graph = self._dataset
            clause = prepared.algebra.get("datasetClause")
            if request.dataset_requested:
                target = self._view(request.default_graph_uris or (), request.named_graph_uris or ())
            elif clause:
                target = self._view(
                    [str(c.default) for c in clause if c.default is not None],
                    [str(c.named) for c in clause if c.named is not None],
                )
            prepared.algebra["datasetClause"] = None
            result = target.query(prepared, initBindings=init)
            if result.type == "SELECT":
                variables = [str(v) for v in result.vars or []]
                taken = capped(iter(result), request.max_rows, request.truncate)
                return QueryResult(
                    "SELECT", variables, [tuple(row) for row in taken], truncated=taken.truncated
                )
            if result.type == "ASK":
                return QueryResult("ASK", boolean=bool(result.askAnswer))
            graph = new_graph()
            taken = capped(iter(result), request.max_rows, request.truncate)
            for triple in taken:
                graph.add(triple)
            return QueryResult("CONSTRUCT", graph=graph, truncated=taken.truncated)
        except ResultTooLarge:
            raise
        except ParseBaseException as err:
            raise QueryError(_parse_message(err), err.lineno, err.col) from None
        except Exception as err:  # rdflib evaluation errors have no common base class
            raise QueryError(f"the engine could not run it: {err}") from None

    def _view(self, default: Sequence[str], named: Sequence[str]) -> _Dataset:
        """A dataset made of copies of the listed graphs that the store holds."""
        view = _Dataset()
        held = {g.identifier: g for g in self._dataset.graphs() if g.identifier != self._graph.identifier}
        for uri in default:
            if URIRef(uri) in held:
                view.default_graph += held[URIRef(uri)]
        for uri in named:
            if URIRef(uri) in held:
                named_graph = view.graph(URIRef(uri))
                named_graph += held[URIRef(uri)]
        return view

    def graph(self) -> Graph:
        return self._graph

    def clear(self) -> None:
        self._graph.remove((None, None, None))

    def __len__(self) -> int:
        return len(self._graph)


def _parse_message(err: ParseBaseException) -> str:
    found = err.line[err.col - 1 : err.col + 19] if err.line else ""
    expected = re.sub(r"\s+", " ", str(err.msg))
    return f"syntax error near {found!r}: {expected}" if found else f"syntax error: {expected}"
