"""The built wheel is a working package: it carries the ontology, the catalogue and the shapes, and
its CLI validates and counts them when installed away from the source tree (issue 13)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ("ontology", "catalogue", "shapes")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    # Offline: the development environment's setuptools builds it (no build isolation, no index).
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", str(dist), str(ROOT)],
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
    assert {"api/locales/nl.json", "api/locales/en.json"} <= names  # the pages' message catalogues


def test_the_installed_cli_validates_and_counts_the_packaged_data(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "plgkg.cli", *args],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=tmp_path,
            env=env,
        )

    where = subprocess.run(
        [sys.executable, "-c", "import plgkg.catalogue as c; print(c.CATALOGUE_DIR)"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=env,
    )
    assert where.stdout.strip() == str(site / "plgkg" / "data" / "catalogue")
    validated = run("validate")
    assert validated.returncode == 0, validated.stderr
    assert validated.stderr.splitlines()[-1].startswith("conforms; 3 warning(s);")
    counted = run("stats")
    assert counted.returncode == 0, counted.stderr
    assert "characteristics no intervention serves: 0" in counted.stdout


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
