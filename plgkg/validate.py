"""Validating RDF data against the plgkg SHACL shapes, with reports people can act on."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Literal as OneOf

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SH, SKOS, XSD
from rdflib.term import Node

from plgkg.catalogue import CATALOGUE_DIR, ONTOLOGY_DIR, SHAPES_DIR, LoadedGraph, Origin, load
from plgkg.namespaces import SCHEMA, bind_prefixes
from plgkg.triples import Triples, oxigraph_store

if TYPE_CHECKING:
    import pyoxigraph as ox

    from plgkg.shape_queries import Keep

Engine = OneOf["sparql", "oxigraph", "rdflib"]

LABEL_PROPERTIES = (SKOS.prefLabel, RDFS.label, FOAF.name, DCTERMS.title, SCHEMA.name)


@dataclass(frozen=True)
class Violation:
    """One SHACL result, resolved to things a person recognises."""

    focus: Node
    label: str | None
    origin: Origin | None
    path: str | None
    value: str | None
    messages: dict[str, str]
    shape: str
    severity: str  # "Violation", "Warning" or "Info"

    def message(self, lang: str = "en") -> str:
        return self.messages.get(lang) or self.messages.get("") or next(iter(self.messages.values()))

    def line(self, lang: str = "en") -> str:
        where = str(self.origin) if self.origin else "(no file)"
        focus = f"<{self.focus}>" if isinstance(self.focus, URIRef) else f"_:{self.focus}"
        label = f' "{self.label}"' if self.label else ""
        prop = f" {self.path}:" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{where}: {focus}{label}:{prop} {self.message(lang)}{value} [{self.shape}]"


@dataclass
class Report:
    """The outcome of a validation run."""

    conforms: bool
    violations: list[Violation]
    warnings: list[Violation]
    files: list[Path]
    triples: int


def load_shapes(paths: Sequence[Path | str] = (SHAPES_DIR,)) -> Graph:
    """The SHACL shapes graph."""
    return load(paths).graph


def validate(
    paths: Sequence[Path | str] = (ONTOLOGY_DIR, CATALOGUE_DIR),
    *,
    with_catalogue: bool = False,
    shapes: Graph | None = None,
) -> Report:
    """Validate the RDF files under paths (the ontology is always included)."""
    extra = [ONTOLOGY_DIR] + ([CATALOGUE_DIR] if with_catalogue else [])
    loaded = load([*extra, *paths])
    return validate_loaded(loaded, shapes)


def validate_loaded(loaded: LoadedGraph, shapes: Graph | None = None, *, engine: Engine = "sparql") -> Report:
    """Validate an already merged graph. engine: "sparql", the shapes compiled to SPARQL and run in
    an in-memory pyoxigraph copy of the graph over all focus nodes at once (plgkg.shape_queries;
    0.2 s on the catalogue where pyshacl over the same copy takes 1.0 s); "oxigraph", pyshacl over it;
    "rdflib", pyshacl over the rdflib graph itself, the reference. tests/plgkg/test_shapes.py shows
    that all report the same on every violating fixture of the shapes."""
    shapes_graph = shapes if shapes is not None else load_shapes()
    results = _shacl(loaded.graph, shapes_graph, engine)
    found = [_violation(results, result, loaded, shapes_graph) for result in _results(results)]
    return _report(found, loaded.files, len(loaded.graph))


def _report(found: list[Violation], files: list[Path], triples: int) -> Report:
    found.sort(key=lambda v: (str(v.origin or ""), str(v.focus), v.path or "", v.shape))
    violations = [v for v in found if v.severity == "Violation"]
    warnings = [v for v in found if v.severity != "Violation"]
    return Report(not violations, violations, warnings, files, triples)


def _shacl(graph: Graph, shapes: Graph, engine: Engine) -> Graph:
    """pyshacl's results graph for graph (see validate_loaded for the engines)."""
    if engine == "sparql":
        return _shacl_compiled(graph, shapes)
    if engine == "oxigraph":
        results = pyshacl_on_store(oxigraph_store(graph), shapes, graph)
    else:
        _, results, _ = shacl_validate(graph, shacl_graph=shapes, **PYSHACL_OPTIONS)
    bind_prefixes(results)
    return results


