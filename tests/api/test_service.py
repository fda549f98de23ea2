"""The service as a whole: start-up validation, the memory cap, and the same answers from every store."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import PLGKG, free_port, start_service, stop_service

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = sorted((ROOT / "tests" / "cq").glob("*.rq"))


def test_invalid_data_refuses_to_start(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix plg: <https://w3id.org/plgkg/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://w3id.org/plgkg/id/intervention/x> a plg:Intervention ; skos:prefLabel "x"@nl .\n',
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            PLGKG,
            "serve",
            "--port",
            str(free_port()),
            "--data",
            str(ROOT / "ontology"),
            "--data",
            str(ROOT / "catalogue"),
            "--data",
            str(bad),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "plgkg: not starting: the data does not conform to the shapes" in done.stderr
    assert "<https://w3id.org/plgkg/id/intervention/x>" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_query_past_the_memory_cap_is_stopped(tmp_path: Path) -> None:
    process, url = start_service("--workers", "1", "--timeout", "30", "--memory", "300", log=tmp_path / "log")
    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            query = (
                "SELECT (GROUP_CONCAT(?x) AS ?y) WHERE { ?a ?b ?c . ?d ?e ?f . "
                "BIND(CONCAT(STR(?c), STR(?f)) AS ?x) }"
            )
            response = client.post("/sparql", data={"query": query})
            assert response.status_code == 400
            assert response.text == (
                "Query stopped: the query needed more than the memory limit of 300 MB and was stopped\n"
            )
            # a fresh worker takes over
            for _ in range(100):
                answer = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
                if answer.status_code == 200:
                    break
            assert answer.json()["boolean"] is True
    finally:
        stop_service(process)


def _answers(url: str) -> list[dict]:
    with httpx.Client(base_url=url, timeout=60) as client:
        return [
            client.post("/sparql", data={"query": q.read_text(encoding="utf-8")}).json() for q in QUESTIONS
        ]


@pytest.fixture(scope="module")
def reference(service_url: str) -> list[dict]:
    return _answers(service_url)


def test_the_rdflib_store_answers_the_same(tmp_path: Path, reference: list[dict]) -> None:
    process, url = start_service("--store", "rdflib", "--workers", "1", log=tmp_path / "log")
    try:
        assert _answers(url) == reference
    finally:
        stop_service(process)


def test_an_on_disk_store_answers_the_same_and_survives_a_restart(
    tmp_path: Path, reference: list[dict]
) -> None:
    store = tmp_path / "store"
    for _ in range(2):
        process, url = start_service("--store-path", str(store), "--workers", "1", log=tmp_path / "log")
        try:
            assert _answers(url) == reference
        finally:
            stop_service(process)


def test_a_remote_oxigraph_server_answers_the_same(
    tmp_path: Path, reference: list[dict], oxigraph_server: str
) -> None:
    loaded = subprocess.run(
        [PLGKG, "load", "--into", oxigraph_server, "--replace"], capture_output=True, text=True, timeout=120
    )
    assert loaded.returncode == 0, loaded.stderr
    process, url = start_service("--store", oxigraph_server, log=tmp_path / "log")
    try:
        assert _answers(url) == reference
        with httpx.Client(base_url=url, timeout=30) as client:
            assert client.get("/healthz").json()["store"] == "remote"
    finally:
        stop_service(process)


def test_the_base_iri_is_configurable(tmp_path: Path) -> None:
    process, url = start_service(
        "--workers", "1", "--base-iri", "https://w3id.org/plgkg/id/intervention/", log=tmp_path / "log"
    )
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            response = client.get("/id/teamteaching", headers={"Accept": "text/turtle"})
            assert response.status_code == 200
            assert "<https://w3id.org/plgkg/id/intervention/teamteaching>" in response.headers["link"]
            assert client.get("/id/intervention/teamteaching").status_code == 404
    finally:
        stop_service(process)


def test_on_a_remote_store_no_query_makes_the_server_reach_out(
    tmp_path: Path, oxigraph_server: str, listener: tuple[int, list[bytes]]
) -> None:
    """On --store URL the remote server runs what it is sent, so only the screen stands between a
    query and the network: the bypasses of issue 11 are refused there too, and the canary hears
    nothing."""
    from tests.api.test_sparql import OUTBOUND

    port, received = listener
    process, url = start_service("--store", oxigraph_server, log=tmp_path / "log")
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            for template in OUTBOUND:
                query = template.format(url=f"http://127.0.0.1:{port}/sparql")
                response = client.post("/sparql", data={"query": query})
                assert (response.status_code, response.text[:15]) == (400, "Query refused: "), query
    finally:
        stop_service(process)
    assert received == []


def test_a_remote_store_that_takes_too_long_gets_504_within_the_time_limit(
    tmp_path: Path, oxigraph_server: str
) -> None:
    """--timeout applies on a remote store: the request is abandoned at the limit and the client
    gets 504, not a 500 after the HTTP client's own 30 s."""
    import time

    values = " ".join(str(i) for i in range(400))
    slow = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"VALUES ?{v} {{ {values} }}" for v in "abc") + " }"
    process, url = start_service("--store", oxigraph_server, "--timeout", "1", log=tmp_path / "log")
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            started = time.monotonic()
            response = client.post("/sparql", data={"query": slow})
            assert response.status_code == 504, response.text
            assert response.text == "The store did not answer in time.\n"
            assert time.monotonic() - started < 5
    finally:
        stop_service(process)
