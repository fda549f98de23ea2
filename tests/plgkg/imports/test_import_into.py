"""`plgkg import schools|profiles --into URL`: the user graph of a real SPARQL server (`oxigraph serve`,
and Virtuoso where it is installed), as a user runs it: the exact triples, importing twice changes
nothing, and a file with bad rows or one that cannot be read writes only the good rows or nothing."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from plgkg.imports.pipeline import USER_GRAPH
from plgkg.imports.profiles import Practice
from plgkg.imports.profiles import build_graph as practice_graph
from plgkg.imports.register import build_graph, read_rows, school_iri
from plgkg.namespaces import PLG, SCHEMA
from tests.cli import run
from tests.conftest import Server
from tests.plgkg.imports.test_register import REGISTRY_TRIPLES

ROOT = Path(__file__).resolve().parents[3]
DUO = ROOT / "tests" / "fixtures" / "duo"
PROFILES = ROOT / "tests" / "fixtures" / "profiles"
ID = "https://w3id.org/plgkg/id/"


def _triples(graph: Graph) -> set[tuple[str, str, str]]:
    return {(s.n3(), p.n3(), o.n3()) for s, p, o in graph}


def schools_of(name: str) -> Graph:
    rows, problems = read_rows(DUO / name, name)
    assert problems == []
    return build_graph(rows)


def test_schools_into_a_server(server: Server) -> None:
    done = run("import", "schools", str(DUO / "vestigingen-vo.csv"), "--into", server.url)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert done.stderr.strip().splitlines()[-1] == (
        f"10 of 10 school(s) imported into <{USER_GRAPH}> at {server.url}; 0 row(s) rejected"
    )
    graph = server.user_graph()
    assert len(graph) == REGISTRY_TRIPLES  # as on the on-disk store
    assert _triples(graph) == _triples(schools_of("vestigingen-vo.csv"))
    school = school_iri("98YY00")
    assert (school, SCHEMA.name, Literal("Proefcollege Prinses Ariëlle")) in graph
    assert (school, RDFS.label, Literal("Proefcollege Prinses Ariëlle", lang="nl")) in graph
    assert (school, PLG.locationCode, Literal("98YY00")) in graph
    # Importing again replaces, never duplicates.
    again = run("import", "schools", str(DUO / "vestigingen-vo.csv"), "--into", server.url)
    assert again.returncode == 0, again.stderr
    assert _triples(server.user_graph()) == _triples(graph)


def test_profiles_into_a_server(server: Server) -> None:
    schools = run("import", "schools", str(DUO / "vestigingen-vo.csv"), "--into", server.url)
    assert schools.returncode == 0, schools.stderr
    registry = server.user_graph()
    done = run("import", "profiles", "registry.yaml", "--into", server.url, cwd=PROFILES)
    assert done.returncode == 0, done.stdout + done.stderr  # the school 99ZZ00 is found on the server
    school = URIRef(f"{ID}school/99zz00")
    practices = [
        Practice(
            3,
            school,
            URIRef(f"{ID}intervention/intervisiebijeenkomsten"),
            Literal("2017", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear")),
            [Literal("Maandelijks, per sectie", lang="nl"), Literal("Monthly, per department", lang="en")],
        ),
        Practice(9, school, URIRef(f"{ID}intervention/startactiviteiten"), None, []),
    ]
    expected = _triples(registry) | _triples(practice_graph(practices, "registry.yaml"))
    assert len(expected) == REGISTRY_TRIPLES + 13
    assert _triples(server.user_graph()) == expected
    again = run("import", "profiles", "registry.yaml", "--into", server.url, cwd=PROFILES)
    assert again.returncode == 0, again.stdout + again.stderr
    assert _triples(server.user_graph()) == expected
    # a re-import of the registry keeps the profile
    assert run("import", "schools", str(DUO / "vestigingen-vo.csv"), "--into", server.url).returncode == 0
    assert _triples(server.user_graph()) == expected


def test_bad_rows_are_left_out_and_an_unreadable_file_writes_nothing(server: Server) -> None:
    done = run("import", "schools", "bad-postcode.csv", "--into", server.url, cwd=DUO)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "bad-postcode.csv:3: column POSTCODE: '0711mn' is not a Dutch postcode (four digits, two capitals, "
        "e.g. 1017 RV)"
    ]
    rows, _ = read_rows(DUO / "bad-postcode.csv", "bad-postcode.csv")
    good = build_graph([r for r in rows if r.line != 3])
    before = server.user_graph()
    assert _triples(before) == _triples(good)  # the good rows, all of them, and nothing of line 3
    for name in ("missing-columns.csv", "comma-separated.csv"):
        refused = run("import", "schools", name, "--into", server.url, cwd=DUO)
        assert refused.returncode == 2, refused.stderr
        assert _triples(server.user_graph()) == _triples(before)
    profile = run("import", "profiles", "broken.yaml", "--into", server.url, cwd=PROFILES)
    assert profile.returncode == 2
    bad = run("import", "profiles", "bad.csv", "--into", server.url, cwd=PROFILES)
    assert bad.returncode == 1
    ringen = URIRef(f"{ID}school/school-in-de-ringen")
    added = _triples(server.user_graph()) - _triples(before)
    assert {t[0] for t in added} == {f"<{ID}practice/school-in-de-ringen--teamteaching>", ringen.n3()}


def test_a_server_that_is_not_there_is_named(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = run("import", "schools", str(DUO / "vestigingen-vo.csv"), "--into", f"http://127.0.0.1:{port}")
    assert done.returncode == 2
    assert done.stderr.startswith(f"plgkg: cannot reach http://127.0.0.1:{port}/update")
