"""The Dutch school registry: DUO's open-data list of secondary-school locations as plg:School RDF.

The model (what `plgkg import schools` writes; other modules may rely on it):

    <https://w3id.org/plgkg/id/school/{vestigingscode, lowercase}> a plg:School ;   # e.g. …/school/99zz01
        rdfs:label "{VESTIGINGSNAAM}"@nl , "{VESTIGINGSNAAM}"@en ;   # for pages and /api/schools
        schema:name "{VESTIGINGSNAAM}" ;
        plg:institutionCode "99ZZ" ;              # INSTELLINGSCODE (BRIN), ^[0-9]{2}[A-Z]{2}$
        plg:locationCode "99ZZ01" ;               # VESTIGINGSCODE = institution code + 2 digits
        schema:address <https://w3id.org/plgkg/id/address/{vestigingscode, lowercase}> ;
        plg:municipality <https://w3id.org/plgkg/id/municipality/{GEMEENTENUMMER}> ;
        plg:denomination "Openbaar" ;             # DENOMINATIE, when given
        plg:educationType "HAVO" , "VWO" ;        # ONDERWIJSSTRUCTUUR split on "/", when given
        plg:competentAuthority "41201" ;          # BEVOEGD GEZAG NUMMER
        dcterms:source <https://duo.nl/open_onderwijsdata/voortgezet-onderwijs/adressen/vestigingen.jsp> .
    <…/id/address/{code}> a schema:PostalAddress ;
        schema:streetAddress "{STRAATNAAM} {HUISNUMMER-TOEVOEGING}" ;
        schema:postalCode "{POSTCODE}" ; schema:addressLocality "{PLAATSNAAM}" .
    <…/id/municipality/{GEMEENTENUMMER}> a plg:Municipality ; schema:name "{GEMEENTENAAM}" ;
        plg:municipalityCode "{GEMEENTENUMMER}" .

Shapes: SchoolShape (closed), PostalAddressShape, MunicipalityShape in shapes/plg-shapes.ttl.

Where it lives: the named graph USER_GRAPH (https://w3id.org/plgkg/graph/user) of an on-disk
oxigraph store (`--store-path DIR`) or of a remote store (`--into URL`, SPARQL Update). The curated
catalogue stays in the default graph and is never written; `plgkg serve --store-path DIR` keeps the
user graph and queries see the union of both. A re-import replaces, per school, exactly the
REGISTRY_PREDICATES triples (and its address and municipality nodes), in one SPARQL Update, which
pyoxigraph applies as one transaction. Other user data about a school (profiles) must use other
predicates, or a re-import removes it.

The CSV: DUO's `02.-alle-vestigingen-vo.csv`, separated by ';', header as in COLUMNS. Read as
UTF-8 (a byte-order mark is skipped) unless `--encoding` names another; lines that do not decode
are reported, never guessed. Multi-line quoted fields are not supported (DUO has none).
"""

from __future__ import annotations

import csv
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from plgkg.errors import ImportFailed
from plgkg.namespaces import PLG, SCHEMA
from plgkg.terms import sparql_term

if TYPE_CHECKING:
    from plgkg.stores import OxigraphStore

USER_GRAPH = "https://w3id.org/plgkg/graph/user"
ID = "https://w3id.org/plgkg/id/"
DUO_DATASET = URIRef("https://duo.nl/open_onderwijsdata/voortgezet-onderwijs/adressen/vestigingen.jsp")
CC0 = URIRef("https://creativecommons.org/publicdomain/zero/1.0/")
# How long an import waits for the on-disk store's write lock by default: another writer holds it for
# a moment (another import, or `plgkg serve --store-path` while it starts and writes the catalogue).
LOCK_WAIT_S = 60.0

