"""Running queries isolated in worker processes, so that no query can hang, crash or starve the
service.

Facts that shape this (measured on rdflib 7.6 and pyoxigraph 0.5): pyoxigraph cannot be interrupted
in process and a bad join can grow to gigabytes in seconds; a deeply nested query can crash its parser
(SIGSEGV); an rdflib query holds the GIL for its whole run. So every query runs in a separate process
from a small pool. The parent waits at most the time limit while watching the worker's resident
memory; past either limit it kills the worker (SIGKILL), answers with an error, and starts a
replacement in the background. A worker that dies by itself (a crash) is replaced the same way.

Each worker confines itself as it starts, before it opens the data (plgkg.execution.sandbox): it cannot open a
socket, so no query reaches the network from it whatever the screen let through, and it is killed
when the service dies. Workers are started from one long-lived thread, because Linux sends the
parent-death signal when the thread that started a process ends. The processes are forked by
multiprocessing's fork server (a clean process without the service's threads, started once, which
has this module imported): a worker starts in milliseconds. The fork server ends when the service
does, and each worker dies with the fork server.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from rdflib.term import Node

from plgkg.errors import (
    NotAcceptable,
    QueryError,
    QueryLimitError,
    ResultTooLarge,
    SandboxError,
    ScreeningError,
    WorkerBusy,
)
from plgkg.execution.sandbox import confine
from plgkg.execution.screen import Limits, screen
from plgkg.settings import MAX_ROWS, QUERY_MEMORY_MB, QUERY_TIMEOUT_S, WAIT_FOR_WORKER_S, WORKERS
from plgkg.stores import Answer, QueryResult, generation

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


# Set by a caller that can wait better elsewhere (the web layer, which waits on its event loop and then
# runs the request again): a thread that finds no idle worker raises WorkerBusy instead of waiting in
# the thread, so waiting for a worker holds no thread.
WAIT_ELSEWHERE: ContextVar[bool] = ContextVar("plgkg_wait_elsewhere", default=False)


@dataclass(frozen=True)
class Job:
    """One query for a worker: the text, the values bound beforehand, the SPARQL protocol's dataset,
    and what to answer. With media_type the worker writes the answer (an Answer) instead of rows.
    rows, (limit, truncate), replaces the pool's row limit: (None, False) lifts it (plgkg's own
    queries), (n, True) answers the first n rows, marked truncated if there were more.

    screened=False: a client's query as sent, which the worker screens (plgkg.execution.screen, with
    the pool's limits) before its engine sees it, so that the service's event loop does not spend its
    time parsing; media_types then says what to answer in by the form the screen finds (for SELECT
    and ASK, for CONSTRUCT and DESCRIBE; None: not acceptable, NotAcceptable is raised)."""

    sparql: str
    bindings: Mapping[str, Node] = field(default_factory=dict)
    default_graph_uris: Sequence[str] | None = None
    named_graph_uris: Sequence[str] | None = None
    media_type: str | None = None
    rows: tuple[int | None, bool] | None = None
    screened: bool = True
    media_types: tuple[str | None, str | None] = (None, None)


@dataclass(frozen=True)
class StoreSpec:
    """How a worker process opens its own copy of the data: picklable, no open handles."""

    kind: str  # "oxigraph" or "rdflib"
    ntriples: Path | None = None  # a dump of the validated data, loaded into an in-memory store
    disk_path: Path | None = None  # an on-disk oxigraph store, opened read-only, reopened when written
    union_default_graph: bool = False  # queries without a dataset read the catalogue + named graphs


@dataclass(frozen=True)
class PoolSettings:
    workers: int = WORKERS
    timeout_s: float = QUERY_TIMEOUT_S
    memory_mb: int = QUERY_MEMORY_MB
    max_rows: int = MAX_ROWS
    wait_for_worker_s: float = WAIT_FOR_WORKER_S
    limits: Limits = Limits()  # what the workers' screen lets through (jobs with screened=False)
    # threads that may wait for a busy worker at once; more are told 'busy' at once, so that waiting
    # never takes every thread of the web server (pages answered from memory need one too)
    max_waiting_threads: int = 96


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    served: int = 0
    over_memory: bool = False  # set by the memory watch just before it kills the worker
    pid: int = field(init=False)

    def __post_init__(self) -> None:
        self.pid = self.process.pid or -1


def _open_store(spec: StoreSpec):
    from plgkg.stores import open_store

    if spec.disk_path is not None:
        from plgkg.stores import OxigraphStore

        return OxigraphStore.open_read_only(spec.disk_path, union_default_graph=spec.union_default_graph)
    store = open_store(spec.kind)
    if spec.ntriples is not None:
        store.load_file(spec.ntriples)
    return store


def _fork_server() -> multiprocessing.context.BaseContext:
    """multiprocessing's fork server context, which forks the workers: one clean process (none of
    the service's threads) that imports the main module and this one once, so that a worker starts
    in milliseconds and shares those pages (a spawned worker imported everything again, 1 s each)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["__main__", __name__])
    return context


