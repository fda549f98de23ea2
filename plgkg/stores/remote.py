"""Any SPARQL 1.1 endpoint over HTTP as a store, and the URL layouts of the servers plgkg knows
(Oxigraph, Virtuoso, Fuseki, GraphDB/RDF4J)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from plgkg.errors import QueryError, RemoteTimeout, ResultTooLarge, StoreError
from plgkg.settings import REMOTE_TIMEOUT_S
from plgkg.stores.base import (
    OXIGRAPH_ERROR_AT,
    XSD_STRING,
    QueryResult,
    Request,
    Store,
    new_graph,
    predeclared_prefixes,
)
from plgkg.stores.query_text import has_dataset_clause, query_form, with_values
from plgkg.terms import sparql_term

if TYPE_CHECKING:
    import httpx

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
        timeout: float = REMOTE_TIMEOUT_S,
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
        import httpx  # here: every plgkg process imports this module, few talk to a remote store

        self._client = httpx.Client(timeout=httpx.Timeout(timeout, connect=5.0))

    def _send(self, method: str, url: str, **kwargs) -> httpx.Response:
        import httpx

        try:
            return self._client.request(method, url, **kwargs)
        except httpx.ConnectError as err:
            raise StoreError(f"cannot reach {url}: {err}") from None
        except httpx.TimeoutException:  # the connection is closed: the request is abandoned
            raise RemoteTimeout(f"no answer from {url} within {self.timeout:g} s") from None
        except httpx.HTTPError as err:
            raise StoreError(f"{url}: {err}") from None

    def run(self, request: Request) -> QueryResult:
        sparql, max_rows = request.sparql, request.max_rows
        if request.bindings:
            sparql = with_values(sparql, request.bindings)
        prologue = " ".join(f"PREFIX {p}: <{ns}>" for p, ns in predeclared_prefixes().items()) + " "
        form: list[tuple[str, str]] = [("query", prologue + sparql)]
        if self.timeout_parameter is not None:
            name, per_second = self.timeout_parameter
            form.append((name, str(max(1, int(self.timeout * per_second)))))
        if request.dataset_requested:
            form += [("default-graph-uri", u) for u in request.default_graph_uris or ()]
            form += [("named-graph-uri", u) for u in request.named_graph_uris or ()]
        elif not has_dataset_clause(sparql):
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
                "Accept": _ACCEPT_FOR.get(query_form(sparql), _ACCEPT),
            },
        )
        if response.is_error:
            raise _http_query_error(response, len(prologue))
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if media == _RESULTS_JSON or media == "application/json":
            parsed = _parse_results_json(response.text)
            if max_rows is not None and len(parsed.rows) > max_rows:
                if not request.truncate:
                    raise ResultTooLarge(max_rows)
                del parsed.rows[max_rows:]
                parsed.truncated = True
            return parsed
        if media in _GRAPH_TYPES:
            graph = new_graph()
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
        if datatype and datatype != XSD_STRING:
            return Literal(value, datatype=URIRef(datatype))
        return Literal(value)
    raise QueryError(f"cannot represent a {kind!r} term in rdflib")


def _server_message(response: httpx.Response) -> str:
    text = " ".join(response.text.split())[:500]
    return f"HTTP {response.status_code}: {text}" if text else f"HTTP {response.status_code}"


def _http_query_error(response: httpx.Response, prologue_length: int) -> QueryError:
    text = response.text.strip()
    match = OXIGRAPH_ERROR_AT.match(text)
    if match and response.status_code == 400:
        line, column = int(match.group(1)), int(match.group(2))
        if line == 1:  # the predeclared prefixes stand before the query on its first line
            column = max(1, column - prologue_length)
        return QueryError(f"syntax error: {match.group(3).strip()}", line, column)
    match = _VIRTUOSO_ERROR_AT.search(text)
    if match and response.status_code == 400:
        return QueryError(" ".join(match.group(2).split()), int(match.group(1)))
    return QueryError(_server_message(response))


# --- The servers' URL layouts ------------------------------------------------------------------

VIRTUOSO_GRAPH = "https://w3id.org/plgkg/graph"
"""The named graph that plays the default graph on a Virtuoso server, unless the URL names another."""

_GRAPHDB_REPOSITORY = re.compile(r"^/repositories/[^/]+\Z")


def open_remote(url: str, *, also_read: Sequence[str] = (), timeout: float = REMOTE_TIMEOUT_S) -> RemoteStore:
    """The remote store at a SPARQL endpoint URL (whose queries without a dataset also read the
    graphs `also_read`: see RemoteStore).

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
    parts = urlsplit(url)
    named = parse_qs(parts.query).get("default-graph-uri", [])
    if len(named) > 1:
        raise StoreError(f"{url}: give at most one default-graph-uri")
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
        url if graph is None else at(parts.path), timeout=timeout, graph=graph, also_read=also_read
    )
