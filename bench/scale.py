"""`make bench-scale`: cost against size. For each size (SCALE_SIZES, default 10k 100k 1M triples): generate
the data set (bench/generate.py), then measure start-up to first answer of `plgkg serve --data FILE`
(which validates with SHACL first), of the same service with validation skipped (in memory and with
--store-path), and of `oxigraph load` + `oxigraph serve`; resident memory after load (server plus its
worker processes); p50 of the characteristic and gap-analysis queries, one request at a time.
Each start is bounded by SCALE_TIMEOUT seconds (default 120); a start that takes longer is reported
as such. Writes bench/RESULTS.md (section Scale) and bench/scale.png."""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench import generate, queries, results, servers

SIZES = [int(s) for s in (os.environ.get("SCALE_SIZES") or "10000 100000 1000000").split()]
TIMEOUT = float(os.environ.get("SCALE_TIMEOUT") or 120)
SAMPLES = int(os.environ.get("SCALE_SAMPLES") or 100)


def p50(url: str, make_query, n: int = SAMPLES) -> float:
    times = []
    with httpx.Client(timeout=30) as http:
        for i in range(n):
            t0 = time.perf_counter()
            r = http.post(url, data={"query": make_query(i)}, headers={"Accept": servers.ACCEPT})
            times.append(time.perf_counter() - t0)
            if r.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {r.status_code}: {r.text[:200]}")
    return statistics.median(times) * 1e3


def measure(kind: str, data: Path, chars, frameworks, schools) -> dict:
    t0 = time.monotonic()
    try:
        if kind == "oxigraph":
            server = servers.start_oxigraph(data, timeout_s=TIMEOUT)
        elif kind == "plgkg":
            server = servers.start_plgkg(data, timeout_s=TIMEOUT)
        elif kind == "plgkg-novalidate":
            server = servers.start_plgkg_unvalidated(data, timeout_s=TIMEOUT)
        else:
            disk = tempfile.mkdtemp(prefix="bench-store-", dir=servers.OUT)
            server = servers.start_plgkg_unvalidated(data, "--store-path", disk, timeout_s=TIMEOUT,
                                                     name="plgkg-novalidate-disk")
    except (TimeoutError, RuntimeError) as err:
        return {"error": str(err).splitlines()[0][:200], "elapsed_s": time.monotonic() - t0}
    try:
        out = {"start_s": server.started_s, "rss_mib": server.rss_bytes() / 2**20}
        if "load_s" in server.extra:
            out["load_s"] = server.extra["load_s"]
        rng = random.Random(7)
        picks = [(rng.choice(schools), rng.choice(frameworks)) for _ in range(SAMPLES)]
        out["char_p50_ms"] = p50(server.url, lambda i: queries.characteristic_query(chars[i % len(chars)], i))
        out["gap_p50_ms"] = p50(server.url, lambda i: queries.GAP.format(
            school=picks[i][0], framework=picks[i][1], limit=1000 + i))
        out["rss_after_queries_mib"] = server.rss_bytes() / 2**20
        return out
    finally:
        server.stop()


