"""Finding a school in the school list and on Mijn school (issue 14): every word typed must be part
of the name, a code, the place, the postcode or the municipality; case, accents, hyphens and the
postcode's space do not matter."""

from __future__ import annotations

import pytest

from plgkg_api.models import Municipality, SchoolSummary
from plgkg_api.services.schools import find

SCHOOLS = [
    SchoolSummary(id="a", iri="x:a", label="Koningin Wilhelmina College", location_code="12AB00",
                  place="CULEMBORG", postal_code="4101 AA",
                  municipality=Municipality(id="0216", iri="x:0216", label="Culemborg", code="0216")),
    SchoolSummary(id="b", iri="x:b", label="Proefcollege Prinses Ariëlle", location_code="98YY00",
                  place="UTRECHT", postal_code="3511 EF",
                  municipality=Municipality(id="0344", iri="x:0344", label="Utrecht", code="0344")),
    SchoolSummary(id="c", iri="x:c", label="Sint-Jans Lyceum", location_code="97XX00",
                  place="'S-HERTOGENBOSCH", postal_code="5211 AB", runs=2),
]  # fmt: skip


@pytest.mark.parametrize(
    ("q", "ids"),
    [
        ("wilhelmina culemborg", ["a"]),
        ("Culemborg", ["a"]),
        ("4101AA", ["a"]),
        ("4101 aa", ["a"]),
        ("proefcollege arielle", ["b"]),
        ("ARIËLLE", ["b"]),
        ("sint jans", ["c"]),
        ("98yy00", ["b"]),
        ("college", ["a", "b"]),
        ("college utrecht", ["b"]),
        ("lyceum culemborg", []),
        ("", ["a", "b", "c"]),
    ],
)
def test_every_word_is_found_in_some_field_whatever_its_case_and_accents(q: str, ids: list[str]) -> None:
    assert [s.id for s in find(SCHOOLS, q)] == ids


def test_the_municipality_and_the_profile_narrow_the_list() -> None:
    assert [s.id for s in find(SCHOOLS, "college", municipality="0344")] == ["b"]
    assert [s.id for s in find(SCHOOLS, None, profiled=True)] == ["c"]
