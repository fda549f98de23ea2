"""The triple store behind one interface, with one class per backend.

Every backend answers SPARQL with a `QueryResult`, so that callers never depend on a backend's
own result types. Values enter queries only as bound values (`bindings`), never as text.

Backends: `RdflibStore` (pure Python, the reference), `OxigraphStore` (pyoxigraph, in memory or on
disk) and `RemoteStore` (any SPARQL 1.1 endpoint over HTTP). `open_store` picks one from a name or
URL. Every backend predeclares the project's prefixes (and rdflib's default ones), so that a query
without PREFIX lines means the same everywhere.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox
from pyparsing.exceptions import ParseBaseException
from rdflib import XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Identifier, Node, Variable

from plgkg.errors import QueryError, RemoteTimeout, ResultTooLarge, StoreError
from plgkg.namespaces import bind_prefixes
from plgkg.terms import oxigraph_term, sparql_term


class _Taken(list):
    truncated = False


def _capped(items: Iterator, max_rows: int | None, truncate: bool = False) -> _Taken:
    """At most max_rows items; one more raises ResultTooLarge without computing the rest, or, with
    truncate, ends the list there and marks it truncated."""
    if max_rows is None:
        return _Taken(items)
    taken = _Taken(itertools.islice(items, max_rows + 1))
    if len(taken) > max_rows:
        if not truncate:
            raise ResultTooLarge(max_rows)
        del taken[max_rows:]
        taken.truncated = True
    return taken


@dataclass
class QueryResult:
    """The answer to a query: rows for SELECT, a boolean for ASK, a graph for CONSTRUCT/DESCRIBE."""

    kind: str  # "SELECT", "ASK" or "CONSTRUCT" (DESCRIBE answers as CONSTRUCT)
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Identifier | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False  # more rows (or triples) than were asked for: these are the first

    def bindings(self) -> Iterator[dict[str, Identifier]]:
        """Each row as a dict of bound variables."""
        for row in self.rows:
            yield {v: t for v, t in zip(self.variables, row, strict=True) if t is not None}


@dataclass(frozen=True)
class Answer:
    """A query's answer already written in the media type the client asked for."""

    kind: str  # "SELECT", "ASK" or "CONSTRUCT"
    media_type: str
    body: bytes


class Store(ABC):
    """A read-mostly RDF store that answers SPARQL.

    The store's data is its default graph; named graphs exist only where `add(graph, graph_uri=…)`
    put them. `default_graph_uris` and `named_graph_uris` are the SPARQL protocol's dataset: when
    either is given, the default graph is the merge of the listed graphs (empty if none is listed)
    and GRAPH sees only the listed named graphs; they override FROM and FROM NAMED in the query.
    Graphs that are not in the store are empty: no backend fetches anything.
    """

    @abstractmethod
    def add(self, graph: Graph, *, graph_uri: str | None = None) -> None:
        """Add all triples of graph to the default graph (or to the named graph graph_uri)."""

    @abstractmethod
    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        max_rows: int | None = None,
        truncate: bool = False,
    ) -> QueryResult:
        """Run a SPARQL query with the given variables bound beforehand, over the given dataset."""

    def load_file(self, path: Path) -> None:
        """Add the triples of an N-Triples file to the default graph."""
        graph = Graph()
        graph.parse(path, format="nt")
        self.add(graph)

    def answer(
        self,
        sparql: str,
        media_type: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        max_rows: int | None = None,
    ) -> Answer:
        """Run a query and write its result in media_type (a SPARQL results or RDF media type that
        fits the query form; see plgkg.formats). Backends may write it without building rdflib terms."""
        from plgkg.formats import serialize_result

        result = self.query(
            sparql,
            bindings,
            default_graph_uris=default_graph_uris,
            named_graph_uris=named_graph_uris,
            max_rows=max_rows,
        )
        return Answer(result.kind, media_type, serialize_result(result, media_type).encode("utf-8"))

    @abstractmethod
    def graph(self) -> Graph:
        """The default graph as an rdflib graph (for export)."""

    @abstractmethod
    def __len__(self) -> int:
        """The number of triples in the default graph."""

    def clear(self) -> None:
        """Empty the default graph."""
        raise NotImplementedError(f"{type(self).__name__} cannot be cleared")

    def replace_default_graph(self, graph: Graph) -> None:
        """Make graph the whole default graph."""
        self.clear()
        self.add(graph)

    def close(self) -> None:  # noqa: B027 (a no-op is the right default)
        """Release files, locks and connections; the store is unusable afterwards."""

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


