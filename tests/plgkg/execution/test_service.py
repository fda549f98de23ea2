"""The query service's start: data that conformed once is not validated again until a byte changes."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from plgkg.catalogue import DEFAULT_PATHS, rdf_files
from plgkg.errors import InvalidDataError
from plgkg.execution.service import QueryService
from plgkg.settings import ServiceSettings
from plgkg.shape_queries import CompiledShapes
from plgkg.validate import validation_marker


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
    first = validation_marker(files)
    assert first.parent == cache_home / "plgkg" / "validated"
    assert validation_marker(files) == first
    files[0].write_bytes(files[0].read_bytes() + b"\n# a comment\n")
    assert validation_marker(files) != first


def test_conforming_data_is_validated_once(cache_home: Path, tmp_path: Path, monkeypatch) -> None:
    _copy_catalogue(tmp_path / "data")
    settings = ServiceSettings(data=(tmp_path / "data",), workers=1)
    calls = []
    validate = CompiledShapes.validate  # the shapes run on the store the files were read into
    monkeypatch.setattr(CompiledShapes, "validate", lambda *args: calls.append(1) or validate(*args))
    for _ in range(2):
        QueryService.start(settings).close()
    assert calls == [1]
    marker = validation_marker(rdf_files([tmp_path / "data"]))
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
        with pytest.raises(InvalidDataError) as refused:
            QueryService.start(settings)
        # the report names the file and line (where the resource is typed), as it always has
        where = {(v.origin.path.name, bool(v.origin.line)) for v in refused.value.report.violations}
        assert where == {("interventions.ttl", True)}
    assert not validation_marker(rdf_files([tmp_path / "data"])).exists()


def test_named_query_results_are_remembered_until_the_store_changes(cache_home: Path, tmp_path: Path) -> None:
    from rdflib import Literal

    from plgkg.imports.pipeline import USER_GRAPH
    from plgkg.stores import OxigraphStore

    store_path = tmp_path / "store"
    service = QueryService.start(ServiceSettings(store_path=store_path, workers=1))
    try:
        before = service.named_query("api/school-index", {"lang": Literal("nl")})
        calls: list[int] = []

        def derive() -> int:
            calls.append(1)
            return len(service.named_query("api/school-index", {"lang": Literal("nl")}).rows)

        assert service.memo("count", derive) == service.memo("count", derive) == len(before.rows)
        assert len(calls) == 1  # remembered
        assert service.named_query("api/school-index", {"lang": Literal("nl")}) is before  # remembered
        assert service.named_query("api/school-index", {"lang": Literal("en")}) is not before
        writer = OxigraphStore(path=store_path)  # what `plgkg import` does while the service runs
        writer.update(
            f"INSERT DATA {{ GRAPH <{USER_GRAPH}> {{ <https://example.org/school/x> a "
            "<https://w3id.org/plgkg/ontology#School> ; "
            '<http://www.w3.org/2000/01/rdf-schema#label> "School X"@nl } }'
        )
        writer.close()
        after = service.named_query("api/school-index", {"lang": Literal("nl")})
        assert after is not before
        added = [row["school"] for row in after.bindings() if str(row["label"]) == "School X"]
        assert [str(s) for s in added] == ["https://example.org/school/x"]
        assert len(after.rows) == len(before.rows) + 1
        assert service.memo("count", derive) == len(before.rows) + 1  # derived again from the new data
        assert len(calls) == 2
    finally:
        service.close()


def test_the_service_waits_while_an_import_holds_the_store(cache_home: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    store_path = tmp_path / "store"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, pyoxigraph as ox; s = ox.Store(sys.argv[1]); print('held', flush=True); "
            "time.sleep(2)",
            str(store_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        service = QueryService.start(ServiceSettings(store_path=store_path, workers=1))
        try:
            assert time.monotonic() - started > 0.5  # it waited for the lock ...
            assert service.triples > 3000  # ... then wrote the catalogue and serves it
        finally:
            service.close()
    finally:
        holder.wait(timeout=30)
        holder.stdout.close()


def test_memo_callers_of_one_key_wait_for_one_computation() -> None:
    service = QueryService.start(ServiceSettings(workers=1))
    try:
        calls = []

        def slow() -> str:
            calls.append(threading.get_ident())
            time.sleep(0.3)
            return "built"

        answers: list[str] = []
        threads = [
            threading.Thread(target=lambda: answers.append(service.memo(("k",), slow))) for _ in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        assert answers == ["built"] * 4
        assert len(calls) == 1
        assert service.memo(("other",), lambda: "other") == "other"  # other keys do not wait
    finally:
        service.close()
