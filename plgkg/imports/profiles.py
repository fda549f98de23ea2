"""School profiles: which interventions a school runs, read from CSV or YAML into the user graph.

The model (ontology/plg.ttl, section "School profiles"; shapes PracticeShape, RunsBackedShape,
PracticeMaterialisedShape):

    <https://w3id.org/plgkg/id/practice/{school slug}--{intervention slug}> a plg:Practice ;
        plg:school <…/school/{slug}> ; plg:intervention <…/intervention/{slug}> ;
        plg:since "2019"^^xsd:gYear ;            # or "2019-08-26"^^xsd:date, when given
        rdfs:comment "notes" ;                   # plain, or tagged (CSV column notes@nl, YAML notes: {nl: …})
        dcterms:source "profiles.csv" .          # the imported file's name
    <…/school/{slug}> plg:runs <…/intervention/{slug}> .   # materialised beside the practice

The file: columns (CSV, separated by ',' or ';', UTF-8) or keys (YAML: a list of mappings, or a
mapping with a `practices` list) `school` (a vestigingscode such as 02QZ00 of a registry school in
the store, or the slug of a school), `intervention` (a slug such as teamteaching, or the Dutch or
English name, compared as plgkg.names.key does), `since` (a year or an ISO date) and `notes`. Each
bad row is reported as `FILE:LINE: column X: reason` (for YAML, the line where the entry starts)
and left out; the good rows are validated with the shapes and written (plgkg.imports.pipeline.write:
one transaction, or bulk-loaded above TRANSACTION_TRIPLES) to the user graph: a re-import replaces
each practice's triples, so importing twice changes nothing. The catalogue is read, never written.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from plgkg import names
from plgkg.errors import ImportFailed
from plgkg.imports import pipeline
from plgkg.imports.pipeline import USER_GRAPH, ImportOutcome, Problem
from plgkg.namespaces import ID, PLG, expand
from plgkg.queries import load_query
from plgkg.settings import LOCK_WAIT_S
from plgkg.terms import sparql_term
from plgkg.triples import Triples

PRACTICE = f"{ID}practice/"
SCHOOL = f"{ID}school/"
INTERVENTION = f"{ID}intervention/"
COLUMNS = ("school", "intervention", "since", "notes")
LANGUAGES = ("nl", "en")
NOTE_COLUMNS = tuple(f"notes@{lang}" for lang in LANGUAGES)
LOCATION_CODE = re.compile(r"^[0-9]{2}[A-Za-z]{2}[0-9]{2}\Z")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")
YEAR = re.compile(r"^[0-9]{4}\Z")
FULL_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
FIRST_YEAR = 1900
# Which column a property of the model comes from (to map SHACL results back to the row).
COLUMN_OF = {
    str(PLG.school): "school",
    str(PLG.intervention): "intervention",
    str(PLG.runs): "intervention",
    str(PLG.since): "since",
    str(RDFS.comment): "notes",
}


@dataclass
class Entry:
    """One row of the file: its line and its values (notes may come per language)."""

    line: int
    values: dict[str, str]
    notes: dict[str, str] = field(default_factory=dict)  # language ("" = none) -> text


@dataclass
class Practice:
    line: int
    school: URIRef
    intervention: URIRef
    since: Literal | None
    notes: list[Literal]

    @cached_property
    def iri(self) -> URIRef:
        return practice_iri(self.school, self.intervention)


@dataclass
class Outcome(ImportOutcome):
    """A profiles import: the practices it wrote."""

    practices: list[Practice] = field(default_factory=list)


def _slug(iri: URIRef) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def practice_iri(school: URIRef, intervention: URIRef) -> URIRef:
    return URIRef(f"{PRACTICE}{_slug(school)}--{_slug(intervention)}")


# -- reading ------------------------------------------------------------------------------------


def read_entries(path: Path, name: str) -> list[Entry]:
    """The entries of a CSV (.csv) or YAML (.yaml, .yml) profile file."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".yaml", ".yml"):
        raise ImportFailed(f"{name}: unknown file type {path.suffix!r}; give a .csv, .yaml or .yml file")
    raw = pipeline.read_bytes(path, name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ImportFailed(f"{name}:{line}: not valid UTF-8 (byte 0x{raw[err.start]:02X})") from None
    if not text.strip():
        raise ImportFailed(f"{name}: the file is empty; expected the columns {', '.join(COLUMNS)}")
    return _read_csv(text, name) if suffix == ".csv" else _read_yaml(text, name)


def _read_csv(text: str, name: str) -> list[Entry]:
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    missing = [c for c in ("school", "intervention") if c not in header]
    unknown = [h for h in header if h not in COLUMNS + NOTE_COLUMNS]
    if missing or unknown:
        what = "; ".join(
            part
            for part in (
                f"missing column(s) {', '.join(missing)}" if missing else "",
                f"unknown column(s) {', '.join(unknown)}" if unknown else "",
            )
            if part
        )
        raise ImportFailed(
            f"{name}:1: {what}; expected the columns {', '.join(COLUMNS)} (notes@nl, notes@en)"
        )
    entries: list[Entry] = []
    line = reader.line_num + 1
    for fields in reader:
        start, line = line, reader.line_num + 1
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            entries.append(Entry(start, {"": f"has {len(fields)} fields where the header has {len(header)}"}))
            continue
        values = {h: v.strip() for h, v in zip(header, fields, strict=True)}
        notes = {"": values.pop("notes", "")} | {c[-2:]: values.pop(c) for c in NOTE_COLUMNS if c in values}
        entries.append(Entry(start, values, {lang: text for lang, text in notes.items() if text}))
    return entries


def _read_yaml(text: str, name: str) -> list[Entry]:
    import yaml

    try:
        # an alias repeats a node wherever it stands: a few lines can stand for millions of entries
        # (a "billion laughs"), so anchors and aliases are refused before anything is built
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line = event.start_mark.line + 1
                raise ImportFailed(
                    f"{name}:{line}: YAML anchors and aliases are not accepted; write each entry out"
                )
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark is not None else name
        problem = getattr(err, "problem", None) or str(err)
        raise ImportFailed(f"{where}: not valid YAML: {problem}") from None
    if isinstance(root, yaml.MappingNode):
        practices = [v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "practices"]
        root = practices[0] if practices else root
    if not isinstance(root, yaml.SequenceNode):
        line = root.start_mark.line + 1 if root is not None else 1
        raise ImportFailed(
            f"{name}:{line}: expected a list of entries with the keys {', '.join(COLUMNS)} "
            "(or a mapping with such a list under 'practices')"
        )
    entries = []
    for node in root.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            entries.append(Entry(line, {"": f"an entry is a mapping with the keys {', '.join(COLUMNS)}"}))
            continue
        values: dict[str, str] = {}
        notes: dict[str, str] = {}
        bad: dict[str, str] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value).strip().lower()
            if key not in COLUMNS:
                bad[key] = f"unknown key; expected {', '.join(COLUMNS)}"
            elif key == "notes" and isinstance(value_node, yaml.MappingNode):
                for lang_node, text_node in value_node.value:
                    lang = str(lang_node.value)
                    if lang not in LANGUAGES or not isinstance(text_node, yaml.ScalarNode):
                        bad[key] = f"notes per language are text under {' or '.join(LANGUAGES)}"
                    elif str(text_node.value).strip():
                        notes[lang] = str(text_node.value).strip()
            elif not isinstance(value_node, yaml.ScalarNode):
                bad[key] = "expected a single value"
            elif key == "notes":
                if str(value_node.value).strip():
                    notes[""] = str(value_node.value).strip()
            else:
                values[key] = "" if value_node.tag.endswith(":null") else str(value_node.value).strip()
        entries.append(Entry(line, values | {f"!{k}": v for k, v in bad.items()}, notes))
    return entries


