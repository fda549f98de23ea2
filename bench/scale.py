"""`make bench-scale`: cost against size. For each size (SCALE_SIZES, default 10k 100k 1M triples):
generate the data set (bench/generate.py: DUO-shaped schools CSV, profiles CSV, and the same data as
N-Triples with the catalogue), then measure
- plgkg-import, the production flow: `plgkg import schools` + `plgkg import profiles` into a fresh
  on-disk store (each bounded by SCALE_IMPORT_TIMEOUT s, default 900), then `plgkg serve --store-path`;
- oxigraph: `oxigraph load` of the N-Triples into a fresh folder + `oxigraph serve`;
- plgkg: `plgkg serve --data FILE` (SHACL validation of the whole file first), and the same service
  with validation skipped (bench/serve_unvalidated.py), in memory and with --store-path;
each: start-up to first answer, resident memory after load (server plus its worker processes), p50
of the characteristic and gap-analysis queries, one request at a time. Each start is bounded by
SCALE_TIMEOUT seconds (default 120); a start that takes longer is reported as such. Writes
bench/RESULTS.md (section Scale) and bench/scale.png."""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench import generate, queries, results, servers

SIZES = [int(s) for s in (os.environ.get("SCALE_SIZES") or "10000 100000 1000000").split()]
TIMEOUT = float(os.environ.get("SCALE_TIMEOUT") or 120)
SAMPLES = int(os.environ.get("SCALE_SAMPLES") or 100)
IMPORT_TIMEOUT = float(os.environ.get("SCALE_IMPORT_TIMEOUT") or 900)
ALL_KINDS = ("oxigraph", "plgkg-import", "plgkg", "plgkg-novalidate", "plgkg-novalidate-disk")
# SCALE_KINDS picks some of them, e.g. "oxigraph plgkg-import plgkg" (the issue 16 goals: imports and
# `plgkg serve --data`, without the two variants that skip validation).
KINDS = tuple(k for k in (os.environ.get("SCALE_KINDS") or " ".join(ALL_KINDS)).split() if k in ALL_KINDS)


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


