"""Shared fixtures: the shapes, the ontology and the whole catalogue, each loaded once."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph

from plgkg.catalogue import ONTOLOGY_DIR, LoadedGraph, load
from plgkg.imports.pipeline import USER_GRAPH
from plgkg.validate import load_shapes

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
SEED = TESTS.parent.parent / "shared" / "seed" / "de-school-als-plg.txt"


@pytest.fixture(scope="session")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="session")
def ontology() -> Graph:
    return load([ONTOLOGY_DIR]).graph


@pytest.fixture(scope="session")
def catalogue() -> LoadedGraph:
    return load()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real, empty, in-memory `oxigraph serve` on a free local port: its base URL."""
    binary = Path(sys.executable).with_name("oxigraph")
    if not binary.is_file():
        pytest.skip(f"no Oxigraph server at {binary}: pip install oxigraph (in the dev extra)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path_factory.mktemp("oxigraph") / "server.log"
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(binary), "serve", "--bind", f"127.0.0.1:{port}"], stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 10
        while True:
            if server.poll() is not None:
                pytest.fail(f"oxigraph serve stopped: {log.read_text(errors='replace')[-500:]}")
            try:
                httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    pytest.fail(f"oxigraph serve did not answer at {url} within 10 s")
                time.sleep(0.05)
        yield url
    finally:
        stop(server, 5)


def stop(server: subprocess.Popen, wait_s: float) -> None:
    """Stop a server the tests started: asked first, killed after wait_s seconds."""
    server.terminate()
    try:
        server.wait(timeout=wait_s)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


VIRTUOSO_INI = """\
[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {directory}
NumberOfBuffers = 2000
MaxDirtyBuffers = 1200
MaxQueryMem = 64M
ThreadsPerQuery = 1
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 4
MaxClientConnections = 4

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private, empty Virtuoso (`virtuoso-t -f`) on free local ports, whose anonymous SPARQL user
    may update: its /sparql URL. Its database lives in a temporary folder, the only one it may read."""
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    if binary is None or isql is None:
        pytest.skip("no Virtuoso here (virtuoso-t and isql-vt): apt-get install virtuoso-opensource")
    directory = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = _free_port(), _free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(sql_port=sql_port, http_port=http_port, directory=directory))
    log = directory / "server.log"
    url = f"http://127.0.0.1:{http_port}/sparql"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [binary, "-f", "-c", str(ini)], cwd=directory, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"virtuoso-t stopped: {log.read_text(errors='replace')[-500:]}")
            try:
                httpx.get(url, params={"query": "ASK {}"}, timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    pytest.fail(f"Virtuoso did not answer at {url} within 60 s")
                time.sleep(0.1)
        # The anonymous "SPARQL" user may only read until it is granted SPARQL_UPDATE, which also
        # opens the Graph Store at /sparql-graph-crud. dba/dba is the new database's own login.
        granted = subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba", 'EXEC=GRANT SPARQL_UPDATE TO "SPARQL";'],
            capture_output=True,
            text=True,
            timeout=30,
        )
        if granted.returncode != 0 or "Error" in granted.stdout + granted.stderr:
            pytest.fail(f"cannot grant SPARQL_UPDATE: {granted.stdout}{granted.stderr}")
        yield url
    finally:
        stop(server, 20)


@pytest.fixture(scope="session")
def chapter_text() -> str:
    """The chapter as one line of text: page breaks, line breaks and hyphenation undone."""
    if not SEED.is_file():
        pytest.skip(f"the chapter is not at {SEED}")
    return normalise_chapter(SEED.read_text(encoding="utf-8"))


def normalise_chapter(text: str) -> str:
    import re

    text = text.replace("\u00ad", "").replace("\uf0b7", "").replace("�", "")
    text = re.sub(r"-\n(?=[a-zà-ÿ])", "", text)  # "individu-\neel" -> "individueel"
    text = re.sub(r"\s+", " ", text)
    return text


def same_graph(a: Graph, b: Graph) -> bool:
    """Whether two graphs are isomorphic, decided by Oxigraph's blank-node canonicalisation
    (deterministic; rdflib's hash-based check has given rare false negatives on this catalogue)."""
    import pyoxigraph as ox

    def canonical(graph: Graph) -> ox.Dataset:
        dataset = ox.Dataset(
            ox.parse(graph.serialize(format="nt").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        )
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        return dataset

    return canonical(a) == canonical(b)


class Server:
    """A SPARQL server's user graph, read and emptied over plain HTTP (not through plgkg)."""

    def __init__(self, url: str, query: str, update: str) -> None:
        self.url, self.query_url, self.update_url = url, query, update

    def user_graph(self) -> Graph:
        response = httpx.post(
            self.query_url,
            data={"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{USER_GRAPH}> {{ ?s ?p ?o }} }}"},
            headers={"Accept": "application/n-triples"},
            timeout=60,
        )
        response.raise_for_status()
        graph = Graph()
        graph.parse(data=response.text, format="nt")
        return graph

    def drop_user_graph(self) -> None:
        httpx.post(
            self.update_url, data={"update": f"DROP SILENT GRAPH <{USER_GRAPH}>"}, timeout=60
        ).raise_for_status()
        assert len(self.user_graph()) == 0


@pytest.fixture(params=["oxigraph", "virtuoso"])
def server(request: pytest.FixtureRequest) -> Iterator[Server]:
    """A real Oxigraph server, then a real Virtuoso, each with an empty user graph before and after
    the test (the servers are shared by the session)."""
    if request.param == "oxigraph":
        url = request.getfixturevalue("oxigraph_server")
        found = Server(url, f"{url}/query", f"{url}/update")
    else:
        url = request.getfixturevalue("virtuoso_server")
        found = Server(url, url, url)
    found.drop_user_graph()
    yield found
    found.drop_user_graph()


# With `pytest -n N --dist loadgroup` (make test) each test file runs in one worker, so the servers a
# file starts stay with it, as `--dist loadfile` would; a file whose tests are many and slow splits
# into SPLIT groups (its fixtures are session-wide or cheap), so it does not hold one worker alone.
SPLIT = {"test_shapes.py": 4, "test_accessibility.py": 2}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for number, item in enumerate(items):
        if item.get_closest_marker("xdist_group") is None:
            name = item.path.name
            group = f"{item.path}" if name not in SPLIT else f"{item.path}#{number % SPLIT[name]}"
            item.add_marker(pytest.mark.xdist_group(group))
