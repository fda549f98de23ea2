"""The index pages (issue 14): the A–Z of every concept with other names pointing to the preferred
one, all findings by aspect, all cases, the bibliography and its downloads, the works the chapter
cites on its page. What they list is counted from the catalogue's graph, not from the pages."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef

from plgkg.catalogue import LoadedGraph
from plgkg.names import key
from plgkg.namespaces import DCTERMS, PLG, RDF, SKOS
from tests.html import Tree, badges, hrefs, page, section, texts

BASE = "https://w3id.org/plgkg/id/"
KINDS = {
    "category": PLG.InterventionCategory,
    "intervention": PLG.Intervention,
    "characteristic": PLG.Characteristic,
    "framework": PLG.Framework,
}


def label(graph: Graph, node: URIRef, lang: str, prop: URIRef = SKOS.prefLabel) -> list[str]:
    return [str(o) for o in graph.objects(node, prop) if isinstance(o, Literal) and o.language == lang]


def local(iri: str, lang: str) -> str:
    return f"/id/{iri.removeprefix(BASE)}?lang={lang}"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_a_to_z_lists_every_concept_once_under_its_letter_and_other_names_point_to_it(
    client: TestClient, catalogue: LoadedGraph, lang: str
) -> None:
    graph = catalogue.graph
    concepts = {s: kind for kind, cls in KINDS.items() for s in graph.subjects(RDF.type, cls)}
    main = page(client, "/concepts", lang)
    entries, others = [], []
    for letter in main.all("section", "letter"):
        heading = letter.one("h2").text()
        for item in letter.one("ul", "az").children:
            if not hasattr(item, "tag") or item.tag != "li":
                continue
            shown = (
                item.one("span", "alt-label").text() if "alt" in item.classes() else item.all("a")[0].text()
            )
            assert key(shown)[0].upper() == heading or (heading == "#" and not key(shown)[0].isalpha())
            if "alt" in item.classes():
                others.append((shown, item.one("span", "see").one("a").attrs["href"]))
            else:
                entries.append((shown, item.all("a")[0].attrs["href"], item.attrs["data-kind"]))
    expected = sorted((label(graph, c, lang)[0], local(str(c), lang), kind) for c, kind in concepts.items())
    assert sorted(entries) == expected
    assert len(entries) == len(concepts) == 46
    # A to Z within and across letters, case and accents ignored
    assert [key(e[0]) for e in entries] == sorted(key(e[0]) for e in entries)
    # every other name in this language is an entry that points to its concept
    alts = sorted(
        (alt, local(str(c), lang))
        for c in concepts
        for alt in label(graph, c, lang, SKOS.altLabel)
        if key(alt) != key(label(graph, c, lang)[0])
    )
    assert sorted(others) == alts
    assert alts or lang == "en", "the catalogue has Dutch alternative labels"
    letters = [a.attrs["href"] for a in main.one("nav", "alphabet").all("a")]
    assert letters == [f"#{s.attrs['aria-labelledby']}" for s in main.all("section", "letter")]


def test_the_a_to_z_narrows_to_one_kind_and_names_an_unknown_one(
    client: TestClient, catalogue: LoadedGraph
) -> None:
    main = page(client, "/concepts?kind=framework", "en")
    frameworks = sorted(
        label(catalogue.graph, f, "en")[0] for f in catalogue.graph.subjects(RDF.type, PLG.Framework)
    )
    assert sorted(texts([li.all("a")[0] for li in main.all("li") if li.attrs.get("data-kind")])) == frameworks
    assert main.one("nav", "kinds").all("a", None)[4].attrs.get("aria-current") == "page"
    response = client.get("/concepts", params={"kind": "zebra", "lang": "en"})
    assert response.status_code == 400
    assert (
        Tree.of(response.text).one("main").one("p", "error").text()
        == "Unknown value for Kind: 'zebra'; this filter was ignored."
    )


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_all_findings_by_aspect_with_what_they_are_about_and_their_basis(
    client: TestClient, catalogue: LoadedGraph, lang: str
) -> None:
    graph = catalogue.graph
    findings = list(graph.subjects(RDF.type, PLG.Finding))
    main = page(client, "/findings", lang)
    claims = main.all("li", "claim")
    assert len(claims) == len(findings) > 30
    by_iri = {c.one("a", "target").attrs["href"]: c for c in claims}
    for finding in findings:
        claim = by_iri[local(str(finding), lang)]
        about = {local(str(a), lang) for a in graph.objects(finding, PLG.about)}
        assert set(hrefs(claim.one("p", "about").all("a"))) == about
        basis = graph.value(finding, PLG.basis)
        assert badges(claim) == ["stated" if basis == PLG.StatedInChapter else "inferred"]
    # the aspects in their order, each heading counting its findings
    aspect_of = {str(f): str(graph.value(f, PLG.aspect)).rsplit("#", 1)[-1].lower() for f in findings}
    for group in main.all("section", "aspect-group"):
        aspect = group.attrs["aria-labelledby"].removeprefix("aspect-")
        inside = [c.one("a", "target").attrs["href"] for c in group.all("li", "claim")]
        assert {aspect_of[BASE + h.removeprefix("/id/").split("?")[0]] for h in inside} == {aspect}
        assert group.one("h2").text().endswith(f"({len(inside)})")


def test_findings_narrow_to_an_aspect_and_an_intervention(client: TestClient, catalogue: LoadedGraph) -> None:
    graph = catalogue.graph
    intervention = URIRef(BASE + "intervention/intervisiebijeenkomsten")
    about = {f for f in graph.subjects(PLG.about, intervention) if (f, RDF.type, PLG.Finding) in graph}
    main = page(client, "/findings?intervention=intervisiebijeenkomsten", "en")
    shown = {h.removeprefix("/id/").split("?")[0] for h in hrefs(main.all("a", "target"))}
    assert shown == {str(f).removeprefix(BASE) for f in about}
    obstacles = {f for f in about if graph.value(f, PLG.aspect) == PLG.Obstacle}
    main = page(client, "/findings?intervention=intervisiebijeenkomsten&aspect=obstacle", "en")
    assert len(main.all("li", "claim")) == len(obstacles)
    for asked in ({"aspect": "cost"}, {"intervention": "intervisie"}):
        response = client.get("/findings", params={**asked, "lang": "en"})
        assert response.status_code == 400
        assert next(iter(asked.values())) in Tree.of(response.text).one("main").one("p", "error").text()


def test_all_cases_with_their_school_and_the_interventions_they_show(
    client: TestClient, catalogue: LoadedGraph
) -> None:
    graph = catalogue.graph
    cases = list(graph.subjects(RDF.type, PLG.Case))
    main = page(client, "/cases", "nl")
    items = main.one("ul", "cases").all("li", "claim")
    assert len(items) == len(cases)
    for item in items:
        case = URIRef(BASE + item.one("h2").one("a").attrs["href"].removeprefix("/id/").split("?")[0])
        school = graph.value(case, PLG.atSchool)
        links = item.all("p", "about")
        assert hrefs(links[0].all("a")) == [local(str(school), "nl")]
        shown = {h.split("?")[0].removeprefix("/id/") for h in hrefs(links[1].all("a"))}
        assert shown and all(s.startswith("intervention/") for s in shown)
    main = page(client, "/cases?intervention=teamteaching", "nl")
    for item in main.all("li", "claim"):
        assert "/id/intervention/teamteaching?lang=nl" in hrefs(item.all("p", "about")[1].all("a"))


def test_the_bibliography_lists_every_source_with_its_records_and_downloads_them_all(
    client: TestClient, catalogue: LoadedGraph
) -> None:
    graph = catalogue.graph
    sources = set(graph.subjects(RDF.type, PLG.Source))
    chapter = URIRef(BASE + "source/de-school-als-plg")
    cited = set(graph.objects(chapter, DCTERMS.references))
    main = page(client, "/sources", "nl")
    groups = {s.attrs["aria-labelledby"]: s for s in main.all("section")}
    listed = {
        name: {
            BASE + li.attrs["id"].join(["source/", ""]) for li in group.one("ol", "bibliography").all("li")
        }
        for name, group in (("cited", groups["group-cited"]), ("chapter", groups["group-chapter"]))
    }
    assert {URIRef(i) for i in listed["cited"]} == cited and len(cited) == 13
    assert {URIRef(i) for i in listed["chapter"]} == sources - cited
    bib = client.get("/sources.bib")
    assert bib.status_code == 200 and bib.headers["content-type"].startswith("application/x-bibtex")
    keys = re.findall(r"^@\w+\{([^,]+),$", bib.text, re.MULTILINE)
    assert sorted(keys) == sorted(str(s).removeprefix(BASE + "source/") for s in sources)
    ris = client.get("/sources.ris").text
    assert ris.count("ER  - ") == len(sources) and ris.count("TY  - ") == len(sources)
    # each entry's own record is the one of the source's page
    one = client.get("/id/source/stoll-kools-2017.bib").text
    assert one in bib.text


@pytest.mark.parametrize(("lang", "heading"), [("nl", "Werken die deze bron aanhaalt (13)"),
                                               ("en", "Works this source cites (13)")])  # fmt: skip
def test_the_chapter_page_lists_the_works_it_cites(
    client: TestClient, catalogue: LoadedGraph, lang: str, heading: str
) -> None:
    chapter = URIRef(BASE + "source/de-school-als-plg")
    main = page(client, "/id/source/de-school-als-plg", lang)
    cites = section(main, "cites")
    assert cites.one("h2").text() == heading
    shown = {h.split("?")[0] for h in hrefs(cites.one("ol").all("a"))}
    assert shown == {
        local(str(s), lang).split("?")[0] for s in catalogue.graph.objects(chapter, DCTERMS.references)
    }
    assert "Stoll & Kools 2017" in texts(cites.one("ol").all("a"))


def test_the_index_pages_are_linked_from_the_home_page_search_and_every_footer(client: TestClient) -> None:
    for path in ("/", "/search"):
        main = page(client, path, "en")
        assert hrefs(main.one("nav", "indexes").all("a")) == [
            "/concepts?lang=en",
            "/findings?lang=en",
            "/cases?lang=en",
            "/sources?lang=en",
        ]
    footer = Tree.of(client.get("/matrix", params={"lang": "en"}).text).one("footer")
    assert {"/concepts?lang=en", "/sources?lang=en"} <= set(hrefs(footer.all("a")))