# DUO's header, in its order (the file has more columns after these: correspondence address and
# regional divisions, which the import ignores).
COLUMNS = (
    "PROVINCIE",
    "BEVOEGD GEZAG NUMMER",
    "INSTELLINGSCODE",
    "VESTIGINGSCODE",
    "VESTIGINGSNAAM",
    "STRAATNAAM",
    "HUISNUMMER-TOEVOEGING",
    "POSTCODE",
    "PLAATSNAAM",
    "GEMEENTENUMMER",
    "GEMEENTENAAM",
    "DENOMINATIE",
    "TELEFOONNUMMER",
    "INTERNETADRES",
    "ONDERWIJSSTRUCTUUR",
)
REQUIRED_COLUMNS = tuple(c for c in COLUMNS if c not in ("PROVINCIE", "TELEFOONNUMMER", "INTERNETADRES"))
REQUIRED_VALUES = (
    "BEVOEGD GEZAG NUMMER",
    "INSTELLINGSCODE",
    "VESTIGINGSCODE",
    "VESTIGINGSNAAM",
    "STRAATNAAM",
    "POSTCODE",
    "PLAATSNAAM",
    "GEMEENTENUMMER",
    "GEMEENTENAAM",
)

INSTITUTION_CODE = re.compile(r"^[0-9]{2}[A-Z]{2}\Z")
LOCATION_NUMBER = re.compile(r"^[0-9]{2}\Z")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # no register value holds one (nor can XML)
POSTCODE = re.compile(r"^[1-9][0-9]{3} ?[A-Z]{2}\Z")
MUNICIPALITY_CODE = re.compile(r"^[0-9]{4}\Z")
AUTHORITY_NUMBER = re.compile(r"^[0-9]{1,6}\Z")
EDUCATION_TYPE = re.compile(r"^[A-Z][A-Z0-9_ -]*\Z")

# The school triples a re-import replaces (address and municipality nodes are replaced whole).
REGISTRY_PREDICATES = (
    RDF.type,
    RDFS.label,
    SCHEMA.name,
    PLG.institutionCode,
    PLG.locationCode,
    SCHEMA.address,
    PLG.municipality,
    PLG.denomination,
    PLG.educationType,
    PLG.competentAuthority,
    DCTERMS.source,
)
# Which CSV column a property of the model comes from (to map SHACL results back to the row).
COLUMN_OF = {
    str(SCHEMA.name): "VESTIGINGSNAAM",
    str(RDFS.label): "VESTIGINGSNAAM",
    str(PLG.institutionCode): "INSTELLINGSCODE",
    str(PLG.locationCode): "VESTIGINGSCODE",
    str(PLG.denomination): "DENOMINATIE",
    str(PLG.educationType): "ONDERWIJSSTRUCTUUR",
    str(PLG.competentAuthority): "BEVOEGD GEZAG NUMMER",
    str(SCHEMA.streetAddress): "STRAATNAAM",
    str(SCHEMA.postalCode): "POSTCODE",
    str(SCHEMA.addressLocality): "PLAATSNAAM",
    str(PLG.municipalityCode): "GEMEENTENUMMER",
    str(PLG.municipality): "GEMEENTENUMMER",
}


@dataclass
class Row:
    line: int
    values: dict[str, str]

    @property
    def code(self) -> str:
        return self.values["VESTIGINGSCODE"]


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
    graph: Graph = field(default_factory=Graph)

    @property
    def rejected_lines(self) -> set[int]:
        return {p.line for p in self.problems}


@dataclass
class Outcome(ImportOutcome):
    """A schools import: the schools it wrote."""

    schools: list[URIRef] = field(default_factory=list)


def school_iri(location_code: str) -> URIRef:
    return URIRef(f"{ID}school/{location_code.lower()}")


def address_iri(location_code: str) -> URIRef:
    return URIRef(f"{ID}address/{location_code.lower()}")


def municipality_iri(code: str) -> URIRef:
    return URIRef(f"{ID}municipality/{code}")


# -- reading ------------------------------------------------------------------------------------


