"""Comparing names and suggesting the closest known ones (plgkg.names)."""

from __future__ import annotations

import pytest

from plgkg.names import closest, key

KNOWN = {
    key(name): slug
    for name, slug in [
        ("intervisiebijeenkomsten", "intervisiebijeenkomsten"),
        ("Intervisiebijeenkomsten", "intervisiebijeenkomsten"),
        ("teamteaching", "teamteaching"),
        ("intercollegiale-observatie", "intercollegiale-observatie"),
        ("Intercollegiale observatie, beoordeling en feedback", "intercollegiale-observatie"),
        ("professionaliseringsbijeenkomsten", "professionaliseringsbijeenkomsten"),
        ("leraren-als-leiders", "leraren-als-leiders"),
    ]
}


def test_key_ignores_case_accents_hyphens_and_spacing() -> None:
    assert key("  Intercollegiale-Observatie ") == "intercollegiale observatie"
    assert key("hét KWC") == key("Het  kwc") == "het kwc"
    assert key("team_teaching") == "team teaching"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Intervisie", ["intervisiebijeenkomsten"]),  # a prefix of a known name
        ("team teaching", ["teamteaching"]),  # spelled apart
        ("observatie", ["intercollegiale-observatie"]),  # a word of a known name
        ("profesionalisering", ["professionaliseringsbijeenkomsten"]),  # misspelled
        ("leraar als leider", ["leraren-als-leiders"]),  # another word form
        ("zwembad", []),  # nothing like it
        ("", []),
    ],
)
def test_closest_names(name: str, expected: list[str]) -> None:
    assert closest(name, KNOWN) == expected
