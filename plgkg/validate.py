"""Validating RDF data against the plgkg SHACL shapes, with reports people can act on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SH, SKOS
from rdflib.term import Node

from plgkg.catalogue import CATALOGUE_DIR, ONTOLOGY_DIR, SHAPES_DIR, LoadedGraph, Origin, load
from plgkg.namespaces import bind_prefixes

LABEL_PROPERTIES = (SKOS.prefLabel, RDFS.label, FOAF.name, DCTERMS.title)


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


def validate_loaded(loaded: LoadedGraph, shapes: Graph | None = None) -> Report:
    """Validate an already merged graph."""
    shapes_graph = shapes if shapes is not None else load_shapes()
    _, results, _ = shacl_validate(
        loaded.graph,
        shacl_graph=shapes_graph,
        inference="none",
        advanced=True,
        allow_warnings=True,
        abort_on_first=False,
    )
    bind_prefixes(results)
    found = [_violation(results, result, loaded, shapes_graph) for result in _results(results)]
    found.sort(key=lambda v: (str(v.origin or ""), str(v.focus), v.path or "", v.shape))
    violations = [v for v in found if v.severity == "Violation"]
    warnings = [v for v in found if v.severity != "Violation"]
    return Report(not violations, violations, warnings, loaded.files, len(loaded.graph))


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
