"""User data works the same on a remote store: the catalogue loaded into a real Oxigraph server or
Virtuoso (`plgkg load --into`), schools and profiles imported into its user graph (`plgkg import
--into`), then `plgkg serve --store URL` answers the school list, a school, its gap analysis and its
page exactly as a service over an on-disk store with the same imports does."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.api.conftest import start_service, stop_service
from tests.cli import DUO, PROFILES, run
from tests.conftest import Server

IMPORTS = [
    ("schools", DUO / "vestigingen-vo.csv"),
    ("profiles", PROFILES / "good.csv"),
    ("profiles", PROFILES / "registry.yaml"),
]
PATHS = [
    ("/api/schools", {"limit": "1000"}),
    ("/api/schools/99zz00", {"lang": "en"}),
    ("/api/schools/school-in-de-ringen/gaps", {"lang": "en"}),
    ("/api/schools/99zz00/gaps", {"lang": "nl"}),
    ("/api/schools/98yy00/gaps", {"lang": "nl"}),
]


def _plgkg(*args: str) -> None:
    done = run(*args)
    assert done.returncode == 0, done.stdout + done.stderr


def _answers(url: str) -> list[object]:
    with httpx.Client(base_url=url, timeout=60) as client:
        answers: list[object] = []
        for path, params in PATHS:
            response = client.get(path, params=params)
            assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
            answers.append(response.json())
        page = client.get("/id/school/99zz00", headers={"Accept": "text/html"})
        assert page.status_code == 200
        answers.append(page.text.count("<dt>"))
        return answers


@pytest.fixture(scope="module")
def on_disk(tmp_path_factory: pytest.TempPathFactory) -> list[object]:
    folder = tmp_path_factory.mktemp("remote-reference")
    for what, path in IMPORTS:
        _plgkg("import", what, str(path), "--store-path", str(folder / "store"))
    process, url = start_service("--store-path", str(folder / "store"), "--workers", "1", log=folder / "log")
    try:
        return _answers(url)
    finally:
        stop_service(process)


def test_the_service_on_a_remote_store_reads_the_user_graph(
    server: Server, on_disk: list[object], tmp_path: Path
) -> None:
    _plgkg("load", "--into", server.url, "--replace")
    for what, path in IMPORTS:
        _plgkg("import", what, str(path), "--into", server.url)
    process, url = start_service("--store", server.url, log=tmp_path / "log")
    try:
        remote = _answers(url)
    finally:
        stop_service(process)
    assert remote[0]["total"] == 14  # the 4 schools of the chapter and the 10 imported ones
    assert [p["intervention"]["id"] for p in remote[2]["runs"]] == [
        "intercollegiale-observatie",
        "teamteaching",
    ]
    assert remote == on_disk
