"""kill -9 in the middle of an import's write: the on-disk store keeps all of the import or none of it
(one transaction), or, for a write too big for one (the bulk loader), says which import was cut off
until that import runs again.

The kill is timed by the store itself: the test watches the rocksdb LOCK file, which the importer
holds from the moment it opens the store for writing until it has committed and closed it, and kills
the importer as soon as it holds it — while the one SPARQL Update of thousands of schools runs."""

from __future__ import annotations

import contextlib
import fcntl
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from plgkg.imports.pipeline import UNFINISHED, interrupted_imports, interrupted_warning, user_graph_size
from plgkg.settings import TRANSACTION_TRIPLES
from tests.cli import PLGKG
from tests.plgkg.imports.test_register import _big_file, imported


def _held_by_another_process(lock: Path) -> bool:
    """Whether some process holds the rocksdb write lock (a POSIX record lock) on lock."""
    try:
        handle = lock.open("r+b")
    except OSError:
        return False
    with handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.lockf(handle, fcntl.LOCK_UN)
        return False


def _import_killed_when(csv: Path, store: Path, ready: Callable[[], bool]) -> bool:
    """Run `plgkg import schools csv` into store and kill -9 it as soon as ready() (polled every
    2 ms); whether it was killed before it finished."""
    process = subprocess.Popen(
        [PLGKG, "import", "schools", str(csv), "--store-path", str(store)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if ready():
                process.send_signal(signal.SIGKILL)
                break
            time.sleep(0.002)
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        process.wait(timeout=30)
    return process.returncode == -signal.SIGKILL


def test_kill_9_while_the_import_writes_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert imported(store, "vestigingen-vo.csv").returncode == 0
    before = user_graph_size(store)
    big = tmp_path / "big.csv"
    _big_file(big, 2_000)

    killed = _import_killed_when(big, store, lambda: _held_by_another_process(store / "LOCK"))
    assert killed, "the import finished without ever being seen writing"
    assert user_graph_size(store) == before  # none of the interrupted import

    done = imported(store, str(big))  # the store opens again, and the same import completes
    assert done.returncode == 0, done.stderr
    assert user_graph_size(store) > before


def test_kill_9_during_a_bulk_write_is_reported_and_the_import_run_again_completes(tmp_path: Path) -> None:
    # more than TRANSACTION_TRIPLES triples: written with the bulk loader, not in one transaction
    big = tmp_path / "big.csv"
    _big_file(big, 4_500)
    clean = tmp_path / "clean"
    assert imported(clean, str(big)).returncode == 0
    assert user_graph_size(clean) > TRANSACTION_TRIPLES

    store = tmp_path / "store"
    # killed once the note is written, so as the bulk write begins
    killed = _import_killed_when(big, store, (store / UNFINISHED).exists)
    assert killed, "the import finished before its bulk write was seen"
    assert [e["what"] for e in interrupted_imports(store)] == [f"plgkg import schools {big}"]
    assert "did not finish: plgkg import schools" in (interrupted_warning(store) or "")

    done = imported(store, str(big))  # the store opens again, and the same import completes
    assert done.returncode == 0, done.stderr
    assert interrupted_imports(store) == []
    assert user_graph_size(store) == user_graph_size(clean)