def start_fork_server() -> threading.Thread:
    """Start the fork server in the background (its imports take a second), so that it is ready
    when the pool asks for workers: call it before loading and validating the data."""
    from multiprocessing import forkserver

    _fork_server()
    thread = threading.Thread(target=forkserver.ensure_running, name="plgkg-fork-server", daemon=True)
    thread.start()
    return thread


def _leave_fork_server_clients() -> None:
    """A forked process holds the fork server's "a client is alive" pipe, which keeps the fork
    server running (and with it the parent-death signal unsent) for as long as a worker runs, also
    after the service was killed: close it, so that the fork server ends with the service and its
    workers with it (tests/plgkg/execution/test_sandbox.py kills a service with a busy worker)."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    fd = getattr(server, "_forkserver_alive_fd", None)
    if isinstance(fd, int):
        with contextlib.suppress(OSError):
            os.close(fd)
        server._forkserver_alive_fd = None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _serve(
    spec: StoreSpec, conn: Connection, max_rows: int, memory_mb: int, parent_pid: int, limits: Limits
) -> None:
    """The worker's loop: one request in, one answer out, until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    try:
        # forked by the fork server, which ends when the service does (its pipe from the service
        # closes), so dying with the fork server is dying with the service
        confinement = confine(os.getppid())
    except SandboxError as err:
        conn.send(("failed", str(err)))
        return
    _leave_fork_server_clients()
    if not _alive(parent_pid):  # the service ended before the signal was asked for
        os._exit(1)
    try:
        import resource

        hard_cap = memory_mb * 4 * 1024 * 1024  # a backstop; the parent enforces the real cap
        resource.setrlimit(resource.RLIMIT_AS, (hard_cap, hard_cap))
    except (ImportError, ValueError, OSError):
        pass
    store = _open_store(spec)
    seen = generation(spec.disk_path)
    conn.send(("ready", (len(store), confinement)))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if spec.disk_path is not None and generation(spec.disk_path) != seen:
            # Another process wrote to the store (plgkg import): read it afresh.
            seen = generation(spec.disk_path)
            store.close()
            store = _open_store(spec)
        sparql, bindings, default_graphs, named_graphs, media_type, rows, media_types = request
        limit, truncate = (max_rows, False) if rows is None else rows
        dataset = {"default_graph_uris": default_graphs, "named_graph_uris": named_graphs}
        try:
            if media_types is not None:  # a client's query as sent: screened here, before the engine
                screened = screen(sparql, limits)
                sparql = screened.text
                media_type = media_types[screened.form in ("CONSTRUCT", "DESCRIBE")]
                if media_type is None:
                    conn.send(("not-acceptable", screened.form))
                    continue
            if media_type is None:
                result = store.query(sparql, bindings, max_rows=limit, truncate=truncate, **dataset)
            else:
                result = store.answer(sparql, media_type, bindings, max_rows=limit, **dataset)
            conn.send(("ok", result))
        except ScreeningError as err:
            conn.send(("screening", (err.status, err.reason, err.message, err.line, err.column)))
        except ResultTooLarge as err:
            conn.send(("rows", str(err)))
        except QueryError as err:
            conn.send(("query-error", (str(err), err.line, err.column)))
        except MemoryError:
            conn.send(("memory", "the query ran out of memory"))
        except Exception as err:  # an engine failure must not take the worker down silently
            conn.send(("query-error", (f"the engine could not run it: {err}", None, None)))


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


