"""The one pipeline every import runs: read → check → scoped SHACL validation → one write.

Each import (plgkg.imports.register, plgkg.imports.profiles) says how to read its file into rows,
check a row, make the rows' triples, validate them and replace them in the store; this module runs
those steps in that order and owns what they share: the problem and outcome types, the user graph,
the progress bar, the on-disk store's write lock, and the write (see write).

A row that cannot be read, fails a check or breaks a shape costs that row only: it is reported as
`FILE:LINE: column X: reason` and left out, and the good rows are written together: in one
transaction (all of it or none), or, above TRANSACTION_TRIPLES on the on-disk store, with the bulk
loader and a note in the store until the write is complete (see write and interrupted_imports).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TextIO, TypeVar

from rdflib import Graph, URIRef

from plgkg.errors import ImportFailed, StoreError
from plgkg.namespaces import expand
from plgkg.settings import LOCK_WAIT_S, TRANSACTION_TRIPLES
from plgkg.terms import sparql_term
from plgkg.triples import Triples

if TYPE_CHECKING:
    from plgkg.shape_queries import Keep
    from plgkg.stores import OxigraphStore
    from plgkg.validate import Report, Violation

# The named graph every import writes to; the catalogue (the default graph) is never written.
USER_GRAPH = "https://w3id.org/plgkg/graph/user"

R = TypeVar("R")  # a row as read
T = TypeVar("T")  # a row that passed its checks


@dataclass
class Problem:
    line: int
    column: str | None
    reason: str

    def text(self, name: str) -> str:
        where = f"column {self.column}" if self.column else "row"
        return f"{name}:{self.line}: {where}: {self.reason}"


@dataclass
class ImportOutcome:
    """What an import read, rejected and wrote (schools and profiles alike)."""

    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    triples: Triples = field(default_factory=Triples)

    @property
    def rejected_lines(self) -> set[int]:
        return {p.line for p in self.problems}

    @property
    def graph(self) -> Graph:
        """What was written, as an rdflib graph."""
        return self.triples.graph()


@dataclass
class Steps(Generic[R, T]):
    """What one kind of import does at each step of the pipeline."""

    read: Callable[[], tuple[list[R], list[Problem]]]  # the rows, and the lines that could not be read
    check: Callable[[list[R]], tuple[list[T], list[Problem]]]  # the good rows, and what is wrong
    line: Callable[[T], int]  # the line a good row came from
    build: Callable[[list[T]], Triples]  # the triples of good rows
    shapes: Callable[[list[T], Triples], list[Problem]]  # SHACL results, each mapped to its row
    # the SPARQL Update operations that drop from the user graph what the rows' triples replace
    replaced: Callable[[list[T]], list[str]]


@dataclass
class Imported(Generic[T]):
    """What the pipeline wrote: the rows read (readable or not), the rows written and their
    triples, and every problem by line."""

    rows: int
    good: list[T]
    triples: Triples
    problems: list[Problem]


def run_import(
    steps: Steps[R, T],
    *,
    store_path: Path | None,
    into: str | None,
    wait_s: float = LOCK_WAIT_S,
    bar: ProgressBar | None = None,
    what: str = "an import",
) -> Imported[T]:
    """Read, check and validate, then write the good rows to the user graph (see write; what names
    the import, e.g. `plgkg import schools FILE`, in the store while it writes)."""
    rows, problems = steps.read()
    unreadable = {p.line for p in problems}
    if bar:
        bar.done(f"{len(rows)} rows read")
    good, found = steps.check(rows)
    problems += found
    triples = steps.build(good)
    if bar:
        bar.note("validating with the SHACL shapes …")
    shacl = steps.shapes(good, triples) if len(triples) else []
    if shacl:
        problems += shacl
        bad_lines = {p.line for p in shacl}
        good = [row for row in good if steps.line(row) not in bad_lines]
        triples = steps.build(good)
    problems.sort(key=lambda p: (p.line, p.column or ""))
    if good:
        if bar:
            bar.note(f"writing {len(triples)} triples …")
        write(steps.replaced(good), triples, store_path=store_path, into=into, what=what, wait_s=wait_s)
    return Imported(len(rows) + len(unreadable), good, triples, problems)


# -- reading ------------------------------------------------------------------------------------


def read_bytes(path: Path, name: str) -> bytes:
    """The file's bytes; a file that cannot be read fails the import (ImportFailed)."""
    try:
        return path.read_bytes()
    except OSError as err:
        raise ImportFailed(f"{name}: cannot read the file: {err.strerror or err}") from None


