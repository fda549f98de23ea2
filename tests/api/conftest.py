"""The web app for the tests of its behaviour: in process (`client`, a TestClient of create_app with
the settings a user passes to `plgkg serve`), and a real plgkg service on 127.0.0.1 started once per
session as a user would start it (`service_url`) for the tests about HTTP itself: the server's bounds,
the public URL, isolation under load."""

from __future__ import annotations

import dataclasses
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from plgkg.settings import ServiceSettings
from plgkg_api.app import create_app
from plgkg_api.settings import Settings
from tests.cli import DUO, PLGKG, import_into


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_service(*args: str, log: Path, timeout_s: float = 90.0) -> tuple[subprocess.Popen, str]:
    port = free_port()
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [PLGKG, "serve", "--port", str(port), *args], stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"plgkg serve stopped: {log.read_text(encoding='utf-8')}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1.0).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("plgkg serve did not answer in time")


def stop_service(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture(scope="session")
def service_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("service") / "serve.log"
    service = SETTINGS.service
    process, url = start_service(
        *("--workers", str(service.workers), "--timeout", str(service.query_timeout_s)),
        *("--memory", str(service.query_memory_mb), "--max-rows", str(service.max_rows)),
        log=log,
    )
    try:
        yield url
    finally:
        stop_service(process)


PREFIXES = """PREFIX plg: <https://w3id.org/plgkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def select(client: httpx.Client, query: str) -> list[dict[str, str]]:
    """The rows of a SELECT over the service's own /sparql (plg:, skos:, rdfs: declared), each value
    as a string, IRIs of the catalogue as their slug: for expectations the catalogue decides."""
    response = client.post("/sparql", data={"query": PREFIXES + query})
    assert response.status_code == 200, response.text
    return [
        {k: v["value"].rsplit("/", 1)[-1] if v["type"] == "uri" else v["value"] for k, v in row.items()}
        for row in response.json()["results"]["bindings"]
    ]


# the settings of both: two query workers, short limits
SETTINGS = Settings(
    service=ServiceSettings(workers=2, query_timeout_s=2, query_memory_mb=768, max_rows=20000)
)


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    """The app in process, as `plgkg serve` builds it; an error the app did not answer raises."""
    with TestClient(create_app(SETTINGS), base_url="http://127.0.0.1:8000") as http:
        yield http


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP listener on 127.0.0.1 that records every connection it receives."""
    received: list[bytes] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                try:
                    received.append(conn.recv(1024) or b"(connected)")
                except OSError:
                    received.append(b"(connected)")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], received
    finally:
        stop.set()
        server.close()
        thread.join(timeout=2)


@pytest.fixture(scope="session")
def register(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The service, in process, over a store with the DUO fixture's ten school locations (their
    institutions, boards, addresses and municipalities), as `plgkg import schools` writes them."""
    store = tmp_path_factory.mktemp("register") / "store"
    import_into(store, "schools", DUO / "vestigingen-vo.csv")
    settings = Settings(service=dataclasses.replace(ServiceSettings(), store_path=store, workers=1))
    with TestClient(create_app(settings)) as client:
        yield client
