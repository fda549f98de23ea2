"""The plgkg command: its exit codes and its exact messages. Run in process (plgkg.cli.main with
stdout and stderr captured, in the folder the user would be in), and once as the installed script in a
subprocess; tests/plgkg/test_package.py runs the script a wheel installs."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph

from plgkg.catalogue import LoadedGraph
from tests.cli import PLGKG, ROOT, run
from tests.conftest import same_graph

USER_DATA = """\
@prefix plg: <https://w3id.org/plgkg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix iv: <https://w3id.org/plgkg/id/intervention/> .

iv:lesbezoek-met-video a plg:Intervention ;
    skos:prefLabel "Lesbezoek met video"@nl ;
    skos:definition "Leraren filmen hun les en bespreken de opname samen."@nl ,
        "Teachers film their lesson and discuss the recording together."@en ;
    plg:inCategory <https://w3id.org/plgkg/id/category/samenwerken> ;
    plg:serves <https://w3id.org/plgkg/id/characteristic/lomos-feedback> .
"""


def test_the_installed_script_validates_the_catalogue() -> None:
    done = subprocess.run([PLGKG, "validate"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""
    assert "conforms" in done.stderr.splitlines()[-1]
    assert "Traceback" not in done.stderr


def test_validate_reports_each_violation_on_one_line(tmp_path: Path) -> None:
    (tmp_path / "mine.ttl").write_text(USER_DATA, encoding="utf-8")
    done = run("validate", "--with-catalogue", "mine.ttl", cwd=tmp_path)
    assert done.returncode == 1
    iri = "<https://w3id.org/plgkg/id/intervention/lesbezoek-met-video>"
    assert done.stdout.splitlines() == [
        f'mine.ttl:5: {iri} "Lesbezoek met video": plg:serves: Every plg:serves triple is backed by '
        "exactly one plg:ServesStatement naming this intervention and this characteristic. "
        "(value: ch:lomos-feedback) [plgsh:ServesBackedShape]",
        f'mine.ttl:5: {iri} "Lesbezoek met video": skos:prefLabel: Exactly one skos:prefLabel in Dutch '
        "(@nl) and one in English (@en) is required. [plgsh:PrefLabelShape]",
    ]
    assert "2 violation(s)" in done.stderr


def test_validate_speaks_dutch_on_request(tmp_path: Path) -> None:
    (tmp_path / "mine.ttl").write_text(USER_DATA, encoding="utf-8")
    done = run("validate", "--with-catalogue", "--lang", "nl", "mine.ttl", cwd=tmp_path)
    assert (
        "Precies één skos:prefLabel in het Nederlands (@nl) en één in het Engels (@en) vereist."
        in done.stdout
    )


def test_validate_names_a_misspelled_property(tmp_path: Path) -> None:
    text = USER_DATA.replace("plg:inCategory", "plg:inCatgory")
    (tmp_path / "typo.ttl").write_text(text, encoding="utf-8")
    done = run("validate", "--with-catalogue", "typo.ttl", cwd=tmp_path)
    assert done.returncode == 1
    assert any(
        "plg:inCatgory: This plg: term does not exist in the ontology" in line
        and "[plgsh:UnknownPlgTermShape]" in line
        for line in done.stdout.splitlines()
    )


def test_validate_names_file_and_line_of_a_syntax_error(tmp_path: Path) -> None:
    broken = USER_DATA.replace('"Lesbezoek met video"@nl ;', '"Lesbezoek met video@nl ;')
    (tmp_path / "broken.ttl").write_text(broken, encoding="utf-8")
    done = run("validate", "broken.ttl", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("plgkg: broken.ttl:6: syntax error: ")
    assert "Traceback" not in done.stderr


def test_validate_names_file_and_line_of_broken_encoding(tmp_path: Path) -> None:
    data = USER_DATA.encode("utf-8").replace(b"Lesbezoek met video", b"Lesbezoek m\xe9t video")
    (tmp_path / "latin1.ttl").write_bytes(data)
    done = run("validate", "latin1.ttl", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("plgkg: latin1.ttl:6: not valid UTF-8")


def test_validate_names_a_missing_path(tmp_path: Path) -> None:
    done = run("validate", "nowhere.ttl", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, "plgkg: nowhere.ttl: no such file or folder\n")


def test_validate_refuses_an_unknown_file_type(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    done = run("validate", "notes.txt", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("plgkg: notes.txt: unknown RDF file type '.txt'")


QUERY = (
    "PREFIX plg: <https://w3id.org/plgkg/ontology#> "
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "SELECT ?i ?label WHERE { ?i plg:inCategory <https://w3id.org/plgkg/id/category/leiderschap> ; "
    'plg:order ?o ; skos:prefLabel ?label FILTER(LANG(?label) = "en") } ORDER BY ?o'
)


def test_query_as_a_table() -> None:
    done = run("query", QUERY)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "i                        label",
        "-----------------------  -------------------------------------------",
        "iv:initieren-stimuleren  Initiating and encouraging interventions@en",
        "iv:voorbeeldfunctie      Setting an example for teachers@en",
        "iv:leraren-als-leiders   Teachers as leaders@en",
        "(3 rows)",
    ]


def test_query_as_json_and_csv() -> None:
    answer = json.loads(run("query", QUERY, "--format", "json").stdout)
    assert answer["head"]["vars"] == ["i", "label"]
    assert answer["results"]["bindings"][2] == {
        "i": {"type": "uri", "value": "https://w3id.org/plgkg/id/intervention/leraren-als-leiders"},
        "label": {"type": "literal", "value": "Teachers as leaders", "xml:lang": "en"},
    }
    csv_lines = run("query", QUERY, "--format", "csv").stdout.splitlines()
    assert csv_lines[0] == "i,label"
    assert (
        csv_lines[1] == "https://w3id.org/plgkg/id/intervention/initieren-stimuleren,"
        "Initiating and encouraging interventions"
    )


def test_query_from_file_as_turtle(tmp_path: Path) -> None:
    query = tmp_path / "construct.rq"
    query.write_text(
        "PREFIX plg: <https://w3id.org/plgkg/ontology#>\n"
        "CONSTRUCT { ?i plg:serves ?c } WHERE {\n"
        "  VALUES ?i { <https://w3id.org/plgkg/id/intervention/teamteaching> }\n"
        "  ?i plg:serves ?c }\n",
        encoding="utf-8",
    )
    done = run("query", "-f", str(query), "--format", "ttl")
    assert done.returncode == 0, done.stderr
    graph = Graph().parse(data=done.stdout, format="turtle")
    assert len(graph) == 7  # teamteaching serves seven characteristics


def test_query_syntax_error_says_where() -> None:
    done = run("query", "SELECT * WHERE { ?s ?p }")
    assert done.returncode == 2
    assert done.stderr.startswith("plgkg: line 1, column 18: syntax error near '?s ?p }'")
    assert "Traceback" not in done.stderr


def test_query_format_that_does_not_fit() -> None:
    done = run("query", "ASK { ?s ?p ?o }", "--format", "ttl")
    assert done.returncode == 2
    assert "--format ttl is for CONSTRUCT and DESCRIBE" in done.stderr


# rdflib's JSON-LD parser goes through its own deprecated ConjunctiveGraph; not ours to fix.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize(
    ("fmt", "parser"), [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("xml", "xml")]
)
def test_export_round_trips(fmt: str, parser: str, tmp_path: Path, catalogue: LoadedGraph) -> None:
    out = tmp_path / f"plgkg.{fmt}"
    done = run("export", "--format", fmt, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert same_graph(Graph().parse(out, format=parser), catalogue.graph)


def test_export_refuses_invalid_data(tmp_path: Path) -> None:
    (tmp_path / "mine.ttl").write_text(USER_DATA, encoding="utf-8")
    done = run(
        "export",
        "--data",
        str(ROOT / "ontology"),
        "--data",
        str(ROOT / "catalogue"),
        "--data",
        "mine.ttl",
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "does not conform to the shapes (2 violation(s))" in done.stderr


def test_stats() -> None:
    done = run("stats")
    assert done.returncode == 0, done.stderr
    lines = [" ".join(line.split()) for line in done.stdout.splitlines()]
    for expected in (
        "plg:Intervention 18",
        "plg:InterventionCategory 5",
        "plg:Characteristic 19",
        "plg:Framework 4",
        "plg:Source 15",
        "plg:Case 4",
        "characteristics no intervention serves: 0",
    ):
        assert expected in lines


def test_query_reads_an_on_disk_store(tmp_path: Path) -> None:
    """`plgkg query --store-path` reads the store the imports wrote, read only (issue 13)."""
    store = tmp_path / "store"
    imported = run(
        "import", "profiles", str(ROOT / "tests/fixtures/profiles/good.csv"), "--store-path", str(store)
    )
    assert imported.returncode == 0, imported.stdout + imported.stderr
    sparql = (
        "PREFIX plg: <https://w3id.org/plgkg/ontology#> "
        "SELECT ?intervention WHERE { "
        "<https://w3id.org/plgkg/id/school/school-in-de-ringen> plg:runs ?intervention } "
        "ORDER BY ?intervention"
    )
    done = run("query", "--store-path", str(store), "--format", "csv", sparql)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "intervention",
        "https://w3id.org/plgkg/id/intervention/intercollegiale-observatie",
        "https://w3id.org/plgkg/id/intervention/teamteaching",
    ]
    missing = run("query", "--store-path", str(tmp_path / "nowhere"), "ASK {}")
    assert missing.returncode != 0
    assert f"no on-disk store at {tmp_path / 'nowhere'}" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_commands_validate_data_that_conformed_before_only_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """query, stats, export and load validate first; data that conformed before (the same files,
    shapes and versions) is not validated again, as `plgkg serve` does (plgkg.validate.validate_once)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    ask = ("query", "ASK { ?s ?p ?o }", "--format", "json")
    first = run(*ask)
    assert first.returncode == 0, first.stderr
    (marker,) = (tmp_path / "cache" / "plgkg" / "validated").iterdir()
    assert marker.read_text(encoding="utf-8").endswith("triples conformed\n")
    marker.write_text("remembered\n", encoding="utf-8")
    again = run(*ask)
    assert again.returncode == 0 and json.loads(again.stdout)["boolean"] is True
    assert marker.read_text(encoding="utf-8") == "remembered\n"  # not validated (nor written) again
