"""Finding, parsing and merging the RDF files of the catalogue (or of a user's data).

Every subject remembers the file, and where possible the line, that defines it, so that a
validation report can send the reader to the right place.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Graph, URIRef
from rdflib.term import Node

from plgkg.errors import DataError, InputRefused
from plgkg.inputs import prepared
from plgkg.namespaces import bind_prefixes
from plgkg.paths import display_path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """The folder of one kind of shipped data ("ontology", "catalogue" or "shapes").

    In a source checkout it is the top-level folder of the repository, so that validation reports
    name the files people edit; in an installed wheel it is the copy packaged as plgkg/data/<name>
    (pyproject.toml maps the top-level folders there).
    """
    source = PROJECT_ROOT / name
    if (PROJECT_ROOT / "pyproject.toml").is_file() and source.is_dir():
        return source
    return Path(str(resources.files("plgkg") / "data" / name))


ONTOLOGY_DIR = data_dir("ontology")
CATALOGUE_DIR = data_dir("catalogue")
SHAPES_DIR = data_dir("shapes")
DEFAULT_PATHS: tuple[Path, ...] = (ONTOLOGY_DIR, CATALOGUE_DIR)

# File suffix -> rdflib parser name.
FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}

_LINE_IN_MESSAGE = re.compile(r"line (\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class Origin:
    """Where a resource is defined."""

    path: Path
    line: int | None = None

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}" if self.line else display_path(self.path)


@dataclass
class LoadedGraph:
    """The merged graph of some RDF files, with the origin of each subject."""

    graph: Graph
    files: list[Path] = field(default_factory=list)
    origins: dict[Node, Origin] = field(default_factory=dict)

    def origin(self, node: Node) -> Origin | None:
        return self.origins.get(node)


def rdf_files(paths: Iterable[Path | str]) -> list[Path]:
    """The RDF files named by paths: files as given, folders searched recursively, sorted."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS))
        elif path.is_file():
            if path.suffix.lower() not in FORMATS:
                known = ", ".join(sorted(FORMATS))
                raise DataError(path, f"unknown RDF file type {path.suffix!r} (known: {known})")
            found.append(path)
        else:
            raise DataError(path, "no such file or folder")
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(path.resolve(), None)
    return list(unique)


def parse_file(path: Path) -> Graph:
    """Parse one RDF file; a syntax error becomes a DataError with the file and line."""
    graph = Graph()
    bind_prefixes(graph)
    fmt = FORMATS[path.suffix.lower()]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        line = path.read_bytes()[: err.start].count(b"\n") + 1
        raise DataError(path, f"not valid UTF-8 ({err.reason})", line) from None
    except OSError as err:
        raise DataError(path, err.strerror or str(err)) from None
    try:
        text = prepared(fmt, text)  # nothing fetched, nothing that grows without bound
    except InputRefused as err:
        raise DataError(path, str(err), err.line) from None
    try:
        with warnings.catch_warnings():  # rdflib's JSON-LD parser warns about its own internals
            warnings.simplefilter("ignore", DeprecationWarning)
            graph.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except Exception as err:  # rdflib raises many exception types for bad syntax
        error = _oxigraph_syntax_error(path, text, fmt) or _syntax_error(path, err)
        if error.line is None and fmt == "nt":
            error.line = _first_bad_ntriples_line(text)
        raise error from None
    return graph


# rdflib parser name -> pyoxigraph's format, for finding where a syntax error is
_OXIGRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "xml": ox.RdfFormat.RDF_XML,
    "json-ld": ox.RdfFormat.JSON_LD,
}
_OXIGRAPH_MESSAGE = re.compile(
    r"^Parser error (?:at|between) [^:]*: (?P<reason>.*?)(?: \(line \d+\))?$", re.DOTALL
)


def _oxigraph_syntax_error(path: Path, text: str, fmt: str) -> DataError | None:
    """Where pyoxigraph's parser stops on text: rdflib's Turtle parser often names a line further on
    (it reads ahead), pyoxigraph's names the line and column where the error is. None when pyoxigraph
    reads the text or cannot say where."""
    kind = _OXIGRAPH_FORMATS.get(fmt)
    if kind is None:
        return None
    try:
        for _ in ox.parse(text.encode("utf-8"), kind, base_iri=path.resolve().as_uri()):
            pass
    except SyntaxError as err:
        if not isinstance(err.lineno, int):
            return None
        found = _OXIGRAPH_MESSAGE.match(str(err))
        reason = found.group("reason") if found else str(err)
        where = f"line {err.lineno}" if err.offset is None else f"line {err.lineno}, column {err.offset}"
        return DataError(path, f"syntax error: {where}: {reason}", err.lineno, err.offset)
    except (OSError, ValueError):
        return None
    return None