def _shacl_compiled(graph: Graph, shapes: Graph) -> Graph:
    """The results graph of the shapes compiled to SPARQL (plgkg.shape_queries), run on an
    in-memory pyoxigraph copy of graph: pyshacl's results, in a fraction of its time."""
    return _compiled_results(oxigraph_store(graph), shapes)


def _compiled_results(
    store: ox.Store, shapes: Graph, focus: set[Node] | None = None, keep: Keep | None = None
) -> Graph:
    """pyshacl's results graph for store, from the shapes compiled to SPARQL (plgkg.shape_queries);
    with focus and keep, only the results CompiledShapes.validate keeps."""
    from plgkg.shape_queries import compile_shapes

    results = compile_shapes(shapes).validate(store, focus, keep)
    bind_prefixes(results)
    return results


def _store_report(store: ox.Store, results: Graph, shapes: Graph, files: list[Path]) -> Report:
    """The report of results about store's nodes, labelled from the store itself (no origins:
    the store keeps no lines)."""
    found = _results(results)
    loaded = LoadedGraph(_about(store, {results.value(r, SH.focusNode) for r in found}), files)
    return _report([_violation(results, r, loaded, shapes) for r in found], files, len(store))


# pyshacl as plgkg runs it: no inference, SHACL-AF (SPARQL targets), every result
PYSHACL_OPTIONS = dict(inference="none", advanced=True, allow_warnings=True, abort_on_first=False)


def pyshacl_on_store(store: ox.Store, shapes: Graph, graph: Graph | None = None) -> Graph:
    """pyshacl's results graph for the default graph of an in-memory pyoxigraph store, pyshacl
    reading the store itself. Where pyshacl's oxigraph graph cannot answer (pyshacl 0.40 fails on a
    sequence path that meets a literal midway), pyshacl over rdflib's graph answers the same,
    slower: graph, the same triples, or else a copy of the store."""
    try:
        # inplace: the store is the caller's copy, no second one (the shapes have no sh:rule)
        _, results, _ = shacl_validate(
            _oxigraph_data_graph(store), shacl_graph=shapes, inplace=True, **PYSHACL_OPTIONS
        )
    except (TypeError, ValueError, RuntimeError):
        if graph is None:
            import pyoxigraph as ox

            graph = Graph()
            graph.parse(
                data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt"
            )
        _, results, _ = shacl_validate(graph, shacl_graph=shapes, **PYSHACL_OPTIONS)
    _plain_strings(results)
    return results


# The ways a shape names its focus nodes (SHACL 2.1.3), and SHACL-AF's SPARQL-based and custom targets.
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def validation_marker(files: Sequence[Path]) -> Path:
    """Where the fact "these exact data files conform to these exact shapes" is remembered: a file
    named by a hash of the data files' and shape files' bytes and the versions of plgkg, pyshacl and
    rdflib, in the user's cache folder. Any change to any of them validates afresh."""
    import hashlib
    import os
    from importlib.metadata import version

    from plgkg import __version__
    from plgkg.catalogue import rdf_files

    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"plgkg {__version__} pyshacl {version('pyshacl')} rdflib {version('rdflib')}".encode())
    for path in [*files, *rdf_files([SHAPES_DIR]), Path(__file__)]:
        digest.update(str(path.name).encode() + b"\0")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):  # noqa: B023 (handle is this loop's)
                digest.update(block)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "plgkg" / "validated"
    return cache / digest.hexdigest()


def validate_once(loaded: LoadedGraph, *, remember: bool = True) -> Report | None:
    """The report of validating loaded, or None when these exact files (with these shapes and
    versions) were found to conform before. A conforming result is remembered (validation_marker);
    a failing one never is, so its report is always there to show."""
    marker = validation_marker(loaded.files) if remember and loaded.files else None
    if marker is not None and marker.exists():
        return None
    report = validate_loaded(loaded)
    if marker is not None and report.conforms:
        _remember(marker, len(loaded.graph))
    return report


def _remember(marker: Path, triples: int) -> None:
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(f"{triples} triples conformed\n", encoding="utf-8")


