"""The query workers' sandbox: no socket can be opened from a worker, and a worker dies with its parent
(issue 11). Each test watches a real listener on 127.0.0.1 for connections that must never come."""

from __future__ import annotations

import os
import platform
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from plgkg.errors import QueryError
from plgkg.execution.sandbox import ARCHITECTURES, network_filter
from plgkg.execution.workers import PoolSettings, QueryPool, StoreSpec

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.machine().lower() not in ARCHITECTURES,
    reason="the sandbox is a Linux seccomp filter for x86_64 and aarch64",
)


@pytest.fixture
def canary() -> Iterator[socket.socket]:
    """A listener on a free loopback port; a test asserts it was never connected to."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.3)
    yield listener
    listener.close()


def _port(listener: socket.socket) -> int:
    return listener.getsockname()[1]


def _assert_untouched(listener: socket.socket) -> None:
    with pytest.raises(TimeoutError):
        listener.accept()


def test_the_filter_is_ten_instructions_for_each_machine() -> None:
    for machine in ARCHITECTURES:
        assert len(network_filter(machine)) == 10 * 8


def test_a_confined_process_opens_no_socket_but_keeps_its_pipes(canary: socket.socket) -> None:
    code = textwrap.dedent(
        f"""
        import os, socket
        from plgkg.execution.sandbox import confine
        print(confine(os.getppid()))
        for family in (socket.AF_INET, socket.AF_INET6, socket.AF_UNIX):
            try:
                socket.socket(family)
                print("opened", family)
            except PermissionError:
                print("denied")
        try:
            socket.create_connection(("127.0.0.1", {_port(canary)}), timeout=2)
            print("connected")
        except PermissionError:
            print("denied")
        read, write = os.pipe()
        os.write(write, b"pipes work")
        print(os.read(read, 10).decode())
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n") == ["seccomp", "denied", "denied", "denied", "denied", "pipes work", ""]
    _assert_untouched(canary)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dump = tmp_path_factory.mktemp("sandbox") / "data.nt"
    dump.write_text("<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n", "utf-8")
    return dump


@pytest.mark.parametrize("kind", ["oxigraph", "rdflib"])
def test_a_worker_running_service_reaches_no_listener(kind: str, data: Path, canary: socket.socket) -> None:
    """The pool runs whatever it is given (the screen stands in front of it, not in it): a SERVICE to
    the canary fails inside the worker with 'permission denied', and the canary sees nothing."""
    pool = QueryPool(StoreSpec(kind, ntriples=data), PoolSettings(workers=1, timeout_s=20))
    try:
        assert pool.confinement == "seccomp"
        url = f"http://127.0.0.1:{_port(canary)}/sparql"
        with pytest.raises(QueryError, match="(?i)permission denied|errno 13"):
            pool.query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
        _assert_untouched(canary)
        # and the worker goes on answering
        assert len(pool.query("SELECT * WHERE { ?s ?p ?o }").rows) == 1
    finally:
        pool.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        return stat.read().split(") ", 1)[1][0] != "Z"


def test_workers_die_with_the_service(data: Path) -> None:
    """kill -9 of the process that owns the pool: its workers, one of them busy, go with it."""
    code = textwrap.dedent(
        f"""
        import threading, sys
        from pathlib import Path
        from plgkg.execution.workers import PoolSettings, QueryPool, StoreSpec
        spec = StoreSpec("oxigraph", ntriples=Path({str(data)!r}))
        pool = QueryPool(spec, PoolSettings(workers=2, timeout_s=60))
        values = " ".join(str(i) for i in range(1000))
        blocks = " ".join(f"VALUES ?{{v}} {{{{ {{values}} }}}}" for v in "xyz")
        busy = "SELECT (COUNT(*) AS ?n) WHERE {{ " + blocks + " }}"
        threading.Thread(target=lambda: pool.query(busy), daemon=True).start()
        import time; time.sleep(1)
        print(" ".join(str(p) for p in pool._all), flush=True)
        time.sleep(120)
        """
    )
    service = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        line = service.stdout.readline()
        workers = [int(pid) for pid in line.split()]
        assert len(workers) == 2 and all(_alive(pid) for pid in workers)
        os.kill(service.pid, signal.SIGKILL)
        service.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers)
    finally:
        if service.poll() is None:
            service.kill()
            service.wait(timeout=10)
        service.stdout.close()
