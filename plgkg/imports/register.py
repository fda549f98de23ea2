"""The Dutch school registry: DUO's open-data list of secondary-school locations as plg:School RDF.

The model (what `plgkg import schools` writes; other modules may rely on it):

    <https://w3id.org/plgkg/id/school/{vestigingscode, lowercase}> a plg:School ;   # e.g. …/school/99zz01
        schema:additionalType wd:Q159334 ;       # secondary school (every row of the file is one), verified
        rdfs:label "{VESTIGINGSNAAM}"@nl , "{VESTIGINGSNAAM}"@en ;   # for pages and /api/schools
        schema:name "{VESTIGINGSNAAM}" ;
        plg:institutionCode "99ZZ" ;              # INSTELLINGSCODE (BRIN), ^[0-9]{2}[A-Z]{2}$
        plg:locationCode "99ZZ01" ;               # VESTIGINGSCODE = institution code + 2 digits
        schema:address <https://w3id.org/plgkg/id/address/{vestigingscode, lowercase}> ;
        plg:municipality <https://w3id.org/plgkg/id/municipality/{GEMEENTENUMMER}> ;
        plg:denomination "Openbaar" ;             # DENOMINATIE, when given
        plg:educationType "HAVO" , "VWO" ;        # ONDERWIJSSTRUCTUUR split on "/", when given
        plg:competentAuthority "41201" ;          # BEVOEGD GEZAG NUMMER
        schema:parentOrganization <https://w3id.org/plgkg/id/institution/99zz> ;
        dcterms:source <https://duo.nl/open_onderwijsdata/voortgezet-onderwijs/adressen/vestigingen.jsp> .
    <…/id/address/{code}> a schema:PostalAddress ;
        schema:streetAddress "{STRAATNAAM} {HUISNUMMER-TOEVOEGING}" ;
        schema:postalCode "{POSTCODE}" ; schema:addressLocality "{PLAATSNAAM}" ;
        schema:addressCountry wd:Q55 .              # the Netherlands (the country), verified
    <…/id/institution/{INSTELLINGSCODE, lowercase}> a plg:Institution ;   # the school as a whole
        rdfs:label "Instelling 99ZZ"@nl , "Institution 99ZZ"@en ; schema:identifier "99ZZ" ;
        schema:parentOrganization <…/id/authority/{BEVOEGD GEZAG NUMMER}> .
    <…/id/authority/{BEVOEGD GEZAG NUMMER}> a plg:CompetentAuthority ;   # the board
        rdfs:label "Bevoegd gezag 41201"@nl , "Competent authority 41201"@en ; schema:identifier "41201" .
(DUO's file names neither the institution nor the board, only their codes: the labels say the code.)
    <…/id/municipality/{GEMEENTENUMMER}> a plg:Municipality ; schema:name "{GEMEENTENAAM}" ;
        plg:municipalityCode "{GEMEENTENUMMER}" .

Shapes: SchoolShape (closed), PostalAddressShape, MunicipalityShape, InstitutionShape and
CompetentAuthorityShape in shapes/plg-shapes.ttl.

Where it lives: the named graph USER_GRAPH (https://w3id.org/plgkg/graph/user) of an on-disk
oxigraph store (`--store-path DIR`) or of a remote store (`--into URL`, SPARQL Update). The curated
catalogue stays in the default graph and is never written; `plgkg serve --store-path DIR` keeps the
user graph and queries see the union of both. A re-import replaces, per school, exactly the
REGISTRY_PREDICATES triples (and its address, municipality, institution and authority nodes), in one
SPARQL Update, which the store applies as one transaction (on disk, an import of more than
TRANSACTION_TRIPLES triples is bulk-loaded instead: plgkg.imports.pipeline.write). Other user data
about a school (profiles) must use other predicates, or a re-import removes it.

The CSV: DUO's `02.-alle-vestigingen-vo.csv`, separated by ';', header as in COLUMNS. Its encoding
is detected unless `--encoding` names one: a byte-order mark (UTF-8 or UTF-16), else each line is
read as UTF-8 (DUO publishes UTF-8 today) or, where it is not valid UTF-8, as Windows-1252 (what DUO
published before), which is said on standard error with the lines. Text that looks encoded twice
("hÃ©t" for "hét": UTF-8 read as Windows-1252) is never imported silently: with `--encoding` the
row is rejected with the advice to leave the option out; in a file that holds it itself, it is
imported and a warning names the line.
Lines that do not decode are reported. Multi-line quoted fields are not supported (DUO has none).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from plgkg.errors import ImportFailed
from plgkg.imports.pipeline import (
    ImportOutcome,
    Problem,
    ProgressBar,
    Steps,
    delete_from_user_graph,
    read_bytes,
    run_import,
    shapes_report,
    violation_problem,
)
from plgkg.namespaces import ID, PLG, SCHEMA, WD
from plgkg.settings import LOCK_WAIT_S
from plgkg.terms import sparql_term
from plgkg.triples import Triples

DUO_DATASET = URIRef("https://duo.nl/open_onderwijsdata/voortgezet-onderwijs/adressen/vestigingen.jsp")
CC0 = URIRef("https://creativecommons.org/publicdomain/zero/1.0/")
NETHERLANDS = WD.Q55  # the country (not the Kingdom, Q29999): verified, see catalogue/links.ttl
SECONDARY_SCHOOL = WD.Q159334  # every location in DUO's VO register is one: verified, see links.ttl

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
    SCHEMA.additionalType,
    RDFS.label,
    SCHEMA.name,
    PLG.institutionCode,
    PLG.locationCode,
    SCHEMA.address,
    PLG.municipality,
    PLG.denomination,
    PLG.educationType,
    PLG.competentAuthority,
    SCHEMA.parentOrganization,
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
    str(SCHEMA.parentOrganization): "INSTELLINGSCODE",
}


@dataclass
class Row:
    line: int
    values: dict[str, str]

    @property
    def code(self) -> str:
        return self.values["VESTIGINGSCODE"]


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


def institution_iri(code: str) -> URIRef:
    return URIRef(f"{ID}institution/{code.lower()}")


def authority_iri(number: str) -> URIRef:
    return URIRef(f"{ID}authority/{number}")


def row_nodes(row: Row) -> list[URIRef]:
    """The nodes a row describes besides its school: address, municipality, institution, authority."""
    v = row.values
    nodes = [
        address_iri(row.code),
        municipality_iri(v["GEMEENTENUMMER"]),
        institution_iri(v["INSTELLINGSCODE"]),
    ]
    return nodes + ([authority_iri(v["BEVOEGD GEZAG NUMMER"])] if v["BEVOEGD GEZAG NUMMER"] else [])


# -- reading ------------------------------------------------------------------------------------


AUTO = "auto"
# UTF-8 read as Windows-1252 or Latin-1: "Ã©" for "é", "Â " for a no-break space, "â€" for quotes
_TWICE = re.compile("[ÃÂ][\u0080-\u00bf\u0152-\u0178\u2013-\u203a]|â€")


def detect_encoding(raw: bytes, name: str) -> tuple[bytes, str | None]:
    """The bytes to read line by line as UTF-8 (else Windows-1252): a UTF-8 byte-order mark
    removed, UTF-16 (by its byte-order mark) turned into UTF-8, with a sentence saying so."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:], None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFailed(f"{name}: starts with a UTF-16 byte-order mark but is not UTF-16") from None
        return text.encode("utf-8"), f"{name}: read as UTF-16 (its byte-order mark)"
    return raw, None