# -- validating ---------------------------------------------------------------------------------


def shapes_report(
    graph: Graph | Triples, context: Graph, *, scoped: bool = True, keep: Keep | None = None
) -> Report:
    """The shapes run over graph in context (the ontology and what graph points at), scoped to the
    imported nodes (plgkg.validate.validate_scoped; scoped=False: full validation by pyshacl, the
    reference the tests compare with, over a pyoxigraph copy of the graph)."""
    from plgkg.catalogue import LoadedGraph
    from plgkg.validate import validate_loaded, validate_scoped

    return (
        validate_scoped(graph, context, keep=keep)
        if scoped
        else validate_loaded(LoadedGraph(_graph(graph) + context), engine="oxigraph")
    )


def _graph(triples: Graph | Triples) -> Graph:
    return triples if isinstance(triples, Graph) else triples.graph()


def violation_problem(violation: Violation, line: int, column_of: Mapping[str, str]) -> Problem:
    """A SHACL result as the problem of the row at line, in the column its property comes from."""
    column = column_of.get(expand(violation.path or ""))
    value = f" (value: {violation.value})" if violation.value else ""
    return Problem(line, column, f"{violation.message()}{value} [{violation.shape}]")


# -- writing --------------------------------------------------------------------------------------


def delete_from_user_graph(subjects: Iterable[URIRef], predicates: Iterable[URIRef] = ()) -> str:
    """The SPARQL Update operation that drops the subjects' triples (only those with one of
    predicates, if given) from the user graph."""
    user = sparql_term(URIRef(USER_GRAPH))
    values = " ".join(sparql_term(s) for s in subjects)
    only = ", ".join(sparql_term(p) for p in predicates)
    where = f"?s ?p ?o . FILTER(?p IN ({only}))" if only else "?s ?p ?o"
    return (
        f"DELETE {{ GRAPH {user} {{ ?s ?p ?o }} }} "
        f"WHERE {{ GRAPH {user} {{ VALUES ?s {{ {values} }} {where} }} }}"
    )


def insert_into_user_graph(lines: Iterable[str]) -> str:
    """The SPARQL Update operation that adds triples (N-Triples lines) to the user graph."""
    user = sparql_term(URIRef(USER_GRAPH))
    body = "\n".join(lines)
    return f"INSERT DATA {{ GRAPH {user} {{\n{body}\n}} }}"


def write(
    replaced: list[str],
    triples: Triples,
    *,
    store_path: Path | None,
    into: str | None,
    what: str = "an import",
    wait_s: float = LOCK_WAIT_S,
) -> None:
    """Replace in the user graph: run the SPARQL Update operations replaced (which drop what the
    triples replace), then add the triples.

    A remote store gets it all as one SPARQL Update: one transaction on Oxigraph, Fuseki and
    GraphDB. The on-disk store takes up to TRANSACTION_TRIPLES triples in one transaction as well;
    a bigger write drops in one transaction and adds with Oxigraph's bulk loader (on disk five times
    faster than a transaction, but not one), and the store says meanwhile that what is writing
    (interrupted_imports), so that an import cut off half-way is reported, never silently half
    there. Either way running services see the change once it is complete (mark_changed)."""
    from plgkg.stores import RemoteStore, open_store

    if into is not None:
        store = open_store(into)
        try:
            if not isinstance(store, RemoteStore) or store.update_url is None:
                raise StoreError(f"{into} takes no SPARQL Update: plgkg needs an update endpoint to import")
            store.update(_one_update(replaced, triples))
        finally:
            store.close()
        return
    if store_path is None:
        raise StoreError("give --store-path DIR or --into URL: where the imported schools are kept")
    store = open_for_writing(store_path, wait_s)
    try:
        if len(triples) <= TRANSACTION_TRIPLES:
            store.update(_one_update(replaced, triples))
        else:
            _note_unfinished(store_path, what)
            store.replace_in_graph(USER_GRAPH, replaced, triples.ntriples())
        _forget_unfinished(store_path, what)  # this import is complete, also if it was cut off before
    finally:
        store.close()


