"""The query service's domain side: the validated data behind one store, screened and isolated
query execution, and the facts the service reports about itself. No web framework here."""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib.term import Node

from plgkg.catalogue import load, load_store
from plgkg.errors import DataError, InvalidDataError, NotAcceptable
from plgkg.execution.cache import ResponseCache, ResultCache
from plgkg.execution.quota import ClientQuota
from plgkg.execution.screen import Limits, Screened, check_dataset_iris, screen
from plgkg.execution.workers import Job, PoolSettings, QueryPool, StoreSpec, start_fork_server
from plgkg.imports.pipeline import USER_GRAPH
from plgkg.settings import RESERVED_THREADS, ServiceSettings
from plgkg.stores import Answer, QueryResult, Store, generation
from plgkg.triples import oxigraph_store
from plgkg.validate import validate_once, validate_store_once

T = TypeVar("T")


@dataclass
class QueryService:
    """Validated data, a store, and the rules every query passes before it runs."""

    settings: ServiceSettings
    store_kind: str
    triples: int
    loaded_at: datetime
    graph_iris: frozenset[str]
    _pool: QueryPool | None = None
    _remote: Store | None = None
    _tmp: tempfile.TemporaryDirectory | None = field(default=None, repr=False)
    cache: ResponseCache = field(default_factory=ResponseCache)
    results: ResultCache = field(default_factory=ResultCache)
    _documents: tempfile.TemporaryDirectory = field(
        default_factory=lambda: tempfile.TemporaryDirectory(prefix="plgkg-documents-"), repr=False
    )
    _document_locks: dict[str, threading.Lock] = field(default_factory=dict, repr=False)
    _memo_locks: dict[Hashable, threading.Lock] = field(default_factory=dict, repr=False)
    quota: ClientQuota = field(default_factory=lambda: ClientQuota(1))

    @classmethod
    def start(cls, settings: ServiceSettings) -> QueryService:
        """Load and validate the data, then open the store; invalid data refuses to start."""
        if not settings.store.startswith(("http://", "https://")):
            start_fork_server()  # the query workers' fork server starts while the data load
        data = _load_and_validate(settings)
        if settings.store.startswith(("http://", "https://")):
            from plgkg.stores import open_store

            remote = open_store(  # also_read: as on the on-disk store
                settings.store, also_read=(USER_GRAPH,), timeout=settings.query_timeout_s
            )
            return cls(
                settings,
                "remote",
                len(remote),
                datetime.now(UTC),
                GRAPH_IRIS,
                _remote=remote,
                cache=ResponseCache(max_bytes=0),  # another process may change a remote store at any time
                results=ResultCache(max_entries=0),
                quota=ClientQuota(settings.per_client_queries),
            )
        tmp = tempfile.TemporaryDirectory(prefix="plgkg-")
        spec = _prepare(settings, data, Path(tmp.name))
        pool = QueryPool(
            spec,
            PoolSettings(
                workers=settings.workers,
                timeout_s=settings.query_timeout_s,
                memory_mb=settings.query_memory_mb,
                max_rows=settings.max_rows,
                max_waiting_threads=max(1, settings.threads - RESERVED_THREADS),
                wait_for_worker_s=settings.wait_for_worker_s,
                limits=_limits(settings, GRAPH_IRIS),
            ),
        )
        return cls(
            settings,
            settings.store,
            pool.triples,
            datetime.now(UTC),
            GRAPH_IRIS,
            _pool=pool,
            _tmp=tmp,
            quota=ClientQuota(settings.per_client_queries),
            cache=ResponseCache(max_bytes=settings.cache_mb * 1024 * 1024),
        )

    @property
    def limits(self) -> Limits:
        return _limits(self.settings, self.graph_iris)

    def screen(self, sparql: str, default_graph_uris=(), named_graph_uris=()) -> Screened:
        """Refuse what must never run (see plgkg.execution.screen); return what may."""
        screened = screen(sparql, self.limits)
        check_dataset_iris(list(default_graph_uris), list(named_graph_uris), self.limits)
        return screened

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> QueryResult:
        """Screen and run a query in isolation; raises ScreeningError, QueryError or QueryLimitError."""
        screened = self.screen(sparql, default_graph_uris, named_graph_uris)
        return self.run(
            screened, bindings, default_graph_uris=default_graph_uris, named_graph_uris=named_graph_uris
        )

    def run(
        self,
        screened: Screened,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        first_rows: int | None = None,
    ) -> QueryResult:
        """Run a query that passed screening (see screen), isolated in a worker or on the remote store.
        first_rows: answer at most that many rows, marked truncated if there were more (for pages
        that show a result: the rendering stays bounded); else the row limit applies."""
        dataset = _dataset(default_graph_uris, named_graph_uris)
        if self._remote is not None:
            limit = first_rows if first_rows is not None else self.settings.max_rows
            return self._remote.query(
                screened.text, bindings, max_rows=limit, truncate=first_rows is not None, **dataset
            )
        rows = (first_rows, True) if first_rows is not None else None
        return self._pool.query(Job(screened.text, bindings or {}, rows=rows, **dataset))

    async def answer(
        self,
        sparql: str,
        media_types: tuple[str | None, str | None],
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> Answer:
        """`query`, for an asyncio caller, with the answer written by the worker: in media_types[0]
        for SELECT and ASK, media_types[1] for CONSTRUCT and DESCRIBE (None: NotAcceptable). The
        query is screened by the worker that runs it, before its engine sees it (so the service's
        event loop spends no time parsing queries); on a remote store, here, in a thread."""
        check_dataset_iris(list(default_graph_uris), list(named_graph_uris), self.limits)
        dataset = _dataset(default_graph_uris, named_graph_uris)
        if self._remote is None:
            return await self._pool.aquery(Job(sparql, screened=False, media_types=media_types, **dataset))
        import asyncio

        def screen_and_answer() -> Answer:
            screened = screen(sparql, self.limits)
            media_type = media_types[screened.form in ("CONSTRUCT", "DESCRIBE")]
            if media_type is None:
                raise NotAcceptable(screened.form)
            return self._remote.answer(screened.text, media_type, max_rows=self.settings.max_rows, **dataset)

        return await asyncio.to_thread(screen_and_answer)

    async def wait_for_worker(self, timeout: float) -> bool:
        """Wait on the event loop until a query worker is idle (at once on a remote store)."""
        return True if self._pool is None else await self._pool.wait_until_idle(timeout)

    def data_version(self) -> tuple[int, int]:
        """A token that changes whenever the data changes (an import into the on-disk store); the
        in-memory store never changes while serving. For the response cache and ETags."""
        return generation(self.settings.store_path)

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value compute() derives from the data (from named queries, say), remembered like
        named-query results until the data change; computed again on a remote store. Computed once
        at a time: a second caller waits for the first's value."""
        version = self.data_version()
        remembered = self.results.get(("memo", key), version)
        if remembered is not None:
            return remembered
        if self._remote is not None:  # nothing is kept for a remote store: nothing to wait for
            return compute()
        # one computation at a time per key: who asks meanwhile (a page while the start-up warms
        # the search index) waits for it instead of running the same queries again
        with self._memo_locks.setdefault(key, threading.Lock()):
            remembered = self.results.get(("memo", key), version)
            if remembered is None:
                remembered = compute()
                self.results.keep(("memo", key), version, remembered)
        return remembered

    def named_query(
        self, name: str, bindings: Mapping[str, Node] | None = None, *, unlimited_rows: bool = True
    ) -> QueryResult:
        """Run one of plgkg's own .rq queries (trusted text: not screened, still isolated). Results
        on unchanged data are remembered (see plgkg.execution.cache.ResultCache): treat them as read-only.
        The row limit is for clients' queries: plgkg's own have none unless unlimited_rows is false;
        the time and memory limits apply to both."""
        from plgkg.queries import load_query

        key = (name, tuple(sorted((bindings or {}).items(), key=lambda item: item[0])))
        version = self.data_version()
        remembered = self.results.get(key, version)
        if remembered is not None:
            return remembered
        sparql = load_query(name)
        if self._remote is not None:
            limit = None if unlimited_rows else self.settings.max_rows
            return self._remote.query(sparql, bindings, max_rows=limit)
        result = self._pool.query(Job(sparql, bindings or {}, rows=(None, False) if unlimited_rows else None))
        size = len(result.graph) if result.graph is not None else len(result.rows)
        self.results.put(key, version, result, size)
        return result

    def document(self, name: str, build: Callable[[], bytes]) -> Path:
        """A file derived from the data (a dump, an export), built once per data version by build()
        and kept on disk until the data change: requests are answered from the file, not rebuilt."""
        version = "-".join(str(part) for part in self.data_version())
        folder = Path(self._documents.name)
        path = folder / f"{version}-{name}"
        if path.exists():
            return path
        with self._document_locks.setdefault(name, threading.Lock()):
            if path.exists():  # built meanwhile by another request
                return path
            body = build()
            partial = path.with_name(path.name + ".partial")
            partial.write_bytes(body)
            partial.replace(path)
            for old in folder.glob(f"*-{name}"):
                if old != path:
                    old.unlink(missing_ok=True)
        return path

    def health(self) -> dict[str, object]:
        return {
            "store": self.store_kind,
            "triples": self.triples,
            "loaded_at": self.loaded_at.isoformat(),
            "workers": self._pool.size if self._pool else None,
            "workers_replaced": self._pool.replaced if self._pool else None,
            "workers_confined": self._pool.confinement if self._pool else None,
            "cache": self.cache.stats(),
        }

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
        if self._remote is not None:
            self._remote.close()
        if self._tmp is not None:
            self._tmp.cleanup()
        self._documents.cleanup()


GRAPH_IRIS = frozenset({USER_GRAPH})  # the named graphs FROM and the protocol's dataset may name


def _limits(settings: ServiceSettings, graph_iris: frozenset[str]) -> Limits:
    """What a client's query may be and do (plgkg.execution.screen)."""
    return Limits(
        max_length=settings.max_query_length,
        max_depth=settings.max_query_depth,
        allowed_services=settings.allowed_services,
        allowed_graphs=graph_iris,
    )


def _dataset(
    default_graph_uris: Sequence[str], named_graph_uris: Sequence[str]
) -> dict[str, list[str] | None]:
    """The protocol's dataset as the stores take it: None where the request named no graph."""
    return {
        "default_graph_uris": list(default_graph_uris) or None,
        "named_graph_uris": list(named_graph_uris) or None,
    }


def _load_and_validate(settings: ServiceSettings) -> ox.Store:
    """The data files in an in-memory pyoxigraph store, validated (InvalidDataError when they do
    not conform): read by pyoxigraph and validated there (plgkg.catalogue.load_store,
    plgkg.validate.validate_store_once); through rdflib where pyoxigraph refuses a file, so that
    the error names file and line as load always has (or the data load after all)."""
    found = load_store(settings.data)
    if found is not None:
        store, files = found
        report = validate_store_once(store, files, remember=settings.remember_validation)
    else:
        loaded = load(settings.data)  # raises DataError with the file and line
        report = validate_once(loaded, remember=settings.remember_validation)
        store = oxigraph_store(loaded.graph)
    if report is not None and not report.conforms:
        raise InvalidDataError(report)
    return store


def _prepare(settings: ServiceSettings, data: ox.Store, tmp: Path) -> StoreSpec:
    """Write the validated data where worker processes can open it."""
    if settings.store not in ("oxigraph", "rdflib"):
        raise DataError(Path(settings.store), "unknown store: use oxigraph, rdflib or an http(s) URL")
    if settings.store_path is not None:
        if settings.store != "oxigraph":
            raise DataError(settings.store_path, "--store-path needs the oxigraph store")
        from plgkg.imports.pipeline import open_for_writing

        disk = open_for_writing(settings.store_path)  # waits while an import holds the write lock
        try:
            disk.replace_default_graph(data)  # one transaction: readers never see it empty
        finally:
            disk.close()
        # The user graph (plgkg import) stays: queries see catalogue + user graph as their default.
        return StoreSpec("oxigraph", disk_path=settings.store_path, union_default_graph=True)
    dump = tmp / "data.nt"
    data.dump(str(dump), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return StoreSpec(settings.store, ntriples=dump)