def plgkg_import(made: generate.Generated, store: Path, out: dict) -> dict:
    """`plgkg import schools` then `plgkg import profiles` into a fresh on-disk store, as a user runs
    them; the seconds of each (wall clock, the process's start included), into out as they finish."""
    for what, path in (("schools", made.schools_csv), ("profiles", made.profiles_csv)):
        t0 = time.monotonic()
        try:
            done = subprocess.run(
                [str(servers.BIN / "plgkg"), "import", what, str(path), "--store-path", str(store)],
                capture_output=True, text=True, timeout=IMPORT_TIMEOUT,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            raise TimeoutError(f"plgkg import {what} took longer than {IMPORT_TIMEOUT:g} s") from None
        out[f"{what}_s"] = time.monotonic() - t0
        if done.returncode != 0:
            tail = (done.stdout + done.stderr).strip().splitlines()[-3:]
            raise RuntimeError(f"plgkg import {what} exited {done.returncode}: {' | '.join(tail)}")
    out["import_s"] = out["schools_s"] + out["profiles_s"]
    return out


def measure(
    kind: str, data: Path, chars, frameworks, schools, made: generate.Generated | None = None
) -> dict:
    t0 = time.monotonic()
    imported: dict = {}
    cleanup: list[str] = []
    try:
        return _measure(kind, data, chars, frameworks, schools, made, t0, imported, cleanup)
    finally:
        for folder in cleanup:
            shutil.rmtree(folder, ignore_errors=True)


def _measure(kind, data, chars, frameworks, schools, made, t0, imported, cleanup) -> dict:
    try:
        if kind == "plgkg-import":
            assert made is not None
            folder = tempfile.mkdtemp(prefix="bench-import-", dir=servers.OUT)
            cleanup.append(folder)
            disk = Path(folder) / "store"
            plgkg_import(made, disk, imported)
            server = servers.start_plgkg_store(disk, timeout_s=TIMEOUT)
        elif kind == "oxigraph":
            server = servers.start_oxigraph(data, timeout_s=TIMEOUT)
        elif kind == "plgkg":
            server = servers.start_plgkg(data, timeout_s=TIMEOUT)
        elif kind == "plgkg-novalidate":
            server = servers.start_plgkg_unvalidated(data, timeout_s=TIMEOUT)
        else:
            disk = tempfile.mkdtemp(prefix="bench-store-", dir=servers.OUT)
            cleanup.append(disk)
            server = servers.start_plgkg_unvalidated(data, "--store-path", disk, timeout_s=TIMEOUT,
                                                     name="plgkg-novalidate-disk")
    except (TimeoutError, RuntimeError) as err:
        return {"error": str(err).splitlines()[0][:200], "elapsed_s": time.monotonic() - t0, **imported}
    try:
        out = {**imported, "start_s": server.started_s, "rss_mib": server.rss_bytes() / 2**20}
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
    for kind, style in (("oxigraph", "o-"), ("plgkg-import", "D-"), ("plgkg", "s-"),
                        ("plgkg-novalidate", "^--"), ("plgkg-novalidate-disk", "v:")):
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
    cat = generate.export_catalogue(servers.OUT / "catalogue.nt")
    chars = queries.subjects_of_type(cat, queries.PLG + "Characteristic")
    frameworks = queries.subjects_of_type(cat, queries.PLG + "Framework")
    rows: dict[int, dict] = {}
    for size in SIZES:
        t0 = time.monotonic()
        made = generate.generate_files(cat, servers.OUT / f"scale-{size}", size)
        gen_s = time.monotonic() - t0
        data = made.ntriples
        schools = queries.subjects_of_type(data, queries.PLG + "School", limit=2000)
        print(f"size {size}: {made.triples} triples, {made.schools} schools, {made.practices} practices "
              f"(generated in {gen_s:.1f} s)", flush=True)  # fmt: skip
        rows[size] = {"triples": made.triples, "schools": made.schools, "practices": made.practices}
        for kind in KINDS:
            rows[size][kind] = m = measure(kind, data, chars, frameworks, schools, made)
            shown = {k: round(v, 2) if isinstance(v, float) else v for k, v in m.items()}
            print(f"  {kind:22} {json.dumps(shown)}", flush=True)
    (servers.OUT / "scale.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    png = Path(__file__).resolve().parent / "scale.png"
    plot(rows, png)
    results.update_section("scale", render(rows))
    print(f"written: {results.RESULTS}, {png}")
    return 0


def _cell(m: dict, key: str, fmt: str) -> str:
    if key in m:
        return fmt.format(m[key])
    return f"— ({m['error'][:60]})" if "error" in m and key == "start_s" else "—"


def render(rows: dict) -> str:
    lines = [
        "## Scale (`make bench-scale`)",
        results.machine_facts(),
        "",
        "Data: `bench/generate.py` (seed fixed): synthetic schools in DUO's own CSV (31 columns, `;`, "
        "UTF-8 with BOM) with a profile CSV of 3–10 practices each, and the same data as N-Triples "
        "with the catalogue, made from the CSVs by the import's own code (so it conforms to the shapes). "
        "**plgkg-import** is the production flow: `plgkg import schools` + `plgkg import profiles` "
        "(SHACL validation of what is imported) into a fresh on-disk store, then `plgkg serve "
        "--store-path` (which validates the catalogue and writes it beside the user graph); "
        "*import/load s* is the two imports. **oxigraph**: `oxigraph load` of the N-Triples into a "
        "fresh folder (*import/load s*) + `oxigraph serve`; its start-up includes the load. "
        "plgkg = `plgkg serve --data FILE` (SHACL validation of the whole file first); plgkg-novalidate "
        "= the same service with validation skipped (bench/serve_unvalidated.py), in memory and with "
        f"--store-path. Each start bounded at {TIMEOUT:g} s, each import at {IMPORT_TIMEOUT:g} s. "
        "RSS = server plus its worker processes after load. p50 over "
        f"{SAMPLES} sequential requests: the characteristic query (X and LIMIT changing) and the gap "
        "analysis (a random school and framework: the framework's characteristics none of the school's "
        "practices serves). See scale.png.",
        "",
        f"Measured in this run: {', '.join(KINDS)}"
        + ("" if KINDS == ALL_KINDS else f" (SCALE_KINDS; left out: {', '.join(k for k in ALL_KINDS if k not in KINDS)})")
        + ".",
        "",
        "| triples | schools | server | import/load s | start-up s | RSS MiB | characteristic p50 ms "
        "| gap p50 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows.values():
        for kind in KINDS:
            m = row.get(kind, {})
            key = "import_s" if kind == "plgkg-import" else "load_s"
            loaded = _cell(m, key, "{:.1f}")
            if kind == "plgkg-import" and "schools_s" in m:
                loaded += f" ({m['schools_s']:.1f} + {m['profiles_s']:.1f})"
            lines.append(
                f"| {row['triples']:,} | {row.get('schools', '')} | {kind} | {loaded} | "
                f"{_cell(m, 'start_s', '{:.1f}')} | {_cell(m, 'rss_mib', '{:.0f}')} | "
                f"{_cell(m, 'char_p50_ms', '{:.2f}')} | {_cell(m, 'gap_p50_ms', '{:.2f}')} |"
            )
    lines += ["", "plgkg-import against oxigraph, same data:", ""]
    for row in rows.values():
        mine, theirs = row.get("plgkg-import", {}), row.get("oxigraph", {})
        if "import_s" in mine and "load_s" in theirs:
            ratio = f"import {mine['import_s'] / theirs['load_s']:.1f}× oxigraph load"
            if "start_s" in mine and "start_s" in theirs:
                ratio += (
                    f"; serve start-up {mine['start_s']:.1f} s against oxigraph load + serve "
                    f"{theirs['start_s']:.1f} s ({mine['start_s'] / theirs['start_s']:.2f}×)"
                )
            lines.append(f"- {row['triples']:,} triples: {ratio}")
    served = [row for row in rows.values() if "start_s" in row.get("plgkg", {})]
    if served:
        lines += ["", "`plgkg serve --data FILE` (the whole file validated first) against its goals (issue 16: "
                  "100k triples ≤ 10 s, 1M ≤ 60 s):", ""]
        for row in served:
            theirs = row.get("oxigraph", {})
            peer = f" (oxigraph load + serve {theirs['start_s']:.1f} s)" if "start_s" in theirs else ""
            lines.append(f"- {row['triples']:,} triples: start-up {row['plgkg']['start_s']:.1f} s{peer}")
    lines += ["", "Goals (issue 16): import ≤ 5× oxigraph load. Targets at 1M: start-up ≤ 1.5× oxigraph load, "
              "RSS ≤ 1 GB, p50 ≤ 10 ms."]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
