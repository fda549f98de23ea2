"""The shapes compiled to SPARQL: SHACL validation as a few queries over a pyoxigraph store.

pyshacl checks every focus node on its own, in Python: 30-50 times slower than loading the data.
compile_shapes turns each shape into queries that find the violations of all its focus nodes at
once (one query for the value constraints of a shape, one for its counts, one per SPARQL
constraint …), and CompiledShapes.validate runs them in pyoxigraph and writes the results graph
that pyshacl writes (sh:ValidationReport, sh:ValidationResult with sh:focusNode, sh:resultPath,
sh:value, sh:sourceShape, sh:sourceConstraintComponent, sh:sourceConstraint, sh:resultSeverity and
sh:resultMessage), so plgkg.validate reads both the same. pyshacl is the reference:
tests/plgkg/test_shape_queries.py compares the two on every violating fixture of the shapes.

Where a value must be judged as pyshacl judges it (is this literal well-typed for rdflib, does
Python's re find the pattern, how do two literals compare), the query calls a Python function
(pyoxigraph's custom functions). A shape that uses what is not compiled here (sh:qualifiedMaxCount
at the top, a SPARQL constraint on a property shape, an ASK validator, a custom target …) is left
to pyshacl, which then runs over the same store with only those shapes targeted
(CompiledShapes.fallback)."""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from plgkg.stores.oxigraph import from_oxigraph

# The custom functions the compiled queries call (a private namespace: no data uses it).
FUNCTIONS = "urn:plgkg:shape-queries#"
_WELL_TYPED = f"<{FUNCTIONS}wellTyped>"
_SEARCH = f"<{FUNCTIONS}search>"
_IN_RANGE = f"<{FUNCTIONS}inRange>"
_LESS_OR_EQUAL = f"<{FUNCTIONS}lessThanOrEquals>"

# Lexical forms that rdflib surely reads as well-typed values of the datatype (dates: days up to 28,
# so in every month); a literal of another form is judged by rdflib itself (_well_typed).
SURELY_WELL_TYPED: dict[URIRef, str] = {
    XSD.gYear: "^[1-9][0-9]{3}$",
    XSD.date: "^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$",
    XSD.integer: "^[+-]?[0-9]{1,15}$",
    XSD.boolean: "^(true|false)$",
}

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
_TYPE_PATH = f"<{RDF.type}>/<{RDFS.subClassOf}>*"

# The parameters of a shape this module reads; any other sh: parameter makes the shape pyshacl's.
_VALUE_PARAMETERS = {
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.pattern,
    SH.flags,
    SH.languageIn,
    SH.minLength,
    SH.maxLength,
    SH["in"],
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
    SH["or"],
    SH["and"],
    SH["not"],
    SH.xone,
    SH.node,
}
_SHAPE_PARAMETERS = _VALUE_PARAMETERS | {
    SH.path,
    SH.property,
    SH.minCount,
    SH.maxCount,
    SH.uniqueLang,
    SH.hasValue,
    SH.lessThanOrEquals,
    SH.closed,
    SH.ignoredProperties,
    SH.sparql,
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.qualifiedValueShapesDisjoint,
    *_TARGETS,
    SH.severity,
    SH.message,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.deactivated,
}
_RANGE_OPERATORS = {
    SH.minInclusive: ("ge", SH.MinInclusiveConstraintComponent),
    SH.maxInclusive: ("le", SH.MaxInclusiveConstraintComponent),
    SH.minExclusive: ("gt", SH.MinExclusiveConstraintComponent),
    SH.maxExclusive: ("lt", SH.MaxExclusiveConstraintComponent),
}


class NotCompiled(Exception):
    """A shape uses something this module does not compile faithfully: pyshacl validates it."""


# which results to report, by focus node, result path and value (CompiledShapes.validate)
Keep = Callable[[Node, Node | None, Node | None], bool]


@dataclass(frozen=True)
class Result:
    """One validation result, as pyshacl makes it."""

    focus: Node
    component: URIRef
    value: Node | None = None
    path: Node | None = None
    constraint: Node | None = None
    bound: dict[str, Node] | None = None  # a SPARQL constraint's row, for its messages


@dataclass
class Check:
    """One query and how its rows become results of shape."""

    shape: Node
    query: str
    results: Callable[[dict[str, Node]], Iterator[Result]]
    # per focus node (a SPARQL constraint that only pre-binding runs faithfully): the query that
    # finds the focus nodes, then query once per focus node with ?this substituted
    targets: str | None = None


@dataclass
class CompiledShapes:
    """The shapes as queries (checks), and the shapes graph pyshacl still runs (fallback: the
    shapes that are not compiled keep their targets, the others lose them), or None."""

    shapes: Graph
    checks: list[Check]
    fallback: Graph | None
    compiled: set[Node] = field(default_factory=set)
    not_compiled: dict[Node, str] = field(default_factory=dict)

    def validate(self, store: ox.Store, focus: set[Node] | None = None, keep: Keep | None = None) -> Graph:
        """The results graph (as pyshacl's) of validating the store's default graph; with focus,
        only the results about those focus nodes; with keep, only the results for which
        keep(focus node, result path, value) is true."""
        found: dict[tuple, tuple[Check, Result]] = {}
        for check in self.checks:
            path = self.shapes.value(check.shape, SH.path)
            for row in _rows(store, check):
                for result in check.results(row):
                    if focus is not None and result.focus not in focus:
                        continue
                    if keep is not None and not keep(result.focus, result.path or path, result.value):
                        continue
                    key = (check.shape, result.focus, result.component, result.value, result.path,
                           result.constraint, tuple(sorted((result.bound or {}).items())))  # fmt: skip
                    found.setdefault(key, (check, result))
        graph = _report_graph(self.shapes, [(c.shape, r) for c, r in found.values()])
        if self.fallback is not None:
            _add_fallback(graph, self.fallback, store, focus, keep)
        return graph


