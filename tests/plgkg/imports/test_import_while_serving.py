"""`plgkg import` into the on-disk store of a running `plgkg serve --store-path`, as a user does it.

The service's query workers open the store read-only, which takes no lock; one process at a time may
hold the write lock (an import, or the service while it starts and writes the catalogue), and an
import waits for it (`--wait`, default 60 s) instead of failing.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from plgkg.imports.pipeline import USER_GRAPH, user_graph_size
from tests.api.conftest import start_service, stop_service
from tests.cli import PLGKG
from tests.plgkg.imports.test_register import REGISTRY_TRIPLES

ROOT = Path(__file__).resolve().parents[3]
DUO = ROOT / "tests" / "fixtures" / "duo"
PROFILES = ROOT / "tests" / "fixtures" / "profiles"
SCHOOL = "https://w3id.org/plgkg/id/school/"
CODES = ["99zz00", "99zz01", "98yy00", "97xx00", "97xx02", "96ww00", "95vv00", "94uu00", "93tt00", "92ss00"]
PROFILE_TRIPLES = 13  # registry.yaml: two practices (5 + 1 since + 2 notes, and 5)


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PLGKG, *args], capture_output=True, text=True, timeout=timeout)


@dataclass
class Served:
    url: str
    store: Path
    schools: subprocess.CompletedProcess[str]
    profiles: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A running service on a fresh on-disk store, into which schools and a profile were imported
    after it started."""
    folder = tmp_path_factory.mktemp("serving")
    store = folder / "store"
    process, url = start_service("--store-path", str(store), "--workers", "1", log=folder / "serve.log")
    try:
        before = httpx.get(f"{url}/api/schools", timeout=30).json()["total"]
        assert before == 4  # the catalogue's own schools
        schools = run("import", "schools", str(DUO / "vestigingen-vo.csv"), "--store-path", str(store))
        profiles = run("import", "profiles", str(PROFILES / "registry.yaml"), "--store-path", str(store))
        yield Served(url, store, schools, profiles)
    finally:
        stop_service(process)


def test_an_import_succeeds_while_the_service_runs(served: Served) -> None:
    assert served.schools.returncode == 0, served.schools.stderr
    assert served.schools.stderr.strip().splitlines()[-1].startswith("10 of 10 school(s) imported")
    assert served.profiles.returncode == 0, served.profiles.stdout + served.profiles.stderr
    assert served.profiles.stderr.strip().splitlines()[-1].startswith("2 of 2 practice(s) imported")
    # the rows are in the store (read while the service still has it open) …
    assert user_graph_size(served.store) == REGISTRY_TRIPLES + PROFILE_TRIPLES
    disk = ox.Store.read_only(str(served.store))
    schools = {
        q.subject.value
        for q in disk.quads_for_pattern(
            None,
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode("https://w3id.org/plgkg/ontology#School"),
            ox.NamedNode(USER_GRAPH),
        )
    }
    assert schools == {SCHOOL + code for code in CODES}
    # … and the service, whose workers read the same store, still answers
    health = httpx.get(f"{served.url}/healthz", timeout=30)
    assert health.status_code == 200, health.text


def test_the_running_service_answers_with_the_imported_rows(served: Served) -> None:
    """The workers reopen the store when its generation (plgkg.stores.generation) changes."""
    deadline = time.monotonic() + 10
    while True:
        listed = httpx.get(f"{served.url}/api/schools", params={"limit": 1000}, timeout=30).json()
        ids = {item["iri"] for item in listed["items"]}
        if {SCHOOL + code for code in CODES} <= ids or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert {SCHOOL + code for code in CODES} <= ids
    response = httpx.post(
        f"{served.url}/sparql",
        data={"query": f"SELECT (COUNT(*) AS ?n) FROM <{USER_GRAPH}> WHERE {{ ?s ?p ?o }}"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == REGISTRY_TRIPLES + PROFILE_TRIPLES


HOLD_LOCK = """
import sys, time
import pyoxigraph as ox
store = ox.Store(sys.argv[1])  # the write lock, as an import or a starting service holds it
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
"""


def _hold_lock(store: Path, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(store), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None
    with holder.stdout:
        assert holder.stdout.readline().strip() == "locked"
    return holder


def test_an_import_waits_while_another_writer_holds_the_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    holder = _hold_lock(store, 3.0)
    try:
        started = time.monotonic()
        done = run("import", "schools", str(DUO / "vestigingen-vo.csv"), "--store-path", str(store))
        waited = time.monotonic() - started
    finally:
        holder.wait(timeout=30)
    assert done.returncode == 0, done.stderr
    assert waited > 1.0  # it did wait for the lock
    assert user_graph_size(store) == REGISTRY_TRIPLES


def test_an_import_that_cannot_get_the_store_says_so_and_writes_nothing(tmp_path: Path) -> None:
    store = tmp_path / "store"
    holder = _hold_lock(store, 20.0)
    try:
        done = run(
            "import", "schools", str(DUO / "vestigingen-vo.csv"), "--store-path", str(store), "--wait", "0.5"
        )
        profiles = run(
            "import", "profiles", str(PROFILES / "good.csv"), "--store-path", str(store), "--wait", "0.5"
        )
    finally:
        holder.kill()
        holder.wait(timeout=30)
    for outcome in (done, profiles):
        assert outcome.returncode == 2
        assert outcome.stdout == ""
        assert outcome.stderr.strip() == (
            f"plgkg: the store at {store} is locked by another writer (another plgkg import, or plgkg "
            "serve --store-path while it starts); waited 0.5 s, nothing was written: try again, or pass "
            "--wait with more seconds"
        )
    assert user_graph_size(store) == 0
