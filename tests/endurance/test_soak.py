"""Soak: 32 clients for a while against a real service with small limits, sending what users send —
the competency questions over /sparql, linked-data pages (Turtle, HTML, other suffixes), JSON API calls
with varied filters, the HTML catalogue pages — while one more client keeps sending pathological
queries: a cross join past the time limit, a GROUP_CONCAT over a cross join past the memory limit, a
SERVICE call, an over-deep and an over-long query.

Passes when every normal request answered 200 with the right content type, every pathological one
was refused with its own message within the time limit plus a margin, and the memory of the service
(the uvicorn process and its query workers) at the end is at most 10% above what it was after
warm-up. Loopback only; bounded in time (PLGKG_SOAK_SECONDS) and in count (MAX_RATE per second).

Short form by default (20 s, for CI); `make soak` sets PLGKG_SOAK_SECONDS=60."""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from tests.cq.test_competency_questions import QUESTIONS
from tests.endurance.conftest import MEMORY_MB, TIMEOUT_S, WORKERS, env_number

pytestmark = pytest.mark.soak

SECONDS = env_number("PLGKG_SOAK_SECONDS", 20)
WARM_UP_S = 6.0  # of the random mix, after one round of every kind of request
CLIENTS = int(env_number("PLGKG_SOAK_CLIENTS", 32))
MARGIN_S = 5.0  # a query first waits for one of the 3 workers, which 32 other clients keep busy
MAX_RATE = 400  # normal requests per second at most: with the duration, bounds the count
DRIFT = 0.10
MIX = {"sparql": 3, "linked data": 3, "json api": 3, "html page": 1}  # how often each kind is sent
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

RESULTS = {
    "application/sparql-results+json": "application/sparql-results+json",
    "application/sparql-results+xml": "application/sparql-results+xml",
    "text/csv": "text/csv",
    "text/tab-separated-values": "text/tab-separated-values",
}
LINKED = {  # Accept header or suffix -> content type of the answer
    "text/turtle": "text/turtle",
    "text/html": "text/html",
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
}
TIME_MESSAGE = (
    f"Query stopped: the query took longer than the time limit of {TIMEOUT_S:g} s and was stopped\n"
)
MEMORY_MESSAGE = (
    f"Query stopped: the query needed more than the memory limit of {MEMORY_MB} MB and was stopped\n"
)
LONG_TEXTS = ", ".join(["STR(?c)"] * 16)  # 16 copies of one of the ~250 texts over 200 characters


@dataclass(frozen=True)
class Request:
    kind: str
    method: str
    path: str
    expect: str  # content type of a 200 answer; for a pathological request: its status
    data: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    message: str | None = None  # pathological: the text of the refusal, or a regex over it