# -- checking -----------------------------------------------------------------------------------

# Characters no value may hold (they cannot be written in XML, and no name or code has them); notes
# may hold tabs and line breaks.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _control_problems(entry: Entry) -> dict[str, str]:
    """'!column' -> reason for each value of entry that holds a control character."""
    bad: dict[str, str] = {}
    for key, value in entry.values.items():
        found = _CONTROL.search(value) if key and not key.startswith("!") else None
        if found is not None:
            bad[f"!{key}"] = f"control character U+{ord(found.group()):04X} in the value"
    for text in entry.notes.values():
        found = _CONTROL_IN_TEXT.search(text)
        if found is not None:
            bad["!notes"] = f"control character U+{ord(found.group()):04X} in the notes"
    return bad


def intervention_keys(catalogue: Graph) -> dict[str, URIRef]:
    """Every way to name an intervention: its slug and its preferred labels in Dutch and English,
    compared as plgkg.names.key does (case, accents, hyphens and spacing ignored)."""
    keys: dict[str, URIRef] = {}
    for intervention in sorted(catalogue.subjects(RDF.type, PLG.Intervention)):
        keys[names.key(_slug(intervention))] = intervention
    for intervention in sorted(catalogue.subjects(RDF.type, PLG.Intervention)):
        for label in sorted(catalogue.objects(intervention, SKOS.prefLabel)):
            if isinstance(label, Literal) and label.language in ("nl", "en"):
                keys.setdefault(names.key(str(label)), intervention)
    return keys