def _decode(line: bytes, encoding: str, given: bool) -> tuple[str, str]:
    """line as text and the encoding that read it: the one given, else UTF-8, else Windows-1252."""
    if given:
        return line.decode(encoding), encoding
    try:
        return line.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return line.decode("cp1252"), "cp1252"


def read_rows(
    path: Path,
    name: str,
    encoding: str = AUTO,
    progress: Callable[[int, int], None] | None = None,
    say: Callable[[str], None] | None = None,
) -> tuple[list[Row], list[Problem]]:
    """The data rows of a DUO CSV and the problems of the rows that could not be read; say() gets
    what the reader chose or noticed (the encoding it detected, text that looks encoded twice)."""
    raw = read_bytes(path, name)
    given = encoding.lower() != AUTO
    if not given:
        raw, note = detect_encoding(raw, name)
        if note and say:
            say(note)
    elif encoding.lower().replace("_", "-") in ("utf-8", "utf8") and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    lines = [line[:-1] if line.endswith(b"\r") else line for line in lines]
    if not lines or not lines[0].strip():
        raise ImportFailed(f"{name}: the file is empty; expected DUO's header {_expected()}")
    try:
        header_text = _decode(lines[0], encoding, given)[0]
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
    fallback: list[int] = []  # the lines that were not UTF-8, read as Windows-1252
    total = len(lines) - 1
    for number, line in enumerate(lines[1:], 2):
        if progress is not None:
            progress(number - 1, total)
        if not line.strip():
            continue
        try:
            text, used = _decode(line, encoding, given)
        except UnicodeDecodeError as err:
            column = _column_at(line, err.start, header)
            what = encoding if given else "UTF-8 nor Windows-1252"
            problems.append(
                Problem(
                    number,
                    column,
                    f"not valid {what} (byte 0x{line[err.start]:02X}); the row is skipped: convert the "
                    "file or pass --encoding with its encoding",
                )
            )
            continue
        if used == "cp1252" and not given:
            fallback.append(number)
        twice = _TWICE.search(text)
        if twice is not None:
            index = text.count(";", 0, twice.start())
            column = header[index] if index < len(header) else None
            shown = text.split(";")[index].strip()
            if given:
                problems.append(
                    Problem(
                        number,
                        column,
                        f"looks encoded twice ({shown!r}): the file is probably UTF-8, read here as "
                        f"{encoding}; the row is skipped: leave out --encoding",
                    )
                )
                continue
            if say:
                say(
                    f"{name}:{number}: column {column}: looks encoded twice in the file itself "
                    f"({shown!r}); kept as it is"
                )
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
    if fallback and say:
        lines_said = ", ".join(str(n) for n in fallback[:5]) + (" …" if len(fallback) > 5 else "")
        say(
            f"{name}: {len(fallback)} line(s) not UTF-8 (line {lines_said}): read as Windows-1252 "
            "(cp1252), the encoding DUO published in before; pass --encoding to name another"
        )
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