@cache
def predeclared_prefixes() -> dict[str, str]:
    """The prefixes every backend knows without a PREFIX line: rdflib's defaults and the project's."""
    graph = Graph()
    bind_prefixes(graph)
    return {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix}


def _dataset_requested(default: Sequence[str] | None, named: Sequence[str] | None) -> bool:
    return bool(default) or bool(named)


# --- rdflib ------------------------------------------------------------------------------------


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

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        max_rows: int | None = None,
        truncate: bool = False,
    ) -> QueryResult:
        init = {Variable(k): v for k, v in (bindings or {}).items()}
        try:
            prepared = prepareQuery(sparql, initNs=predeclared_prefixes())
            target: Graph = self._dataset
            clause = prepared.algebra.get("datasetClause")
            if _dataset_requested(default_graph_uris, named_graph_uris):
                target = self._view(default_graph_uris or (), named_graph_uris or ())
            elif clause:
                target = self._view(
                    [str(c.default) for c in clause if c.default is not None],
                    [str(c.named) for c in clause if c.named is not None],
                )
            prepared.algebra["datasetClause"] = None
            result = target.query(prepared, initBindings=init)
            if result.type == "SELECT":
                variables = [str(v) for v in result.vars or []]
                taken = _capped(iter(result), max_rows, truncate)
                return QueryResult(
                    "SELECT", variables, [tuple(row) for row in taken], truncated=taken.truncated
                )
            if result.type == "ASK":
                return QueryResult("ASK", boolean=bool(result.askAnswer))
            graph = _new_graph()
            taken = _capped(iter(result), max_rows, truncate)
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


def _new_graph() -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    return graph


# --- Oxigraph ----------------------------------------------------------------------------------

_OX_ERROR_AT = re.compile(r"^\s*error at (\d+):(\d+):\s*(.*)$", re.DOTALL)
_XSD_STRING = str(XSD.string)


GENERATION_FILE = "plgkg-generation"


def mark_changed(path: Path | str) -> None:
    """Record that the on-disk store at path has new data, so that readers that opened it earlier
    (query workers, response caches) know to reopen it. Written by every write to the store."""
    folder = Path(path)
    tmp = folder / f".{GENERATION_FILE}.{os.getpid()}"
    tmp.write_text(f"{time.time_ns()} {os.getpid()}\n", encoding="ascii")
    os.replace(tmp, folder / GENERATION_FILE)


def generation(path: Path | str | None) -> tuple[int, int]:
    """A token that changes whenever mark_changed is called on the store at path: (inode, mtime ns).
    (0, 0) for an in-memory store or one never written by plgkg. A stat, so cheap to ask per request."""
    if path is None:
        return (0, 0)
    try:
        info = os.stat(Path(path) / GENERATION_FILE)
    except OSError:
        return (0, 0)
    return (info.st_ino, info.st_mtime_ns)


