"""What a school leader waits for at scale (issue 5): the school list, finding a school, a school's
page and its gap analysis, served by `plgkg serve --store-path` over a store filled the production way
(`plgkg import schools` + `plgkg import profiles` of bench/generate.py's DUO-shaped data).

Per size (SCHOOLS_SIZES, default 100k and 1M triples): the first /schools after start-up (it builds
the school index), then p50 over SCHOOLS_SAMPLES requests each of: /schools pages, /schools?q=<text>,
/api/schools/{id}, /api/schools/{id}/gaps and /id/school/{id} (the page with its gaps), every request
for another school, so no answer comes from a cache. The same school's profile and gaps straight from
`oxigraph serve` over the same data (the profile query plgkg/queries/gaps/practices.rq, schools
bound in the text; the catalogue's part of an analysis is read once per data generation) are the
peer: what the store alone costs. Writes the *Schools* section of RESULTS.md.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench import generate, queries, results, servers
from bench.scale import plgkg_import
from plgkg.queries import load_query

SIZES = [int(s) for s in (os.environ.get("SCHOOLS_SIZES") or "100000 1000000").split()]
SAMPLES = int(os.environ.get("SCHOOLS_SAMPLES") or 50)
TIMEOUT = float(os.environ.get("SCHOOLS_TIMEOUT") or 120)


def _timed(http: httpx.Client, path: str, **kwargs: object) -> float:
    t0 = time.perf_counter()
    response = http.get(path, **kwargs)
    elapsed = time.perf_counter() - t0
    if response.status_code != 200:
        raise RuntimeError(f"{path}: HTTP {response.status_code}: {response.text[:200]}")
    return elapsed * 1e3


def _p50(values: list[float]) -> float:
    return statistics.median(values)


def _gap_queries(school: str, lang: str) -> list[str]:
    """The gap analysis's query for one school (its profile; the catalogue's part is read once per
    data generation) as plain SPARQL, the school and the language in a VALUES block first in the
    WHERE clause (as plgkg binds values on a remote store)."""
    values = f'WHERE {{ VALUES (?school ?lang) {{ (<{school}> "{lang}") }}'
    names = ("gaps/practices",)
    return [load_query(name).replace("WHERE {", values, 1) for name in names]


# the peer of search: a store's own way to find schools by a word of their name (no text index)
NAME_SEARCH = """PREFIX plg: <https://w3id.org/plgkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?school ?label WHERE {
    ?school a plg:School ; rdfs:label ?label . FILTER(CONTAINS(LCASE(STR(?label)), "TEXT"))
} LIMIT 20"""


def _name_words(http: httpx.Client, schools: list[str]) -> list[str]:
    """One word (of four letters or more) from the name of each of these schools, as people type."""
    found = []
    for school in schools:
        label = http.get(f"/api/schools/{school}").json()["label"]
        long = [w for w in label.split() if len(w) >= 4 and w.isalpha()] or [label]
        found.append(long[len(found) % len(long)])
    return found


def measure(size: int) -> dict:
    cat = generate.export_catalogue(servers.OUT / "catalogue.nt")
    made = generate.generate_files(cat, servers.OUT / f"schools-{size}", size)
    iris = queries.subjects_of_type(made.ntriples, queries.PLG + "School", limit=5000)
    rng = random.Random(11)
    # Another school for every request of the three per-school measurements: nothing is cached.
    picks = rng.sample(iris, min(len(iris), 3 * SAMPLES))
    groups = [[iri.rsplit("/", 1)[1] for iri in picks[i::3]] for i in range(3)]
    out: dict = {"triples": made.triples, "schools": made.schools, "practices": made.practices}
    folder = Path(tempfile.mkdtemp(prefix="bench-schools-", dir=servers.OUT))
    try:
        plgkg_import(made, folder / "store", out)
        server = servers.start_plgkg_store(folder / "store", timeout_s=TIMEOUT, name="plgkg-schools")
        base = server.url.removesuffix("/sparql")
        html = {"Accept": "text/html"}
        try:
            with httpx.Client(base_url=base, timeout=60) as http:
                out["list_first_ms"] = _timed(http, "/schools", headers=html)
                pages = max(1, made.schools // 50)
                out["list_p50_ms"] = _p50(
                    [_timed(http, "/schools", params={"page": rng.randint(1, pages)}, headers=html)
                     for _ in range(SAMPLES)]
                )  # fmt: skip
                out["find_p50_ms"] = _p50(
                    [_timed(http, "/schools", params={"q": s[:3]}, headers=html) for s in groups[0]]
                )
                out["school_api_p50_ms"] = _p50([_timed(http, f"/api/schools/{s}") for s in groups[0]])
                out["gaps_api_p50_ms"] = _p50([_timed(http, f"/api/schools/{s}/gaps") for s in groups[1]])
                out["page_p50_ms"] = _p50([_timed(http, f"/id/school/{s}", headers=html) for s in groups[2]])
                # search (plgkg.search: SQLite FTS5 over the catalogue and the register), by the
                # words of school names people type; plgkg serve builds the index as it starts, so
                # the first search waits at most for what is left of that
                words = _name_words(http, groups[0])
                out["search_first_ms"] = _timed(http, "/api/search", params={"q": words[0]})
                out["search_p50_ms"] = _p50([_timed(http, "/api/search", params={"q": w}) for w in words[1:]])
                out["suggest_p50_ms"] = _p50(
                    [_timed(http, "/api/suggest", params={"q": w[:4]}) for w in words[1:]]
                )
            out["rss_mib"] = server.rss_bytes() / 2**20
        finally:
            server.stop()
        peer = servers.start_oxigraph(made.ntriples, timeout_s=TIMEOUT)
        try:
            with httpx.Client(timeout=60) as http:
                times = []
                for school in picks[1::3]:  # the schools of the gaps column
                    t0 = time.perf_counter()
                    for sparql in _gap_queries(school, "nl"):
                        r = http.post(peer.url, data={"query": sparql}, headers={"Accept": servers.ACCEPT})
                        if r.status_code != 200:
                            raise RuntimeError(f"oxigraph: HTTP {r.status_code}: {r.text[:200]}")
                    times.append((time.perf_counter() - t0) * 1e3)
                out["oxigraph_gaps_p50_ms"] = _p50(times)
                times = []
                for text in words[1:]:  # the store alone: names that contain the text, no index
                    t0 = time.perf_counter()
                    r = http.post(peer.url, data={"query": NAME_SEARCH.replace("TEXT", text.lower())},
                                  headers={"Accept": servers.ACCEPT})  # fmt: skip
                    if r.status_code != 200:
                        raise RuntimeError(f"oxigraph: HTTP {r.status_code}: {r.text[:200]}")
                    times.append((time.perf_counter() - t0) * 1e3)
                out["oxigraph_search_p50_ms"] = _p50(times)
        finally:
            peer.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return out


def render(rows: list[dict]) -> str:
    lines = [
        "## Schools",
        "",
        results.machine_facts(),
        "",
        "`make bench-schools` (bench/schools.py): data from bench/generate.py imported the production "
        "way, then `plgkg serve --store-path`. *first list*: the first /schools after start-up (it "
        "builds the school index, remembered until the data change). The p50 columns are over "
        f"{SAMPLES} requests: list pages, finding a school by text, a school's JSON, its gap analysis "
        "(JSON) and its page (HTML, gaps included); the last three each for other schools, so no "
        "answer comes from a cache. Peer: the gap analysis's SPARQL query (the school's profile) "
        "for the same schools sent to `oxigraph serve` over the same data (no HTML, no JSON model: what the store alone costs). "
        "*Search*: /api/search and /api/suggest by a word of a school's name (*first search*: the first "
        "after the list above; plgkg serve builds the index of the catalogue and the register in the "
        "background as it starts); peer: the schools whose label contains that word, "
        "asked of `oxigraph serve` (no text index, no stemming, no ranking).",
        "",
        "| triples | schools | first list ms | list p50 | find p50 | school p50 | gaps p50 | page p50 "
        "| oxigraph gaps p50 | first search ms | search p50 | suggest p50 | oxigraph name search p50 "
        "| RSS MiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r.get('triples', '')} | {r.get('schools', '')} | error: {r['error']} |")
            continue
        lines.append(
            f"| {r['triples']:,} | {r['schools']:,} | {r['list_first_ms']:.0f} | {r['list_p50_ms']:.1f} "
            f"| {r['find_p50_ms']:.1f} | {r['school_api_p50_ms']:.1f} | {r['gaps_api_p50_ms']:.1f} "
            f"| {r['page_p50_ms']:.1f} | {r['oxigraph_gaps_p50_ms']:.1f} | {r['search_first_ms']:.0f} "
            f"| {r['search_p50_ms']:.1f} | {r['suggest_p50_ms']:.1f} | {r['oxigraph_search_p50_ms']:.1f} "
            f"| {r['rss_mib']:.0f} |"
        )
    return "\n".join(lines)


def main() -> int:
    rows = []
    for size in SIZES:
        try:
            row = measure(size)
        except (RuntimeError, TimeoutError) as err:
            row = {"triples": size, "error": str(err).splitlines()[0][:200]}
        print(row, flush=True)
        rows.append(row)
    results.update_section("schools", render(rows))
    print(f"written: {results.RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
