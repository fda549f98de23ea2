"""A remote store that stops answering gets the same answer on every route (issue 13): 502 with
Retry-After, as an HTML page for browsers, JSON under /api and text for other clients; never a 500.
A real (empty) `oxigraph serve`, stopped half-way; the app in process."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from plgkg.settings import ServiceSettings
from plgkg_api.app import create_app
from plgkg_api.settings import Settings

HTML = {"Accept": "text/html"}
# one route of every kind, each asked only once the store is gone (nothing cached yet)
PAGES = ["/", "/matrix", "/search?q=team", "/schools", "/id/intervention/teamteaching", "/ontology"]
API = ["/api/interventions", "/api/characteristics/little-joint-work/interventions", "/api/schools"]
DATA = ["/sparql?query=ASK%7B%7D", "/dataset.ttl", "/export/serves.csv", "/.well-known/void"]


@pytest.fixture
def dying_store(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    binary = Path(sys.executable).with_name("oxigraph")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(binary), "serve", "--location", str(tmp_path / "store"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.05)
        yield url, server
    finally:
        server.kill()
        server.wait(timeout=5)


def test_every_route_answers_502_when_the_remote_store_is_gone(
    dying_store: tuple[str, subprocess.Popen],
) -> None:
    url, server = dying_store
    settings = Settings(service=ServiceSettings(store=url, workers=1, query_timeout_s=5))
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.get("/api/frameworks").json()["total"] == 0  # it answers while the store does
        server.kill()
        server.wait(timeout=5)
        for path in PAGES:
            response = client.get(path, headers=HTML)
            assert response.status_code == 502, path
            assert response.headers["content-type"].startswith("text/html"), path
            assert response.headers["retry-after"] == "2", path
            assert "<h1>De gegevensbron antwoordt niet</h1>" in response.text, path
        for path in API:
            response = client.get(path)
            assert response.status_code == 502, path
            assert response.json() == {"detail": "The store did not answer; try again later."}, path
        for path in DATA:
            response = client.get(path, headers={"Accept": "*/*"})
            assert response.status_code == 502, path
            assert response.text == "The store did not answer; try again later.\n", path
