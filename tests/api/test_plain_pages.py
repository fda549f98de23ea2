"""Pages in plain words (issue 14): running text names the resources a curator wrote as prefixed
names (iv:…) and links them; a resource without a typed page lists its statements by their names in
the page's language, not as prefixed names."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from plgkg.namespaces import ID
from plgkg_api.prose import NAME, prose
from tests.html import page, section

LABELS = {f"{ID}intervention/teamteaching": "Team teaching", f"{ID}finding/x-y": "A <finding>"}


def href(iri: str) -> str:
    return "/id/" + iri.removeprefix(str(ID))


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("as iv:teamteaching does.", 'as <a href="/id/intervention/teamteaching">Team teaching</a> does.'),
        ("(fnd:x-y)", '(<a href="/id/finding/x-y">A &lt;finding&gt;</a>)'),
        ("iv:unknown stays", "iv:unknown stays"),
        ("plg:Intervention, https://x.org/iv:teamteaching", "plg:Intervention, https://x.org/iv:teamteaching"),
        ("<b>iv:teamteaching</b>",
         '&lt;b&gt;<a href="/id/intervention/teamteaching">Team teaching</a>&lt;/b&gt;'),
        ("", ""),
    ],
)  # fmt: skip
def test_prose_names_and_links_the_catalogue_resources_it_refers_to(text: str, html: str) -> None:
    asked = []
    result = prose(text, lambda: asked.append(1) or LABELS, href)
    assert str(result) == html
    assert bool(asked) == bool(NAME.search(text))  # the names are looked up only when text has one


def test_a_rationale_on_a_page_names_the_intervention_it_refers_to(client: TestClient) -> None:
    main = page(client, "/id/finding/afdelingsleiders-collectieve-verantwoordelijkheid", "en")
    rationale = section(main, "rationale")
    assert "iv:" not in rationale.text()
    assert [(a.attrs["href"], a.text()) for a in rationale.all("a")] == [
        ("/id/intervention/initieren-stimuleren?lang=en", "Initiating and encouraging interventions")
    ]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_page_of_the_catalogue_shows_a_prefixed_name_of_its_resources(
    client: TestClient, lang: str
) -> None:
    """Every page reachable from the index pages, the matrix and the findings, in either language."""
    seen: set[str] = set()
    todo = ["/concepts", "/findings", "/cases", "/sources", "/matrix"]
    while todo and len(seen) < 600:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        main = page(client, path, lang)
        assert not NAME.search(main.text()), (path, NAME.search(main.text()))
        links = [a.attrs.get("href", "").split("?")[0] for a in main.all("a")]
        todo += [link for link in links if re.fullmatch(r"/id/[^.]+", link)]  # pages, not downloads
    assert len(seen) > 150


@pytest.mark.parametrize(
    ("lang", "rows"),
    [
        ("nl", [("Soort", "Getal"), ("Grondslag", "gesteld in het hoofdstuk"),
                ("Grootheid", "aantal leraren"),
                ("Naam", "zes leraren in de kenniskring"),
                ("Ontleend aan", "De school als professionele leergemeenschap"),
                ("Vindplaats", "kader 'Kenniskring over onderwijsontwikkeling'"), ("Waarde", "6")]),
        ("en", [("Type", "Figure"), ("Basis", "stated in the chapter"), ("Measure", "number of teachers"),
                ("Name", "six teachers in the knowledge circle"),
                ("Derived from", "De school als professionele leergemeenschap"),
                ("Locator", "box 'Kenniskring over onderwijsontwikkeling' (Knowledge circle on educational "
                 "development)"), ("Value", "6")]),
    ],
)  # fmt: skip
def test_a_resource_without_a_typed_page_lists_its_statements_by_name(
    client: TestClient, lang: str, rows: list
) -> None:
    main = page(client, "/id/figure/kenniskring-leraren", lang)
    shown = [(tr.one("th").text(), tr.one("td").text()) for tr in main.one("tbody").all("tr")]
    assert sorted(shown) == sorted(rows)
    assert shown[0] == rows[0]  # the type first
