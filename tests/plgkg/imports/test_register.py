"""`plgkg import schools`: DUO's CSV of secondary-school locations into the user graph, as a user runs it."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from plgkg.imports.pipeline import USER_GRAPH, user_graph_size
from plgkg.imports.register import build_graph, read_rows, shacl_problems
from plgkg.namespaces import ID, PLG, SCHEMA
from tests import cli
from tests.api.conftest import start_service, stop_service
from tests.cli import Done

ROOT = Path(__file__).resolve().parents[3]
DUO = ROOT / "tests" / "fixtures" / "duo"
REAL_FILE = ROOT.parent / "shared" / "data" / "duo" / "alle-vestigingen-vo.csv"
EXPECTED = (
    "expected DUO's columns, separated by ';': BEVOEGD GEZAG NUMMER;INSTELLINGSCODE;VESTIGINGSCODE;"
    "VESTIGINGSNAAM;STRAATNAAM;HUISNUMMER-TOEVOEGING;POSTCODE;PLAATSNAAM;GEMEENTENUMMER;GEMEENTENAAM;"
    "DENOMINATIE;ONDERWIJSSTRUCTUUR"
)
GOOD_CODES = [
    "99zz00", "99zz01", "98yy00", "97xx00", "97xx02", "96ww00", "95vv00", "94uu00", "93tt00", "92ss00",
]  # fmt: skip


def run(*args: str, cwd: Path = DUO) -> Done:
    return cli.run(*args, cwd=cwd)


def imported(store: Path, name: str, *extra: str) -> Done:
    return run("import", "schools", name, "--store-path", str(store), *extra)


# what vestigingen-vo.csv becomes: 10 schools x 13 triples, 16 education types, 10 addresses x 5,
# 8 municipalities x 3, 8 institutions x 5, 8 competent authorities x 4, 4 about DUO's dataset
REGISTRY_TRIPLES = 10 * 13 + 16 + 10 * 5 + 8 * 3 + 8 * 5 + 8 * 4 + 4


def summary(done: Done) -> str:
    return done.stderr.strip().splitlines()[-1]


def test_the_good_file_imports_every_row(tmp_path: Path) -> None:
    store = tmp_path / "store"
    done = imported(store, "vestigingen-vo.csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert summary(done) == (f"10 of 10 school(s) imported into <{USER_GRAPH}> at {store}; 0 row(s) rejected")
    assert user_graph_size(store) == REGISTRY_TRIPLES


@pytest.mark.parametrize(
    ("name", "report"),
    [
        (
            "bad-institution-code.csv",
            [
                "bad-institution-code.csv:3: column INSTELLINGSCODE: '98Y' is not an institution code "
                "(two digits and two capital letters, e.g. 02QZ)"
            ],
        ),
        (
            "bad-postcode.csv",
            [
                "bad-postcode.csv:3: column POSTCODE: '0711mn' is not a Dutch postcode "
                "(four digits, two capitals, e.g. 1017 RV)"
            ],
        ),
        (
            "duplicates.csv",
            [
                "duplicates.csv:4: column VESTIGINGSCODE: 99ZZ00 repeats line 2 (the same row twice)",
                "duplicates.csv:5: column VESTIGINGSCODE: 99ZZ01 repeats line 3 with other values; "
                "the first is kept",
            ],
        ),
    ],
)
def test_bad_rows_are_reported_and_the_good_ones_imported(
    tmp_path: Path, name: str, report: list[str]
) -> None:
    store = tmp_path / "store"
    done = imported(store, name)
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines() == report
    total = len((DUO / name).read_bytes().splitlines()) - 1
    assert summary(done) == (
        f"{total - len(report)} of {total} school(s) imported into <{USER_GRAPH}> at {store}; "
        f"{len(report)} row(s) rejected"
    )
    assert user_graph_size(store) > 0


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "missing-columns.csv",
            f"plgkg: missing-columns.csv:1: missing column(s) POSTCODE; {EXPECTED}",
        ),
        (
            "comma-separated.csv",
            "plgkg: comma-separated.csv:1: the header is not separated by ';' (it looks separated by ','); "
            + EXPECTED,
        ),
    ],
)
def test_a_file_that_is_not_duos_is_refused_whole(tmp_path: Path, name: str, message: str) -> None:
    store = tmp_path / "store"
    done = imported(store, name)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip() == message
    assert not store.exists()


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    done = imported(tmp_path / "store", "absent.csv")
    assert done.returncode == 2
    assert done.stderr.startswith("plgkg: absent.csv: cannot read the file: ")


def test_an_explicit_encoding_reads_the_latin_1_row(tmp_path: Path) -> None:
    done = imported(tmp_path / "store", "latin-1.csv", "--encoding", "latin-1")
    # the other rows are UTF-8: their ASCII reads the same, and no row is rejected
    assert done.returncode == 0, done.stdout + done.stderr


def _objects(store: Path, predicate: URIRef) -> set[str]:
    """The values of predicate in the on-disk store (read only)."""
    disk = ox.Store.read_only(str(store))
    return {q.object.value for q in disk.quads_for_pattern(None, ox.NamedNode(str(predicate)), None, None)}


def test_a_line_that_is_not_utf_8_is_read_as_windows_1252_and_said(tmp_path: Path) -> None:
    """Issue 14: the encoding is detected line by line; what was not UTF-8 is named."""
    store = tmp_path / "store"
    done = imported(store, "latin-1.csv")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr.splitlines()[0] == (
        "plgkg: latin-1.csv: 1 line(s) not UTF-8 (line 3): read as Windows-1252 (cp1252), the encoding "
        "DUO published in before; pass --encoding to name another"
    )
    names = _objects(store, SCHEMA.name)
    assert any("ë" in n for n in names), names


def test_utf_8_named_cp1252_is_refused_row_by_row_not_turned_into_mojibake(tmp_path: Path) -> None:
    """The README once advised --encoding cp1252 for DUO's file, which is UTF-8: "hét KWC" became
    "hÃ©t KWC" on every page. Text that looks encoded twice is never imported silently."""
    source = tmp_path / "utf8.csv"
    source.write_text(
        (DUO / "vestigingen-vo.csv").read_text(encoding="utf-8").replace("College", "Collège", 1),
        encoding="utf-8",
    )
    done = run("import", "schools", str(source), "--store-path", str(tmp_path / "s1"), "--encoding", "cp1252")
    assert done.returncode == 1
    expected = (
        f"{source}:9: column VESTIGINGSNAAM: looks encoded twice ('Denkbeeldig CollÃ¨ge Rijnoever'): the "
        "file is probably UTF-8, read here as cp1252; the row is skipped: leave out --encoding"
    )
    assert expected in done.stdout.splitlines()
    assert len(done.stdout.splitlines()) == 4  # every row with an accent, none imported wrong
    assert "not UTF-8" not in done.stderr
    auto = run("import", "schools", str(source), "--store-path", str(tmp_path / "s2"))
    assert auto.returncode == 0, auto.stdout + auto.stderr
    assert "Denkbeeldig Collège Rijnoever" in _objects(tmp_path / "s2", SCHEMA.name)


def test_text_encoded_twice_in_the_file_itself_is_kept_and_named(tmp_path: Path) -> None:
    source = tmp_path / "twice.csv"
    text = (DUO / "vestigingen-vo.csv").read_text(encoding="utf-8").replace("College", "CollÃ¨ge", 1)
    source.write_text(text, encoding="utf-8")
    done = run("import", "schools", str(source), "--store-path", str(tmp_path / "s"))
    assert done.returncode == 0
    assert "column VESTIGINGSNAAM: looks encoded twice in the file itself (" in done.stderr


def test_importing_twice_replaces_never_duplicates(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert imported(store, "vestigingen-vo.csv").returncode == 0
    first = user_graph_size(store)
    assert imported(store, "vestigingen-vo.csv").returncode == 0
    assert user_graph_size(store) == first
    # a changed row replaces the old values of that school, and other schools stay
    changed = tmp_path / "changed.csv"
    text = (DUO / "vestigingen-vo.csv").read_bytes().decode("utf-8-sig")
    lines = text.split("\r\n")
    changed.write_text("\r\n".join([lines[0], lines[1].replace("Verzonnenstraat", "Nieuwe Straat")]) + "\r\n")
    done = run("import", "schools", str(changed), "--store-path", str(store))
    assert done.returncode == 0, done.stderr
    assert user_graph_size(store) == first
    streets = _objects(store, SCHEMA.streetAddress)
    assert "Nieuwe Straat 1" in streets and "Verzonnenstraat 1" not in streets
    disk = ox.Store.read_only(str(store))
    assert len(list(disk.quads_for_pattern(None, None, None, ox.DefaultGraph()))) == 0


def test_the_progress_bar_goes_to_stderr_when_asked(tmp_path: Path) -> None:
    done = imported(tmp_path / "store", "vestigingen-vo.csv", "--progress")
    assert done.returncode == 0
    assert "] 10/10 rows — 10 rows read" in done.stderr
    assert done.stdout == ""
    quiet = imported(tmp_path / "store2", "vestigingen-vo.csv")
    assert "rows read" not in quiet.stderr  # stderr is no terminal here


def test_a_shacl_violation_is_mapped_back_to_its_row() -> None:
    rows, problems = read_rows(DUO / "vestigingen-vo.csv", "vestigingen-vo.csv")
    assert problems == []
    graph = build_graph(rows)
    school = URIRef("https://w3id.org/plgkg/id/school/98yy00")
    graph.add((school, SCHEMA.name, Literal("Tweede naam")))
    found = shacl_problems(rows, graph)
    assert [(p.line, p.column) for p in found] == [(4, "VESTIGINGSNAAM")]
    assert found[0].reason.endswith("[plgsh:SchoolShape-name]")


def test_a_row_with_too_few_fields_is_reported(tmp_path: Path) -> None:
    short = tmp_path / "short.csv"
    lines = (DUO / "vestigingen-vo.csv").read_bytes().decode("utf-8-sig").split("\r\n")
    short.write_text("\r\n".join([lines[0], lines[1], "Utrecht;99902;98YY"]) + "\r\n")
    done = run("import", "schools", "short.csv", "--store-path", "store", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines() == ["short.csv:3: row: has 3 fields where the header has 31"]


def _schools(url: str) -> dict[str, dict]:
    response = httpx.get(f"{url}/api/schools", params={"limit": 1000}, timeout=30.0)
    assert response.status_code == 200, response.text
    return {s["iri"]: s for s in response.json()["items"]}


def _count(url: str, query: str) -> int:
    response = httpx.post(
        f"{url}/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_imported_schools_persist_and_are_served_beside_the_catalogue(tmp_path: Path) -> None:
    store = tmp_path / "store"
    process, url = start_service("--store-path", str(store), "--workers", "1", log=tmp_path / "first.log")
    try:
        catalogue_schools = _schools(url)
        catalogue_size = _count(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    finally:
        stop_service(process)
    assert imported(store, "vestigingen-vo.csv").returncode == 0
    for attempt in ("second", "third"):  # a restart keeps the user graph
        process, url = start_service("--store-path", str(store), "--workers", "1", log=tmp_path / attempt)
        try:
            schools = _schools(url)
            ids = {f"https://w3id.org/plgkg/id/school/{c}" for c in GOOD_CODES}
            assert ids <= set(schools)
            assert set(schools) - ids == set(catalogue_schools)
            assert (
                schools["https://w3id.org/plgkg/id/school/98yy00"]["label"] == "Proefcollege Prinses Ariëlle"
            )
            assert schools["https://w3id.org/plgkg/id/school/98yy00"]["location_code"] == "98YY00"
            # the catalogue (the store's own default graph) is unchanged; the user graph can be named
            in_catalogue = (
                "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"
            )
            assert _count(url, in_catalogue) == catalogue_size
            in_user = f"SELECT (COUNT(*) AS ?n) FROM <{USER_GRAPH}> WHERE {{ ?s ?p ?o }}"
            assert _count(url, in_user) == REGISTRY_TRIPLES
        finally:
            stop_service(process)


@pytest.mark.skipif(not REAL_FILE.exists(), reason=f"the real DUO file is not at {REAL_FILE}")
def test_the_real_duo_file_imports(tmp_path: Path) -> None:
    """DUO's file is UTF-8: detected, and its accents arrive as they are ("hét KWC", issue 14)."""
    copy = tmp_path / "alle-vestigingen-vo.csv"
    shutil.copyfile(REAL_FILE, copy)
    done = run("import", "schools", copy.name, "--store-path", "store", cwd=tmp_path)  # encoding detected
    assert done.returncode in (0, 1), done.stderr
    imported_count = int(summary(done).split(" of ")[0])
    assert imported_count > 1000
    assert len(done.stdout.splitlines()) < 50, done.stdout  # a handful of odd rows at most
    assert "not UTF-8" not in done.stderr and "encoded twice" not in done.stdout + done.stderr
    names = _objects(tmp_path / "store", SCHEMA.name)
    assert "hét KWC voor Lyc Havo Mavo Vbo Pro en Lwoo" in names
    # the register as organisations (issue 15): every location under its institution, every
    # institution under its board, as many of each as the file has codes
    rows = list(csv.DictReader(io.StringIO(REAL_FILE.read_text(encoding="utf-8-sig")), delimiter=";"))
    chains = _chains(tmp_path / "store")
    assert len(chains) == imported_count
    assert {i for i, _ in chains.values()} == {
        f"{ID}institution/{r['INSTELLINGSCODE'].lower()}"
        for r in rows
        if f"{ID}school/{r['VESTIGINGSCODE'].lower()}" in chains
    }
    by_school = {f"{ID}school/{r['VESTIGINGSCODE'].lower()}": r for r in rows}
    assert all(
        authority == f"{ID}authority/{by_school[school]['BEVOEGD GEZAG NUMMER']}"
        for school, (_, authority) in chains.items()
    )
    boards = {a for _, a in chains.values()}
    assert boards == {f"{ID}authority/{by_school[school]['BEVOEGD GEZAG NUMMER']}" for school in chains}
    assert len(boards) < len({i for i, _ in chains.values()}) < imported_count  # boards hold several
    again = run("import", "schools", copy.name, "--store-path", "store", cwd=tmp_path)
    assert summary(again) == summary(done)
    assert _chains(tmp_path / "store") == chains  # a re-import leaves one parent each


