"""Fair shares of the workers (issue 11): one client's slow queries never take every worker, and
waiting for a worker never takes every thread, so others are served meanwhile. Against a real
service; each simulated client connects from a loopback address of its own (127.0.0.0/8)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.api.conftest import start_service, stop_service

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # runs into the time limit
FAST = "ASK { ?s ?p ?o }"


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("fair") / "log"
    # 40 threads: were waiting done in threads, only 8 (40 less the reserve of 32) could wait
    process, url = start_service("--workers", "2", "--timeout", "3", "--threads", "40", log=log)
    yield url
    stop_service(process)


def _client(url: str, address: str) -> httpx.Client:
    return httpx.Client(base_url=url, timeout=30, transport=httpx.HTTPTransport(local_address=address))


def _in_background(url: str, address: str, query: str) -> threading.Thread:
    def run() -> None:
        with _client(url, address) as client:
            client.post("/sparql", data={"query": query})

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_one_client_gets_429_past_its_share_and_others_are_served(two_workers: str) -> None:
    slow = _in_background(two_workers, "127.0.0.2", SLOW)
    time.sleep(0.5)  # the slow query holds one of the two workers
    with _client(two_workers, "127.0.0.2") as greedy:
        refused = greedy.post("/sparql", data={"query": SLOW + " # again"})
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "2"
    assert "queries running, the most one client may have" in refused.text
    with _client(two_workers, "127.0.0.3") as other:
        started = time.monotonic()
        answered = other.post("/sparql", data={"query": FAST}, headers={"Accept": "application/json"})
        assert answered.status_code == 200 and answered.json()["boolean"] is True
        assert time.monotonic() - started < 1
    slow.join(timeout=10)


def test_pages_answered_from_memory_stay_fast_while_every_worker_is_busy(two_workers: str) -> None:
    with _client(two_workers, "127.0.0.6") as reader:
        assert reader.get("/id/intervention/teamteaching", headers={"Accept": "text/html"}).status_code == 200
    attackers = [_in_background(two_workers, f"127.0.0.{n}", SLOW) for n in (4, 5)]
    time.sleep(0.5)  # both workers now run slow queries

    def uncached(n: int) -> int:
        with _client(two_workers, "127.0.0.7") as client:
            return client.get(f"/id/intervention/none-{n}", headers={"Accept": "text/html"}).status_code

    with ThreadPoolExecutor(50) as pool:
        waiting = [pool.submit(uncached, n) for n in range(50)]
        time.sleep(0.5)  # fifty page requests wait for a worker
        with _client(two_workers, "127.0.0.6") as reader:
            started = time.monotonic()
            page = reader.get("/id/intervention/teamteaching", headers={"Accept": "text/html"})
            assert page.status_code == 200
            assert time.monotonic() - started < 1
        statuses = [w.result(timeout=30) for w in waiting]
    # all fifty waited on the event loop, holding no thread, and were answered once a worker was free
    assert statuses == [404] * 50
    for attacker in attackers:
        attacker.join(timeout=10)
