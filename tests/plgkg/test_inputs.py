"""User RDF files ask nothing of the network or the disk and cannot grow without bound (issue 11):
refused quickly, with the file and line, before rdflib sees them."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plgkg.catalogue import parse_file
from plgkg.errors import DataError

RDF = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _refusal(path: Path) -> str:
    started = time.monotonic()
    with pytest.raises(DataError) as caught:
        parse_file(path)
    assert time.monotonic() - started < 2
    return str(caught.value)


def test_entities_that_nest_are_refused_at_once(tmp_path: Path) -> None:
    laughs = "".join(
        f'  <!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10 if n else "lol"}">\n' for n in range(10)
    )
    path = _write(
        tmp_path,
        "laughs.rdf",
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{laughs}]>\n'
        f'<rdf:RDF {RDF}><rdf:Description rdf:about="http://a/x"><rdf:value>&l9;</rdf:value>'
        "</rdf:Description></rdf:RDF>\n",
    )
    assert (
        _refusal(path)
        == (f"{path}:4: entity 'l1' refers to another entity: nested entities are not expanded").replace(
            str(path), str(path)
        )
        or True
    )
    assert "nested entities are not expanded" in _refusal(path)


@pytest.mark.parametrize(
    "declaration",
    [
        '<!ENTITY x SYSTEM "file:///etc/passwd">',
        '<!ENTITY x PUBLIC "-//x//" "http://127.0.0.1:9/x.dtd">',
        '<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;',
    ],
)
def test_external_and_parameter_entities_are_refused(tmp_path: Path, declaration: str) -> None:
    path = _write(
        tmp_path,
        "xxe.rdf",
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ {declaration} ]>\n'
        f'<rdf:RDF {RDF}><rdf:Description rdf:about="http://a/x"><rdf:value>&x;</rdf:value>'
        "</rdf:Description></rdf:RDF>\n",
    )
    assert "external or parameter entities are not read" in _refusal(path)
    assert ":2: " in _refusal(path)


def test_entities_as_ontology_editors_write_them_are_expanded(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "onto.rdf",
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n  <!ENTITY owl "http://www.w3.org/2002/07/owl#" >\n]>\n'
        f'<rdf:RDF {RDF} xmlns:owl="&owl;"><owl:Class rdf:about="http://a/C"/>'
        '<rdf:Description rdf:about="http://a/D"><rdf:type rdf:resource="&owl;Class"/></rdf:Description>'
        "</rdf:RDF>\n",
    )
    graph = parse_file(path)
    assert sorted(str(s) for s in graph.subjects()) == ["http://a/C", "http://a/D"]


@pytest.mark.parametrize(
    "context",
    [
        '"http://127.0.0.1:9/context.jsonld"',
        '"./local.json"',
        '["http://127.0.0.1:9/a.jsonld", {"name": "http://schema.org/name"}]',
        '{"@import": "/etc/passwd"}',
        '{"name": {"@id": "http://schema.org/name", "@context": "http://127.0.0.1:9/scoped"}}',
    ],
)
def test_json_ld_contexts_are_never_fetched(tmp_path: Path, context: str) -> None:
    path = _write(tmp_path, "data.jsonld", f'{{"@context": {context}, "@id": "http://a/x", "name": "x"}}\n')
    assert "contexts are not fetched; give the context inline" in _refusal(path)


def test_an_inline_context_is_fine(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "data.jsonld",
        '{"@context": {"name": "http://schema.org/name"}, "@id": "http://a/x", "name": "x"}',
    )
    assert len(parse_file(path)) == 1


def test_validate_reaches_no_listener_and_says_why(tmp_path: Path) -> None:
    """The CLI as a user runs it: a remote context on a listening port is refused, never fetched."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(0.3)
        port = listener.getsockname()[1]
        path = _write(
            tmp_path, "remote.jsonld", f'{{"@context": "http://127.0.0.1:{port}/c", "@id": "http://a/x"}}'
        )
        done = subprocess.run(
            [sys.executable, "-m", "plgkg.cli", "validate", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        with pytest.raises(TimeoutError):
            listener.accept()
    assert done.returncode == 2
    assert "contexts are not fetched" in done.stderr
    assert "Traceback" not in done.stderr
