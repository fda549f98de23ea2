"""pyoxigraph's store as a store: in memory, or on disk in a folder that survives the process."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from plgkg.errors import QueryError, StoreError
from plgkg.stores.base import (
    OXIGRAPH_ERROR_AT,
    XSD_STRING,
    Answer,
    QueryResult,
    Request,
    Store,
    capped,
    mark_changed,
    new_graph,
    predeclared_prefixes,
)
from plgkg.stores.query_text import has_dataset_clause, with_values
from plgkg.terms import oxigraph_term


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

    def replace_default_graph(self, graph: Graph | ox.Store) -> None:
        """Make graph (or a store's default graph) the whole default graph in one transaction (one
        SPARQL Update), so that a reader sees the old graph or the new one, never an empty or
        half-written one."""
        if isinstance(graph, ox.Store):
            data = graph.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode("utf-8")
        else:
            data = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
        self.update(f"DROP SILENT DEFAULT ;\nINSERT DATA {{\n{data}}}")

    def _run(self, request: Request) -> ox.QueryBoolean | ox.QuerySolutions | ox.QueryTriples:
        """pyoxigraph's own result; SyntaxError, OSError and RuntimeError pass through."""
        options: dict = {"prefixes": predeclared_prefixes()}
        try:
            if request.bindings:
                options["substitutions"] = {
                    ox.Variable(k): oxigraph_term(v) for k, v in request.bindings.items()
                }
            if request.dataset_requested:
                options["default_graph"] = [ox.NamedNode(u) for u in request.default_graph_uris or ()]
                options["named_graphs"] = [ox.NamedNode(u) for u in request.named_graph_uris or ()]
            elif self.union_default_graph and not has_dataset_clause(request.sparql):
                options["use_default_graph_as_union"] = True
        except (ValueError, TypeError) as err:
            raise QueryError(f"bad binding or graph IRI: {err}") from None
        try:
            return self._live().query(request.sparql, **options)
        except RuntimeError as err:
            # pyoxigraph substitutes only variables the SELECT projects; others get a VALUES block.
            if "substitutions" not in options or "projection" not in str(err):
                raise
            del options["substitutions"]
            return self._live().query(with_values(request.sparql, request.bindings), **options)

    def run(self, request: Request) -> QueryResult:
        try:
            result = self._run(request)
            if isinstance(result, ox.QueryBoolean):
                return QueryResult("ASK", boolean=bool(result))
            if isinstance(result, ox.QuerySolutions):
                variables = [v.value for v in result.variables]
                taken = capped(result, request.max_rows, request.truncate)
                rows = [tuple(from_oxigraph(t) for t in solution) for solution in taken]
                return QueryResult("SELECT", variables, rows, truncated=taken.truncated)
            graph = new_graph()
            taken = capped(result, request.max_rows, request.truncate)
            for triple in taken:
                graph.add(
                    (
                        from_oxigraph(triple.subject),
                        URIRef(triple.predicate.value),
                        from_oxigraph(triple.object),
                    )
                )
            return QueryResult("CONSTRUCT", graph=graph, truncated=taken.truncated)
        except SyntaxError as err:
            raise _oxigraph_query_error(str(err)) from None
        except (OSError, RuntimeError) as err:
            raise QueryError(f"the store failed: {err}") from None

    def write(self, request: Request, media_type: str) -> Answer:
        """SPARQL JSON results are written straight from pyoxigraph's terms (the common case, and
        the same bytes plgkg.formats writes); every other form goes through rdflib terms."""
        if _JSON_RESULTS.get(media_type) is None:
            return super().write(request, media_type)
        try:
            result = self._run(request)
            if isinstance(result, ox.QueryBoolean):
                body: dict = {"head": {}, "boolean": bool(result)}
                return Answer("ASK", media_type, json.dumps(body, ensure_ascii=False).encode("utf-8"))
            if isinstance(result, ox.QuerySolutions):
                variables = [v.value for v in result.variables]
                bindings_out = []
                for solution in capped(result, request.max_rows):
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

    def replace_in_graph(self, graph_uri: str, removals: Sequence[str], ntriples: bytes) -> None:
        """Run the SPARQL Update operations removals (one transaction), then add the N-Triples to
        the named graph with the bulk loader (not transactional: see plgkg.imports.pipeline.write).
        Readers are told once, when both are done."""
        store = self._live()
        try:
            if removals:
                store.update(" ;\n".join(removals))
            store.bulk_load(ntriples, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph_uri))
        except SyntaxError as err:
            raise StoreError(f"bad SPARQL Update or N-Triples: {err}") from None
        except (OSError, RuntimeError, ValueError) as err:
            raise StoreError(f"cannot write to the oxigraph store: {err}") from None
        self._changed()

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
        graph = new_graph()
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
    match = OXIGRAPH_ERROR_AT.match(message)
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
        if datatype == XSD_STRING:
            return {"type": "literal", "value": term.value}
        return {"type": "literal", "value": term.value, "datatype": datatype}
    raise QueryError(f"cannot represent {term} in SPARQL JSON (RDF 1.2 triple terms are not supported)")


def from_oxigraph(term: object) -> Identifier | None:
    """The rdflib term of a pyoxigraph term (None for an unbound value); xsd:string literals come
    out plain, as rdflib parses them."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise QueryError(f"cannot represent {term} in rdflib (RDF 1.2 triple terms are not supported)")