# The IRIs every row uses, made once: rdflib makes a new URIRef on every namespace attribute access,
# which was a third of building 12,000 rows' triples.
_TYPE, _LABEL, _SOURCE = RDF.type, RDFS.label, DCTERMS.source
_SCHOOL, _MUNICIPALITY, _ADDRESS_TYPE = PLG.School, PLG.Municipality, SCHEMA.PostalAddress
_ADDITIONAL_TYPE, _NAME, _ADDRESS, _PARENT = (
    SCHEMA.additionalType, SCHEMA.name, SCHEMA.address, SCHEMA.parentOrganization,
)  # fmt: skip
_STREET, _POSTAL_CODE, _LOCALITY, _COUNTRY, _IDENTIFIER = (
    SCHEMA.streetAddress, SCHEMA.postalCode, SCHEMA.addressLocality, SCHEMA.addressCountry,
    SCHEMA.identifier,
)  # fmt: skip
_INSTITUTION_CODE, _LOCATION_CODE, _IN_MUNICIPALITY, _AUTHORITY, _MUNICIPALITY_CODE = (
    PLG.institutionCode, PLG.locationCode, PLG.municipality, PLG.competentAuthority,
    PLG.municipalityCode,
)  # fmt: skip
_DENOMINATION, _EDUCATION_TYPE = PLG.denomination, PLG.educationType
_INSTITUTION, _COMPETENT_AUTHORITY = PLG.Institution, PLG.CompetentAuthority


@lru_cache(maxsize=1 << 16)
def _literal(text: str, lang: str | None = None) -> Literal:
    """A literal, made once per value: municipalities, boards, denominations and education types
    repeat over the rows."""
    return Literal(text, lang=lang)


def row_triples(row: Row) -> list[tuple]:
    v = row.values
    school, address = school_iri(row.code), address_iri(row.code)
    municipality = municipality_iri(v["GEMEENTENUMMER"])
    name = v["VESTIGINGSNAAM"]
    street = " ".join(p for p in (v["STRAATNAAM"], v["HUISNUMMER-TOEVOEGING"]) if p)
    triples = [
        (school, _TYPE, _SCHOOL),
        (school, _ADDITIONAL_TYPE, SECONDARY_SCHOOL),
        (school, _LABEL, _literal(name, "nl")),
        (school, _LABEL, _literal(name, "en")),
        (school, _NAME, _literal(name)),
        (school, _INSTITUTION_CODE, _literal(v["INSTELLINGSCODE"])),
        (school, _LOCATION_CODE, _literal(row.code)),
        (school, _ADDRESS, address),
        (school, _IN_MUNICIPALITY, municipality),
        (school, _AUTHORITY, _literal(v["BEVOEGD GEZAG NUMMER"])),
        (school, _SOURCE, DUO_DATASET),
        (address, _TYPE, _ADDRESS_TYPE),
        (address, _STREET, _literal(street)),
        (address, _POSTAL_CODE, _literal(v["POSTCODE"])),
        (address, _LOCALITY, _literal(v["PLAATSNAAM"])),
        (municipality, _TYPE, _MUNICIPALITY),
        (municipality, _NAME, _literal(v["GEMEENTENAAM"])),
        (municipality, _MUNICIPALITY_CODE, _literal(v["GEMEENTENUMMER"])),
    ]
    institution = institution_iri(v["INSTELLINGSCODE"])
    triples += [
        (address, _COUNTRY, NETHERLANDS),
        (school, _PARENT, institution),
    ]
    triples += _organisation(institution, _INSTITUTION, ("Instelling", "Institution"), v["INSTELLINGSCODE"])
    if v["BEVOEGD GEZAG NUMMER"]:
        authority = authority_iri(v["BEVOEGD GEZAG NUMMER"])
        triples.append((institution, _PARENT, authority))
        names = ("Bevoegd gezag", "Competent authority")
        triples += _organisation(authority, _COMPETENT_AUTHORITY, names, v["BEVOEGD GEZAG NUMMER"])
    if v["DENOMINATIE"]:
        triples.append((school, _DENOMINATION, _literal(v["DENOMINATIE"])))
    triples += [(school, _EDUCATION_TYPE, _literal(t)) for t in education_types(v["ONDERWIJSSTRUCTUUR"])]
    return triples