class OxigraphStore(Store):
    """pyoxigraph's store: in memory, or on disk at path (a folder), which survives the process.

    Bindings are pyoxigraph substitutions. pyoxigraph substitutes only variables that a SELECT
    projects; for any other it refuses, and the bindings go in as a VALUES block instead (see
    `RemoteStore`), so that a binding means the same on every backend.
    """

    def __init__(self, graph: Graph | None = None, *, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        try:
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)  # like `mkdir -p` for a new store
            self._store: ox.Store | None = ox.Store(str(path)) if path is not None else ox.Store()
        except OSError as err:
            raise StoreError(f"cannot open the oxigraph store at {path}: {err}") from None
        if graph is not None:
            self.add(graph)

    union_default_graph = False  # when set, a query without a dataset reads all graphs as its default

    @classmethod
    def open_read_only(cls, path: Path | str, *, union_default_graph: bool = False) -> OxigraphStore:
        """Open an on-disk store for reading only (worker processes; no writer may run meanwhile).

        union_default_graph: queries that name no dataset see the default graph (the catalogue)
        merged with every named graph (the user graph), like pyoxigraph's use_default_graph_as_union."""
        store = cls.__new__(cls)
        store.path = Path(path)
        store.union_default_graph = union_default_graph
        try:
            store._store = ox.Store.read_only(str(path))
        except OSError as err:
            raise StoreError(f"cannot open the oxigraph store at {path}: {err}") from None
        return store

    def _live(self) -> ox.Store:
        if self._store is None:
            raise StoreError("the store is closed")
        return self._store

    def add(self, graph: Graph, *, graph_uri: str | None = None) -> None:
        """Load graph as N-Triples with bulk_load: the fastest way in (not transactional)."""
        data = graph.serialize(format="nt", encoding="utf-8")
        target = ox.NamedNode(graph_uri) if graph_uri is not None else ox.DefaultGraph()
        try:
            self._live().bulk_load(data, ox.RdfFormat.N_TRIPLES, to_graph=target)
        except (OSError, RuntimeError, SyntaxError, ValueError) as err:
            raise StoreError(f"cannot add to the oxigraph store: {err}") from None
        self._changed()

    def load_file(self, path: Path) -> None:
        """pyoxigraph reads the N-Triples file itself: no rdflib terms on the way in."""
        try:
            self._live().bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
        except (OSError, RuntimeError, SyntaxError, ValueError) as err:
            raise StoreError(f"cannot load {path} into the oxigraph store: {err}") from None
        self._changed()

    def replace_default_graph(self, graph: Graph) -> None:
        """Make graph the whole default graph in one transaction (one SPARQL Update), so that a
        reader sees the old graph or the new one, never an empty or half-written one."""
        data = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
        self.update(f"DROP SILENT DEFAULT ;\nINSERT DATA {{\n{data}}}")

    def _run(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None,
        default_graph_uris: Sequence[str] | None,
        named_graph_uris: Sequence[str] | None,
    ) -> ox.QueryBoolean | ox.QuerySolutions | ox.QueryTriples:
        """pyoxigraph's own result; SyntaxError, OSError and RuntimeError pass through."""
        options: dict = {"prefixes": predeclared_prefixes()}
        try:
            if bindings:
                options["substitutions"] = {ox.Variable(k): oxigraph_term(v) for k, v in bindings.items()}
            if _dataset_requested(default_graph_uris, named_graph_uris):
                options["default_graph"] = [ox.NamedNode(u) for u in default_graph_uris or ()]
                options["named_graphs"] = [ox.NamedNode(u) for u in named_graph_uris or ()]
            elif self.union_default_graph and not _has_dataset_clause(sparql):
                options["use_default_graph_as_union"] = True
        except (ValueError, TypeError) as err:
            raise QueryError(f"bad binding or graph IRI: {err}") from None
        try:
            return self._live().query(sparql, **options)
        except RuntimeError as err:
            # pyoxigraph substitutes only variables the SELECT projects; others get a VALUES block.
            if "substitutions" not in options or "projection" not in str(err):
                raise
            del options["substitutions"]
            return self._live().query(_with_values(sparql, bindings or {}), **options)

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        max_rows: int | None = None,
        truncate: bool = False,
    ) -> QueryResult:
        try:
            result = self._run(sparql, bindings, default_graph_uris, named_graph_uris)
            if isinstance(result, ox.QueryBoolean):
                return QueryResult("ASK", boolean=bool(result))
            if isinstance(result, ox.QuerySolutions):
                variables = [v.value for v in result.variables]
                taken = _capped(result, max_rows, truncate)
                rows = [tuple(_from_oxigraph(t) for t in solution) for solution in taken]
                return QueryResult("SELECT", variables, rows, truncated=taken.truncated)
            graph = _new_graph()
            taken = _capped(result, max_rows, truncate)
            for triple in taken:
                graph.add(
                    (
                        _from_oxigraph(triple.subject),
                        URIRef(triple.predicate.value),
                        _from_oxigraph(triple.object),
                    )
                )
            return QueryResult("CONSTRUCT", graph=graph, truncated=taken.truncated)
        except SyntaxError as err:
            raise _oxigraph_query_error(str(err)) from None
        except (OSError, RuntimeError) as err:
            raise QueryError(f"the store failed: {err}") from None

    def answer(
        self,
        sparql: str,
        media_type: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        max_rows: int | None = None,
    ) -> Answer:
        """SPARQL JSON results are written straight from pyoxigraph's terms (the common case, and
        the same bytes plgkg.formats writes); every other form goes through rdflib terms."""
        if _JSON_RESULTS.get(media_type) is None:
            return super().answer(
                sparql,
                media_type,
                bindings,
                default_graph_uris=default_graph_uris,
                named_graph_uris=named_graph_uris,
                max_rows=max_rows,
            )
        try:
            result = self._run(sparql, bindings, default_graph_uris, named_graph_uris)
            if isinstance(result, ox.QueryBoolean):
                body: dict = {"head": {}, "boolean": bool(result)}
                return Answer("ASK", media_type, json.dumps(body, ensure_ascii=False).encode("utf-8"))
            if isinstance(result, ox.QuerySolutions):
                variables = [v.value for v in result.variables]
                bindings_out = []
                for solution in _capped(result, max_rows):
                    row = {}
                    for name, term in zip(variables, solution, strict=True):
                        if term is not None:
                            row[name] = _json_term(term)
                    bindings_out.append(row)
                body = {"head": {"vars": variables}, "results": {"bindings": bindings_out}}
                return Answer("SELECT", media_type, json.dumps(body, ensure_ascii=False).encode("utf-8"))
        except SyntaxError as err:
            raise _oxigraph_query_error(str(err)) from None
        except (OSError, RuntimeError) as err:
            raise QueryError(f"the store failed: {err}") from None
        raise QueryError("a CONSTRUCT or DESCRIBE query has no SPARQL results form; ask for an RDF format")

    def update(self, update: str) -> None:
        """Run a SPARQL Update; pyoxigraph applies it as one transaction: all of it or none."""
        try:
            self._live().update(update)
        except SyntaxError as err:
            raise StoreError(f"bad SPARQL Update: {err}") from None
        except (OSError, RuntimeError) as err:
            raise StoreError(f"cannot update the oxigraph store: {err}") from None
        self._changed()

    def graph(self) -> Graph:
        graph = _new_graph()
        data = self._live().dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        graph.parse(data=data.decode("utf-8"), format="nt")
        return graph

    def clear(self) -> None:
        try:
            self._live().clear_graph(ox.DefaultGraph())
        except (OSError, RuntimeError) as err:
            raise StoreError(f"cannot clear the oxigraph store: {err}") from None
        self._changed()

    def _changed(self) -> None:
        """After a write to an on-disk store: flush it, then tell readers (see mark_changed)."""
        if self.path is None:
            return
        try:
            self._live().flush()
            mark_changed(self.path)
        except (OSError, RuntimeError) as err:
            raise StoreError(f"cannot flush the oxigraph store at {self.path}: {err}") from None

    def __len__(self) -> int:
        return sum(1 for _ in self._live().quads_for_pattern(None, None, None, ox.DefaultGraph()))

    def close(self) -> None:
        if self._store is not None and self.path is not None:
            with contextlib.suppress(OSError, RuntimeError):  # a read-only store cannot flush
                self._store.flush()
        self._store = None


