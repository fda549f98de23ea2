"""`make bench`: plgkg serve against rdflib-endpoint, oxigraph serve and (if installed) Virtuoso, on the
same data (the validated catalogue as N-Triples), loopback only, bounded, cells alternated A B C D A B C D.

Environment: BENCH_SECONDS (per cell and round, default 10), BENCH_ROUNDS (default 2),
BENCH_CONCURRENCY (default "8 32"), BENCH_VIRTUOSO=0 to leave Virtuoso out, BENCH_PROFILE=0 to skip the
profile of plgkg's request path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict

import httpx

from bench import load, queries, results, servers

SECONDS = float(os.environ.get("BENCH_SECONDS") or 10)
ROUNDS = int(os.environ.get("BENCH_ROUNDS") or 2)
CONCURRENCY = [int(c) for c in (os.environ.get("BENCH_CONCURRENCY") or "8 32").split()]
QUERY_SETS = {"cq": "repeated competency questions (16, cycled)", "param": "characteristic X, X and LIMIT new every request"}


def export_catalogue() -> servers.Path:
    servers.OUT.mkdir(parents=True, exist_ok=True)
    nt = servers.OUT / "catalogue.nt"
    subprocess.run([str(servers.BIN / "plgkg"), "export", "--format", "nt", "-o", str(nt)], check=True)
    return nt


def catalogue_startup(times: int = 3) -> list[float]:
    """`plgkg serve` on its own data (the ontology and the catalogue) from launch to the first answer
    of /sparql, validation included: each start with a fresh, empty cache folder, so that nothing
    remembers an earlier validation (issue 16: ≤ 2 s)."""
    import tempfile

    seconds = []
    for _ in range(times):
        with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache:
            before = os.environ.get("XDG_CACHE_HOME")
            os.environ["XDG_CACHE_HOME"] = cache
            try:
                port = servers.free_port()
                cmd = [str(servers.BIN / "plgkg"), "serve", "--host", "127.0.0.1", "--port", str(port)]
                server = servers._launch("plgkg-catalogue", cmd, f"http://127.0.0.1:{port}/sparql",
                                         servers.OUT / "plgkg-catalogue.log", 60.0)
                seconds.append(server.started_s)
                server.stop()
            finally:
                if before is None:
                    os.environ.pop("XDG_CACHE_HOME", None)
                else:
                    os.environ["XDG_CACHE_HOME"] = before
    return seconds


def start_all(nt) -> list:
    running = []
    # the load generator is one client: plgkg's per-client share of the workers (2 of 3 queries at
    # once, fairness between clients) would refuse most of its never-repeating queries with 429
    one_client = lambda data: servers.start_plgkg(data, "--queries-per-client", str(max(CONCURRENCY)))  # noqa: E731
    for start in (one_client, servers.start_rdflib_endpoint, servers.start_oxigraph):
        try:
            server = start(nt)
        except BaseException:
            for started in running:
                started.stop()
            raise
        print(f"  {server.name}: {server.url} (answering after {server.started_s:.1f} s)", flush=True)
        running.append(server)
    if os.environ.get("BENCH_VIRTUOSO", "1") != "0":
        try:
            server = servers.start_virtuoso(nt)
            if server is None:
                print("  virtuoso: virtuoso-t not installed, skipped", flush=True)
            else:
                print(f"  virtuoso: {server.url} (answering after {server.started_s:.1f} s)", flush=True)
                running.append(server)
        except (RuntimeError, TimeoutError, OSError, subprocess.SubprocessError) as err:
            print(f"  virtuoso: skipped ({err})", flush=True)
    return running


def rows(url: str, query: str) -> int | str:
    try:
        r = httpx.post(url, data={"query": query}, headers={"Accept": servers.ACCEPT}, timeout=30)
    except httpx.HTTPError as err:
        return type(err).__name__
    if r.status_code != 200:
        return f"HTTP {r.status_code}"
    try:
        return len(r.json()["results"]["bindings"])
    except (ValueError, KeyError):
        return "not JSON results"


def check_answers(running, characteristics) -> tuple[str, list[str]]:
    """Every server must give the same number of rows per query before its speed means anything."""
    checks = [(name, q) for name, q in queries.competency_questions()]
    checks += [(f"characteristic {c.rsplit('/', 1)[1]}", queries.characteristic_query(c, i))
               for i, c in enumerate(characteristics[:3])]
    lines = ["| query | " + " | ".join(s.name for s in running) + " |",
             "|---|" + "---|" * len(running)]
    problems = []
    for name, q in checks:
        counts = [rows(s.url, q) for s in running]
        lines.append(f"| {name} | " + " | ".join(str(c) for c in counts) + " |")
        if len(set(map(str, counts))) > 1:
            problems.append(f"{name}: " + ", ".join(f"{s.name} {c}" for s, c in zip(running, counts, strict=True)))
    return "\n".join(lines), problems


def main() -> int:
    print(f"bench: {SECONDS:g} s per cell and round, {ROUNDS} rounds, concurrency {CONCURRENCY}, "
          f"{'wrk' if load.have_wrk() else 'httpx (no wrk found)'}", flush=True)
    nt = export_catalogue()
    startup = catalogue_startup()
    print(f"catalogue start-up incl. validation: {', '.join(f'{t:.2f}' for t in startup)} s", flush=True)
    characteristics = queries.subjects_of_type(nt, queries.PLG + "Characteristic")
    print(f"data: {nt} ({sum(1 for _ in nt.open())} triples), {len(characteristics)} characteristics", flush=True)
    inputs = queries.write_wrk_inputs(servers.OUT, characteristics)
    running = start_all(nt)
    try:  # every server stops, whatever happens
        answer_table, problems = check_answers(running, characteristics)
        for p in problems:
            print(f"  answers differ: {p}", flush=True)
        for server in running:  # warm-up, not measured
            for qset in QUERY_SETS:
                load.drive(server.url, inputs[qset], "param" if qset == "param" else "cycle", 8, 1)
        cells: dict[tuple[str, str, int], list[load.Cell]] = defaultdict(list)
        for qset in QUERY_SETS:
            for conc in CONCURRENCY:
                for rnd in range(ROUNDS):
                    for server in running:
                        cell = load.drive(server.url, inputs[qset], "param" if qset == "param" else "cycle",
                                          conc, SECONDS)
                        cells[(server.name, qset, conc)].append(cell)
                        print(f"  {qset:5} c{conc:<3} round {rnd + 1} {server.name:16} {cell.ok_rps:8.1f} req/s"
                              f"  p50 {cell.p50_ms:7.2f} ms  p99 {cell.p99_ms:8.2f} ms  errors {cell.errors}",
                              flush=True)
        rss = {s.name: s.rss_bytes() for s in running}
        started = {s.name: s.started_s for s in running}
    finally:
        for server in running:
            server.stop()
    names = [s.name for s in running]
    summary = {}
    for (name, qset, conc), parts in cells.items():
        requests = sum(c.requests for c in parts)
        errors = sum(c.errors for c in parts)
        duration = sum(c.duration_s for c in parts)
        summary[(name, qset, conc)] = {
            "rps": (requests - errors) / duration,
            "p50": sum(c.p50_ms for c in parts) / len(parts),
            "p99": sum(c.p99_ms for c in parts) / len(parts),
            "errors": errors,
            "requests": requests,
        }
    (servers.OUT / "bench.json").write_text(
        json.dumps({"|".join(map(str, k)): v for k, v in summary.items()}, indent=1), encoding="utf-8")
    table, ratio_table = render(names, summary)
    profile_text = ""
    if os.environ.get("BENCH_PROFILE", "1") != "0":
        from bench import profile

        profile_text = profile.run(nt, characteristics, inputs)
    text = "\n\n".join([
        "## Throughput (`make bench`)",
        results.machine_facts(),
        f"Data: the validated catalogue, `plgkg export --format nt` ({sum(1 for _ in nt.open())} triples), "
        "loaded by every server. Load: "
        f"{'wrk' if load.have_wrk() else 'an async httpx client'}, POST form-encoded SPARQL, Accept "
        f"application/sparql-results+json, {SECONDS:g} s per cell × {ROUNDS} rounds, servers alternated "
        "A B C D A B C D within each cell. req/s counts successful responses only; p50/p99 are the mean of the "
        "rounds' percentiles. plgkg runs with its defaults (3 query worker processes, limits on) but "
        f"`--queries-per-client {max(CONCURRENCY)}`: the load generator is one client, and the default "
        "share of one client (2 queries at once) answers the rest 429 (fairness between clients).",
        "Query sets: **cq** = the 16 competency questions of tests/cq, cycled (repeats: a cache may answer); "
        "**param** = interventions serving characteristic X, X cycling through the "
        f"{len(characteristics)} characteristics and LIMIT 1000+n unique per request (never repeats).",
        "Start-up to first answer (s): " + ", ".join(f"{n} {started[n]:.1f}" for n in names)
        + f". `plgkg serve` on the catalogue, validation included (fresh cache, {len(startup)} starts, "
        f"launch to first answer): {', '.join(f'{t:.2f}' for t in startup)} s, median "
        f"{sorted(startup)[len(startup) // 2]:.2f} s (issue 16: ≤ 2 s)"
        + ". Resident memory after the run (server and its children): "
        + ", ".join(f"{n} {rss[n] / 2**20:.0f} MiB" for n in names) + ".",
        table,
        "### Ratios plgkg / peer (req/s; p99 at c32: plgkg p99 / peer p99, lower is better)",
        ratio_table,
        "### Answers (rows per query and server, checked before measuring)",
        answer_table + ("\n\nDifferences: " + "; ".join(problems) if problems else "\n\nAll servers agree."),
        profile_text,
    ])
    results.update_section("throughput", text)
    print("\n" + ratio_table)
    print(f"\nwritten: {results.RESULTS}")
    return 0


TARGETS = {("oxigraph", "cq"): 1.0, ("oxigraph", "param"): 0.7, ("rdflib-endpoint", "cq"): 20.0,
           ("rdflib-endpoint", "param"): 20.0}


def render(names, summary) -> tuple[str, str]:
    head = "| server | query set | c | req/s | p50 ms | p99 ms | errors / requests |\n|---|---|---|---|---|---|---|"
    rows_ = []
    for qset in QUERY_SETS:
        for conc in CONCURRENCY:
            for name in names:
                s = summary[(name, qset, conc)]
                rows_.append(f"| {name} | {qset} | {conc} | {s['rps']:.1f} | {s['p50']:.2f} | {s['p99']:.2f} | "
                             f"{s['errors']} / {s['requests']} |")
    table = head + "\n" + "\n".join(rows_)
    peers = [n for n in names if n != "plgkg"]
    rhead = "| peer | query set | c | plgkg/peer req/s | target | met |\n|---|---|---|---|---|---|"
    rrows = []
    for peer in peers:
        for qset in QUERY_SETS:
            for conc in CONCURRENCY:
                mine, theirs = summary[("plgkg", qset, conc)]["rps"], summary[(peer, qset, conc)]["rps"]
                target = TARGETS.get((peer, qset))
                if not theirs:
                    rrows.append(f"| {peer} | {qset} | {conc} | n/a (peer answered nothing) | — | |")
                    continue
                ratio = mine / theirs
                met = "" if target is None else ("yes" if ratio >= target else "**no**")
                rrows.append(f"| {peer} | {qset} | {conc} | {ratio:.2f}× | "
                             f"{'≥ %.1f×' % target if target else '—'} | {met} |")
    if "oxigraph" in names and 32 in CONCURRENCY:
        for qset in QUERY_SETS:
            mine, theirs = summary[("plgkg", qset, 32)]["p99"], summary[("oxigraph", qset, 32)]["p99"]
            rrows.append(f"| oxigraph | {qset} | 32 | p99 {mine:.1f} ms vs {theirs:.1f} ms = {mine / theirs:.2f}× | "
                         f"≤ 1.0× | {'yes' if mine <= theirs else '**no**'} |")
    return table, rhead + "\n" + "\n".join(rrows)


if __name__ == "__main__":
    sys.exit(main())