# -- running --------------------------------------------------------------------------------------


def _rows(store: ox.Store, check: Check) -> Iterator[dict[str, Node]]:
    functions = _custom_functions()
    if check.targets is None:
        solutions = store.query(check.query, custom_functions=functions)
        yield from _solution_dicts(solutions)
        return
    this = ox.Variable("this")
    for target in store.query(check.targets, custom_functions=functions):
        node = target["this"]
        solutions = store.query(check.query, substitutions={this: node}, custom_functions=functions)
        for row in _solution_dicts(solutions):
            row.setdefault("this", from_oxigraph(node))
            yield row


def _solution_dicts(solutions: Any) -> Iterator[dict[str, Node]]:
    names = [v.value for v in solutions.variables]
    for solution in solutions:
        row = {}
        for name in names:
            term = solution[name]
            if term is not None:
                row[name] = from_oxigraph(term)
        yield row


def _report_graph(shapes: Graph, results: list[tuple[Node, Result]]) -> Graph:
    graph = Graph()
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    conforms = True
    for shape, result in results:
        node = BNode()
        severity = shapes.value(shape, SH.severity) or SH.Violation
        conforms = conforms and severity != SH.Violation
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.sourceConstraintComponent, result.component))
        graph.add((node, SH.sourceShape, shape))
        graph.add((node, SH.resultSeverity, severity))
        graph.add((node, SH.focusNode, result.focus))
        if result.value is not None:
            graph.add((node, SH.value, result.value))
        path = result.path if result.path is not None else shapes.value(shape, SH.path)
        if path is not None:
            graph.add((node, SH.resultPath, path))
            _copy_bnodes(shapes, path, graph)
        if result.constraint is not None:
            graph.add((node, SH.sourceConstraint, result.constraint))
            _copy_bnodes(shapes, result.constraint, graph)
        _copy_bnodes(shapes, shape, graph)
        for message in _messages(shapes, shape, result):
            graph.add((node, SH.resultMessage, message))
    graph.add((report, SH.conforms, Literal(conforms)))
    return graph


def _messages(shapes: Graph, shape: Node, result: Result) -> list[Literal]:
    """pyshacl's messages: the shape's sh:message; for a SPARQL constraint its own sh:message too,
    both as plain literals with {?var} replaced by the row's values."""
    # in pyshacl's order (it keeps them in sets): where a report keeps one message per language,
    # plain literals keep the last one written
    own = list(set(shapes.objects(shape, SH.message)))
    if result.bound is None:
        return [m for m in own if isinstance(m, Literal)]
    extra = list(set(shapes.objects(result.constraint, SH.message))) if result.constraint is not None else []
    texts = [m for m in extra if m not in own] + own
    values = dict(result.bound)
    for name, term in (("this", result.focus), ("path", result.path), ("value", result.value)):
        if term is not None:
            values[name] = term
    out = []
    for m in texts:
        if isinstance(m, Literal):
            text = str(m.value)
            for name, term in values.items():
                text = re.sub(f"{{[?$]{name}}}", str(term), text)
            out.append(Literal(text))
    return out


def _copy_bnodes(source: Graph, node: Node, target: Graph) -> None:
    """The blank node structure under node (a path, an anonymous shape) into target."""
    if not isinstance(node, BNode):
        return
    todo, seen = [node], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for _, p, o in source.triples((current, None, None)):
            target.add((current, p, o))
            if isinstance(o, BNode):
                todo.append(o)


def _add_fallback(
    graph: Graph, shapes: Graph, store: ox.Store, focus: set[Node] | None, keep: Keep | None
) -> None:
    """pyshacl's results for the shapes that are not compiled, added to graph's report."""
    from plgkg.validate import pyshacl_on_store

    results = pyshacl_on_store(store, shapes)
    report = graph.value(None, RDF.type, SH.ValidationReport)
    conforms = bool(graph.value(report, SH.conforms).toPython())
    for result in list(results.subjects(RDF.type, SH.ValidationResult)):
        node = results.value(result, SH.focusNode)
        if focus is not None and node not in focus:
            continue
        path, value = results.value(result, SH.resultPath), results.value(result, SH.value)
        if keep is not None and not keep(node, path, value):
            continue
        graph.add((report, SH.result, result))
        _copy_bnodes(results, result, graph)
        if results.value(result, SH.resultSeverity) == SH.Violation:
            conforms = False
    graph.set((report, SH.conforms, Literal(conforms)))


# -- the custom functions ---------------------------------------------------------------------------


def _true(flag: bool) -> ox.Literal:
    return ox.Literal("true" if flag else "false", datatype=ox.NamedNode(str(XSD.boolean)))