def _oxigraph_query_error(message: str) -> QueryError:
    match = _OX_ERROR_AT.match(message)
    if match:
        return QueryError(f"syntax error: {match.group(3).strip()}", int(match.group(1)), int(match.group(2)))
    return QueryError(message.strip())


_JSON_RESULTS = {"application/sparql-results+json": True, "application/json": True}


def _json_term(term: object) -> dict[str, str]:
    """A pyoxigraph term as SPARQL 1.1 Query Results JSON (as plgkg.formats writes rdflib terms)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        if term.language:
            return {"type": "literal", "value": term.value, "xml:lang": term.language}
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return {"type": "literal", "value": term.value}
        return {"type": "literal", "value": term.value, "datatype": datatype}
    raise QueryError(f"cannot represent {term} in SPARQL JSON (RDF 1.2 triple terms are not supported)")


def _from_oxigraph(term: object) -> Identifier | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise QueryError(f"cannot represent {term} in rdflib (RDF 1.2 triple terms are not supported)")


# --- Remote SPARQL endpoint --------------------------------------------------------------------

_RESULTS_JSON = "application/sparql-results+json"
_GRAPH_TYPES = {"application/n-triples": "nt", "text/turtle": "turtle", "text/plain": "nt"}
_ACCEPT = f"{_RESULTS_JSON}, application/n-triples;q=0.9, text/turtle;q=0.8"
# Virtuoso 7 ignores q-values and would send a CONSTRUCT as a table of ?s ?p ?o in JSON.
_ACCEPT_FOR = {
    "SELECT": _RESULTS_JSON,
    "ASK": _RESULTS_JSON,
    "CONSTRUCT": "application/n-triples, text/turtle;q=0.8",
    "DESCRIBE": "application/n-triples, text/turtle;q=0.8",
}
_INSERT_CHUNK = 2000  # triples per INSERT DATA request

# Just enough of SPARQL's lexical structure to find where the WHERE clause opens.
_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>\"\"\"(?:[^\\]|\\.)*?\"\"\"|'''(?:[^\\]|\\.)*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\s]*>)
      | (?P<word>[A-Za-z_][A-Za-z_0-9]*)
      | (?P<open>\{)
      | (?P<close>\})""",
    re.VERBOSE | re.DOTALL,
)
_VARNAME = re.compile(r"^[A-Za-z_0-9]+\Z")
# Virtuoso names the line of a syntax error, never its column.
_VIRTUOSO_ERROR_AT = re.compile(r"SPARQL compiler, line (\d+): *(.*?)(?:\s*SPARQL query:.*)?$", re.DOTALL)