def _chains(store: Path) -> dict[str, tuple[str, str]]:
    """Each school location of the user graph with its institution and that institution's board."""
    found = ox.Store.read_only(str(store)).query(
        f"""SELECT ?school ?institution ?authority WHERE {{ GRAPH <{USER_GRAPH}> {{
            ?school a <{PLG.School}> ; <{SCHEMA.parentOrganization}> ?institution .
            ?institution a <{PLG.Institution}> ; <{SCHEMA.parentOrganization}> ?authority .
            ?authority a <{PLG.CompetentAuthority}> }} }}"""
    )
    chains: dict[str, tuple[str, str]] = {}
    for row in found:
        assert row["school"].value not in chains, "one institution and one board per location"
        chains[row["school"].value] = (row["institution"].value, row["authority"].value)
    return chains


def test_damaged_rows_of_the_real_file_cost_those_rows_only(tmp_path: Path) -> None:
    """Issue 11: a bare CR inside one field aborted the import with a traceback and none of the
    1,630 good rows; a control character in a name made XML results invalid."""
    copy = tmp_path / "alle-vestigingen-vo.csv"
    lines = REAL_FILE.read_bytes().split(b"\n")
    for line, damage in ((10, b"\r"), (20, b"\x01")):  # inside the school's name, lines 11 and 21
        fields = lines[line].split(b";")
        fields[4] = fields[4][:3] + damage + fields[4][3:]
        lines[line] = b";".join(fields)
    copy.write_bytes(b"\n".join(lines))
    done = run("import", "schools", copy.name, "--store-path", "store", cwd=tmp_path)
    assert "Traceback" not in done.stderr
    assert done.returncode == 1, done.stderr
    # every row is imported or reported, one line each: the damage cost its two rows and nothing more
    imported, total = (int(n) for n in summary(done).split(" school(s)")[0].split(" of "))
    rejected = int(summary(done).split("; ")[1].split(" ")[0])
    assert imported + rejected == total == 1630
    assert len(done.stdout.splitlines()) == rejected
    reported = done.stdout.splitlines()
    where = f"{copy.name}:{{}}: column VESTIGINGSNAAM: {{}}; the row is skipped"
    assert where.format(11, "a carriage return (CR) inside a field") in reported
    assert where.format(21, "control character U+0001") in reported


def _big_file(path: Path, rows: int) -> None:
    lines = (DUO / "vestigingen-vo.csv").read_bytes().decode("utf-8-sig").split("\r\n")
    template = lines[1].split(";")
    out = [lines[0]]
    letters = [a + b for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
    for n in range(rows):
        values = list(template)
        institution = f"{10 + n // len(letters)}{letters[n % len(letters)]}"
        values[2], values[3] = institution, f"{institution}00"
        values[4] = f"Fictieve School {n}"
        out.append(";".join(values))
    path.write_text("\r\n".join(out) + "\r\n", encoding="utf-8")