def _first_bad_ntriples_line(text: str) -> int | None:
    """N-Triples is one statement per line; rdflib's parser does not say which line failed."""
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            Graph().parse(data=line + "\n", format="nt")
        except Exception:  # the first line that does not parse on its own
            return number
    return None


def _syntax_error(path: Path, err: Exception) -> DataError:
    line = getattr(err, "lines", None)
    if isinstance(line, int):  # notation3 BadSyntax: zero-based line
        reason = getattr(err, "_why", None) or str(err)
        return DataError(path, f"syntax error: {reason}", line + 1)
    line = getattr(err, "lineno", None) or getattr(err, "lineNumber", None)
    if callable(line):
        line = line()
    message = " ".join(str(err).split())
    if not isinstance(line, int):
        match = _LINE_IN_MESSAGE.search(message)
        line = int(match.group(1)) if match else None
    return DataError(path, f"syntax error: {message}", line)


def load(paths: Sequence[Path | str] = DEFAULT_PATHS) -> LoadedGraph:
    """Parse and merge the RDF files under paths, recording where each subject is defined."""
    files = rdf_files(paths)
    merged = Graph()
    bind_prefixes(merged)
    loaded = LoadedGraph(merged, files)
    typed_in: dict[Node, Path] = {}
    first_in: dict[Node, Path] = {}
    per_file: dict[Path, Graph] = {}
    for path in files:
        graph = parse_file(path)
        per_file[path] = graph
        merged += graph
        for subject in set(graph.subjects()):
            first_in.setdefault(subject, path)
        for subject in set(graph.subjects(RDF.type)):
            typed_in.setdefault(subject, path)
    wanted: dict[Path, list[Node]] = {}
    for subject, path in {**first_in, **typed_in}.items():
        wanted.setdefault(path, []).append(subject)
    for path, subjects in wanted.items():
        lines = _subject_lines(path.read_text(encoding="utf-8"), per_file[path], subjects)
        for subject in subjects:
            loaded.origins[subject] = Origin(path, lines.get(subject))
    return loaded


# Formats pyoxigraph reads here itself: nothing in them can fetch or expand (plgkg.inputs checks
# the others, which rdflib reads through parse_file).
_DIRECT = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}


def load_store(paths: Sequence[Path | str] = DEFAULT_PATHS) -> tuple[ox.Store, list[Path]] | None:
    """The RDF files under paths in one in-memory pyoxigraph store (its default graph), and the
    files: Turtle and N-Triples parsed by pyoxigraph (no rdflib terms: 1M triples in seconds where
    load takes minutes), other formats through parse_file. Each file's blank nodes are its own, as
    in load. None when pyoxigraph refuses a file (bad syntax, not UTF-8, an IRI it does not take):
    load says what is wrong and where, as it always has. No subject lines are read: the caller
    that needs them for a report uses load."""
    from plgkg.triples import Triples

    files = rdf_files(paths)
    store = ox.Store()
    for path in files:
        kind = _DIRECT.get(path.suffix.lower())
        try:
            if kind is None:
                text = Triples.of(parse_file(path)).ntriples()
                quads = ox.parse(text, ox.RdfFormat.N_TRIPLES, rename_blank_nodes=True)
            else:
                base = path.resolve().as_uri()
                quads = ox.parse(path=str(path), format=kind, base_iri=base, rename_blank_nodes=True)
            store.extend(quads)
        except (SyntaxError, OSError, ValueError, DataError):
            return None
    return store, files


# The first token of a line: a statement's subject as Turtle or N-Triples writes it, or JSON-LD's "@id".
_LEADING = re.compile(r'^\s*(?:"@id"\s*:\s*)?(\S+)')
_TOKEN_ENDS = frozenset(';,."')


def _subject_lines(text: str, graph: Graph, subjects: list[Node]) -> dict[Node, int]:
    """The line on which each IRI of subjects first stands at the start of a statement (as
    <iri>, prefix:local or JSON-LD's "iri"), in one pass over text: a spelling counts when
    whitespace, one of ;,." or the line's end follows it. (One pass: a search per subject took
    minutes on a file of 100,000 triples.)"""
    spelling: dict[str, Node] = {}
    for subject in subjects:
        if not isinstance(subject, URIRef):
            continue
        try:
            prefix, _, local = graph.namespace_manager.compute_qname_strict(str(subject))
            spelling.setdefault(f"{prefix}:{local}", subject)
        except (ValueError, KeyError):
            pass
        spelling.setdefault(f"<{subject}>", subject)
        spelling.setdefault(f'"{subject}"', subject)
    wanted = set(spelling.values())
    found: dict[Node, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _LEADING.match(line)
        if match is None:
            continue
        run = match.group(1)
        for end in [*(i for i in range(1, len(run)) if run[i] in _TOKEN_ENDS), len(run)]:
            subject = spelling.get(run[:end])
            if subject is not None and subject not in found:
                found[subject] = number
        if len(found) == len(wanted):
            break
    return found