def validate_store_once(store: ox.Store, files: list[Path], *, remember: bool = True) -> Report | None:
    """validate_once for files read by plgkg.catalogue.load_store: the compiled shapes run on that
    store itself, with no rdflib graph. When they find a violation, the files are read again by
    load and validated as validate_once does, so that the report names file and line as always
    (and rdflib's reading of the files decides, should the two parsers ever differ)."""
    marker = validation_marker(files) if remember and files else None
    if marker is not None and marker.exists():
        return None
    shapes = load_shapes()
    results = _compiled_results(store, shapes)
    if (None, SH.resultSeverity, SH.Violation) in results:
        return validate_once(load(files), remember=remember)
    report = _store_report(store, results, shapes, list(files))
    if marker is not None:
        _remember(marker, len(store))
    return report


def scoped_shapes(shapes: Graph, data: Graph, merged: Graph) -> Graph:
    """A copy of shapes without the targets that cannot name a node of data, so that pyshacl never
    visits the focus nodes that only the rest of merged (data + its context) has.

    A target is kept when it can: sh:targetClass C when a node of data has a type (in merged) that is
    C or a subclass of C (rdfs:subClassOf in merged, as SHACL reads class targets);
    sh:targetSubjectsOf / sh:targetObjectsOf P when data uses P; sh:targetNode N when N is a node of
    data; a SPARQL-based or custom target (sh:target) always, since only running it tells. (No shape
    of shapes/ is also a class, so implicit class targets are not looked for.) Every shape
    stays, so sh:node, sh:property, sh:and, sh:or … still reach the shapes they name, and each kept
    shape checks a node of data exactly as full validation does."""
    nodes = set(data.subjects()) | {o for o in data.objects() if not isinstance(o, Literal)}
    predicates = set(data.predicates())
    classes: set[Node] = set()
    for node, _, kind in merged.triples((None, RDF.type, None)):
        if node in nodes and kind not in classes:
            classes.update(merged.transitive_objects(kind, RDFS.subClassOf))
    pruned = Graph()
    for prefix, namespace in shapes.namespaces():
        pruned.bind(prefix, namespace, override=True, replace=True)
    for triple in shapes:
        shape, predicate, target = triple
        if predicate == SH.targetClass and target not in classes:
            continue
        if predicate in (SH.targetSubjectsOf, SH.targetObjectsOf) and target not in predicates:
            continue
        if predicate == SH.targetNode and target not in nodes:
            continue
        pruned.add(triple)
    return pruned


def validate_scoped(
    data: Graph | Triples,
    context: Graph,
    shapes: Graph | None = None,
    *,
    engine: Engine = "sparql",
    keep: Keep | None = None,
) -> Report:
    """Validate what an import adds: the nodes of data, over data + context (the ontology and the
    catalogue facts its shapes need about what data points at), on an in-memory pyoxigraph store:
    engine "sparql", the shapes compiled to SPARQL queries over all focus nodes at once
    (plgkg.shape_queries); "oxigraph" or "rdflib", pyshacl with the shapes pruned to those whose
    targets can name a node of data (scoped_shapes).

    It reports, about the nodes of data (subjects, and IRIs data points at), the results that
    validate_loaded(data + context) reports about them: same focus, path, value, messages, shape and
    severity (tests/plgkg/test_shapes.py shows it on every violating fixture of the shapes,
    test_validate_scoped.py on broken imports).
    Results about other nodes are not reported: the catalogue is validated on its own. With keep,
    only the results for which keep(focus node, result path, value) is true are (an import that
    maps results to rows says which it can map, so that no others are made into reports). 12,000
    register rows (270,000 triples) take 6.5 s compiled, 58 s with pyshacl (bench/validation.py)."""
    shapes_graph = shapes if shapes is not None else load_shapes()
    if engine == "sparql":
        return _validate_scoped_compiled(Triples.of(data), context, shapes_graph, keep)
    if isinstance(data, Triples):
        data = data.graph()
    merged = data + context
    nodes = set(data.subjects()) | {o for o in data.objects() if not isinstance(o, Literal)}
    results = _shacl(merged, scoped_shapes(shapes_graph, data, merged), engine)
    loaded = LoadedGraph(merged)
    found = [
        _violation(results, result, loaded, shapes_graph)
        for result in _results(results)
        if results.value(result, SH.focusNode) in nodes and (keep is None or keep(*_where(results, result)))
    ]
    return _report(found, [], len(merged))


