"""The write step every import shares (plgkg.imports.pipeline.write): up to TRANSACTION_TRIPLES
triples in one transaction, more with the bulk loader, which leaves exactly what a transaction
leaves; a bulk write cut off half-way is reported until the same import runs again."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from plgkg.errors import StoreError
from plgkg.imports import pipeline
from plgkg.imports.pipeline import UNFINISHED, USER_GRAPH, interrupted_imports, interrupted_warning
from plgkg.imports.register import import_schools
from plgkg.stores import OxigraphStore
from tests.plgkg.imports.test_register import DUO, REGISTRY_TRIPLES, imported

GOOD = DUO / "vestigingen-vo.csv"


def _user_graph(store: Path) -> set[str]:
    disk = ox.Store.read_only(str(store))
    return {str(q.triple) for q in disk.quads_for_pattern(None, None, None, ox.NamedNode(USER_GRAPH))}


def _changed(tmp_path: Path) -> Path:
    """The good file with another street for its first school."""
    changed = tmp_path / "changed.csv"
    lines = GOOD.read_bytes().decode("utf-8-sig").split("\r\n")
    changed.write_text("\r\n".join([lines[0], lines[1].replace("Verzonnenstraat", "Nieuwe Straat")]) + "\r\n")
    return changed


def test_a_bulk_write_leaves_what_a_transaction_leaves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, bulk = tmp_path / "one", tmp_path / "bulk"
    for path in (GOOD, _changed(tmp_path)):
        import_schools(path, store_path=one)  # 165 triples: one transaction
    monkeypatch.setattr(pipeline, "TRANSACTION_TRIPLES", 10)
    for path in (GOOD, _changed(tmp_path)):
        import_schools(path, store_path=bulk)
    assert _user_graph(bulk) == _user_graph(one)
    assert len(_user_graph(bulk)) == REGISTRY_TRIPLES
    assert '"Nieuwe Straat 1"' in " ".join(_user_graph(bulk))
    assert not (bulk / UNFINISHED).exists()
    assert interrupted_imports(bulk) == []


def test_a_bulk_write_cut_off_is_reported_until_the_import_runs_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    monkeypatch.setattr(pipeline, "TRANSACTION_TRIPLES", 10)
    real = OxigraphStore.replace_in_graph

    def half_then_fail(self: OxigraphStore, graph_uri: str, removals: list[str], ntriples: bytes) -> None:
        lines = ntriples.splitlines(keepends=True)
        real(self, graph_uri, removals, b"".join(lines[: len(lines) // 2]))
        raise StoreError("cannot write to the oxigraph store: No space left on device")

    monkeypatch.setattr(OxigraphStore, "replace_in_graph", half_then_fail)
    with pytest.raises(StoreError, match="No space left on device"):
        import_schools(GOOD, name="vestigingen-vo.csv", store_path=store)
    assert 0 < len(_user_graph(store)) < REGISTRY_TRIPLES
    [entry] = interrupted_imports(store)
    assert entry["what"] == "plgkg import schools vestigingen-vo.csv"
    warning = interrupted_warning(store)
    assert warning is not None
    assert warning.startswith(
        f"warning: an import into {store} did not finish: plgkg import schools vestigingen-vo.csv (started 20"
    )
    assert warning.endswith("The user graph may hold part of its rows: run that import again to complete it.")

    monkeypatch.setattr(OxigraphStore, "replace_in_graph", real)
    # another import says so, and leaves the note
    other = imported(store, str(_changed(tmp_path)))
    assert other.returncode == 0, other.stderr
    assert f"plgkg: {warning}" in other.stderr
    # the same import again completes it and removes the note
    again = imported(store, "vestigingen-vo.csv")
    assert again.returncode == 0, again.stderr
    assert "did not finish" not in again.stderr
    assert interrupted_imports(store) == []
    assert len(_user_graph(store)) == REGISTRY_TRIPLES


def test_a_note_that_cannot_be_read_names_no_import(tmp_path: Path) -> None:
    (tmp_path / UNFINISHED).write_text("{not json", encoding="utf-8")
    assert interrupted_imports(tmp_path) == []
    assert interrupted_warning(tmp_path) is None