def read_rows(
    path: Path, name: str, encoding: str = "utf-8", progress: Callable[[int, int], None] | None = None
) -> tuple[list[Row], list[Problem]]:
    """The data rows of a DUO CSV and the problems of the rows that could not be read."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ImportFailed(f"{name}: cannot read the file: {err.strerror or err}") from None
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8") and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    lines = [line[:-1] if line.endswith(b"\r") else line for line in lines]
    if not lines or not lines[0].strip():
        raise ImportFailed(f"{name}: the file is empty; expected DUO's header {_expected()}")
    try:
        header_text = lines[0].decode(encoding)
    except UnicodeDecodeError as err:
        raise ImportFailed(
            f"{name}:1: the header is not valid {encoding} (byte 0x{lines[0][err.start]:02X}); "
            "pass --encoding with the file's encoding"
        ) from None
    except LookupError:
        raise ImportFailed(f"unknown encoding {encoding!r}") from None
    header = [h.strip() for h in next(csv.reader([header_text], delimiter=";"))]
    _check_header(header, header_text, name)

    rows: list[Row] = []
    problems: list[Problem] = []
    total = len(lines) - 1
    for number, line in enumerate(lines[1:], 2):
        if progress is not None:
            progress(number - 1, total)
        if not line.strip():
            continue
        try:
            text = line.decode(encoding)
        except UnicodeDecodeError as err:
            column = _column_at(line, err.start, header)
            problems.append(
                Problem(
                    number,
                    column,
                    f"not valid {encoding} (byte 0x{line[err.start]:02X}); the row is skipped: convert the "
                    "file or pass --encoding with its encoding",
                )
            )
            continue
        try:
            fields = next(csv.reader([text], delimiter=";"), [])
        except csv.Error as err:  # a bare carriage return, or a quote that does not close
            column = next((h for h, f in zip(header, text.split(";"), strict=False) if "\r" in f), None)
            why = "a carriage return (CR) inside a field" if "\r" in text else f"not CSV ({err})"
            problems.append(Problem(number, column, f"{why}; the row is skipped"))
            continue
        found = _CONTROL.search(text)
        if found is not None:
            control = found.group()
            column = next((h for h, f in zip(header, fields, strict=False) if control in f), None)
            problems.append(
                Problem(number, column, f"control character U+{ord(control):04X}; the row is skipped")
            )
            continue
        if len(fields) != len(header):
            problems.append(
                Problem(number, None, f"has {len(fields)} fields where the header has {len(header)}")
            )
            continue
        rows.append(Row(number, {h: v.strip() for h, v in zip(header, fields, strict=True)}))
    return rows, problems


def _expected() -> str:
    return ";".join(REQUIRED_COLUMNS)


def _check_header(header: list[str], text: str, name: str) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if not missing:
        return
    if len(header) == 1:
        other = next((sep for sep in (",", "\t", "|") if sep in text), None)
        found = f"it looks separated by {other!r}" if other else "it has one column"
        raise ImportFailed(
            f"{name}:1: the header is not separated by ';' ({found}); "
            f"expected DUO's columns, separated by ';': {_expected()}"
        )
    raise ImportFailed(
        f"{name}:1: missing column(s) {', '.join(missing)}; expected DUO's columns, "
        f"separated by ';': {_expected()}"
    )


def _column_at(line: bytes, offset: int, header: list[str]) -> str | None:
    start = 0
    for index, chunk in enumerate(line.split(b";")):
        if offset < start + len(chunk) + 1:
            return header[index] if index < len(header) else None
        start += len(chunk) + 1
    return None


# -- checking -----------------------------------------------------------------------------------


def check_row(row: Row) -> list[Problem]:
    """What is wrong with one row on its own (codes, postcode, required values)."""
    v = row.values
    found: list[Problem] = []

    def bad(column: str, reason: str) -> None:
        found.append(Problem(row.line, column, reason))

    for column in REQUIRED_VALUES:
        if not v[column]:
            bad(column, "empty; a value is required")
    institution, location = v["INSTELLINGSCODE"], v["VESTIGINGSCODE"]
    if institution and not INSTITUTION_CODE.match(institution):
        bad(
            "INSTELLINGSCODE",
            f"{institution!r} is not an institution code (two digits and two capital letters, e.g. 02QZ)",
        )
    if location and not (
        location.startswith(institution) and LOCATION_NUMBER.match(location[len(institution) :])
    ):
        bad(
            "VESTIGINGSCODE",
            f"{location!r} is not the institution code {institution!r} followed by two digits",
        )
    if v["POSTCODE"] and not POSTCODE.match(v["POSTCODE"]):
        bad(
            "POSTCODE", f"{v['POSTCODE']!r} is not a Dutch postcode (four digits, two capitals, e.g. 1017 RV)"
        )
    if v["GEMEENTENUMMER"] and not MUNICIPALITY_CODE.match(v["GEMEENTENUMMER"]):
        bad("GEMEENTENUMMER", f"{v['GEMEENTENUMMER']!r} is not a four-digit municipality number")
    if v["BEVOEGD GEZAG NUMMER"] and not AUTHORITY_NUMBER.match(v["BEVOEGD GEZAG NUMMER"]):
        bad("BEVOEGD GEZAG NUMMER", f"{v['BEVOEGD GEZAG NUMMER']!r} is not a number")
    for kind in education_types(v["ONDERWIJSSTRUCTUUR"]):
        if not EDUCATION_TYPE.match(kind):
            bad("ONDERWIJSSTRUCTUUR", f"{kind!r} is not an education type such as VMBO, HAVO or VWO")
    return found


def education_types(value: str) -> list[str]:
    return [part.strip() for part in value.split("/") if part.strip()]


def check_rows(rows: list[Row]) -> tuple[list[Row], list[Problem]]:
    """Each row on its own, then duplicates (of a location code) and disagreeing municipality names."""
    good: list[Row] = []
    problems: list[Problem] = []
    seen: dict[str, Row] = {}
    municipalities: dict[str, Row] = {}
    for row in rows:
        found = check_row(row)
        if not found:
            first = seen.get(row.code)
            if first is not None:
                same = first.values == row.values
                found.append(
                    Problem(
                        row.line,
                        "VESTIGINGSCODE",
                        f"{row.code} repeats line {first.line}"
                        + (" (the same row twice)" if same else " with other values; the first is kept"),
                    )
                )
            number, town = row.values["GEMEENTENUMMER"], row.values["GEMEENTENAAM"]
            named = municipalities.get(number)
            if named is not None and named.values["GEMEENTENAAM"] != town:
                found.append(
                    Problem(
                        row.line,
                        "GEMEENTENAAM",
                        f"{town!r} differs from {named.values['GEMEENTENAAM']!r}, the name of "
                        f"municipality {number} on line {named.line}",
                    )
                )
        if found:
            problems += found
            continue
        seen[row.code] = row
        municipalities.setdefault(row.values["GEMEENTENUMMER"], row)
        good.append(row)
    return good, problems


# -- RDF ------------------------------------------------------------------------------------------


def row_triples(row: Row) -> list[tuple]:
    v = row.values
    school, address = school_iri(row.code), address_iri(row.code)
    municipality = municipality_iri(v["GEMEENTENUMMER"])
    name = v["VESTIGINGSNAAM"]
    street = " ".join(p for p in (v["STRAATNAAM"], v["HUISNUMMER-TOEVOEGING"]) if p)
    triples = [
        (school, RDF.type, PLG.School),
        (school, RDFS.label, Literal(name, lang="nl")),
        (school, RDFS.label, Literal(name, lang="en")),
        (school, SCHEMA.name, Literal(name)),
        (school, PLG.institutionCode, Literal(v["INSTELLINGSCODE"])),
        (school, PLG.locationCode, Literal(row.code)),
        (school, SCHEMA.address, address),
        (school, PLG.municipality, municipality),
        (school, PLG.competentAuthority, Literal(v["BEVOEGD GEZAG NUMMER"])),
        (school, DCTERMS.source, DUO_DATASET),
        (address, RDF.type, SCHEMA.PostalAddress),
        (address, SCHEMA.streetAddress, Literal(street)),
        (address, SCHEMA.postalCode, Literal(v["POSTCODE"])),
        (address, SCHEMA.addressLocality, Literal(v["PLAATSNAAM"])),
        (municipality, RDF.type, PLG.Municipality),
        (municipality, SCHEMA.name, Literal(v["GEMEENTENAAM"])),
        (municipality, PLG.municipalityCode, Literal(v["GEMEENTENUMMER"])),
    ]
    if v["DENOMINATIE"]:
        triples.append((school, PLG.denomination, Literal(v["DENOMINATIE"])))
    triples += [(school, PLG.educationType, Literal(t)) for t in education_types(v["ONDERWIJSSTRUCTUUR"])]
    return triples


def dataset_triples() -> list[tuple]:
    return [
        (DUO_DATASET, DCTERMS.title, Literal("Alle vestigingen VO", lang="nl")),
        (DUO_DATASET, DCTERMS.title, Literal("All locations of secondary schools (VO)", lang="en")),
        (DUO_DATASET, DCTERMS.publisher, Literal("DUO (Dienst Uitvoering Onderwijs)")),
        (DUO_DATASET, DCTERMS.license, CC0),
    ]


def build_graph(rows: Iterable[Row]) -> Graph:
    graph = Graph()
    for row in rows:
        for triple in row_triples(row):
            graph.add(triple)
    if len(graph):
        for triple in dataset_triples():
            graph.add(triple)
    return graph


def shacl_problems(rows: list[Row], graph: Graph, *, scoped: bool = True) -> list[Problem]:
    """Run the shapes once over the imported graph in the context of the ontology, scoped to the
    imported nodes (plgkg.validate.validate_scoped; scoped=False: full validation, the reference the
    tests compare with); map each result to its row."""
    from plgkg.catalogue import ONTOLOGY_DIR, LoadedGraph, load
    from plgkg.validate import validate_loaded, validate_scoped

    lines_of: dict[URIRef, list[int]] = {}
    for row in rows:
        for node in (
            school_iri(row.code),
            address_iri(row.code),
            municipality_iri(row.values["GEMEENTENUMMER"]),
        ):
            lines_of.setdefault(node, []).append(row.line)
    ontology = load([ONTOLOGY_DIR]).graph
    report = validate_scoped(graph, ontology) if scoped else validate_loaded(LoadedGraph(graph + ontology))
    problems = []
    for violation in report.violations:
        path = violation.path or ""
        full = _expand(path)
        column = COLUMN_OF.get(full)
        value = f" (value: {violation.value})" if violation.value else ""
        for line in lines_of.get(violation.focus, [0]):
            problems.append(Problem(line, column, f"{violation.message()}{value} [{violation.shape}]"))
    return problems


def _expand(curie: str) -> str:
    from plgkg.namespaces import PREFIXES

    if curie.startswith("<") and curie.endswith(">"):
        return curie[1:-1]
    prefix, _, local = curie.partition(":")
    return f"{PREFIXES[prefix]}{local}" if prefix in PREFIXES else curie


# -- writing --------------------------------------------------------------------------------------


def replace_update(graph: Graph, schools: list[URIRef], nodes: Iterable[URIRef]) -> str:
    """One SPARQL Update: drop these schools' registry triples and their address and municipality
    nodes from the user graph, then insert the new graph there."""
    user = sparql_term(URIRef(USER_GRAPH))
    preds = ", ".join(sparql_term(p) for p in REGISTRY_PREDICATES)
    school_values = " ".join(sparql_term(s) for s in schools)
    node_values = " ".join(sorted(sparql_term(n) for n in nodes))
    body = "\n".join(f"{sparql_term(s)} {sparql_term(p)} {sparql_term(o)} ." for s, p, o in graph)
    parts = []
    if school_values:
        parts.append(
            f"DELETE {{ GRAPH {user} {{ ?s ?p ?o }} }} "
            f"WHERE {{ GRAPH {user} {{ VALUES ?s {{ {school_values} }} "
            f"?s ?p ?o . FILTER(?p IN ({preds})) }} }}"
        )
    if node_values:
        parts.append(
            f"DELETE {{ GRAPH {user} {{ ?s ?p ?o }} }} "
            f"WHERE {{ GRAPH {user} {{ VALUES ?s {{ {node_values} }} "
            "?s ?p ?o } }"
        )
    parts.append(f"INSERT DATA {{ GRAPH {user} {{\n{body}\n}} }}")
    return " ;\n".join(parts)


def import_schools(
    path: Path,
    *,
    name: str | None = None,
    store_path: Path | None = None,
    into: str | None = None,
    encoding: str = "utf-8",
    progress: TextIO | None = None,
    wait_s: float = LOCK_WAIT_S,
) -> Outcome:
    """Read, check and validate the CSV, then write its good rows to the user graph in one update."""
    name = name or str(path)
    bar = ProgressBar(progress) if progress is not None else None
    rows, problems = read_rows(path, name, encoding, bar.update if bar else None)
    unreadable = {p.line for p in problems}
    if bar:
        bar.done(f"{len(rows)} rows read")
    good, found = check_rows(rows)
    problems += found
    graph = build_graph(good)
    if bar:
        bar.note("validating with the SHACL shapes …")
    shacl = shacl_problems(good, graph) if len(graph) else []
    if shacl:
        problems += shacl
        bad_lines = {p.line for p in shacl}
        good = [r for r in good if r.line not in bad_lines]
        graph = build_graph(good)
    problems.sort(key=lambda p: (p.line, p.column or ""))
    outcome = Outcome(rows=len(rows) + len(unreadable))
    outcome.problems = problems
    outcome.graph = graph
    outcome.schools = [school_iri(r.code) for r in good]
    if good:
        nodes = {address_iri(r.code) for r in good} | {
            municipality_iri(r.values["GEMEENTENUMMER"]) for r in good
        }
        nodes.add(DUO_DATASET)
        update = replace_update(graph, outcome.schools, nodes)
        if bar:
            bar.note(f"writing {len(graph)} triples …")
        write_update(update, store_path=store_path, into=into, wait_s=wait_s)
    return outcome


def write_update(
    update: str, *, store_path: Path | None, into: str | None, wait_s: float = LOCK_WAIT_S
) -> None:
    """Apply one SPARQL Update to the on-disk store or the remote store: all of it or none."""
    from plgkg.errors import StoreError
    from plgkg.stores import RemoteStore, open_store

    if into is not None:
        store = open_store(into)
        try:
            if not isinstance(store, RemoteStore) or store.update_url is None:
                raise StoreError(f"{into} takes no SPARQL Update: plgkg needs an update endpoint to import")
            store.update(update)
        finally:
            store.close()
        return
    if store_path is None:
        raise StoreError("give --store-path DIR or --into URL: where the imported schools are kept")
    store = open_for_writing(store_path, wait_s)
    try:
        store.update(update)
    finally:
        store.close()


def _locked(err: Exception) -> bool:
    return "lock file" in str(err).lower()


def open_for_writing(store_path: Path, wait_s: float = LOCK_WAIT_S) -> OxigraphStore:
    """Open the on-disk store read-write, waiting up to wait_s seconds while another process holds
    its write lock (rocksdb allows one writer; read-only openers, such as the query workers of a
    running service, never block it)."""
    from plgkg.errors import StoreError
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
