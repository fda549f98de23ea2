"""The one interface every store backend implements, and what they share.

Every backend answers SPARQL with a `QueryResult`, so that callers never depend on a backend's
own result types. Values enter queries only as bound values (`bindings`), never as text. Every
backend predeclares the project's prefixes (and rdflib's default ones), so that a query without
PREFIX lines means the same everywhere. An on-disk store's generation (`mark_changed`,
`generation`) tells readers that opened it earlier that it has new data.

The backends: plgkg.stores.memory (rdflib), plgkg.stores.oxigraph, plgkg.stores.remote.
"""

from __future__ import annotations

import itertools
import os
import re
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import TracebackType

from rdflib import XSD, Graph
from rdflib.term import Identifier, Node

from plgkg.errors import ResultTooLarge
from plgkg.formats import serialize_result
from plgkg.namespaces import bind_prefixes

XSD_STRING = str(XSD.string)
# Where Oxigraph (in process, or as a server) says a query's syntax error is: "error at LINE:COLUMN: …".
OXIGRAPH_ERROR_AT = re.compile(r"^\s*error at (\d+):(\d+):\s*(.*)$", re.DOTALL)


class Taken(list):
    truncated = False


def capped(items: Iterator, max_rows: int | None, truncate: bool = False) -> Taken:
    """At most max_rows items; one more raises ResultTooLarge without computing the rest, or, with
    truncate, ends the list there and marks it truncated."""
    if max_rows is None:
        return Taken(items)
    taken = Taken(itertools.islice(items, max_rows + 1))
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
class Request:
    """One query as a backend runs it: the text, the values bound beforehand, the SPARQL protocol's
    dataset (None where the request names no graph) and the row cap."""

    sparql: str
    bindings: Mapping[str, Node] = field(default_factory=dict)
    default_graph_uris: Sequence[str] | None = None
    named_graph_uris: Sequence[str] | None = None
    max_rows: int | None = None
    truncate: bool = False

    @property
    def dataset_requested(self) -> bool:
        """Whether the protocol's dataset (default-graph-uri, named-graph-uri) names a graph."""
        return bool(self.default_graph_uris) or bool(self.named_graph_uris)


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
        """Run a SPARQL query with the given variables bound beforehand, over the given dataset; at most
        max_rows rows (or triples): one more raises ResultTooLarge or, with truncate, ends the result."""
        return self.run(
            Request(sparql, bindings or {}, default_graph_uris, named_graph_uris, max_rows, truncate)
        )

    @abstractmethod
    def run(self, request: Request) -> QueryResult:
        """Run one query (see query): what each backend does."""

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
        fits the query form; see plgkg.formats)."""
        request = Request(sparql, bindings or {}, default_graph_uris, named_graph_uris, max_rows)
        return self.write(request, media_type)

    def write(self, request: Request, media_type: str) -> Answer:
        """Run one query and write its result in media_type. Backends may write it without building
        rdflib terms."""
        result = self.run(request)
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


def new_graph() -> Graph:
    """An empty rdflib graph that knows the project's prefixes."""
    graph = Graph()
    bind_prefixes(graph)
    return graph


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
