"""Shared fixtures: the shapes, the ontology and the whole catalogue, each loaded once."""

from __future__ import annotations

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
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


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