def _well_typed(value: Any, datatype: Any) -> ox.Literal:
    """pyshacl's sh:datatype test of a literal whose datatype is the one asked for: rdflib finds it
    well-typed and its Python value of the right kind."""
    import datetime
    from decimal import Decimal

    literal = from_oxigraph(value)
    if not isinstance(literal, Literal) or getattr(literal, "ill_typed", None) is True:
        return _true(False)
    kinds: dict[URIRef, type | tuple[type, ...]] = {
        XSD.string: (str, bytes),
        RDF.langString: (str, bytes),
        XSD.integer: int,
        XSD.float: float,
        XSD.decimal: Decimal,
        XSD.boolean: bool,
        XSD.date: datetime.date,
        XSD.time: datetime.time,
        XSD.dateTime: datetime.datetime,
    }
    kind = kinds.get(URIRef(datatype.value))
    return _true(kind is None or isinstance(literal.value, kind))


def _value_string(node: Node) -> str:
    if (
        isinstance(node, Literal)
        and node.value is not None
        and node.datatype in (None, RDF.langString, XSD.string)
    ):
        return str(node.value)
    return str(node)


def _search(value: Any, pattern: Any, flags: Any) -> ox.Literal:
    """pyshacl's sh:pattern test: Python's re finds the pattern in the value's string."""
    re_flags = (re.I if "i" in flags.value.lower() else 0) | (re.M if "m" in flags.value.lower() else 0)
    try:
        return _true(re.search(pattern.value, _value_string(from_oxigraph(value)), re_flags) is not None)
    except re.error:
        return _true(False)


# A pattern that Python's re and SPARQL's REGEX (XPath syntax, oxigraph's regex crate) read alike:
# literal characters, classes of them, anchors, groups, alternation and quantifiers; a backslash only
# before punctuation. No \d, \s, \w (their Unicode classes differ), no (?…), no [[ or [:.
_PORTABLE_PATTERN = re.compile(r"^(?:[^\\\[]|\\[^A-Za-z0-9]|\[(?![\[:])(?:[^\\\]\[]|\\[^A-Za-z0-9])+\])*$")


def _same_in_sparql(pattern: str) -> bool:
    return "(?" not in pattern and _PORTABLE_PATTERN.match(pattern) is not None


def _in_range(value: Any, bound: Any, operator: Any) -> ox.Literal:
    """pyshacl's sh:minInclusive (…) test: compare_literal(value, bound) as operator wants."""
    from pyshacl.rdfutil.compare import compare_literal

    node, limit = from_oxigraph(value), from_oxigraph(bound)
    if not isinstance(node, Literal) or not isinstance(limit, Literal):
        return _true(False)
    if isinstance(node.value, str) != isinstance(limit.value, str):
        return _true(False)
    try:
        order = compare_literal(node, limit)
    except (TypeError, NotImplementedError):
        return _true(False)
    tests = {"ge": order >= 0, "le": order <= 0, "gt": order > 0, "lt": order < 0}
    return _true(tests[operator.value])


def _less_or_equal(value: Any, other: Any) -> ox.Literal:
    """pyshacl's sh:lessThanOrEquals test of one pair (value, other)."""

    def plain(term: Node) -> tuple[bool, Any]:
        if isinstance(term, URIRef):
            return True, str(term)
        if isinstance(term, Literal) and isinstance(term.value, str):
            return True, term.value
        return False, term

    (one_string, one), (other_string, two) = plain(from_oxigraph(value)), plain(from_oxigraph(other))
    if one_string != other_string:
        return _true(False)
    try:
        return _true(bool(one <= two))
    except TypeError:
        return _true(False)


def _custom_functions() -> dict:
    return {
        ox.NamedNode(f"{FUNCTIONS}wellTyped"): _well_typed,
        ox.NamedNode(f"{FUNCTIONS}search"): _search,
        ox.NamedNode(f"{FUNCTIONS}inRange"): _in_range,
        ox.NamedNode(f"{FUNCTIONS}lessThanOrEquals"): _less_or_equal,
    }


# -- compiling --------------------------------------------------------------------------------------

_CACHE: dict[int, tuple[weakref.ref, int, CompiledShapes]] = {}


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """The shapes as queries (cached per shapes graph, while it keeps its size)."""
    cached = _CACHE.get(id(shapes))
    if cached is not None and cached[0]() is shapes and cached[1] == len(shapes):
        return cached[2]
    compiled = _Compiler(shapes).compile()
    if cached is None:  # the entry goes with the graph
        weakref.finalize(shapes, _CACHE.pop, id(shapes), None)
    _CACHE[id(shapes)] = (weakref.ref(shapes), len(shapes), compiled)
    return compiled


def term(node: Node) -> str:
    """A term of the shapes graph in SPARQL (the shapes are the project's, not user data)."""
    if isinstance(node, URIRef):
        if re.search(r'[<>"{}|^`\\\s]', str(node)):
            raise NotCompiled(f"an IRI SPARQL cannot write: {node!r}")
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise NotCompiled(f"a blank node as a constant: {node!r}")


