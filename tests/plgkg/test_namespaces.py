"""Prefixed names made and read with the project's prefixes (plgkg.namespaces), one NamespaceManager."""

from __future__ import annotations

import pytest

from plgkg.namespaces import PREFIXES, curie, expand


@pytest.mark.parametrize(
    ("iri", "name"),
    [
        ("https://w3id.org/plgkg/ontology#Framework", "plg:Framework"),
        ("https://w3id.org/plgkg/id/intervention/teamteaching", "iv:teamteaching"),
        ("https://w3id.org/plgkg/id/figure/1355-schools", "fig:1355-schools"),
        ("https://w3id.org/plgkg/id/school/00aa00", "sch:00aa00"),
        ("http://www.w3.org/2004/02/skos/core#closeMatch", "skos:closeMatch"),
        ("http://www.w3.org/2001/XMLSchema#string", "xsd:string"),
    ],
)
def test_known_namespaces_give_prefixed_names_and_back(iri: str, name: str) -> None:
    assert curie(iri) == name
    assert expand(name) == iri


@pytest.mark.parametrize(
    "iri",
    [
        "https://w3id.org/plgkg/id/municipality/0363",  # no prefix for this kind
        "http://www.w3.org/ns/dcat#Dataset",  # one of rdflib's defaults, not the project's
        "https://w3id.org/plgkg/ontology#",  # a namespace itself has no local name
        "https://w3id.org/plgkg/id/intervention/a/b",  # not a local name
        "urn:isbn:9789046906",
        "not an iri",
    ],
)
def test_other_iris_stay_whole(iri: str) -> None:
    assert curie(iri) == iri


def test_expand_takes_iris_in_brackets_and_leaves_the_rest() -> None:
    assert expand("<https://example.org/x>") == "https://example.org/x"
    for name in ("https://example.org/x", "foo:bar", "plg", ""):
        assert expand(name) == name


def test_every_prefix_round_trips() -> None:
    for prefix, namespace in PREFIXES.items():
        assert curie(f"{namespace}x1") == f"{prefix}:x1"
        assert expand(f"{prefix}:x1") == f"{namespace}x1"