def _one_update(replaced: list[str], triples: Triples) -> str:
    """The whole replacement as one SPARQL Update (one transaction)."""
    return " ;\n".join([*replaced, insert_into_user_graph(triples.lines())])


# -- interrupted writes ---------------------------------------------------------------------------

UNFINISHED = "plgkg-unfinished-imports.json"  # in the store's folder, while a bulk write runs


def _note_unfinished(store_path: Path, what: str) -> None:
    """Note in the store's folder that what writes; a crash, a kill or a full disk half-way leaves
    the note (see interrupted_imports)."""
    entry = {"what": what, "started": datetime.now(UTC).isoformat(timespec="seconds")}
    _save_unfinished(store_path, [*interrupted_imports(store_path), entry])


def _forget_unfinished(store_path: Path, what: str) -> None:
    found = interrupted_imports(store_path)
    if found:
        _save_unfinished(store_path, [e for e in found if e.get("what") != what])


def interrupted_imports(store_path: Path) -> list[dict[str, str]]:
    """The bulk writes into the store that began and never ended (what, and when it started): the
    user graph may hold part of their rows. Running the same import again completes it."""
    try:
        found = json.loads((store_path / UNFINISHED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [e for e in found if isinstance(e, dict)] if isinstance(found, list) else []


def interrupted_warning(store_path: Path) -> str | None:
    """A warning naming the imports into the store that were cut off, or None."""
    found = interrupted_imports(store_path)
    if not found:
        return None
    names = "; ".join(f"{e.get('what', 'an import')} (started {e.get('started', '?')})" for e in found)
    return (
        f"warning: an import into {store_path} did not finish: {names}. The user graph may hold part "
        "of its rows: run that import again to complete it."
    )


def _save_unfinished(store_path: Path, entries: list[dict[str, str]]) -> None:
    path = store_path / UNFINISHED
    if not entries:
        path.unlink(missing_ok=True)
        return
    part = path.with_suffix(".part")
    part.write_text(json.dumps(entries, indent=1), encoding="utf-8")
    part.replace(path)


def _locked(err: Exception) -> bool:
    return "lock file" in str(err).lower()


def open_for_writing(store_path: Path, wait_s: float = LOCK_WAIT_S) -> OxigraphStore:
    """Open the on-disk store read-write, waiting up to wait_s seconds while another process holds
    its write lock (rocksdb allows one writer; read-only openers, such as the query workers of a
    running service, never block it)."""
    from plgkg.stores import OxigraphStore

    deadline = time.monotonic() + max(wait_s, 0.0)
    delay = 0.05
    while True:
        try:
            return OxigraphStore(path=store_path)
        except StoreError as err:
            if not _locked(err):
                raise
            left = deadline - time.monotonic()
            if left <= 0:
                raise StoreError(
                    f"the store at {store_path} is locked by another writer (another plgkg import, or "
                    f"plgkg serve --store-path while it starts); waited {wait_s:g} s, nothing was "
                    "written: try again, or pass --wait with more seconds"
                ) from None
            time.sleep(min(delay, left))
            delay = min(delay * 2, 0.5)


def user_graph_size(store_path: Path) -> int:
    """The number of triples in the user graph of an on-disk store."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(store_path))
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(USER_GRAPH)))


# -- progress -------------------------------------------------------------------------------------


class ProgressBar:
    """A one-line progress bar on a stream: no dependency, redrawn at most every 1 %."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.last = -1

    def update(self, done: int, total: int) -> None:
        step = done * 100 // total if total else 100
        if step == self.last and done != total:
            return
        self.last = step
        filled = self.WIDTH * done // total if total else self.WIDTH
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} rows")
        self.stream.flush()

    def done(self, text: str) -> None:
        if self.last >= 0:
            self.stream.write(f" — {text}\n")
            self.stream.flush()

    def note(self, text: str) -> None:
        self.stream.write(f"{text}\n")
        self.stream.flush()


def default_progress(enabled: bool) -> TextIO | None:
    return sys.stderr if enabled or sys.stderr.isatty() else None
