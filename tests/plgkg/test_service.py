"""The query service's start: data that conformed once is not validated again until a byte changes."""

from __future__ import annotations

from pathlib import Path

import pytest

import plgkg.service
from plgkg.catalogue import DEFAULT_PATHS, rdf_files
from plgkg.service import InvalidDataError, QueryService, ServiceSettings, _validation_marker


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _copy_catalogue(target: Path) -> list[Path]:
    copies = []
    for path in rdf_files(DEFAULT_PATHS):
        copy = target / path.parent.name / path.name
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(path.read_bytes())
        copies.append(copy)
    return copies


def test_the_marker_changes_with_any_byte_of_the_data(cache_home: Path, tmp_path: Path) -> None:
    files = _copy_catalogue(tmp_path / "data")
    first = _validation_marker(files)
    assert first.parent == cache_home / "plgkg" / "validated"
    assert _validation_marker(files) == first
    files[0].write_bytes(files[0].read_bytes() + b"\n# a comment\n")
    assert _validation_marker(files) != first


def test_conforming_data_is_validated_once(cache_home: Path, tmp_path: Path, monkeypatch) -> None:
    _copy_catalogue(tmp_path / "data")
    settings = ServiceSettings(data=(tmp_path / "data",), workers=1)
    calls = []
    validate = plgkg.service.validate_loaded
    monkeypatch.setattr(plgkg.service, "validate_loaded", lambda loaded: calls.append(1) or validate(loaded))
    for _ in range(2):
        QueryService.start(settings).close()
    assert calls == [1]
    marker = _validation_marker(rdf_files([tmp_path / "data"]))
    assert marker.read_text(encoding="utf-8").endswith("triples conformed\n")


def test_data_that_does_not_conform_is_never_remembered(cache_home: Path, tmp_path: Path) -> None:
    _copy_catalogue(tmp_path / "data")
    (tmp_path / "data" / "extra.ttl").write_text(
        "<https://w3id.org/plgkg/id/intervention/teamteaching> "
        '<http://www.w3.org/2004/02/skos/core#prefLabel> "Een tweede naam"@nl .\n',
        encoding="utf-8",
    )
    settings = ServiceSettings(data=(tmp_path / "data",), workers=1)
    for _ in range(2):
        with pytest.raises(InvalidDataError):
            QueryService.start(settings)
    assert not _validation_marker(rdf_files([tmp_path / "data"])).exists()
