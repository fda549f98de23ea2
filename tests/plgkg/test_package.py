"""The built wheel is a working package: it carries the ontology, the catalogue and the shapes, and
its CLI validates and counts them when installed away from the source tree (issue 13)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ("ontology", "catalogue", "shapes")
# what a build never reads (environments, caches, outputs)
NOT_SOURCES = (".git", ".venv", "node_modules", "build", "dist", "out", "*.egg-info", "__pycache__",
               ".pytest_cache", ".ruff_cache")  # fmt: skip


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    # From a copy of the sources: setuptools builds in ./build, where a build that was cut off
    # leaves files the next one trips over ("File exists"), and the work tree stays untouched.
    source = tmp_path_factory.mktemp("source") / "plgkg"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCES))
    # Offline: the development environment's setuptools builds it (no build isolation, no index).
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", str(dist), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = dist.glob("plgkg-*.whl")
    return built


def test_the_wheel_carries_every_data_file_under_the_package(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"plgkg/data/{kind}/{path.name}" for kind in DATA for path in (ROOT / kind).glob("*.ttl")}
    assert len(expected) >= 10
    assert expected <= names
    assert [n for n in names if n.split("/", 1)[0] in DATA] == []  # nothing at the top level
    assert {
        "plgkg_api/locales/nl.json",
        "plgkg_api/locales/en.json",
    } <= names  # the pages' message catalogues


def test_the_wheel_installs_the_web_package_under_its_own_name(wheel: Path) -> None:
    top = {n.split("/", 1)[0] for n in zipfile.ZipFile(wheel).namelist() if not n.endswith(".dist-info/")}
    assert {t for t in top if not t.endswith(".dist-info")} == {"plgkg", "plgkg_api"}
    entry_points = next(
        zipfile.ZipFile(wheel).read(n).decode()
        for n in zipfile.ZipFile(wheel).namelist()
        if n.endswith(".dist-info/entry_points.txt")
    )
    assert "serve = plgkg_api.command:add_command" in entry_points


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed: its bin folder. The dependencies are
    this environment's, seen through a .pth file (offline, and minutes faster than installing them)."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    (site,) = (venv / "lib").glob("python3*/site-packages")
    ours = next(p for p in map(Path, sys.path) if p.name == "site-packages" and (p / "rdflib").is_dir())
    (site / "dependencies.pth").write_text(f"{ours}\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q",
         "--no-deps", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return venv / "bin"


def _run(bin: Path, cwd: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(bin / "plgkg"), *args], capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env
    )


def test_the_installed_cli_validates_and_counts_the_packaged_data(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [str(installed / "python"), "-c", "import plgkg.catalogue as c, plgkg_api; print(c.CATALOGUE_DIR)"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert where.returncode == 0, where.stderr
    assert str(installed.parent) in where.stdout and where.stdout.strip().endswith("plgkg/data/catalogue")
    validated = _run(installed, tmp_path, "validate")
    assert validated.returncode == 0, validated.stderr
    assert validated.stderr.splitlines()[-1].startswith("conforms; 3 warning(s);")
    counted = _run(installed, tmp_path, "stats")
    assert counted.returncode == 0, counted.stderr
    assert "characteristics no intervention serves: 0" in counted.stdout


def test_the_installed_service_serves_pages_and_the_api(installed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(installed / "plgkg"), "serve", "--port", "0", "--workers", "1"],
            stdout=out, stderr=subprocess.STDOUT, cwd=tmp_path, env=env,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while "serving on" not in log.read_text() and server.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        started = log.read_text()
        assert "serving on http://127.0.0.1:" in started, started
        url = started.split("serving on ", 1)[1].split("/ ", 1)[0]
        with httpx.Client(base_url=url, timeout=30) as client:
            assert client.get("/healthz").json()["status"] == "ok"
            page = client.get("/id/intervention/teamteaching", headers={"Accept": "text/html"})
            assert page.status_code == 200 and "<h1>Teamteaching</h1>" in page.text
            assert client.get("/static/plgkg.css").status_code == 200
            assert client.get("/api/frameworks").json()["total"] == 4
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_one_version_everywhere() -> None:
    """pyproject.toml's version is the package's (read from its metadata), the ontology's and the
    shapes' owl:versionInfo."""
    import tomllib

    from rdflib import Graph
    from rdflib.namespace import OWL

    import plgkg

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert plgkg.__version__ == declared
    for path in (ROOT / "ontology" / "plg.ttl", ROOT / "shapes" / "plg-shapes.ttl"):
        assert [str(v) for v in Graph().parse(path).objects(None, OWL.versionInfo)] == [declared], path