def plot(rows: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(13, 4))
    for kind, style in (("oxigraph", "o-"), ("plgkg", "s-"), ("plgkg-novalidate", "^--"),
                        ("plgkg-novalidate-disk", "v:")):
        sizes = [s for s in rows if "start_s" in rows[s].get(kind, {})]
        if not sizes:
            continue
        axes[0].plot(sizes, [rows[s][kind]["start_s"] for s in sizes], style, label=kind)
        axes[1].plot(sizes, [rows[s][kind]["rss_mib"] for s in sizes], style, label=kind)
        axes[2].plot(sizes, [rows[s][kind]["gap_p50_ms"] for s in sizes], style, label=f"{kind} gap")
        axes[2].plot(sizes, [rows[s][kind]["char_p50_ms"] for s in sizes], style, alpha=0.5,
                     label=f"{kind} characteristic")
    for ax, title in zip(axes, ("start-up to first answer (s)", "resident memory after load (MiB)",
                                "p50 latency, one at a time (ms)"), strict=True):
        ax.set_xscale("log")
        ax.set_xlabel("triples")
        ax.set_title(title)
        ax.grid(True, alpha=0.3)
    axes[1].axhline(1024, color="red", lw=0.8, ls="--")
    axes[2].axhline(10, color="red", lw=0.8, ls="--")
    axes[0].legend(fontsize=7)
    axes[2].legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> int:
    cat = servers.OUT / "catalogue.nt"
    servers.OUT.mkdir(parents=True, exist_ok=True)
    import subprocess

    subprocess.run([str(servers.BIN / "plgkg"), "export", "--format", "nt", "-o", str(cat)], check=True)
    chars = queries.subjects_of_type(cat, queries.PLG + "Characteristic")
    frameworks = queries.subjects_of_type(cat, queries.PLG + "Framework")
    rows: dict[int, dict] = {}
    for size in SIZES:
        data = servers.OUT / f"scale-{size}.nt"
        t0 = time.monotonic()
        written, nschools = generate.generate(cat, data, size)
        gen_s = time.monotonic() - t0
        schools = queries.subjects_of_type(data, queries.PLG + "School", limit=2000)
        print(f"size {size}: {written} triples, {nschools} schools (generated in {gen_s:.1f} s)", flush=True)
        rows[size] = {"triples": written, "schools": nschools}
        for kind in ("oxigraph", "plgkg", "plgkg-novalidate", "plgkg-novalidate-disk"):
            rows[size][kind] = m = measure(kind, data, chars, frameworks, schools)
            print(f"  {kind:22} {json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in m.items()})}",
                  flush=True)
    (servers.OUT / "scale.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    png = Path(__file__).resolve().parent / "scale.png"
    plot(rows, png)
    results.update_section("scale", render(rows))
    print(f"written: {results.RESULTS}, {png}")
    return 0


def _cell(m: dict, key: str, fmt: str) -> str:
    if "error" in m:
        return f"— ({m['error'][:60]})" if key == "start_s" else "—"
    return fmt.format(m[key]) if key in m else "—"


def render(rows: dict) -> str:
    lines = ["## Scale (`make bench-scale`)", results.machine_facts(), "",
             "Data: `bench/generate.py` (seed fixed): the catalogue plus synthetic DUO-shaped schools with "
             "3–10 practices each. Start-up = launch to first answered query; for oxigraph it is "
             "`oxigraph load` into a fresh folder plus `oxigraph serve`. plgkg = `plgkg serve --data FILE` "
             "(SHACL validation first); plgkg-novalidate = the same service with validation skipped "
             f"(bench/serve_unvalidated.py), in memory and with --store-path. Each start bounded at {TIMEOUT:g} s. "
             "RSS = server plus its worker processes after load. p50 over "
             f"{SAMPLES} sequential requests: the characteristic query (X and LIMIT changing) and the gap "
             "analysis (a random school and framework: the framework's characteristics none of the school's "
             "practices serves). See scale.png.", "",
             "| triples | server | start-up s | oxigraph load s | RSS MiB | characteristic p50 ms | gap p50 ms |",
             "|---|---|---|---|---|---|---|"]
    for size, row in rows.items():
        for kind in ("oxigraph", "plgkg", "plgkg-novalidate", "plgkg-novalidate-disk"):
            m = row.get(kind, {})
            lines.append(f"| {row['triples']:,} | {kind} | {_cell(m, 'start_s', '{:.1f}')} | "
                         f"{_cell(m, 'load_s', '{:.1f}')} | {_cell(m, 'rss_mib', '{:.0f}')} | "
                         f"{_cell(m, 'char_p50_ms', '{:.2f}')} | {_cell(m, 'gap_p50_ms', '{:.2f}')} |")
    lines += ["", "Targets at 1M: start-up ≤ 1.5× oxigraph load, RSS ≤ 1 GB, p50 ≤ 10 ms."]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
