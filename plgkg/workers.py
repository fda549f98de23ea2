"""Running queries isolated in worker processes, so that no query can hang, crash or starve the
service.

Facts that shape this (measured on rdflib 7.6 and pyoxigraph 0.5): pyoxigraph cannot be interrupted
in process and a bad join can grow to gigabytes in seconds; a deeply nested query can crash its parser
(SIGSEGV); an rdflib query holds the GIL for its whole run. So every query runs in a separate process
from a small pool. The parent waits at most the time limit while watching the worker's resident
memory; past either limit it kills the worker (SIGKILL), answers with an error, and starts a
replacement in the background. A worker that dies by itself (a crash) is replaced the same way.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from rdflib.term import Node

from plgkg.store import QueryError, QueryResult, ResultTooLarge

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class QueryLimitError(Exception):
    """A query stopped at a limit: .reason is 'timeout', 'memory', 'rows', 'crash' or 'busy'."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)


@dataclass(frozen=True)
class StoreSpec:
    """How a worker process opens its own copy of the data: picklable, no open handles."""

    kind: str  # "oxigraph" or "rdflib"
    ntriples: Path | None = None  # a dump of the validated data, loaded into an in-memory store
    disk_path: Path | None = None  # an on-disk oxigraph store, opened read-only
    union_default_graph: bool = False  # queries without a dataset read the catalogue + named graphs


@dataclass(frozen=True)
class PoolSettings:
    workers: int = 3
    timeout_s: float = 10.0
    memory_mb: int = 1024
    max_rows: int = 100_000
    wait_for_worker_s: float = 10.0


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    served: int = 0
    pid: int = field(init=False)

    def __post_init__(self) -> None:
        self.pid = self.process.pid or -1


def _open_store(spec: StoreSpec):
    from plgkg.store import open_store

    if spec.disk_path is not None:
        from plgkg.store import OxigraphStore

        return OxigraphStore.open_read_only(spec.disk_path, union_default_graph=spec.union_default_graph)
    store = open_store(spec.kind)
    if spec.ntriples is not None:
        from rdflib import Graph

        graph = Graph()
        graph.parse(spec.ntriples, format="nt")
        store.add(graph)
    return store


def _serve(spec: StoreSpec, conn: Connection, max_rows: int, memory_mb: int) -> None:
    """The worker's loop: one request in, one answer out, until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    try:
        import resource

        hard_cap = memory_mb * 4 * 1024 * 1024  # a backstop; the parent enforces the real cap
        resource.setrlimit(resource.RLIMIT_AS, (hard_cap, hard_cap))
    except (ImportError, ValueError, OSError):
        pass
    store = _open_store(spec)
    conn.send(("ready", len(store)))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        sparql, bindings, default_graphs, named_graphs = request
        try:
            result = store.query(
                sparql,
                bindings,
                default_graph_uris=default_graphs,
                named_graph_uris=named_graphs,
                max_rows=max_rows,
            )
            conn.send(("ok", result))
        except ResultTooLarge as err:
            conn.send(("rows", str(err)))
        except QueryError as err:
            conn.send(("query-error", (str(err), err.line, err.column)))
        except MemoryError:
            conn.send(("memory", "the query ran out of memory"))
        except Exception as err:  # an engine failure must not take the worker down silently
            conn.send(("query-error", (f"{type(err).__name__}: {err}", None, None)))


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


class QueryPool:
    """A pool of worker processes that each hold a copy of the data and run one query at a time."""

    def __init__(self, spec: StoreSpec, settings: PoolSettings = PoolSettings()) -> None:
        self.spec = spec
        self.settings = settings
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[int] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.triples = 0
        self.replaced = 0
        starting = [self._start() for _ in range(settings.workers)]
        for worker in starting:
            self._await_ready(worker)

    # -- lifecycle ---------------------------------------------------------------------------

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve,
            args=(self.spec, child, self.settings.max_rows, self.settings.memory_mb),
            daemon=True,
            name="plgkg-query-worker",
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def _await_ready(self, worker: _Worker, timeout: float = 120.0) -> None:
        if not worker.conn.poll(timeout):
            self._kill(worker)
            raise RuntimeError("a query worker did not start in time")
        try:
            status, triples = worker.conn.recv()
        except (EOFError, OSError):
            self._kill(worker)
            raise RuntimeError("a query worker died while starting") from None
        if status != "ready":
            raise RuntimeError(f"a query worker failed to start: {triples}")
        self.triples = triples
        with self._lock:
            self._all.add(worker.pid)
        self._idle.put(worker)

    def _replace_in_background(self) -> None:
        def start() -> None:
            if self._closed:
                return
            with contextlib.suppress(RuntimeError):
                self._await_ready(self._start())

        threading.Thread(target=start, name="plgkg-worker-replace", daemon=True).start()

    def _kill(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker.pid)
        with contextlib.suppress(OSError, AttributeError):
            worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            self._kill(worker)

    @property
    def size(self) -> int:
        with self._lock:
            return len(self._all)

    # -- queries -----------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        timeout_s: float | None = None,
    ) -> QueryResult:
        """Run one query in a worker; raise QueryError or QueryLimitError, never hang."""
        timeout = self.settings.timeout_s if timeout_s is None else timeout_s
        try:
            worker = self._idle.get(timeout=self.settings.wait_for_worker_s)
        except queue.Empty:
            raise QueryLimitError("busy", "all query workers are busy; try again in a moment") from None
        request = (sparql, dict(bindings or {}), default_graph_uris, named_graph_uris)
        try:
            worker.conn.send(request)
        except (OSError, BrokenPipeError):
            self._kill(worker)
            self._replace_in_background()
            raise QueryLimitError("crash", "the query worker was lost; try again") from None
        return self._await(worker, timeout)

    def _await(self, worker: _Worker, timeout: float) -> QueryResult:
        deadline = time.monotonic() + timeout
        cap = self.settings.memory_mb * 1024 * 1024
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._retire(worker)
                raise QueryLimitError(
                    "timeout", f"the query took longer than the time limit of {timeout:g} s and was stopped"
                )
            try:
                ready = worker.conn.poll(min(0.05, remaining))
            except (OSError, EOFError):
                ready = True
            if ready:
                break
            if _rss_bytes(worker.pid) > cap:
                self._retire(worker)
                raise QueryLimitError(
                    "memory",
                    f"the query needed more than the memory limit of {self.settings.memory_mb} MB "
                    "and was stopped",
                )
        try:
            status, payload = worker.conn.recv()
        except (EOFError, OSError):
            self._retire(worker)
            raise QueryLimitError("crash", "the query crashed its worker and was stopped") from None
        worker.served += 1
        self._idle.put(worker)
        if status == "ok":
            return payload
        if status == "query-error":
            message, line, column = payload
            prefix = f"line {line}, column {column}: "
            raise QueryError(message.removeprefix(prefix), line, column)
        raise QueryLimitError(status, payload)

    def _retire(self, worker: _Worker) -> None:
        self._kill(worker)
        self.replaced += 1
        self._replace_in_background()