def string(text: str) -> str:
    """text as a SPARQL string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.counter = 0

    def var(self) -> str:
        self.counter += 1
        return f"?_v{self.counter}"

    # the shapes that are validated, and their focus nodes

    def compile(self) -> CompiledShapes:
        g = self.shapes
        targeted = {s for p in _TARGETS for s in g.subjects(p, None)}
        targeted -= {s for s in targeted if g.value(s, SH.deactivated) == Literal(True)}
        classes = {s for s in g.subjects(RDF.type, RDFS.Class)} | {s for s in g.subjects(RDF.type, OWL.Class)}
        checks: list[Check] = []
        compiled: set[Node] = set()
        not_compiled: dict[Node, str] = {}
        # a shape and what it checks on its own focus nodes; property shapes get the focus nodes of
        # every compiled shape that names them with sh:property
        own: dict[Node, list[Check]] = {}
        property_targets: dict[Node, list[str]] = {}
        prefixes: dict[Node, dict[str, str]] = {}
        for shape in sorted(targeted | (classes & self._shapes()), key=str):
            try:
                if shape in classes:
                    raise NotCompiled("a shape that is also a class (implicit class target)")
                target, target_prefixes = self.target(shape)
                properties = self.property_shapes(shape)
                shape_checks = self.shape_checks(shape, target, target_prefixes)
                for prop in properties:
                    self.shape_checks(prop, "?this ?_p ?_o", {})  # compiles, or raises
            except NotCompiled as reason:
                not_compiled[shape] = str(reason)
                continue
            compiled.add(shape)
            own[shape] = shape_checks
            for prop in properties:
                property_targets.setdefault(prop, []).append(target)
                prefixes.setdefault(prop, {})
                if _clash(prefixes[prop], target_prefixes):
                    raise NotCompiled("prefix clash")  # not with these shapes; make it loud
                prefixes[prop].update(target_prefixes)
        for shape_checks in own.values():
            checks += shape_checks
        for prop, targets in sorted(property_targets.items(), key=lambda item: str(item[0])):
            union = " UNION ".join(f"{{ {t} }}" for t in targets)
            checks += self.shape_checks(prop, union, prefixes[prop])
        fallback = None
        if not_compiled:
            fallback = Graph()
            for prefix, namespace in g.namespaces():
                fallback.bind(prefix, namespace, override=True, replace=True)
            for triple in g:
                if triple[0] in compiled and triple[1] in _TARGETS:
                    continue
                fallback.add(triple)
        return CompiledShapes(g, checks, fallback, compiled, not_compiled)

    def _shapes(self) -> set[Node]:
        g = self.shapes
        return set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))

    def property_shapes(self, shape: Node) -> list[Node]:
        props = []
        for prop in self.shapes.objects(shape, SH.property):
            if self.shapes.value(prop, SH.deactivated) == Literal(True):
                continue
            if self.shapes.value(prop, SH.path) is None:
                raise NotCompiled("sh:property without sh:path")
            props.append(prop)
        return props

    def target(self, shape: Node) -> tuple[str, dict[str, str]]:
        """A group graph pattern that binds ?this to each focus node of shape."""
        g = self.shapes
        parts: list[str] = []
        prefixes: dict[str, str] = {}
        for cls in g.objects(shape, SH.targetClass):
            parts.append(f"?this {_TYPE_PATH} {term(cls)}")
        for node in g.objects(shape, SH.targetNode):
            parts.append(f"VALUES ?this {{ {term(node)} }}")
        for prop in g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"?this {term(prop)} ?_o")
        for prop in g.objects(shape, SH.targetObjectsOf):
            parts.append(f"?_s {term(prop)} ?this")
        for target in g.objects(shape, SH.target):
            if (target, RDF.type, SH.SPARQLTarget) not in g or g.value(target, SH.select) is None:
                raise NotCompiled("a target that is not a SPARQL SELECT target")
            if set(g.predicates(target, None)) - {RDF.type, SH.select, SH.prefixes}:
                raise NotCompiled("a SPARQL target with parameters")
            select = str(g.value(target, SH.select))
            if re.search(r"[$?](currentShape|shapesGraph|PATH)\b", select):
                raise NotCompiled("a SPARQL target with pre-bound variables")
            found = self.prefixes(target)
            if _clash(prefixes, found):
                raise NotCompiled("prefix clash")
            prefixes.update(found)
            parts.append("{ " + select.replace("$this", "?this") + " }")
        if not parts:
            raise NotCompiled("no target")
        return " UNION ".join(f"{{ {p} }}" for p in parts), prefixes

    def prefixes(self, node: Node) -> dict[str, str]:
        """The prefixes sh:prefixes of node declares (as pyshacl collects them)."""
        g = self.shapes
        onts = set(g.subjects(RDF.type, OWL.Ontology))
        global_declares = {d for o in onts for d in g.objects(o, SH.declare)}
        found: dict[str, str] = {}
        for holder in g.objects(node, SH.prefixes):
            own = set(g.objects(holder, SH.declare))
            declares = own if own and holder in onts else global_declares | own
            for declare in declares:
                prefix, namespace = g.value(declare, SH.prefix), g.value(declare, SH.namespace)
                if prefix is None or namespace is None:
                    raise NotCompiled("a sh:declare without sh:prefix or sh:namespace")
                if found.get(str(prefix), str(namespace)) != str(namespace):
                    raise NotCompiled("prefix clash")
                found[str(prefix)] = str(namespace)
        return found

    # the checks of one shape over the focus nodes that target binds

    def shape_checks(self, shape: Node, target: str, prefixes: dict[str, str]) -> list[Check]:
        g = self.shapes
        unknown = {p for p in g.predicates(shape, None) if str(p).startswith(str(SH))} - _SHAPE_PARAMETERS
        if unknown:
            raise NotCompiled(f"parameters not compiled: {sorted(unknown)}")
        if not any(isinstance(m, Literal) for m in g.objects(shape, SH.message)):
            raise NotCompiled("no sh:message (pyshacl would write its own)")
        if g.value(shape, SH.deactivated) == Literal(True):
            return []
        path = g.value(shape, SH.path)
        focus = f"{{ SELECT DISTINCT ?this WHERE {{ {target} }} }}"
        head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))
        values = f"?this {self.path(path)} ?value ." if path is not None else "BIND(?this AS ?value)"
        checks: list[Check] = []

        # the constraints on each value node, as flags of one query
        flags: list[tuple[str, URIRef]] = [(e, c) for e, c in self.value_violations(shape, "?value")]
        if path is None and g.value(shape, SH.hasValue) is not None:
            raise NotCompiled("sh:hasValue on a node shape")
        if flags:
            binds = "\n".join(f"  BIND(COALESCE({e}, true) AS ?f{i})" for i, (e, _) in enumerate(flags))
            names = " ".join(f"?f{i}" for i in range(len(flags)))
            test = " || ".join(f"?f{i}" for i in range(len(flags)))
            # LATERAL: the value nodes of each focus node in turn (a join would scan them all)
            query = (
                f"{head}SELECT DISTINCT ?this ?value {names} WHERE {{\n  {focus}\n  LATERAL {{\n  {values}\n"
                f"{binds}\n  FILTER({test})\n  }}\n}}"
            )
            components = [c for _, c in flags]

            def flagged(row: dict[str, Node], components: list[URIRef] = components) -> Iterator[Result]:
                for i, component in enumerate(components):
                    if row.get(f"f{i}") == Literal(True):
                        yield Result(row["this"], component, value=row.get("value"))

            checks.append(Check(shape, query, flagged))

        if path is not None:
            checks += self.path_checks(shape, path, focus, head)
        else:
            checks += self.node_checks(shape, focus, head)
        return checks

    def path_checks(self, shape: Node, path: Node, focus: str, head: str) -> list[Check]:
        g = self.shapes
        sparql_path = self.path(path)
        checks: list[Check] = []
        low = [int(v) for v in g.objects(shape, SH.minCount)]
        high = [int(v) for v in g.objects(shape, SH.maxCount)]
        if len(low) > 1 or len(high) > 1:
            raise NotCompiled("more than one sh:minCount or sh:maxCount")
        if low or high:
            count = "COUNT(DISTINCT ?value)"  # HAVING sees no alias of the projection
            tests = ([f"{count} < {low[0]}"] if low else []) + ([f"{count} > {high[0]}"] if high else [])
            query = (
                f"{head}SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{\n  {focus}\n"
                f"  OPTIONAL {{ ?this {sparql_path} ?value }}\n}}"
                f" GROUP BY ?this HAVING ({' || '.join(tests)})"
            )

            def counted(
                row: dict[str, Node], low: list[int] = low, high: list[int] = high
            ) -> Iterator[Result]:
                n = int(row["n"])
                if low and n < low[0]:
                    yield Result(row["this"], SH.MinCountConstraintComponent)
                if high and n > high[0]:
                    yield Result(row["this"], SH.MaxCountConstraintComponent)

            checks.append(Check(shape, query, counted))
        unique = g.value(shape, SH.uniqueLang)
        if unique is not None and unique.toPython() is True:
            query = (
                f"{head}SELECT ?this ?lang WHERE {{\n  {focus}\n  ?this {sparql_path} ?value .\n"
                '  FILTER(isLiteral(?value) && LANG(?value) != "")\n  BIND(LCASE(LANG(?value)) AS ?lang)\n'
                "} GROUP BY ?this ?lang HAVING (COUNT(DISTINCT ?value) > 1)"
            )
            checks.append(
                Check(shape, query, lambda row: iter([Result(row["this"], SH.UniqueLangConstraintComponent)]))
            )
        for value in g.objects(shape, SH.hasValue):
            missing = f"FILTER NOT EXISTS {{ ?this {sparql_path} {term(value)} }}"
            query = f"{head}SELECT ?this WHERE {{\n  {focus}\n  {missing}\n}}"
            checks.append(
                Check(shape, query, lambda row: iter([Result(row["this"], SH.HasValueConstraintComponent)]))
            )
        for other in g.objects(shape, SH.lessThanOrEquals):
            query = (
                f"{head}SELECT DISTINCT ?this ?value WHERE {{\n  {focus}\n  ?this {sparql_path} ?value .\n"
                f"  ?this {term(other)} ?other .\n"
                f"  FILTER(!COALESCE({_LESS_OR_EQUAL}(?value, ?other), false))\n}}"
            )
            checks.append(
                Check(
                    shape,
                    query,
                    lambda row: iter(
                        [Result(row["this"], SH.LessThanOrEqualsConstraintComponent, value=row["value"])]
                    ),
                )
            )
        if g.value(shape, SH.qualifiedValueShape) is not None:
            raise NotCompiled("sh:qualifiedValueShape on a validated shape")
        if g.value(shape, SH.sparql) is not None:
            raise NotCompiled("a SPARQL constraint on a property shape ($PATH)")
        if g.value(shape, SH.closed) is not None:
            raise NotCompiled("sh:closed on a property shape")
        return checks

    def node_checks(self, shape: Node, focus: str, head: str) -> list[Check]:
        g = self.shapes
        checks: list[Check] = []
        for p in (SH.minCount, SH.maxCount, SH.uniqueLang, SH.lessThanOrEquals, SH.qualifiedValueShape):
            if g.value(shape, p) is not None:
                raise NotCompiled(f"{p} on a node shape")
        closed = g.value(shape, SH.closed)
        if closed is not None and closed.toPython() is True:
            allowed = [g.value(p, SH.path) for p in g.objects(shape, SH.property)]
            allowed = [p for p in allowed if isinstance(p, URIRef)]
            ignored = g.value(shape, SH.ignoredProperties)
            if ignored is not None:
                allowed += list(Collection(g, ignored))
            test = f"FILTER(?path NOT IN ({', '.join(term(p) for p in allowed)}))" if allowed else ""
            lateral = f"LATERAL {{ ?this ?path ?value . {test} }}"
            query = f"{head}SELECT DISTINCT ?this ?path ?value WHERE {{\n  {focus}\n  {lateral}\n}}"
            checks.append(
                Check(
                    shape,
                    query,
                    lambda row: iter(
                        [
                            Result(
                                row["this"],
                                SH.ClosedConstraintComponent,
                                value=row["value"],
                                path=row["path"],
                            )
                        ]
                    ),
                )
            )
        for constraint in g.objects(shape, SH.sparql):
            checks.append(self.sparql_check(shape, constraint, focus))
        return checks

    def sparql_check(self, shape: Node, constraint: Node, focus: str) -> Check:
        g = self.shapes
        if g.value(constraint, SH.deactivated) == Literal(True):
            return Check(shape, "SELECT ?this WHERE { FILTER(false) }", lambda row: iter(()))
        select = g.value(constraint, SH.select)
        if select is None or g.value(constraint, SH.ask) is not None:
            raise NotCompiled("a SPARQL constraint without sh:select")
        text = str(select)
        if re.search(r"[$?](currentShape|shapesGraph|PATH|failure)\b", text):
            raise NotCompiled("a SPARQL constraint with pre-bound variables or ?failure")
        prefixes = self.prefixes(constraint)
        head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))
        text = re.sub(r"\$this\b", "?this", text)
        projection = re.match(r"\s*SELECT\s+(DISTINCT\s+|REDUCED\s+)?(.*?)\s*(WHERE\b|\{)", text, re.I | re.S)
        if projection is None:
            raise NotCompiled("a SPARQL constraint whose SELECT clause is not understood")
        if projection.group(2).strip() != "*" and not re.search(r"\?this\b", projection.group(2)):
            text = text[: projection.start(2)] + "?this " + text[projection.start(2) :]
        is_node = g.value(shape, SH.path) is None

        def rows(row: dict[str, Node], constraint: Node = constraint) -> Iterator[Result]:
            bound = {k: v for k, v in row.items() if k not in ("this", "path", "value")}
            value = row.get("value", row["this"] if is_node else None)
            yield Result(row["this"], SH.SPARQLConstraintComponent, value=value, path=row.get("path"),
                         constraint=constraint, bound=bound)  # fmt: skip

        if _joins_faithfully(text):
            # the focus nodes first in the WHERE group, the query's own pattern evaluated for each
            brace, end = text.index("{", projection.end(2)), text.rindex("}")
            query = (
                f"{head}{text[: brace + 1]}\n  {focus}\n  LATERAL {{ {text[brace + 1 : end]} }}\n{text[end:]}"
            )
            return Check(shape, query, rows)
        targets = f"{head}SELECT DISTINCT ?this WHERE {{ {focus} }}"
        return Check(shape, head + text, rows, targets=targets)

    # value nodes

    def path(self, path: Node | None) -> str:
        """A SHACL path as a SPARQL property path."""
        g = self.shapes
        if path is None:
            raise NotCompiled("no path")
        if isinstance(path, URIRef):
            return term(path)
        if g.value(path, RDF.first) is not None:
            return "(" + "/".join(self.path(p) for p in Collection(g, path)) + ")"
        for kind, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
            inner = g.value(path, kind)
            if inner is not None:
                return f"({self.path(inner)}){suffix}"
        inner = g.value(path, SH.inversePath)
        if inner is not None:
            return f"^({self.path(inner)})"
        inner = g.value(path, SH.alternativePath)
        if inner is not None:
            return "(" + "|".join(self.path(p) for p in Collection(g, inner)) + ")"
        raise NotCompiled(f"a path not understood: {path!r}")

    def value_violations(self, shape: Node, v: str) -> Iterable[tuple[str, URIRef]]:
        """For each constraint of shape on one value node v: the SPARQL expression true when v
        violates it, and the constraint component."""
        g = self.shapes
        for cls in g.objects(shape, SH["class"]):
            yield (
                f"(isLiteral({v}) || NOT EXISTS {{ {v} {_TYPE_PATH} {term(cls)} }})",
                SH.ClassConstraintComponent,
            )
        datatypes = list(g.objects(shape, SH.datatype))
        if len(datatypes) > 1:
            raise NotCompiled("more than one sh:datatype")
        for datatype in datatypes:
            yield self.datatype_violation(datatype, v), SH.DatatypeConstraintComponent
        kinds = list(g.objects(shape, SH.nodeKind))
        if len(kinds) > 1:
            raise NotCompiled("more than one sh:nodeKind")
        for kind in kinds:
            tests = {
                SH.IRI: f"!isIRI({v})",
                SH.BlankNode: f"!isBlank({v})",
                SH.Literal: f"!isLiteral({v})",
                SH.BlankNodeOrIRI: f"isLiteral({v})",
                SH.BlankNodeOrLiteral: f"isIRI({v})",
                SH.IRIOrLiteral: f"isBlank({v})",
            }
            if kind not in tests:
                raise NotCompiled(f"sh:nodeKind {kind}")
            yield tests[kind], SH.NodeKindConstraintComponent
        patterns = list(g.objects(shape, SH.pattern))
        if len(patterns) > 1:
            raise NotCompiled("more than one sh:pattern")
        for pattern in patterns:
            flags = g.value(shape, SH.flags)
            flag_text = str(flags) if flags is not None else ""
            if set(flag_text.lower()) - {"i", "m"}:
                raise NotCompiled("sh:flags other than i and m")
            # Python's re, as pyshacl; SPARQL's REGEX where both read the pattern alike (a call into
            # Python costs about 35 µs a value, REGEX a fifth of that), except on a value with a
            # line break (Python's $ also matches before a final one)
            exact = f"{_SEARCH}({v}, {string(str(pattern))}, {string(flag_text)})"
            if not flag_text and _same_in_sparql(str(pattern)):
                regex = f"REGEX(STR({v}), {string(str(pattern))})"
                exact = f'IF(CONTAINS(STR({v}), "\\n"), {exact}, {regex})'
            yield f"(isBlank({v}) || !{exact})", SH.PatternConstraintComponent
        languages = list(g.objects(shape, SH.languageIn))
        if len(languages) > 1:
            raise NotCompiled("more than one sh:languageIn")
        for holder in languages:
            wanted = sorted({str(x).lower() for x in Collection(g, holder)})
            tagged = f'(isLiteral({v}) && LANG({v}) != "")'
            if "*" in wanted:
                yield f"!{tagged}", SH.LanguageInConstraintComponent
                continue
            listed = ", ".join(string(x) for x in wanted)
            first = f'LCASE(STRBEFORE(CONCAT(LANG({v}), "-"), "-"))'
            yield (
                f"!({tagged} && (LCASE(LANG({v})) IN ({listed}) || {first} IN ({listed})))",
                SH.LanguageInConstraintComponent,
            )
        for parameter, component, op in (
            (SH.minLength, SH.MinLengthConstraintComponent, "<"),
            (SH.maxLength, SH.MaxLengthConstraintComponent, ">"),
        ):
            found = list(g.objects(shape, parameter))
            if len(found) > 1:
                raise NotCompiled(f"more than one {parameter}")
            for length in found:
                n = int(length)
                if parameter == SH.minLength and n == 0:
                    continue
                yield f"(isBlank({v}) || STRLEN(STR({v})) {op} {n})", component
        for holder in g.objects(shape, SH["in"]):
            members = list(Collection(g, holder))
            inside = " || ".join(f"sameTerm({v}, {term(m)})" for m in members) or "false"
            yield f"!({inside})", SH.InConstraintComponent
        for parameter, (operator, component) in _RANGE_OPERATORS.items():
            for bound in g.objects(shape, parameter):
                if not isinstance(bound, Literal):
                    raise NotCompiled(f"{parameter} not a literal")
                yield f"!{_IN_RANGE}({v}, {term(bound)}, {string(operator)})", component
        for holder in g.objects(shape, SH["or"]):
            members = [self.conforms(m, v) for m in Collection(g, holder)]
            yield "!(" + (" || ".join(members) or "false") + ")", SH.OrConstraintComponent
        for holder in g.objects(shape, SH["and"]):
            members = [self.conforms(m, v) for m in Collection(g, holder)]
            yield "!(" + (" && ".join(members) or "true") + ")", SH.AndConstraintComponent
        for holder in g.objects(shape, SH.xone):
            members = [f"IF({self.conforms(m, v)}, 1, 0)" for m in Collection(g, holder)]
            yield "(" + (" + ".join(members) or "0") + ") != 1", SH.XoneConstraintComponent
        for negated in g.objects(shape, SH["not"]):
            yield self.conforms(negated, v), SH.NotConstraintComponent
        for node in g.objects(shape, SH.node):
            yield f"!{self.conforms(node, v)}", SH.NodeConstraintComponent

    def datatype_violation(self, datatype: Node, v: str) -> str:
        if datatype == XSD.string:
            return f'!(isLiteral({v}) && LANG({v}) = "" && DATATYPE({v}) = {term(XSD.string)})'
        if datatype == RDF.langString:
            return f'!(isLiteral({v}) && LANG({v}) != "")'
        if datatype == RDFS.Literal:
            return f"!isLiteral({v})"
        if datatype == RDFS.Datatype:
            raise NotCompiled("sh:datatype rdfs:Datatype")
        well_typed = f"{_WELL_TYPED}({v}, {term(datatype)})"
        if datatype in SURELY_WELL_TYPED:  # most values decided without a call into Python
            well_typed = f'(REGEX(STR({v}), "{SURELY_WELL_TYPED[datatype]}") || {well_typed})'
        return f"!(isLiteral({v}) && DATATYPE({v}) = {term(datatype)} && {well_typed})"

    def conforms(self, shape: Node, v: str) -> str:
        """A SPARQL expression true when the node v conforms to shape (nested in sh:or …)."""
        g = self.shapes
        if g.value(shape, SH.deactivated) == Literal(True):
            return "true"
        allowed = _VALUE_PARAMETERS | {
            SH.path, SH.property, SH.minCount, SH.maxCount, SH.hasValue, SH.qualifiedValueShape,
            SH.qualifiedMinCount, SH.message, SH.name, SH.description, SH.severity,
        }  # fmt: skip
        unknown = {p for p in g.predicates(shape, None) if str(p).startswith(str(SH))} - allowed
        if unknown or g.value(shape, SH.qualifiedValueShapesDisjoint) is not None:
            raise NotCompiled(f"nested shape with {sorted(unknown) or 'sh:qualifiedValueShapesDisjoint'}")
        parts: list[str] = []
        for prop in g.objects(shape, SH.property):
            parts.append(self.conforms(prop, v))
        path = g.value(shape, SH.path)
        if path is None:
            for p in (SH.minCount, SH.maxCount, SH.qualifiedValueShape):
                if g.value(shape, p) is not None:
                    raise NotCompiled(f"{p} on a nested node shape")
            for value in g.objects(shape, SH.hasValue):
                parts.append(f"sameTerm({v}, {term(value)})")
            parts += [f"!COALESCE({e}, true)" for e, _ in self.value_violations(shape, v)]
        else:
            sparql_path = self.path(path)
            x = self.var()
            for low in g.objects(shape, SH.minCount):
                if int(low) > 1:
                    raise NotCompiled("nested sh:minCount above 1")
                if int(low) == 1:
                    parts.append(f"EXISTS {{ {v} {sparql_path} {x} }}")
            for high in g.objects(shape, SH.maxCount):
                if int(high) != 0:
                    raise NotCompiled("nested sh:maxCount above 0")
                parts.append(f"NOT EXISTS {{ {v} {sparql_path} {x} }}")
            for value in g.objects(shape, SH.hasValue):
                parts.append(f"EXISTS {{ {v} {sparql_path} {term(value)} }}")
            qualified = g.value(shape, SH.qualifiedValueShape)
            if qualified is not None:
                counts = [int(c) for c in g.objects(shape, SH.qualifiedMinCount)]
                if counts not in ([1], [0]):
                    raise NotCompiled("a qualified count other than sh:qualifiedMinCount 0 or 1")
                if counts == [1]:
                    parts.append(f"EXISTS {{ {v} {sparql_path} {x} FILTER({self.conforms(qualified, x)}) }}")
            violations = [f"COALESCE({e}, true)" for e, _ in self.value_violations(shape, x)]
            if violations:
                parts.append(f"NOT EXISTS {{ {v} {sparql_path} {x} FILTER({' || '.join(violations)}) }}")
        return "(" + (" && ".join(parts) or "true") + ")"


def _clash(known: dict[str, str], new: dict[str, str]) -> bool:
    return any(known.get(p, ns) != ns for p, ns in new.items())


def _joins_faithfully(text: str) -> bool:
    """Whether a SPARQL constraint's query gives, joined with the focus nodes (?this from the
    target, added to its WHERE group), what pyshacl's pre-binding of $this gives per focus node.
    Sub-selects, VALUES, MINUS, grouping and slicing see $this differently, and so does a FILTER
    or BIND on ?this in a nested group (outside EXISTS), which pre-binding reaches and a join does
    not: such queries run once per focus node, with ?this substituted."""
    code = re.sub(r'"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*', '""', text)
    if len(re.findall(r"\bSELECT\b", code, re.I)) != 1:
        return False
    if re.search(
        r"\b(VALUES|MINUS|GROUP|HAVING|LIMIT|OFFSET|SERVICE|GRAPH|COUNT|SUM|MIN|MAX|AVG|SAMPLE)\b", code, re.I
    ):
        return False
    stack: list[bool] = []  # per open brace: is it an EXISTS pattern
    i = 0
    while i < len(code):
        char = code[i]
        if char == "{":
            stack.append(bool(re.search(r"EXISTS\s*$", code[:i], re.I)))
        elif char == "}":
            if stack:
                stack.pop()
        else:
            call = re.match(r"(FILTER|BIND)\s*\(", code[i:], re.I)
            if call and (i == 0 or not (code[i - 1].isalnum() or code[i - 1] == "_")):
                start = i + call.end() - 1
                depth, j = 0, start
                while j < len(code):
                    depth += {"(": 1, ")": -1}.get(code[j], 0)
                    if depth == 0:
                        break
                    j += 1
                expression = code[start : j + 1]
                nested = len(stack) > 1 and not any(stack)
                if nested and re.search(r"\?this\b", re.sub(r"EXISTS\s*\{[^{}]*\}", "", expression)):
                    return False
                i = j
        i += 1
    return True