PATHOLOGICAL = [
    Request(
        "cross join past the time limit",
        "POST",
        "/sparql",
        "400",
        data={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"},
        message=re.escape(TIME_MESSAGE),
    ),
    Request(
        "GROUP_CONCAT over a cross join past the memory limit",
        "POST",
        "/sparql",
        "400",
        data={
            "query": "SELECT (GROUP_CONCAT(?x) AS ?y) WHERE { ?a ?b ?c FILTER(STRLEN(STR(?c)) > 200) "
            f"?d ?e ?f . BIND(CONCAT({LONG_TEXTS}) AS ?x) }}"
        },
        message=re.escape(MEMORY_MESSAGE),
    ),
    Request(
        "SERVICE",
        "POST",
        "/sparql",
        "400",
        data={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"},
        message=r"Query refused: line 1, column \d+: SERVICE .*127\.0\.0\.1:9.* is not allowed here\n",
    ),
    Request(
        "over-deep query",
        "POST",
        "/sparql",
        "400",
        data={"query": "SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000},
        message=r"Query refused: .*(too deep|nest).*\n",
    ),
    Request(
        "over-long query",
        "POST",
        "/sparql",
        "413",
        data={"query": "SELECT * WHERE { ?s ?p ?o } #" + "x" * 20_000},
        message=r"Query refused: .*at most 16,384 are accepted\n",
    ),
]


# -- the normal mix ---------------------------------------------------------------------------------


def _ids(client: httpx.Client, collection: str, **params: str) -> list[str]:
    answer = client.get(f"/api/{collection}", params={"limit": "1000", **params})
    answer.raise_for_status()
    return [item["id"] for item in answer.json()["items"]]


def normal_requests(url: str) -> list[Request]:
    """Every kind of normal request, with the catalogue's own ids."""
    with httpx.Client(base_url=url, timeout=30) as client:
        ids = {
            kind: _ids(client, collection)
            for kind, collection in [
                ("intervention", "interventions"),
                ("characteristic", "characteristics"),
                ("framework", "frameworks"),
                ("category", "categories"),
                ("source", "sources"),
                ("case", "cases"),
                ("finding", "findings"),
                ("school", "schools"),
            ]
        }
    requests: list[Request] = []
    for question in QUESTIONS:
        text = question.read_text(encoding="utf-8")
        for accept, media in RESULTS.items():
            requests.append(Request("sparql", "POST", "/sparql", media, {"query": text}, {"Accept": accept}))
        requests.append(
            Request("sparql", "GET", f"/sparql?query={quote(text)}", RESULTS[next(iter(RESULTS))])
        )
    for kind, slugs in ids.items():
        for slug in slugs:
            for how, media in LINKED.items():
                if how.startswith("."):
                    requests.append(Request("linked data", "GET", f"/id/{kind}/{slug}{how}", media))
                else:
                    requests.append(
                        Request("linked data", "GET", f"/id/{kind}/{slug}", media, headers={"Accept": how})
                    )
    json_paths = ["/api/categories", "/api/frameworks", "/api/sources", "/api/schools"]
    json_paths += [f"/api/interventions/{i}" for i in ids["intervention"]]
    json_paths += [f"/api/characteristics/{c}/interventions" for c in ids["characteristic"]]
    json_paths += [f"/api/characteristics?framework={f}" for f in ids["framework"]]
    json_paths += [f"/api/interventions?framework={f}" for f in ids["framework"]]
    json_paths += [f"/api/interventions?category={c}" for c in ids["category"]]
    json_paths += [f"/api/interventions?characteristic={c}" for c in ids["characteristic"]]
    json_paths += [f"/api/interventions?q={q}" for q in ("feedback", "leren", "team", "onderzoek", "xyz")]
    json_paths += [f"/api/findings?intervention={i}" for i in ids["intervention"][:6]]
    json_paths += [
        f"/api/findings?aspect={a}" for a in ("prevalence", "durability", "obstacle", "condition", "effect")
    ]
    json_paths += [f"/api/cases?intervention={i}" for i in ids["intervention"][:6]]
    json_paths += ["/api/interventions?limit=5&offset=5", "/api/characteristics?limit=3&offset=10"]
    for path in json_paths:
        for lang in ("nl", "en"):
            joined = f"{path}{'&' if '?' in path else '?'}lang={lang}"
            requests.append(Request("json api", "GET", joined, "application/json"))
    pages = ["/", "/matrix", "/ontology", "/search?q=feedback", "/search?q=team&lang=en", "/search?q="]
    pages += [f"/matrix/{f}" for f in ids["framework"]]
    pages += [f"/search?framework={f}" for f in ids["framework"]]
    requests += [Request("html page", "GET", p, "text/html", headers={"Accept": "text/html"}) for p in pages]
    return requests


def warm_up_round(requests: list[Request]) -> list[Request]:
    """Every page and query once, and each linked-data format of each kind of resource once: what
    the service caches (templates, parsed queries) is then in memory before memory is measured."""
    seen: set[tuple[str, str, str]] = set()
    chosen = []
    for request in requests:
        if request.kind == "linked data":
            kind, _, rest = request.path.removeprefix("/id/").partition("/")
            key = (kind, request.expect, rest.rpartition(".")[2] if "." in rest else "")
            if key in seen:
                continue
            seen.add(key)
        chosen.append(request)
    return chosen


def _from(address: str) -> httpx.AsyncHTTPTransport:
    """A transport that connects from address: each simulated client has a loopback address of its
    own (all of 127.0.0.0/8 is this machine), as real clients do, and so its own share of the workers."""
    return httpx.AsyncHTTPTransport(local_address=address)


async def _round(url: str, requests: list[Request]) -> list[str]:
    """Send every request once, CLIENTS at a time; the failures."""
    tally = Tally()
    queue: asyncio.Queue[Request] = asyncio.Queue()
    for request in requests + PATHOLOGICAL:
        queue.put_nowait(request)

    async def client(address: str) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=30, transport=_from(address)) as http:
            while not queue.empty():
                request = queue.get_nowait()
                response = await _send(http, request)
                media = response.headers.get("content-type", "").split(";")[0].strip()
                if request in PATHOLOGICAL:
                    ok = str(response.status_code) == request.expect
                else:
                    ok = response.status_code == 200 and media == request.expect
                if not ok:
                    tally.errors.append(f"{request.method} {request.path[:120]} -> {response.status_code}")

    await asyncio.gather(*(client(f"127.0.0.{2 + n}") for n in range(CLIENTS)))
    return tally.errors


# -- memory -----------------------------------------------------------------------------------------


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


def _tree(root: int) -> list[int]:
    """The process and all its descendants (query workers, the multiprocessing resource tracker)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def service_memory(pid: int) -> tuple[int, list[int]]:
    """Resident bytes of the service's processes together, and of each (the uvicorn process first)."""
    each = [_rss(p) for p in _tree(pid)]
    return sum(each), each


def settle(url: str, timeout_s: float = 60.0) -> None:
    """Wait until every query worker is back (replacements of stopped ones have started)."""
    deadline = time.monotonic() + timeout_s
    with httpx.Client(base_url=url, timeout=10) as client:
        while time.monotonic() < deadline:
            if client.get("/healthz").json().get("workers") == WORKERS:
                time.sleep(1.0)  # let the freshly started ones finish loading
                return
            time.sleep(0.2)
    raise AssertionError(f"the query workers did not come back to {WORKERS} in {timeout_s:g} s")


# -- load -------------------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    refusals: list[tuple[str, float]] = field(default_factory=list)


async def _send(client: httpx.AsyncClient, request: Request) -> httpx.Response:
    if request.method == "POST":
        return await client.post(request.path, data=request.data, headers=request.headers)
    return await client.get(request.path, headers=request.headers)


async def _normal_client(
    url: str, requests: dict[str, list[Request]], until: float, seed: int, tally: Tally, address: str
) -> None:
    rng = random.Random(seed)
    kinds = list(requests)
    weights = [MIX[kind] for kind in kinds]
    async with httpx.AsyncClient(base_url=url, timeout=30, transport=_from(address)) as client:
        while time.monotonic() < until and len(tally.latencies) < MAX_RATE * SECONDS:
            request = rng.choice(requests[rng.choices(kinds, weights)[0]])
            started = time.monotonic()
            try:
                response = await _send(client, request)
            except httpx.HTTPError as err:
                tally.errors.append(f"{request.method} {request.path[:120]}: {type(err).__name__} {err}")
                continue
            elapsed = time.monotonic() - started
            media = response.headers.get("content-type", "").split(";")[0].strip()
            if response.status_code != 200 or media != request.expect:
                tally.errors.append(
                    f"{request.method} {request.path[:120]} -> {response.status_code} {media!r} "
                    f"(expected 200 {request.expect!r}): {response.text[:200]!r}"
                )
            tally.latencies.append(elapsed)
            tally.kinds[request.kind] += 1


async def _pathological_client(url: str, until: float, tally: Tally) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30, transport=_from("127.0.0.250")) as client:
        for request in itertools.cycle(PATHOLOGICAL):
            if time.monotonic() >= until:
                return
            started = time.monotonic()
            try:
                response = await _send(client, request)
            except httpx.HTTPError as err:
                tally.errors.append(f"{request.kind}: {type(err).__name__} {err}")
                continue
            elapsed = time.monotonic() - started
            tally.refusals.append((request.kind, elapsed))
            if str(response.status_code) != request.expect or not re.fullmatch(
                request.message or "", response.text, re.DOTALL
            ):
                tally.errors.append(
                    f"{request.kind} -> {response.status_code} {response.text[:200]!r} "
                    f"(expected {request.expect} matching {request.message!r})"
                )
            if elapsed > TIMEOUT_S + MARGIN_S:
                tally.errors.append(f"{request.kind} took {elapsed:.2f} s, over {TIMEOUT_S + MARGIN_S:g} s")
            await asyncio.sleep(0.5)


async def _load(
    url: str, requests: dict[str, list[Request]], seconds: float, seed: int
) -> tuple[Tally, Tally, float]:
    normal, pathological = Tally(), Tally()
    started = time.monotonic()
    until = started + seconds
    await asyncio.gather(
        _pathological_client(url, until, pathological),
        *(
            _normal_client(url, requests, until, seed * 1000 + n, normal, f"127.0.0.{2 + n}")
            for n in range(CLIENTS)
        ),
    )
    return normal, pathological, time.monotonic() - started


def _mb(value: int) -> str:
    return f"{value / 2**20:.0f} MB"


def _run_async(coroutine):
    """asyncio.run in a thread of its own: another suite (Playwright's sync API) may keep an event
    loop running in the main thread, where asyncio.run refuses to start."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_soak(endurance_url: tuple[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    url, pid = endurance_url
    requests: dict[str, list[Request]] = {}
    for request in normal_requests(url):
        requests.setdefault(request.kind, []).append(request)
    assert set(requests) == set(MIX)

    errors = _run_async(_round(url, warm_up_round([r for kind in requests.values() for r in kind])))
    assert not errors, "\n".join(errors[:20])
    warm_normal, warm_patho, _ = _run_async(_load(url, requests, WARM_UP_S, seed=1))
    assert not warm_normal.errors, "\n".join(warm_normal.errors[:20])
    assert not warm_patho.errors, "\n".join(warm_patho.errors)
    settle(url)
    before, processes_before = service_memory(pid)

    normal, pathological, elapsed = _run_async(_load(url, requests, SECONDS, seed=2))
    settle(url)
    after, processes_after = service_memory(pid)

    count = len(normal.latencies)
    latencies = sorted(normal.latencies)
    p50 = statistics.median(latencies) if latencies else float("nan")
    p99 = latencies[int(0.99 * (len(latencies) - 1))] if latencies else float("nan")
    by_kind: dict[str, list[float]] = {}
    for kind, seconds in pathological.refusals:
        by_kind.setdefault(kind, []).append(seconds)
    with capsys.disabled():
        print(
            f"\nsoak: {CLIENTS} clients for {elapsed:.1f} s: {count} normal requests, "
            f"{count / elapsed:.0f}/s, "
            f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms; "
            + ", ".join(f"{k} {n}" for k, n in sorted(normal.kinds.items()))
        )
        print(
            f"soak: {len(pathological.refusals)} pathological queries refused: "
            + "; ".join(f"{k} {len(v)}x, at most {max(v):.2f} s" for k, v in by_kind.items())
        )
        print(
            f"soak: memory after warm-up {_mb(before)} ({', '.join(map(_mb, processes_before))}), "
            f"at the end {_mb(after)} ({', '.join(map(_mb, processes_after))}): "
            f"{100 * (after - before) / before:+.1f}%"
        )

    assert not normal.errors, f"{len(normal.errors)} failed normal requests:\n" + "\n".join(
        normal.errors[:20]
    )
    assert not pathological.errors, "\n".join(pathological.errors)
    assert {k for k, _ in pathological.refusals} == {r.kind for r in PATHOLOGICAL}
    assert count >= 10 * SECONDS, f"only {count} normal requests in {elapsed:.1f} s"
    assert after <= before * (1 + DRIFT), f"memory grew from {_mb(before)} to {_mb(after)}"