def _organisation(node: URIRef, cls: URIRef, names: tuple[str, str], code: str) -> list[tuple]:
    """An institution or board of the register: DUO's file gives only its code, so its labels say
    the kind and the code ("Instelling 99ZZ", "Institution 99ZZ")."""
    return [
        (node, _TYPE, cls),
        (node, _LABEL, _literal(f"{names[0]} {code}", "nl")),
        (node, _LABEL, _literal(f"{names[1]} {code}", "en")),
        (node, _IDENTIFIER, _literal(code)),
    ]


def dataset_triples() -> list[tuple]:
    return [
        (DUO_DATASET, DCTERMS.title, Literal("Alle vestigingen VO", lang="nl")),
        (DUO_DATASET, DCTERMS.title, Literal("All locations of secondary schools (VO)", lang="en")),
        (DUO_DATASET, DCTERMS.publisher, Literal("DUO (Dienst Uitvoering Onderwijs)")),
        (DUO_DATASET, DCTERMS.license, CC0),
    ]


def build_triples(rows: Iterable[Row]) -> Triples:
    """The triples of rows, and the dataset's when there are any."""
    triples = Triples(triple for row in rows for triple in row_triples(row))
    if len(triples):
        for triple in dataset_triples():
            triples.add(triple)
    return triples


def build_graph(rows: Iterable[Row]) -> Graph:
    """The triples of rows as an rdflib graph."""
    return build_triples(rows).graph()


def shacl_problems(rows: list[Row], graph: Graph | Triples, *, scoped: bool = True) -> list[Problem]:
    """Run the shapes once over the imported graph in the context of the ontology, scoped to the
    imported nodes (scoped=False: full validation, the reference the tests compare with); map each
    result to its row."""
    from plgkg.catalogue import ONTOLOGY_DIR, load

    lines_of: dict[URIRef, list[int]] = {}
    for row in rows:
        for node in (school_iri(row.code), *row_nodes(row)):
            lines_of.setdefault(node, []).append(row.line)
    report = shapes_report(graph, load([ONTOLOGY_DIR]).graph, scoped=scoped)
    return [
        violation_problem(violation, line, COLUMN_OF)
        for violation in report.violations
        for line in lines_of.get(violation.focus, [0])
    ]


# -- writing --------------------------------------------------------------------------------------


def replaced(good: list[Row]) -> list[str]:
    """The SPARQL Update operations that drop, from the user graph, these schools' registry
    triples and their address, municipality, institution and authority nodes."""
    nodes = {node for r in good for node in row_nodes(r)}
    nodes.add(DUO_DATASET)
    schools = [school_iri(r.code) for r in good]
    return [
        delete_from_user_graph(schools, REGISTRY_PREDICATES),
        delete_from_user_graph(sorted(nodes, key=sparql_term)),
    ]


def import_schools(
    path: Path,
    *,
    name: str | None = None,
    store_path: Path | None = None,
    into: str | None = None,
    encoding: str = AUTO,
    progress: TextIO | None = None,
    wait_s: float = LOCK_WAIT_S,
    say: Callable[[str], None] | None = None,
) -> Outcome:
    """Read, check and validate the CSV, then write its good rows to the user graph (pipeline.write);
    say() gets what the reader chose or noticed (see read_rows)."""
    name = name or str(path)
    bar = ProgressBar(progress) if progress is not None else None
    steps = Steps(
        read=lambda: read_rows(path, name, encoding, bar.update if bar else None, say),
        check=check_rows,
        line=lambda row: row.line,
        build=build_triples,
        shapes=shacl_problems,
        replaced=replaced,
    )
    what = f"plgkg import schools {name}"
    done = run_import(steps, store_path=store_path, into=into, wait_s=wait_s, bar=bar, what=what)
    outcome = Outcome(rows=done.rows, problems=done.problems, triples=done.triples)
    outcome.schools = [school_iri(r.code) for r in done.good]
    return outcome