class QueryPool:
    """A pool of worker processes that each hold a copy of the data and run one query at a time.

    Callers in threads use `query`; callers on an asyncio loop use `aquery`, which waits for the
    worker's pipe on the loop itself (no thread per request). Either way a watch enforces the time
    limit and the memory cap."""

    def __init__(self, spec: StoreSpec, settings: PoolSettings = PoolSettings()) -> None:
        self.spec = spec
        self.settings = settings
        self._context = _fork_server()
        self._idle: deque[_Worker] = deque()
        self._waiters: deque[_ThreadWaiter | _LoopWaiter] = deque()  # first come, first served
        self._watchers: list[tuple[asyncio.AbstractEventLoop, asyncio.Future]] = []  # want an idle one
        self._watched: dict[int, _Worker] = {}
        self._all: set[int] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.triples = 0
        self.replaced = 0
        self.confinement = ""  # what the workers' sandbox is: "seccomp", or why there is none
        self._starter = ThreadPoolExecutor(1, thread_name_prefix="plgkg-worker-start")
        starting = [self._start() for _ in range(settings.workers)]
        for worker in starting:
            self._await_ready(worker)
        watch = threading.Thread(target=self._watch_memory, name="plgkg-memory-watch", daemon=True)
        watch.start()

    # -- lifecycle ---------------------------------------------------------------------------

    def _start(self) -> _Worker:
        """Start a worker process from the pool's one starting thread (see the module's notes)."""
        return self._starter.submit(self._start_here).result()

    def _start_here(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve,
            args=(
                self.spec,
                child,
                self.settings.max_rows,
                self.settings.memory_mb,
                os.getpid(),
                self.settings.limits,
            ),
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
            status, payload = worker.conn.recv()
        except (EOFError, OSError):
            self._kill(worker)
            raise RuntimeError("a query worker died while starting") from None
        if status != "ready":
            self._kill(worker)
            raise RuntimeError(f"a query worker failed to start: {payload}")
        self.triples, self.confinement = payload
        with self._lock:
            self._all.add(worker.pid)
        self._release(worker)

    def _release(self, worker: _Worker) -> None:
        """Give an idle worker to the longest-waiting caller (thread or asyncio), or keep it idle."""
        with self._lock:
            while self._waiters:
                if self._waiters.popleft().offer(worker, self._release):
                    return
            self._idle.append(worker)
            watchers, self._watchers = self._watchers, []
        for loop, future in watchers:
            with contextlib.suppress(RuntimeError):  # that loop has closed
                loop.call_soon_threadsafe(_settle, future)

    async def wait_until_idle(self, timeout: float) -> bool:
        """Wait on the event loop (holding no thread) until a worker is idle; False at the timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            with self._lock:
                if self._idle:
                    return True
                future = loop.create_future()
                self._watchers.append((loop, future))
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            try:
                await asyncio.wait_for(future, remaining)
            except TimeoutError:
                return False

    def _take_or_wait(self, waiter: _ThreadWaiter | _LoopWaiter) -> _Worker | None:
        """An idle worker now, or None with waiter queued for the next free one. A thread finds
        the queue full (QueryLimitError 'busy') when max_waiting_threads threads already wait."""
        with self._lock:
            if self._idle:
                return self._idle.popleft()
            if isinstance(waiter, _ThreadWaiter):
                threads = sum(1 for w in self._waiters if isinstance(w, _ThreadWaiter) and not w.gave_up)
                if threads >= self.settings.max_waiting_threads:
                    raise self._busy()
            self._waiters.append(waiter)
            return None

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
            self._watched.pop(worker.pid, None)
        with contextlib.suppress(OSError, AttributeError):
            worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()

    def _retire(self, worker: _Worker) -> None:
        self._kill(worker)
        self.replaced += 1
        self._replace_in_background()

    def _watch_memory(self) -> None:
        """Kill a busy worker whose resident memory passes the cap (the caller sees why)."""
        cap = self.settings.memory_mb * 1024 * 1024
        while not self._closed:
            time.sleep(0.05)
            with self._lock:
                busy = list(self._watched.values())
            for worker in busy:
                if _rss_bytes(worker.pid) > cap:
                    worker.over_memory = True
                    with contextlib.suppress(OSError, AttributeError):
                        worker.process.kill()

    def close(self) -> None:
        self._closed = True
        while True:
            with self._lock:
                if not self._idle:
                    break
                worker = self._idle.popleft()
            self._kill(worker)
        self._starter.shutdown(wait=False)  # its thread ends: busy workers get the parent-death signal

    @property
    def size(self) -> int:
        with self._lock:
            return len(self._all)

    # -- queries -----------------------------------------------------------------------------

    def query(self, job: Job | str, *, timeout_s: float | None = None) -> QueryResult | Answer:
        """Run one query in a worker and wait in this thread; raise QueryError or QueryLimitError,
        never hang. Time and memory limits apply whatever the job's rows say."""
        timeout = self.settings.timeout_s if timeout_s is None else timeout_s
        if WAIT_ELSEWHERE.get():
            with self._lock:
                worker = self._idle.popleft() if self._idle else None
            if worker is None:
                raise WorkerBusy
        else:
            waiter = _ThreadWaiter()
            worker = self._take_or_wait(waiter) or waiter.wait(self.settings.wait_for_worker_s, self._lock)
        if worker is None:
            raise self._busy()
        self._send(worker, job)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._retire(worker)
                raise self._timeout(timeout)
            try:
                if worker.conn.poll(min(0.05, remaining)):
                    break
            except (OSError, EOFError):
                break
            if worker.over_memory:
                break
        return self._finish(worker)

    async def aquery(self, job: Job | str, *, timeout_s: float | None = None) -> QueryResult | Answer:
        """`query` for callers on an asyncio loop: waits for a worker and its answer on the loop."""
        timeout = self.settings.timeout_s if timeout_s is None else timeout_s
        worker = await self._atake()
        self._send(worker, job)
        loop = asyncio.get_running_loop()
        answered = loop.create_future()
        fd = worker.conn.fileno()
        loop.add_reader(fd, _settle, answered, "answered")
        deadline = time.monotonic() + timeout
        # a timer on the one future (asyncio.wait_for would chain a second one: a loop turn more)
        expiry = loop.call_later(timeout, _expire, answered)
        outcome = "answered"
        try:
            outcome = await answered
        except asyncio.CancelledError:  # the client went away; the answer is still owed to the pipe
            outcome = "cancelled"
        expiry.cancel()
        loop.remove_reader(fd)
        os.set_blocking(fd, True)  # the loop made it non-blocking; recv needs whole messages
        if outcome == "timeout":
            threading.Thread(target=self._retire, args=(worker,), daemon=True).start()
            raise self._timeout(timeout)
        if outcome == "cancelled":
            threading.Thread(target=self._drain, args=(worker, deadline), daemon=True).start()
            raise asyncio.CancelledError
        return self._finish(worker)

    def _drain(self, worker: _Worker, deadline: float) -> None:
        """Read and drop the answer nobody waits for any more; a worker still busy at its deadline goes."""
        while time.monotonic() < deadline and not worker.over_memory:
            with contextlib.suppress(OSError, EOFError):
                if not worker.conn.poll(0.05):
                    continue
            with contextlib.suppress(QueryError, QueryLimitError):
                self._finish(worker)
            return
        self._retire(worker)

    async def _atake(self) -> _Worker:
        loop = asyncio.get_running_loop()
        waiter = _LoopWaiter(loop, loop.create_future())
        worker = self._take_or_wait(waiter)
        if worker is not None:
            return worker
        try:
            return await asyncio.wait_for(waiter.future, self.settings.wait_for_worker_s)
        except TimeoutError:
            raise self._busy() from None

    def _send(self, worker: _Worker, job: Job | str) -> None:
        if isinstance(job, str):
            job = Job(job)
        try:  # a plain tuple on the pipe: it pickles faster than the dataclass
            worker.conn.send(
                (
                    job.sparql,
                    dict(job.bindings),
                    job.default_graph_uris,
                    job.named_graph_uris,
                    job.media_type,
                    job.rows,
                    None if job.screened else job.media_types,
                )
            )
        except (OSError, BrokenPipeError):
            self._retire(worker)
            raise QueryLimitError("crash", "the query worker was lost; try again") from None
        with self._lock:
            self._watched[worker.pid] = worker

    def _finish(self, worker: _Worker) -> QueryResult | Answer:
        """Read the answer of a worker whose pipe is readable (or that the memory watch killed)."""
        with self._lock:
            self._watched.pop(worker.pid, None)
        status, payload = "crash", None
        if not worker.over_memory:
            with contextlib.suppress(EOFError, OSError):
                status, payload = worker.conn.recv()
        if worker.over_memory or status == "crash":
            self._retire(worker)
            if worker.over_memory:
                raise QueryLimitError(
                    "memory",
                    f"the query needed more than the memory limit of {self.settings.memory_mb} MB "
                    "and was stopped",
                )
            raise QueryLimitError("crash", "the query crashed its worker and was stopped")
        worker.served += 1
        self._release(worker)
        if status == "ok":
            return payload
        if status == "query-error":
            message, line, column = payload
            prefix = f"line {line}, column {column}: "
            raise QueryError(message.removeprefix(prefix), line, column)
        if status == "screening":
            code, reason, message, line, column = payload
            prefix = f"line {line}, column {column}: "
            raise ScreeningError(code, reason, message.removeprefix(prefix), line, column)
        if status == "not-acceptable":
            raise NotAcceptable(payload)
        raise QueryLimitError(status, payload)

    @staticmethod
    def _busy() -> QueryLimitError:
        return QueryLimitError("busy", "all query workers are busy; try again in a moment")

    @staticmethod
    def _timeout(timeout: float) -> QueryLimitError:
        return QueryLimitError(
            "timeout", f"the query took longer than the time limit of {timeout:g} s and was stopped"
        )


class _ThreadWaiter:
    """A caller in a thread waiting for a free worker."""

    def __init__(self) -> None:
        self._ready = threading.Event()
        self._worker: _Worker | None = None
        self._gave_up = False

    @property
    def gave_up(self) -> bool:
        return self._gave_up

    def offer(self, worker: _Worker, _release: object) -> bool:  # called with the pool's lock held
        if self._gave_up:
            return False
        self._worker = worker
        self._ready.set()
        return True

    def wait(self, timeout: float, lock: threading.Lock) -> _Worker | None:
        self._ready.wait(timeout)
        with lock:
            self._gave_up = self._worker is None
            return self._worker


class _LoopWaiter:
    """A caller on an asyncio loop waiting for a free worker."""

    def __init__(self, loop: asyncio.AbstractEventLoop, future: asyncio.Future) -> None:
        self.loop = loop
        self.future = future

    def offer(self, worker: _Worker, release) -> bool:  # called with the pool's lock held
        if self.future.done():
            return False

        def hand_over() -> None:
            if self.future.done():  # the caller gave up meanwhile
                release(worker)
            else:
                self.future.set_result(worker)

        try:
            self.loop.call_soon_threadsafe(hand_over)
        except RuntimeError:  # that loop has closed
            return False
        return True


def _settle(future: asyncio.Future, outcome: object = None) -> None:
    if not future.done():
        future.set_result(outcome)


def _expire(future: asyncio.Future) -> None:
    _settle(future, "timeout")