def _where(results: Graph, result: Node) -> tuple[Node | None, Node | None, Node | None]:
    """A result's focus node, path and value."""
    return tuple(results.value(result, p) for p in (SH.focusNode, SH.resultPath, SH.value))  # type: ignore[return-value]


def _validate_scoped_compiled(data: Triples, context: Graph, shapes: Graph, keep: Keep | None) -> Report:
    """validate_scoped with the compiled shapes: data and context go into one pyoxigraph store
    without an rdflib graph of either (at 12,000 schools building and merging one took longer than
    the queries), and only the results' nodes are read back for the report."""
    store = oxigraph_store(data, context)
    return _store_report(store, _compiled_results(store, shapes, data.nodes(), keep), shapes, [])


def _about(store, nodes: set[Node]) -> Graph:
    """The triples of store about nodes (their labels, for the report), as an rdflib graph."""
    from plgkg.stores.oxigraph import from_oxigraph
    from plgkg.terms import oxigraph_term

    graph = Graph()
    bind_prefixes(graph)
    for node in nodes:
        if isinstance(node, Literal) or node is None:
            continue
        for quad in store.quads_for_pattern(oxigraph_term(node), None, None):
            graph.add((node, from_oxigraph(quad.predicate), from_oxigraph(quad.object)))
    return graph


def _plain_strings(results: Graph) -> None:
    """Literals from pyoxigraph carry xsd:string explicitly, where rdflib (and the data) have the
    plain literal, which is the same RDF 1.1 term: write them as rdflib does."""
    typed = [(s, p, o) for s, p, o in results if isinstance(o, Literal) and o.datatype == XSD.string]
    for s, p, o in typed:
        results.remove((s, p, o))
        results.add((s, p, Literal(str(o))))


def _oxigraph_data_graph(store):
    """pyshacl's view of a pyoxigraph store. pyshacl writes `datagraph or shapes` for every result
    it makes (also the discarded ones inside sh:or), and the truth of its oxigraph graph is a COUNT
    over the whole store: milliseconds each, minutes per import. A data graph is never empty here."""
    try:
        from pyshacl.graph_abstraction import OxigraphDataGraph
    except ImportError:  # another pyshacl: give it the store, slower but the same results
        return store

    class _DataGraph(OxigraphDataGraph):
        def __bool__(self) -> bool:
            return True

    return _DataGraph(store)


def _results(results: Graph) -> list[Node]:
    return list(results.subjects(RDF.type, SH.ValidationResult))


def _violation(results: Graph, result: Node, loaded: LoadedGraph, shapes: Graph) -> Violation:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    shape = results.value(result, SH.sourceShape)
    severity = results.value(result, SH.resultSeverity)
    messages = _messages(results.objects(result, SH.resultMessage))
    # pyshacl reports one language only for some constraints: complete from the shapes graph.
    for origin in (results.value(result, SH.sourceConstraint), shape):
        if origin is not None:
            for lang, text in _messages(shapes.objects(origin, SH.message)).items():
                messages.setdefault(lang, text)
    if not messages:
        messages = {"": f"violates {results.value(result, SH.sourceConstraintComponent)}"}
    return Violation(
        focus=focus,
        label=label_of(loaded.graph, focus),
        origin=loaded.origin(focus),
        path=_show(loaded.graph, path) if path is not None else None,
        value=_show(loaded.graph, value) if value is not None else None,
        messages=messages,
        shape=_show(shapes, shape) if isinstance(shape, URIRef) else "(anonymous shape)",
        severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
    )


def _messages(literals) -> dict[str, str]:
    return {(m.language or ""): str(m) for m in literals if isinstance(m, Literal)}


def label_of(graph: Graph, node: Node, lang: str = "en") -> str | None:
    """The best human label of node: its preferred label in lang, else any label."""
    for prop in LABEL_PROPERTIES:
        labels = [o for o in graph.objects(node, prop) if isinstance(o, Literal)]
        for label in labels:
            if label.language == lang:
                return str(label)
        if labels:
            return str(labels[0])
    return None


def _show(graph: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # an IRI that cannot be abbreviated
            return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    return "[path expression]" if not isinstance(node, URIRef) else str(node)
