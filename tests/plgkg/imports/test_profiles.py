"""`plgkg import profiles`: which interventions a school runs, from CSV or YAML into the user graph,
as a user runs it."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Literal, URIRef

from plgkg.catalogue import CATALOGUE_DIR, ONTOLOGY_DIR, load
from plgkg.imports.pipeline import USER_GRAPH
from plgkg.imports.profiles import Practice, build_graph, practice_iri, shacl_problems
from plgkg.namespaces import PLG
from tests import cli
from tests.cli import Done

ROOT = Path(__file__).resolve().parents[3]
PROFILES = ROOT / "tests" / "fixtures" / "profiles"
DUO = ROOT / "tests" / "fixtures" / "duo"
ID = "https://w3id.org/plgkg/id/"
RINGEN = f"{ID}school/school-in-de-ringen"
P_TT = f"{ID}practice/school-in-de-ringen--teamteaching"
P_IO = f"{ID}practice/school-in-de-ringen--intercollegiale-observatie"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
SOURCE = "http://purl.org/dc/terms/source"
XSD = "http://www.w3.org/2001/XMLSchema#"


def run(*args: str, cwd: Path = PROFILES) -> Done:
    return cli.run(*args, cwd=cwd)


def imported(store: Path, name: str) -> Done:
    return run("import", "profiles", name, "--store-path", str(store))


def summary(done: Done) -> str:
    return done.stderr.strip().splitlines()[-1]


def quads(store: Path, graph: ox.NamedNode | ox.DefaultGraph) -> set[tuple[str, str, str]]:
    db = ox.Store.read_only(str(store))
    return {
        (str(q.subject), str(q.predicate), str(q.object))
        for q in db.quads_for_pattern(None, None, None, graph)
    }


def user_graph(store: Path) -> set[tuple[str, str, str]]:
    return quads(store, ox.NamedNode(USER_GRAPH))


def practice(iri: str, school: str, intervention: str, source: str, *extra: tuple[str, str]) -> set[tuple]:
    """The triples of one practice and its plg:runs triple, as pyoxigraph writes them."""
    node, done = f"<{iri}>", f"<{ID}intervention/{intervention}>"
    return {
        (node, f"<{TYPE}>", f"<{PLG}Practice>"),
        (node, f"<{PLG}school>", f"<{school}>"),
        (node, f"<{PLG}intervention>", done),
        (node, f"<{SOURCE}>", f'"{source}"'),
        (f"<{school}>", f"<{PLG}runs>", done),
    } | {(node, f"<{p}>", o) for p, o in extra}


def ringen(source: str) -> set[tuple]:
    return practice(
        P_TT,
        RINGEN,
        "teamteaching",
        source,
        (f"{PLG}since", f'"2019"^^<{XSD}gYear>'),
        (COMMENT, '"Twee leraren per klas in de onderbouw"'),
    ) | practice(
        P_IO, RINGEN, "intercollegiale-observatie", source, (f"{PLG}since", f'"2020-08-24"^^<{XSD}date>')
    )


def test_the_good_csv_imports_a_catalogue_schools_profile(tmp_path: Path) -> None:
    store = tmp_path / "store"
    done = imported(store, "good.csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert summary(done) == f"2 of 2 practice(s) imported into <{USER_GRAPH}> at {store}; 0 row(s) rejected"
    assert user_graph(store) == ringen("good.csv")


def test_the_yaml_file_says_the_same_as_the_csv(tmp_path: Path) -> None:
    store = tmp_path / "store"
    done = imported(store, "good.yaml")
    assert done.returncode == 0, done.stderr
    assert user_graph(store) == ringen("good.yaml")


def import_register(store: Path) -> Done:
    """`plgkg import schools` of the test register into the store."""
    return cli.run("import", "schools", str(DUO / "vestigingen-vo.csv"), "--store-path", str(store))


def test_a_registry_schools_profile_by_vestigingscode(tmp_path: Path) -> None:
    store = tmp_path / "store"
    before = imported(store, "registry.yaml")
    assert before.returncode == 1  # the school is not in the store yet
    assert before.stdout.splitlines()[0] == (
        "registry.yaml:3: column school: '99ZZ00' is not a known registry school in the store: give the "
        "vestigingscode of an imported registry school (e.g. 02QZ00) or the slug of a known school"
    )
    schools = import_register(store)
    assert schools.returncode == 0, schools.stderr
    done = imported(store, "registry.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    school = f"{ID}school/99zz00"
    expected = practice(
        f"{ID}practice/99zz00--intervisiebijeenkomsten",
        school,
        "intervisiebijeenkomsten",
        "registry.yaml",
        (f"{PLG}since", f'"2017"^^<{XSD}gYear>'),
        (COMMENT, '"Maandelijks, per sectie"@nl'),
        (COMMENT, '"Monthly, per department"@en'),
    ) | practice(f"{ID}practice/99zz00--startactiviteiten", school, "startactiviteiten", "registry.yaml")
    profile = {t for t in user_graph(store) if "/practice/" in t[0] or t[1] == f"<{PLG}runs>"}
    assert profile == expected
    # Re-importing the registry replaces its own triples only: the profile stays.
    again = import_register(store)
    assert again.returncode == 0, again.stderr
    assert expected <= user_graph(store)


@pytest.mark.parametrize(
    ("name", "report", "kept"),
    [
        (
            "bad.csv",
            [
                "bad.csv:3: column school: 'nergens-college' is not a known school: give the vestigingscode "
                "of an imported registry school (e.g. 02QZ00) or the slug of a known school",
                "bad.csv:4: column intervention: 'yoga' is not an intervention of the catalogue: give its "
                "slug (e.g. teamteaching) or its name in Dutch or English",
                "bad.csv:5: column since: '20x9' is not a year (e.g. 2019) or a date (e.g. 2019-08-26)",
                "bad.csv:6: column since: '2999' lies in the future",
                "bad.csv:7: column intervention: school-in-de-ringen runs teamteaching already on line 2; "
                "the first is kept",
                "bad.csv:8: column school: '12AB34' is not a known registry school in the store: give the "
                "vestigingscode of an imported registry school (e.g. 02QZ00) or the slug of a known school",
                "bad.csv:9: column school: empty; a value is required",
                "bad.csv:10: column since: '2021-02-30' is not a date that exists",
                "bad.csv:11: row: has 2 fields where the header has 4",
                "bad.csv:12: column intervention: 'Intervisie' is not an intervention of the catalogue: "
                "did you mean intervisiebijeenkomsten? give its slug (e.g. teamteaching) or its name in "
                "Dutch or English",
            ],
            (1, 11),
        ),
        (
            "bad.yaml",
            [
                "bad.yaml:3: column sinds: unknown key; expected school, intervention, since, notes",
                "bad.yaml:6: row: an entry is a mapping with the keys school, intervention, since, notes",
                "bad.yaml:7: column intervention: expected a single value",
                "bad.yaml:9: column notes: notes per language are text under nl or en",
                "bad.yaml:9: column since: '1850' lies before 1900",
            ],
            (1, 5),
        ),
    ],
)
def test_bad_rows_are_reported_and_the_good_ones_kept(
    tmp_path: Path, name: str, report: list[str], kept: tuple[int, int]
) -> None:
    store = tmp_path / "store"
    done = imported(store, name)
    assert done.returncode == 1
    assert done.stdout.splitlines() == report
    rejected = len({line.split(":")[1] for line in report})
    assert summary(done) == (
        f"{kept[0]} of {kept[1]} practice(s) imported into <{USER_GRAPH}> at {store}; "
        f"{rejected} row(s) rejected"
    )
    teamteaching = {t for t in user_graph(store) if t[0] == f"<{P_TT}>"}
    assert (f"<{P_TT}>", f"<{SOURCE}>", f'"{name}"') in teamteaching
    assert {t[0] for t in user_graph(store)} == {f"<{P_TT}>", f"<{RINGEN}>"}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "missing-column.csv",
            "missing-column.csv:1: missing column(s) intervention; unknown column(s) interventie; "
            "expected the columns school, intervention, since, notes (notes@nl, notes@en)",
        ),
        ("broken.yaml", "broken.yaml:3: not valid YAML: expected ',' or ']', but got '<stream end>'"),
        ("nothing-here.csv", "nothing-here.csv: cannot read the file: No such file or directory"),
        ("good.txt", "good.txt: unknown file type '.txt'; give a .csv, .yaml or .yml file"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(tmp_path: Path, name: str, message: str) -> None:
    store = tmp_path / "store"
    done = imported(store, name)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip() == f"plgkg: {message}"
    assert not store.exists() or user_graph(store) == set()


def _digest(*folders: Path) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*.ttl")):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_importing_twice_changes_nothing_and_never_touches_the_catalogue(tmp_path: Path) -> None:
    store = tmp_path / "store"
    catalogue = _digest(CATALOGUE_DIR, ONTOLOGY_DIR)
    assert imported(store, "good.csv").returncode == 0
    first = user_graph(store)
    assert imported(store, "good.csv").returncode == 0
    assert user_graph(store) == first
    assert quads(store, ox.DefaultGraph()) == set()  # the import writes the user graph only
    # Another file naming the same practices updates them (the source, the notes), never duplicates.
    assert imported(store, "good.yaml").returncode == 0
    assert user_graph(store) == ringen("good.yaml")
    assert _digest(CATALOGUE_DIR, ONTOLOGY_DIR) == catalogue


def test_a_shacl_violation_is_mapped_back_to_its_row() -> None:
    """The checks before the shapes catch what a user can write; the shapes still guard the graph."""
    school = URIRef(RINGEN)
    wrong = URIRef(f"{ID}characteristic/little-joint-work")  # not an intervention
    practices = [Practice(5, school, wrong, Literal("2019"), [])]
    context = load([ONTOLOGY_DIR]).graph
    context.add((school, RDF.type, PLG.School))
    found = shacl_problems(practices, build_graph(practices, "x.csv"), context)
    assert {(p.line, p.column, p.reason.rsplit("[", 1)[-1]) for p in found} == {
        (5, "intervention", "plgsh:PracticeShape-intervention]"),
        (5, "intervention", "plgsh:SchoolShape-runs]"),
        (5, "since", "plgsh:PracticeShape-since]"),
    }
    assert practice_iri(school, wrong) == URIRef(f"{ID}practice/school-in-de-ringen--little-joint-work")


def test_notes_round_trip_exactly_and_a_bad_note_costs_its_row_only(tmp_path: Path) -> None:
    """Issue 11: a note with a line break that ends in backslash-quote broke the whole update (rdflib's
    n3() escaping); a control character made XML results invalid."""
    store = tmp_path / "store"
    tricky = 'Twee leraren\nper klas \\"'
    (tmp_path / "notes.yaml").write_text(
        "- school: school-in-de-ringen\n  intervention: teamteaching\n"
        f"  notes: {json.dumps(tricky)}\n"
        "- school: school-in-de-ringen\n  intervention: intercollegiale-observatie\n"
        '  notes: "bel\\u0007"\n',
        encoding="utf-8",
    )
    done = run("import", "profiles", str(tmp_path / "notes.yaml"), "--store-path", str(store))
    assert done.returncode == 1, done.stderr
    assert (
        done.stdout == f"{tmp_path / 'notes.yaml'}:4: column notes: control character U+0007 in the notes\n"
    )
    db = ox.Store.read_only(str(store))
    notes = [q.object.value for q in db.quads_for_pattern(None, ox.NamedNode(COMMENT), None, None)]
    assert notes == [tricky]


def test_yaml_aliases_are_refused_at_once(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 10)}]\n" for n in range(8)
    )
    (tmp_path / "bomb.yaml").write_text(bomb + "practices: *i\n", encoding="utf-8")
    started = time.monotonic()
    done = run("import", "profiles", str(tmp_path / "bomb.yaml"), "--store-path", str(tmp_path / "store"))
    assert time.monotonic() - started < 20
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"plgkg: {tmp_path / 'bomb.yaml'}:1: YAML anchors and aliases are not accepted; write each entry out"
    )
