"""Driving a server: Debian's wrk with bench/wrk.lua, or (without wrk) a bounded async httpx client."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_plus

import httpx

LUA = Path(__file__).resolve().parent / "wrk.lua"


@dataclass
class Cell:
    requests: int
    duration_s: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def ok_rps(self) -> float:
        return max(self.requests - self.errors, 0) / self.duration_s if self.duration_s else 0.0


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def drive(url: str, bodies: Path, mode: str, concurrency: int, seconds: float) -> Cell:
    if have_wrk():
        return _wrk(url, bodies, mode, concurrency, seconds)
    return asyncio.run(_httpx(url, bodies, mode, concurrency, seconds))


def _wrk(url: str, bodies: Path, mode: str, concurrency: int, seconds: float) -> Cell:
    threads = max(1, min(os.cpu_count() or 1, concurrency))
    env = {**os.environ, "BENCH_BODIES": str(bodies), "BENCH_MODE": mode}
    done = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(concurrency), "-d", f"{seconds:g}s", "--timeout", "10s",
         "-s", str(LUA), url],
        env=env, capture_output=True, text=True, timeout=seconds + 60,
    )
    for line in done.stdout.splitlines():
        if line.startswith("BENCHJSON "):
            d = json.loads(line.removeprefix("BENCHJSON "))
            return Cell(d["requests"], d["duration_us"] / 1e6, d["p50_us"] / 1e3, d["p99_us"] / 1e3,
                        d["socket_errors"] + d["status_errors"])
    raise RuntimeError(f"wrk gave no result: {done.stdout}\n{done.stderr}")


async def _httpx(url: str, bodies: Path, mode: str, concurrency: int, seconds: float) -> Cell:
    lines = [unquote_plus(x) for x in bodies.read_text(encoding="utf-8").splitlines() if x]
    latencies: list[float] = []
    errors = 0
    counter = 0

    def next_query() -> str:
        nonlocal counter
        counter += 1
        if mode == "param":
            iris = lines[2:]
            return lines[0] + iris[counter % len(iris)] + lines[1] + str(1000 + counter % 1000000)
        return lines[counter % len(lines)].removeprefix("query=")

    async def client(http: httpx.AsyncClient, deadline: float) -> None:
        nonlocal errors
        while time.monotonic() < deadline:
            t0 = time.monotonic()
            try:
                r = await http.post(url, data={"query": next_query()},
                                    headers={"Accept": "application/sparql-results+json"})
                if r.status_code >= 400:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append(time.monotonic() - t0)

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=10.0, limits=limits) as http:
        t0 = time.monotonic()
        await asyncio.gather(*(client(http, t0 + seconds) for _ in range(concurrency)))
        elapsed = time.monotonic() - t0
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1e3 if latencies else 0.0  # noqa: E731
    return Cell(len(latencies), elapsed, pick(0.50), pick(0.99), errors)
