"""Where the time of one plgkg /sparql request goes: an in-process breakdown of the steps of the request
path, the latency of one request at a time over HTTP against `oxigraph serve`, and (if py-spy can attach)
a sampled profile of the server and its workers under load."""

from __future__ import annotations

import pickle
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

from bench import load, queries, servers


def _per_call_us(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1e6


def breakdown(nt: Path, characteristics: list[str], repeat: int = 30) -> list[tuple[str, float]]:
    import pyoxigraph

    from plgkg.execution.service import QueryService
    from plgkg.formats import serialize_result
    from plgkg.settings import ServiceSettings
    from plgkg.stores import open_store

    qs = [q for _, q in queries.competency_questions()] + [
        queries.characteristic_query(c, i) for i, c in enumerate(characteristics)]
    raw = pyoxigraph.Store()
    raw.bulk_load(path=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES)
    store = open_store("oxigraph")
    from rdflib import Graph

    store.add(Graph().parse(nt, format="nt"))
    service = QueryService.start(ServiceSettings(data=(nt,)))
    media = "application/sparql-results+json"
    try:
        steps = {
            "raw pyoxigraph: query + JSON serialisation (what oxigraph serve does)": lambda q: raw.query(q).serialize(
                format=pyoxigraph.QueryResultsFormat.JSON),
            "plgkg.execution.screen (parse and check the query)": lambda q: service.screen(q),
            "plgkg Store.query in process (pyoxigraph + rows as rdflib terms)": lambda q: store.query(q),
            "plgkg Store.answer in process (pyoxigraph terms straight to SPARQL JSON)":
                lambda q: store.answer(q, media),
            "pickle round trip of the result (parent <-> worker)": lambda q: pickle.loads(
                pickle.dumps(store.query(q))),
            "worker pool round trip, rows (thread caller: send, query, pickle rows, pipe, poll)":
                lambda q: service.run(service.screen(q)),
            "worker pool round trip, answer bytes (event-loop caller, what /sparql does)": "loop",
            "serialize_result to SPARQL JSON (rdflib terms)": None,
        }
        out = []
        for label, fn in steps.items():
            per_query = []
            for q in qs:
                if fn == "loop":
                    per_query.append(_on_loop(_loop_us(service, q, media, repeat)))
                elif fn is None:
                    result = store.query(q)
                    per_query.append(_per_call_us(lambda: serialize_result(result, media), repeat))
                else:
                    per_query.append(_per_call_us(lambda: fn(q), repeat))
            out.append((label, statistics.mean(per_query)))
        pickled = statistics.mean(
            _per_call_us(lambda: pickle.loads(pickle.dumps(store.query(q))), 5)
            - _per_call_us(lambda: store.query(q), 5) for q in qs)
        out.append(("  of which pickling alone (difference of the two rows above)", pickled))
        return out
    finally:
        service.close()


async def _loop_us(service, q: str, media: str, repeat: int) -> float:
    """Median µs of service.answer awaited on one running loop (as under uvicorn)."""
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        await service.answer(q, (media, None))
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1e6


def _on_loop(coroutine):
    import uvloop

    return uvloop.run(coroutine)


def sequential_latency(url: str, qs: list[str], seconds: float = 3.0) -> float:
    samples = []
    with httpx.Client(timeout=10) as http:
        deadline = time.monotonic() + seconds
        i = 0
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            http.post(url, data={"query": qs[i % len(qs)]}, headers={"Accept": servers.ACCEPT})
            samples.append(time.perf_counter() - t0)
            i += 1
    return statistics.median(samples) * 1e3


def pyspy(server, inputs, seconds: int = 6) -> str:
    exe = shutil.which("py-spy", path=str(servers.BIN)) or shutil.which("py-spy")
    if not exe:
        return "py-spy not installed (pip install '.[bench]'): no sampled profile."
    raw = servers.OUT / "pyspy.txt"
    spy = subprocess.Popen([exe, "record", "-p", str(server.process.pid), "--subprocesses", "-d", str(seconds),
                            "-r", "200", "-f", "raw", "-o", str(raw), "--nonblocking"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(1.0)
    load.drive(server.url, inputs["param"], "param", 32, seconds - 1)  # never cached: the whole path
    out, _ = spy.communicate(timeout=60)
    if spy.returncode != 0 or not raw.exists():
        return f"py-spy could not sample the server here: {out.strip().splitlines()[-1] if out.strip() else '?'}"
    self_count: Counter[str] = Counter()
    incl: Counter[str] = Counter()
    total = 0
    markers = {
        "uvicorn/h11 HTTP parsing and writing": ("h11", "httptools", "uvicorn/protocols"),
        "Starlette/FastAPI routing, middleware": ("starlette/", "fastapi/"),
        "plgkg.execution.screen (query screening, parse)": ("plgkg/execution/screen.py",),
        "plgkg.execution.cache (lookup, ETag)": ("plgkg/execution/cache.py",),
        "handing to and awaiting a worker (pipe, unpickle)": ("QueryPool.aquery", "QueryPool.query ("),
        "serialize_result (rdflib terms to SPARQL JSON)": ("formats.py",),
        "worker: pyoxigraph query and answer writing": ("plgkg/stores/",),
        "worker processes, all (includes idle waits for the next request)": ("_serve (plgkg/execution/workers.py",),
    }
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        self_count[frames[-1].split(" (")[0] + " (" + frames[-1].split(" (")[-1]] += n
        for label, needles in markers.items():
            if any(needle in stack for needle in needles):
                incl[label] += n
    if not total:
        return "py-spy took no samples."
    lines = [f"py-spy, {total} samples of the server and its workers under wrk c32 param load "
             "(inclusive shares overlap):", "", "| where | share of samples |", "|---|---|"]
    lines += [f"| {label} | {incl[label] / total:.0%} |" for label in markers]
    lines += ["", "Top functions by own samples:", "", "| function | share |", "|---|---|"]
    lines += [f"| `{name}` | {n / total:.1%} |" for name, n in self_count.most_common(12)]
    return "\n".join(lines)


def run(nt: Path, characteristics: list[str], inputs: dict[str, Path]) -> str:
    print("profile: plgkg request path", flush=True)
    cqs = [q for _, q in queries.competency_questions()]
    plgkg = servers.start_plgkg(nt, "--queries-per-client", "64")  # one client: as in bench.run
    oxi = servers.start_oxigraph(nt)
    try:
        lat_plgkg = sequential_latency(plgkg.url, cqs)
        lat_oxi = sequential_latency(oxi.url, cqs)
        oxi.stop()
        spy = pyspy(plgkg, inputs)
    finally:
        plgkg.stop()
        oxi.stop()
    steps = breakdown(nt, characteristics)
    lines = ["### Where plgkg's time goes",
             f"One request at a time over HTTP (median over the 16 CQs, 3 s each): plgkg {lat_plgkg:.2f} ms, "
             f"oxigraph serve {lat_oxi:.2f} ms.", "",
             "In-process breakdown, median µs per call, mean over the 16 CQs and the 19 characteristic queries:",
             "", "| step | µs |", "|---|---|"]
    lines += [f"| {label} | {us:.0f} |" for label, us in steps]
    lines += ["", spy]
    text = "\n".join(lines)
    print(text, flush=True)
    return text


if __name__ == "__main__":
    nt = servers.OUT / "catalogue.nt"
    chars = queries.subjects_of_type(nt, queries.PLG + "Characteristic")
    print(run(nt, chars, queries.write_wrk_inputs(servers.OUT, chars)))
    sys.exit(0)