class RemoteStore(Store):
    """Any SPARQL 1.1 endpoint over HTTP: the query service, plus Update or the Graph Store Protocol
    for writing.

    `graph`, when given, is the named graph that serves as this store's default graph: queries
    without a dataset of their own (FROM, FROM NAMED or the protocol's) read it as their default
    graph, and add, clear and replace write it. This is how a server whose default graph is the
    union of all its graphs (Virtuoso) or that wants every triple in a named graph behaves like
    the others.

    `also_read` names graphs that queries without a dataset read together with the store's default
    graph (the service reads the user graph this way, as it does on its own on-disk store): when the
    store's default graph is a named graph, the query names them all with `default-graph-uri`; on an
    Oxigraph server, whose default graph has no name, it asks for the union of all graphs with
    Oxigraph's `union-default-graph` parameter. Other servers must read their named graphs into the
    default graph themselves (GraphDB does; Fuseki with `tdb2:unionDefaultGraph true`).

    Queries are sent as an HTML form (`query=…`), which every SPARQL 1.1 server takes; Virtuoso 7
    never answers a query sent as an application/sparql-query body.

    Bindings are sent as a VALUES block placed first in the query's WHERE clause. Its terms are
    written by Oxigraph (plgkg.terms), which escapes literals and refuses IRIs that could not be
    written as one token, so bound values can never change the query's structure. The VALUES block is
    joined with the whole WHERE clause, which matches pre-binding except inside sub-SELECTs that
    do not project the variable.
    """

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        gsp_url: str | None = None,
        timeout: float = 30.0,
        *,
        graph: str | None = None,
        also_read: Sequence[str] = (),
        union_parameter: bool = False,
        timeout_parameter: tuple[str, float] | None = None,
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url
        self.gsp_url = gsp_url
        self.graph_uri = graph
        self.also_read = tuple(also_read)
        self.union_parameter = union_parameter  # the server takes Oxigraph's union-default-graph
        # (name, units per second) of the query parameter by which the server stops a query itself
        self.timeout_parameter = timeout_parameter
        self.timeout = timeout
        self._client = httpx.Client(timeout=httpx.Timeout(timeout, connect=5.0))

    def _send(self, method: str, url: str, **kwargs) -> httpx.Response:
        try:
            return self._client.request(method, url, **kwargs)
        except httpx.ConnectError as err:
            raise StoreError(f"cannot reach {url}: {err}") from None
        except httpx.TimeoutException:  # the connection is closed: the request is abandoned
            raise RemoteTimeout(f"no answer from {url} within {self.timeout:g} s") from None
        except httpx.HTTPError as err:
            raise StoreError(f"{url}: {err}") from None

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        max_rows: int | None = None,
        truncate: bool = False,
    ) -> QueryResult:
        if bindings:
            sparql = _with_values(sparql, bindings)
        prologue = " ".join(f"PREFIX {p}: <{ns}>" for p, ns in predeclared_prefixes().items()) + " "
        form: list[tuple[str, str]] = [("query", prologue + sparql)]
        if self.timeout_parameter is not None:
            name, per_second = self.timeout_parameter
            form.append((name, str(max(1, int(self.timeout * per_second)))))
        if _dataset_requested(default_graph_uris, named_graph_uris):
            form += [("default-graph-uri", u) for u in default_graph_uris or ()]
            form += [("named-graph-uri", u) for u in named_graph_uris or ()]
        elif not _has_dataset_clause(sparql):
            if self.graph_uri is not None:
                form += [("default-graph-uri", u) for u in (self.graph_uri, *self.also_read)]
            elif self.also_read and self.union_parameter:
                form.append(("union-default-graph", "true"))
        response = self._send(
            "POST",
            self.query_url,
            content=urlencode(form).encode("ascii"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": _ACCEPT_FOR.get(_query_form(sparql), _ACCEPT),
            },
        )
        if response.is_error:
            raise _http_query_error(response, len(prologue))
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if media == _RESULTS_JSON or media == "application/json":
            parsed = _parse_results_json(response.text)
            if max_rows is not None and len(parsed.rows) > max_rows:
                if not truncate:
                    raise ResultTooLarge(max_rows)
                del parsed.rows[max_rows:]
                parsed.truncated = True
            return parsed
        if media in _GRAPH_TYPES:
            graph = _new_graph()
            graph.parse(data=response.text, format=_GRAPH_TYPES[media])
            if max_rows is not None and len(graph) > max_rows:
                raise ResultTooLarge(max_rows)
            return QueryResult("CONSTRUCT", graph=graph)
        raise QueryError(
            f"{self.query_url} answered with {media or 'no content type'}, which plgkg cannot read"
        )

    def add(self, graph: Graph, *, graph_uri: str | None = None) -> None:
        """Graph Store Protocol POST if there is a GSP URL, else INSERT DATA in chunks."""
        graph_uri = graph_uri or self.graph_uri
        if self.gsp_url is not None:
            self._gsp("POST", graph, graph_uri)
            return
        if self.update_url is None:
            raise StoreError(f"{self.query_url} is read-only here: give an update or graph store URL")
        plain: list[str] = []
        with_bnodes: list[str] = []  # blank-node labels only hold within one request
        for s, p, o in graph:
            line = f"{sparql_term(s)} {sparql_term(p)} {sparql_term(o)} ."
            (with_bnodes if isinstance(s, BNode) or isinstance(o, BNode) else plain).append(line)
        chunks = [plain[i : i + _INSERT_CHUNK] for i in range(0, len(plain), _INSERT_CHUNK)]
        if with_bnodes:
            chunks.append(with_bnodes)
        for chunk in chunks:
            body = "\n".join(chunk)
            if graph_uri is not None:
                body = f"GRAPH {sparql_term(URIRef(graph_uri))} {{\n{body}\n}}"
            self._update(f"INSERT DATA {{\n{body}\n}}")

    def replace_default_graph(self, graph: Graph) -> None:
        """One Graph Store Protocol PUT where possible, so readers never see an empty store."""
        if self.gsp_url is not None:
            self._gsp("PUT", graph, None)
        else:
            super().replace_default_graph(graph)

    def clear(self) -> None:
        if self.update_url is not None:
            target = "DEFAULT" if self.graph_uri is None else f"GRAPH {sparql_term(URIRef(self.graph_uri))}"
            self._update(f"CLEAR SILENT {target}")
            return
        if self.gsp_url is None:
            raise StoreError(f"{self.query_url} is read-only here: give an update or graph store URL")
        response = self._send("DELETE", self.gsp_url, params=self._gsp_target(None))
        if response.is_error and response.status_code != 404:
            raise StoreError(f"{self.gsp_url}: {_server_message(response)}")

    def _gsp(self, method: str, graph: Graph, graph_uri: str | None) -> None:
        assert self.gsp_url is not None
        response = self._send(
            method,
            self.gsp_url,
            params=self._gsp_target(graph_uri),
            content=graph.serialize(format="nt", encoding="utf-8"),
            headers={"Content-Type": "application/n-triples"},
        )
        if response.is_error:
            raise StoreError(f"{self.gsp_url}: {_server_message(response)}")

    def _gsp_target(self, graph_uri: str | None) -> dict[str, str] | str:
        graph_uri = graph_uri or self.graph_uri
        return {"graph": graph_uri} if graph_uri is not None else "default"

    def update(self, update: str) -> None:
        """Send one SPARQL Update request (one transaction on Oxigraph, Fuseki and GraphDB)."""
        if self.update_url is None:
            raise StoreError(f"{self.query_url} is read-only here: give an update URL")
        self._update(update)

    def _update(self, update: str) -> None:
        assert self.update_url is not None
        response = self._send(
            "POST",
            self.update_url,
            content=update.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update"},
        )
        if response.is_error:
            raise StoreError(f"{self.update_url}: {_server_message(response)}")

    def graph(self) -> Graph:
        result = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")  # Virtuoso 7 fails the short form
        assert result.graph is not None
        return result.graph

    def __len__(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(result.rows[0][0]) if result.rows else 0

    def close(self) -> None:
        self._client.close()


def _query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the query's first keyword of these outside strings."""
    for token in _TOKEN.finditer(sparql):
        if token.lastgroup == "word" and (word := token.group().upper()) in _ACCEPT_FOR:
            return word
    return None


def _has_dataset_clause(sparql: str) -> bool:
    """Whether the query names its own dataset with FROM or FROM NAMED."""
    depth = 0
    for token in _TOKEN.finditer(sparql):
        kind = token.lastgroup
        if kind == "word" and depth == 0 and token.group().upper() == "FROM":
            return True
        depth += {"open": 1, "close": -1}.get(kind or "", 0)
    return False


def _with_values(sparql: str, bindings: Mapping[str, Node]) -> str:
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
    depth, form, where_seen, template_done = 0, None, False, False
    for token in _TOKEN.finditer(sparql):
        kind = token.lastgroup
        if kind == "word" and depth == 0:
            word = token.group().upper()
            if form is None and word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = word
            elif word == "WHERE":
                where_seen = True
        elif kind == "open":
            if depth == 0 and form is not None:
                if form == "CONSTRUCT" and not template_done:
                    if where_seen:
                        raise QueryError("bindings need CONSTRUCT {…} WHERE {…}, not the short form")
                    template_done = True
                else:
                    return sparql[: token.end()] + values + sparql[token.end() :]
            depth += 1
        elif kind == "close":
            depth -= 1
    raise QueryError("bindings need a query with a WHERE clause")


def _parse_results_json(text: str) -> QueryResult:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise QueryError(f"the endpoint sent bad JSON: {err}") from None
    if "boolean" in data:
        return QueryResult("ASK", boolean=bool(data["boolean"]))
    variables = list(data.get("head", {}).get("vars", []))
    bindings = data.get("results", {}).get("bindings", [])
    if variables == ["__ASK_RETVAL"]:  # Virtuoso 7 answers ASK in JSON as a one-row SELECT of 1
        return QueryResult(
            "ASK", boolean=any(b.get("__ASK_RETVAL", {}).get("value") == "1" for b in bindings)
        )
    rows = [tuple(_from_json(b[v]) if v in b else None for v in variables) for b in bindings]
    return QueryResult("SELECT", variables, rows)


def _from_json(term: dict) -> Identifier:
    kind, value = term.get("type"), term.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        if term.get("xml:lang"):
            return Literal(value, lang=term["xml:lang"])
        datatype = term.get("datatype")
        if datatype and datatype != _XSD_STRING:
            return Literal(value, datatype=URIRef(datatype))
        return Literal(value)
    raise QueryError(f"cannot represent a {kind!r} term in rdflib")


def _server_message(response: httpx.Response) -> str:
    text = " ".join(response.text.split())[:500]
    return f"HTTP {response.status_code}: {text}" if text else f"HTTP {response.status_code}"


def _http_query_error(response: httpx.Response, prologue_length: int) -> QueryError:
    text = response.text.strip()
    match = _OX_ERROR_AT.match(text)
    if match and response.status_code == 400:
        line, column = int(match.group(1)), int(match.group(2))
        if line == 1:  # the predeclared prefixes stand before the query on its first line
            column = max(1, column - prologue_length)
        return QueryError(f"syntax error: {match.group(3).strip()}", line, column)
    match = _VIRTUOSO_ERROR_AT.search(text)
    if match and response.status_code == 400:
        return QueryError(" ".join(match.group(2).split()), int(match.group(1)))
    return QueryError(_server_message(response))


# --- Choosing a backend ------------------------------------------------------------------------


VIRTUOSO_GRAPH = "https://w3id.org/plgkg/graph"
"""The named graph that plays the default graph on a Virtuoso server, unless the URL names another."""

_GRAPHDB_REPOSITORY = re.compile(r"^/repositories/[^/]+\Z")


def open_store(
    spec: str, path: Path | None = None, *, also_read: Sequence[str] = (), timeout: float = 30.0
) -> Store:
    """A store from its name: 'oxigraph' (in memory, or on disk at path), 'rdflib', or a SPARQL
    endpoint URL (whose queries without a dataset also read the graphs `also_read`: see RemoteStore).

    The URL's path tells the server's layout:

    - none, or `/query` (`http://127.0.0.1:7878`): Oxigraph server, with `/query`, `/update` and
      the Graph Store at `/store`;
    - `/sparql` (`http://127.0.0.1:8890/sparql`): Virtuoso, which queries and updates at `/sparql`
      and keeps the Graph Store at `/sparql-graph-crud`; since its default graph is the union of
      all its graphs, the store's default graph is the named graph `VIRTUOSO_GRAPH`;
    - `/DATASET/query` or `/DATASET/sparql` (`http://127.0.0.1:3030/ds/query`): Fuseki, with
      `/DATASET/update` and the Graph Store at `/DATASET/data`;
    - `/repositories/REPO` (`http://127.0.0.1:7200/repositories/plgkg`): GraphDB (or any RDF4J
      server), which takes updates at `/repositories/REPO/statements`.

    Any other URL is taken as a read-only query endpoint. `?default-graph-uri=IRI` in the URL
    makes the named graph IRI the store's default graph, on any server.

    `timeout` is how long a remote query may take: the request is abandoned after it, and servers
    that take a time limit with the query and stop at it are given it (Fuseki, GraphDB and RDF4J:
    `timeout` in s). An Oxigraph server takes none and computes on after the request is abandoned;
    Virtuoso's `timeout` answers with partial results instead of stopping, so it is not used.
    """
    if spec.startswith(("http://", "https://")):
        if path is not None:
            raise StoreError("a path is only for the oxigraph store")
        parts = urlsplit(spec)
        named = parse_qs(parts.query).get("default-graph-uri", [])
        if len(named) > 1:
            raise StoreError(f"{spec}: give at most one default-graph-uri")
        graph = named[0] if named else None
        trimmed = parts.path.rstrip("/")
        head, _, last = trimmed.rpartition("/")

        def at(route: str) -> str:
            return urlunsplit((parts.scheme, parts.netloc, route, "", ""))

        if trimmed in ("", "/query"):
            return RemoteStore(
                at("/query"),
                at("/update"),
                at("/store"),
                timeout,
                graph=graph,
                also_read=also_read,
                union_parameter=True,
            )
        if trimmed == "/sparql":
            return RemoteStore(
                at("/sparql"),
                at("/sparql"),
                at("/sparql-graph-crud"),
                timeout,
                graph=graph or VIRTUOSO_GRAPH,
                also_read=also_read,
            )
        if head and last in ("query", "sparql"):
            return RemoteStore(
                at(trimmed),
                at(f"{head}/update"),
                at(f"{head}/data"),
                timeout,
                graph=graph,
                also_read=also_read,
                timeout_parameter=("timeout", 1),
            )
        if _GRAPHDB_REPOSITORY.match(trimmed):
            return RemoteStore(
                at(trimmed),
                at(f"{trimmed}/statements"),
                timeout=timeout,
                graph=graph,
                also_read=also_read,
                timeout_parameter=("timeout", 1),
            )
        return RemoteStore(
            spec if graph is None else at(parts.path), timeout=timeout, graph=graph, also_read=also_read
        )
    if spec == "oxigraph":
        return OxigraphStore(path=path)
    if spec == "rdflib":
        if path is not None:
            raise StoreError("a path is only for the oxigraph store")
        return RdflibStore()
    raise StoreError(f"unknown store {spec!r}: use oxigraph, rdflib or an http(s) URL")
