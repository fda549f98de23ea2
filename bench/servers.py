"""Starting and stopping the servers under test, all on 127.0.0.1, each serving one N-Triples file."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
ACCEPT = "application/sparql-results+json"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    url: str  # the SPARQL query endpoint
    process: subprocess.Popen
    started_s: float = 0.0  # from launch to the first answered query
    tmp: tempfile.TemporaryDirectory | None = None
    extra: dict = field(default_factory=dict)

    def pids(self) -> list[int]:
        import psutil

        try:
            parent = psutil.Process(self.process.pid)
            return [parent.pid, *(c.pid for c in parent.children(recursive=True))]
        except psutil.NoSuchProcess:
            return []

    def rss_bytes(self) -> int:
        import psutil

        total = 0
        for pid in self.pids():
            try:
                total += psutil.Process(pid).memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if self.tmp is not None:
            self.tmp.cleanup()


def ask(url: str, query: str = "SELECT * WHERE { ?s ?p ?o } LIMIT 1", timeout: float = 5.0) -> httpx.Response:
    return httpx.post(url, data={"query": query}, headers={"Accept": ACCEPT}, timeout=timeout)


def _launch(name: str, cmd: list[str], url: str, log: Path, timeout_s: float, t0: float | None = None,
            tmp=None, cwd: Path | None = None) -> Server:
    t0 = time.monotonic() if t0 is None else t0
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=cwd)
    server = Server(name, url, process, tmp=tmp)
    deadline = t0 + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            server.stop()
            tail = log.read_text(encoding="utf-8", errors="replace")[-1500:]
            raise RuntimeError(f"{name} stopped while starting (exit {process.returncode}):\n{tail}")
        try:
            if ask(url, timeout=2.0).status_code == 200:
                server.started_s = time.monotonic() - t0
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    server.stop()
    raise TimeoutError(f"{name} did not answer within {timeout_s:g} s")


def start_plgkg(data: Path, *extra: str, timeout_s: float = 180.0, name: str = "plgkg") -> Server:
    """`plgkg serve` on its default store, query isolation on (worker processes, limits)."""
    port = free_port()
    OUT.mkdir(parents=True, exist_ok=True)
    cmd = [str(BIN / "plgkg"), "serve", "--host", "127.0.0.1", "--port", str(port), "--data", str(data), *extra]
    return _launch(name, cmd, f"http://127.0.0.1:{port}/sparql", OUT / f"{name}.log", timeout_s)


def start_plgkg_unvalidated(data: Path, *extra: str, timeout_s: float = 180.0, name: str = "plgkg-novalidate"):
    """The same service with SHACL validation skipped (bench/serve_unvalidated.py): load cost alone."""
    port = free_port()
    cmd = [sys.executable, "-m", "bench.serve_unvalidated", "--host", "127.0.0.1", "--port", str(port),
           "--data", str(data), *extra]
    return _launch(name, cmd, f"http://127.0.0.1:{port}/sparql", OUT / f"{name}.log", timeout_s, cwd=ROOT)


def start_plgkg_store(store: Path, *extra: str, timeout_s: float = 180.0, name: str = "plgkg-import") -> Server:
    """`plgkg serve --store-path DIR` on a store that `plgkg import` filled: the production flow. The
    service validates and writes the catalogue into the store's default graph; the user graph stays."""
    port = free_port()
    OUT.mkdir(parents=True, exist_ok=True)
    cmd = [str(BIN / "plgkg"), "serve", "--host", "127.0.0.1", "--port", str(port), "--store-path", str(store),
           *extra]  # fmt: skip
    return _launch(name, cmd, f"http://127.0.0.1:{port}/sparql", OUT / f"{name}.log", timeout_s)


def start_rdflib_endpoint(data: Path, timeout_s: float = 180.0) -> Server:
    port = free_port()
    exe = shutil.which("rdflib-endpoint", path=str(BIN)) or "rdflib-endpoint"
    cmd = [exe, "serve", "--host", "127.0.0.1", "--port", str(port), str(data)]
    return _launch("rdflib-endpoint", cmd, f"http://127.0.0.1:{port}/", OUT / "rdflib-endpoint.log",
                   timeout_s)


def oxigraph_exe() -> str:
    return shutil.which("oxigraph", path=str(BIN)) or shutil.which("oxigraph") or "oxigraph"


def oxigraph_load(data: Path, location: Path) -> float:
    """`oxigraph load` of the file into an on-disk store; returns the seconds it took."""
    t0 = time.monotonic()
    subprocess.run([oxigraph_exe(), "load", "--location", str(location), "--file", str(data)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - t0


def start_oxigraph(data: Path, timeout_s: float = 600.0) -> Server:
    """`oxigraph load` into a fresh folder, then `oxigraph serve` on it; started_s covers both."""
    tmp = tempfile.TemporaryDirectory(prefix="bench-oxigraph-", dir=OUT)
    location = Path(tmp.name) / "store"
    t0 = time.monotonic()
    load_s = oxigraph_load(data, location)
    port = free_port()
    cmd = [oxigraph_exe(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    server = _launch("oxigraph", cmd, f"http://127.0.0.1:{port}/query", OUT / "oxigraph.log", timeout_s,
                     t0=t0, tmp=tmp)
    server.extra["load_s"] = load_s
    return server


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DirsAllowed = ., {d}
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000
MaxQueryMem = 1G
CheckpointInterval = 0
MaxSortedTopRows = 2000000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 40
MaxClientConnections = 40
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 30
"""


def start_virtuoso(data: Path, timeout_s: float = 120.0) -> Server | None:
    """Virtuoso open source (Debian's virtuoso-opensource-7), if installed; None when it is not."""
    exe, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    if not exe or not isql:
        return None
    tmp = tempfile.TemporaryDirectory(prefix="bench-virtuoso-", dir=OUT)
    d = Path(tmp.name)
    shutil.copy(data, d / "data.nt")
    sql, http = free_port(), free_port()
    (d / "virtuoso.ini").write_text(VIRTUOSO_INI.format(d=d, sql=sql, http=http), encoding="utf-8")
    t0 = time.monotonic()
    process = subprocess.Popen([exe, "+foreground", "+configfile", str(d / "virtuoso.ini")], cwd=d,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    server = Server("virtuoso", f"http://127.0.0.1:{http}/sparql", process, tmp=tmp)
    load = (f"DB.DBA.TTLP_MT(file_to_string_output('{d}/data.nt'), '', 'urn:plgkg:bench', 0);"
            " checkpoint;")
    deadline = t0 + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            server.stop()
            raise RuntimeError("virtuoso-t stopped while starting")
        done = subprocess.run([isql, f"127.0.0.1:{sql}", "dba", "dba", f"exec={load}"], capture_output=True,
                              text=True, timeout=timeout_s)
        if done.returncode == 0 and "Error" not in done.stdout + done.stderr:
            break
        time.sleep(0.5)
    else:
        server.stop()
        raise TimeoutError("virtuoso did not accept the data in time")
    while time.monotonic() < deadline:
        try:
            if ask(server.url, timeout=2.0).status_code == 200:
                server.started_s = time.monotonic() - t0
                server.extra["version"] = subprocess.run([exe, "-?"], capture_output=True, text=True).stderr
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.stop()
    raise TimeoutError("virtuoso's SPARQL endpoint did not answer in time")