def school_keys(graphs: list[Graph]) -> dict[str, URIRef]:
    """Every way to name a known school: its slug and, where it has one, its vestigingscode."""
    keys: dict[str, URIRef] = {}
    for graph in graphs:
        for school in graph.subjects(RDF.type, PLG.School):
            if str(school).startswith(SCHOOL):
                keys[_slug(school).lower()] = school
            for code in graph.objects(school, PLG.locationCode):
                keys[str(code).lower()] = school
    return keys


def _since(value: str, today: date) -> tuple[Literal | None, str | None]:
    if YEAR.match(value):
        year = int(value)
        literal = Literal(value, datatype=XSD.gYear)
    elif FULL_DATE.match(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return None, f"{value!r} is not a date that exists"
        if day > today:
            return None, f"{value!r} lies in the future"
        year = day.year
        literal = Literal(value, datatype=XSD.date)
    else:
        return None, f"{value!r} is not a year (e.g. 2019) or a date (e.g. 2019-08-26)"
    if year > today.year:
        return None, f"{value!r} lies in the future"
    if year < FIRST_YEAR:
        return None, f"{value!r} lies before {FIRST_YEAR}"
    return literal, None


def check_entries(
    entries: list[Entry],
    interventions: dict[str, URIRef],
    schools: dict[str, URIRef],
    today: date | None = None,
) -> tuple[list[Practice], list[Problem]]:
    """Each entry on its own (school, intervention, since, keys), then duplicates."""
    today = today or date.today()
    practices: list[Practice] = []
    problems: list[Problem] = []
    seen: dict[tuple[URIRef, URIRef], int] = {}
    for entry in entries:
        found: list[Problem] = []
        v = entry.values | _control_problems(entry)
        if "" in v:
            problems.append(Problem(entry.line, None, v[""]))
            continue
        for key in sorted(k for k in v if k.startswith("!")):
            found.append(Problem(entry.line, key[1:], v[key]))
        school = intervention = since = None
        raw_school = v.get("school", "")
        if not raw_school and "!school" not in v:
            found.append(Problem(entry.line, "school", "empty; a value is required"))
        elif raw_school:
            school = schools.get(raw_school.lower())
            if school is None:
                kind = "registry school in the store" if LOCATION_CODE.match(raw_school) else "school"
                found.append(
                    Problem(
                        entry.line,
                        "school",
                        f"{raw_school!r} is not a known {kind}: give the vestigingscode of an imported "
                        "registry school (e.g. 02QZ00) or the slug of a known school",
                    )
                )
        raw_intervention = v.get("intervention", "")
        if not raw_intervention and "!intervention" not in v:
            found.append(Problem(entry.line, "intervention", "empty; a value is required"))
        elif raw_intervention:
            intervention = interventions.get(names.key(raw_intervention))
            if intervention is None:
                near = [_slug(iri) for iri in names.closest(raw_intervention, interventions)]
                found.append(
                    Problem(
                        entry.line,
                        "intervention",
                        f"{raw_intervention!r} is not an intervention of the catalogue: "
                        + (f"did you mean {' or '.join(near)}? " if near else "")
                        + "give its slug (e.g. teamteaching) or its name in Dutch or English",
                    )
                )
        if v.get("since"):
            since, reason = _since(v["since"], today)
            if reason:
                found.append(Problem(entry.line, "since", reason))
        if not found and school is not None and intervention is not None:
            first = seen.get((school, intervention))
            if first is not None:
                found.append(
                    Problem(
                        entry.line,
                        "intervention",
                        f"{_slug(school)} runs {_slug(intervention)} already on line {first}; "
                        "the first is kept",
                    )
                )
        if found:
            problems += found
            continue
        seen[(school, intervention)] = entry.line
        notes = [Literal(text, lang=lang or None) for lang, text in sorted(entry.notes.items())]
        practices.append(Practice(entry.line, school, intervention, since, notes))
    return practices, problems


# -- RDF ------------------------------------------------------------------------------------------


# made once, not per practice (rdflib makes a new URIRef on every namespace attribute access)
_PRACTICE, _SCHOOL, _INTERVENTION, _SINCE = PLG.Practice, PLG.school, PLG.intervention, PLG.since
_RUNS, _TYPE, _COMMENT, _SOURCE = PLG.runs, RDF.type, RDFS.comment, DCTERMS.source


def build_triples(practices: list[Practice], source: str) -> Triples:
    triples = Triples()
    add = triples.add
    file = Literal(source)
    for p in practices:
        node = p.iri
        add((node, _TYPE, _PRACTICE))
        add((node, _SCHOOL, p.school))
        add((node, _INTERVENTION, p.intervention))
        if p.since is not None:
            add((node, _SINCE, p.since))
        for note in p.notes:
            add((node, _COMMENT, note))
        add((node, _SOURCE, file))
        add((p.school, _RUNS, p.intervention))
    return triples


def build_graph(practices: list[Practice], source: str) -> Graph:
    """The practices' triples as an rdflib graph."""
    return build_triples(practices, source).graph()


def shacl_problems(
    practices: list[Practice], graph: Graph | Triples, context: Graph, *, scoped: bool = True
) -> list[Problem]:
    """Validate the practices with the shapes over context (the ontology and the types of what they
    point at), scoped to the imported nodes (scoped=False: full validation, the reference the tests
    compare with); only results about the practices and their plg:runs triples count, each mapped
    to its row."""
    by_node = {p.iri: p for p in practices}
    by_runs = {(p.school, p.intervention): p for p in practices}

    def mapped(focus: Node, path: Node | None, value: Node | None) -> bool:
        # not what the shapes say about the schools themselves, which the context only types
        return focus in by_node or (path == PLG.runs and (focus, value) in by_runs)

    problems = []
    for violation in pipeline.shapes_report(graph, context, scoped=scoped, keep=mapped).violations:
        practice = by_node.get(violation.focus)
        if practice is None and violation.value is not None:
            practice = by_runs.get((violation.focus, URIRef(expand(violation.value))))
        if practice is not None:
            problems.append(pipeline.violation_problem(violation, practice.line, COLUMN_OF))
    return problems


def _user_schools(store_path: Path | None, into: str | None) -> Graph:
    """The schools (type and location code) in the user graph of the target store."""
    from plgkg.stores import OxigraphStore, open_store

    if into is None and store_path is None:
        raise ImportFailed("give --store-path DIR or --into URL: where the profiles are kept")
    if into is None and not (store_path / "CURRENT").is_file():
        return Graph()  # no store there yet, so no registry schools
    # Read-only: reading takes no write lock, so a writer (another import) is never kept waiting.
    store = open_store(into) if into is not None else OxigraphStore.open_read_only(store_path)
    try:
        result = store.query(load_query("imports/user-schools"), default_graph_uris=[USER_GRAPH])
    finally:
        store.close()
    return result.graph if result.graph is not None else Graph()


def replaced(practices: list[Practice]) -> list[str]:
    """The SPARQL Update operation that drops these practices' triples from the user graph."""
    return [pipeline.delete_from_user_graph(sorted((p.iri for p in practices), key=sparql_term))]


def _context(catalogue: Graph, practices: list[Practice]) -> Graph:
    """What the shapes need besides the practices: the ontology and the types of what the practices
    point at, not the whole catalogue (validated on its own)."""
    from plgkg.catalogue import ONTOLOGY_DIR, load

    context = load([ONTOLOGY_DIR]).graph
    for intervention in set(intervention_keys(catalogue).values()):
        context.add((intervention, RDF.type, PLG.Intervention))
    for school in {p.school for p in practices}:
        context.add((school, RDF.type, PLG.School))
    return context


def import_profiles(
    path: Path,
    *,
    name: str | None = None,
    store_path: Path | None = None,
    into: str | None = None,
    today: date | None = None,
    wait_s: float = LOCK_WAIT_S,
) -> Outcome:
    """Read, check and validate a profile file, then write its good rows to the user graph."""
    from plgkg.catalogue import DEFAULT_PATHS, load

    name = name or str(path)

    @cache
    def catalogue() -> Graph:  # read after the file, so that a file that cannot be read fails at once
        return load(DEFAULT_PATHS).graph

    def check(entries: list[Entry]) -> tuple[list[Practice], list[Problem]]:
        interventions = intervention_keys(catalogue())
        schools = school_keys([catalogue(), _user_schools(store_path, into)])
        return check_entries(entries, interventions, schools, today)

    steps = pipeline.Steps(
        read=lambda: (read_entries(path, name), []),
        check=check,
        line=lambda practice: practice.line,
        build=lambda practices: build_triples(practices, path.name),
        shapes=lambda practices, made: shacl_problems(practices, made, _context(catalogue(), practices)),
        replaced=replaced,
    )
    what = f"plgkg import profiles {name}"
    done = pipeline.run_import(steps, store_path=store_path, into=into, wait_s=wait_s, what=what)
    return Outcome(rows=done.rows, practices=done.good, problems=done.problems, triples=done.triples)
