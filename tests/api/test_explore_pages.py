"""The explore pages on a real service: coverage matrix, search, ontology documentation, query page.
Exact content for one known case each, plus the shapes the data does not show today (an unserved
characteristic), escaping and language."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from plgkg.queries import QUERY_DIR
from plgkg_api.i18n import words
from plgkg_api.services.overviews import build_matrix, snippet
from tests.api.conftest import select

ROOT = Path(__file__).resolve().parents[2]
HTML = {"Accept": "text/html"}
PLG = "https://w3id.org/plgkg/ontology#"
ID = "https://w3id.org/plgkg/id/"


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def _row(page: str, intervention: str) -> str:
    match = re.search(rf'<tr data-intervention="{intervention}">(.*?)</tr>', page, re.DOTALL)
    assert match, f"no matrix row for {intervention}"
    return match.group(1)


def _cell(page: str, intervention: str, characteristic: str) -> str:
    row = _row(page, intervention)
    match = re.search(
        rf'<td class="cell[^"]*" data-characteristic="{characteristic}"[^>]*>.*?</td>', row, re.S
    )
    assert match, f"no cell {intervention} × {characteristic}"
    return match.group(0)


def _column_ids(page: str) -> list[str]:
    return re.findall(r'<th scope="col" id="col-([^"]+)"', page)


def _results(page: str) -> list[str]:
    block = page.split('<ol class="results">', 1)
    if len(block) == 1:
        return []
    return [html.unescape(x) for x in re.findall(r"<h3><a [^>]*>(.*?)</a></h3>", block[1].split("</ol>")[0])]


# -- coverage matrix ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def matrix_en(client: httpx.Client) -> str:
    response = client.get("/matrix", params={"lang": "en"})
    assert response.status_code == 200
    return response.text


def test_matrix_cell_links_to_its_statement_and_shows_the_basis(matrix_en: str) -> None:
    cell = _cell(matrix_en, "teamteaching", "little-joint-work")
    assert 'data-basis="stated"' in cell
    assert 'href="/id/serves/teamteaching--little-joint-work?lang=en"' in cell
    assert "●" in cell and "stated in the chapter: Team teaching → Joint work" in cell
    inferred = _cell(matrix_en, "teamteaching", "lomos-reflectie")
    assert 'data-basis="inferred"' in inferred and "○" in inferred and "inferred by the catalogue" in inferred
    assert _cell(matrix_en, "teamteaching", "sk-visie").endswith("></td>")  # no statement: empty


def test_matrix_is_an_accessible_table_with_legend(matrix_en: str) -> None:
    assert "<caption" in matrix_en and 'scope="colgroup"' in matrix_en and 'scope="rowgroup"' in matrix_en
    assert (
        '<th scope="row" class="rowhead"><a href="/id/intervention/teamteaching?lang=en">Team teaching'
        in (matrix_en)
    )
    assert '<abbr title="Joint work">L3</abbr>' in matrix_en
    legend = matrix_en[matrix_en.index('id="matrix-legend"') :]
    assert "● stated in the chapter" in legend.replace('<span class="sym" aria-hidden="true">●</span>', "●")


def _statements(client: httpx.Client, where: str = "") -> tuple[int, int]:
    """How many serves statements the catalogue has (with a pattern on ?s), and how many are stated."""
    rows = select(
        client,
        f"""SELECT (COUNT(?s) AS ?n) (SUM(IF(?b = plg:StatedInChapter, 1, 0)) AS ?stated) WHERE {{
            ?s a plg:ServesStatement ; plg:basis ?b . {where} }}""",
    )
    return int(rows[0]["n"]), int(rows[0]["stated"])


def test_matrix_counts_rows_and_columns(matrix_en: str, client: httpx.Client) -> None:
    assert len(_column_ids(matrix_en)) == 19
    assert len(re.findall(r'<tr data-intervention="', matrix_en)) == 18
    row = _row(matrix_en, "teamteaching")
    team, _ = _statements(client, "?s plg:intervention <https://w3id.org/plgkg/id/intervention/teamteaching>")
    assert row.count("data-basis=") == team
    assert re.search(rf'<td class="count" data-count="{team}">{team}</td>', row)
    foot = matrix_en[matrix_en.index("<tfoot>") : matrix_en.index("</tfoot>")]
    joint, _ = _statements(
        client, "?s plg:characteristic <https://w3id.org/plgkg/id/characteristic/little-joint-work>"
    )
    assert re.search(rf'data-characteristic="little-joint-work" data-count="{joint}">{joint}</td>', foot)
    total, stated = _statements(client)
    assert f'<td class="count" data-count="{total}">{total}</td>' in foot
    assert (
        f"{total} statements ({stated} stated in the chapter, {total - stated} inferred by the catalogue)"
        in (matrix_en)
    )
    # Every column count is the number of cells in that column.
    for characteristic in _column_ids(matrix_en):
        cells = re.findall(rf'data-characteristic="{characteristic}" data-basis=', matrix_en)
        assert f'data-characteristic="{characteristic}" data-count="{len(cells)}"' in foot


def _crosswalk_rows(page: str) -> list[tuple[str, str, str]]:
    section = page[page.index('<section aria-labelledby="crosswalk-heading"') :]
    section = section[: section.index("</section>")]
    return re.findall(
        r'<tr data-characteristic="([^"]+)" data-other="([^"]+)" data-relation="([^"]+)">', section
    )


def test_matrix_lists_the_crosswalk_under_the_table(matrix_en: str, client: httpx.Client) -> None:
    rows = _crosswalk_rows(matrix_en)
    stored = select(
        client, "SELECT ?m WHERE { ?m a plg:CharacteristicMatch }"
    )  # every link once, read from whichever side comes first in the matrix
    assert len(rows) == len(stored)
    # Giles & Hargreaves come first: their side reads the stored broadMatch as narrower
    assert ("gh-onderwijs-verbeteren", "lomos-leerlingen", "closeMatch") in rows
    assert ("gh-samenwerken", "lomos-samenwerken", "narrowMatch") in rows
    assert ("gh-samenwerken", "little-sharing-practices", "narrowMatch") in rows
    assert ("little-sharing-practices", "gh-samenwerken", "broadMatch") not in rows
    assert ("lomos-samenwerken", "sk-teamleren", "broadMatch") in rows
    section = matrix_en[matrix_en.index('id="crosswalk-heading"') :]
    assert "<caption>Crosswalk links between frameworks" in section
    assert 'href="/id/crosswalk/lomos-leerlingen--gh-onderwijs-verbeteren?lang=en"' in section
    little = client.get("/matrix/little-1990", params={"lang": "en"}).text
    assert ("little-sharing-practices", "gh-samenwerken", "broadMatch") in _crosswalk_rows(little)
    assert {r[0] for r in _crosswalk_rows(little)} == {
        "little-sharing-practices",
        "little-aid-and-assistance",
        "little-joint-work",
    }
    assert ("little-joint-work", "lomos-samenwerken", "broadMatch") in _crosswalk_rows(little)


def test_matrix_rows_follow_tabel_1(matrix_en: str) -> None:
    rows = re.findall(r'<tr data-intervention="([^"]+)"', matrix_en)
    assert rows[:3] == ["startactiviteiten", "implementatieactiviteiten", "missie-visie-in-hr-beleid"]
    categories = re.findall(r'<th scope="rowgroup"[^>]*><a href="/id/category/([^"?]+)', matrix_en)
    assert categories[0] == "missie-en-visie" and len(categories) == 5


def test_every_characteristic_is_served_today(matrix_en: str) -> None:
    section = matrix_en[matrix_en.index('id="unserved"') :]
    assert "None: every characteristic is served by at least one intervention." in section
    assert 'class="char unserved' not in matrix_en


def test_per_framework_matrix_has_only_that_frameworks_columns(client: httpx.Client) -> None:
    page = client.get("/matrix/little-1990", params={"lang": "en"}).text
    assert _column_ids(page) == ["little-sharing-practices", "little-aid-and-assistance", "little-joint-work"]
    assert len(re.findall(r'<tr data-intervention="', page)) == 18  # every intervention keeps its row
    total, stated = _statements(
        client, "?s plg:characteristic/plg:inFramework <https://w3id.org/plgkg/id/framework/little-1990>"
    )
    assert (
        f"{total} statements ({stated} stated in the chapter, {total - stated} inferred by the catalogue)"
        in page
    )
    assert 'aria-current="page">Kinds of PLGs according to Little</a>' in page
    assert client.get("/matrix/no-such-framework").status_code == 404


def test_matrix_in_dutch_by_default_and_english_by_accept_language(client: httpx.Client) -> None:
    dutch = client.get("/matrix").text
    assert '<html lang="nl">' in dutch and "gesteld in het hoofdstuk" in dutch
    english = client.get("/matrix", headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert '<html lang="en">' in english and "Which intervention helps with which characteristic?" in english


def _row_of(**values: str | None) -> dict:
    return {
        k: (URIRef(v) if v.startswith("http") else Literal(v)) for k, v in values.items() if v is not None
    }


# intervention x of category c, as the matrix rows name them
X_IN_C = {
    "intervention": f"{ID}intervention/x",
    "interventionLabel": "X & Y",
    "interventionOrder": "1",
    "category": f"{ID}category/c",
    "categoryLabel": "C",
    "categoryOrder": "1",
}


UNSERVED_ROWS = [
    _row_of(
        characteristic=f"{ID}characteristic/a-one",
        characteristicLabel="Served <one>",
        characteristicOrder="1",
        framework=f"{ID}framework/doe-2020",
        frameworkLabel="Doe",
        statement=f"{ID}serves/x--a-one",
        basis=f"{PLG}StatedInChapter",
        **X_IN_C,
    ),
    _row_of(
        characteristic=f"{ID}characteristic/a-two",
        characteristicLabel="Nobody's",
        characteristicOrder="2",
        framework=f"{ID}framework/doe-2020",
        frameworkLabel="Doe",
    ),
    _row_of(
        **X_IN_C,
    ),
]


def test_a_characteristic_no_one_serves_stands_out() -> None:
    matrix = build_matrix(UNSERVED_ROWS)
    assert [c["code"] for c in matrix["columns"]] == ["D1", "D2"]
    assert [c["id"] for c in matrix["unserved"]] == ["a-two"]
    assert matrix["total"] == 1 and matrix["categories"][0]["interventions"][0]["count"] == 1
    env = Environment(loader=FileSystemLoader(ROOT / "api" / "templates"), autoescape=select_autoescape())
    page = env.get_template("matrix.html").render(
        lang="en",
        t=words("en"),
        q="",
        path="/matrix",
        crumbs=[],
        iri=None,
        title="Which intervention helps with which characteristic?",
        link=lambda iri: str(iri).replace(ID, "/id/"),
        matrix=matrix,
        frameworks=[],
        chosen=None,
    )
    assert re.search(r'<th scope="col" id="col-a-two" class="char unserved[^"]*"', page)
    assert "(served by no intervention)" in page
    unserved = page[page.index('id="unserved"') :]
    assert '<li data-characteristic="a-two"><a href="/id/characteristic/a-two">Nobody&#39;s</a>' in unserved
    assert "Served &lt;one&gt;" in page and "X &amp; Y" in page and "<one>" not in page


# -- search -------------------------------------------------------------------------------------


def test_search_text_over_every_kind(client: httpx.Client) -> None:
    """Text finds characteristics, interventions, findings and cases alike, ranked (issue 14)."""
    page = client.get("/search", params={"q": "feedback", "lang": "en"}).text
    assert _results(page)[:2] == [
        "Peer observation, assessment and feedback",  # the shortest name that holds the word
        "Giving each other feedback on their teaching practice",
    ]
    kinds = re.findall(r'<li data-kind="([a-z]+)"', page)
    assert {"characteristic", "intervention", "finding", "case"} <= set(kinds)
    assert f'<strong data-count="{len(kinds)}">{len(kinds)} results</strong>' in page
    assert "<mark>feedback</mark>" in page
    assert "Collaboration within and beyond the school" in page  # the category of the intervention
    only = client.get("/search", params={"q": "feedback", "kind": "intervention", "lang": "en"}).text
    assert _results(only) == [
        "Peer observation, assessment and feedback",
        "Including peer observation and assessment in HR policy",
    ]


def test_search_matches_the_other_language(client: httpx.Client) -> None:
    """Text is matched in nl and en: a Dutch word finds the intervention on the English page."""
    page = client.get("/search", params={"q": "intervisie", "lang": "en"}).text
    assert "Peer consultation meetings for teachers" in _results(page)


def test_search_filter_combination(client: httpx.Client) -> None:
    page = client.get(
        "/search", params={"framework": "little-1990", "category": "samenwerken", "lang": "en"}
    ).text
    assert _results(page) == [
        "Peer observation, assessment and feedback",
        "Team teaching",
        "PLGs, workshops and teacher design teams",
    ]
    page = client.get(
        "/search", params={"characteristic": "little-joint-work", "q": "team", "lang": "en"}
    ).text
    assert _results(page) == ["Team teaching", "PLGs, workshops and teacher design teams"]
    assert '<option value="little-joint-work" selected>Joint work</option>' in page
    assert "Characteristic: <strong>Joint work</strong>" in page and "Text: <strong>team</strong>" in page


def test_search_selects_are_filled_from_the_data(client: httpx.Client) -> None:
    page = client.get("/search").text
    main = _main(page)
    assert main.count("<option value=") == 4 + 8 + 5 + 4 + 19  # (any) ×4, kinds, categories, …
    assert '<optgroup label="Soorten PLG&#39;s volgens Little">' in main or "<optgroup" in main


def test_search_url_is_shareable(client: httpx.Client) -> None:
    params = {
        "q": "observatie",
        "category": "samenwerken",
        "framework": "",
        "characteristic": "",
        "lang": "en",
    }
    first = client.get("/search", params=params).text
    share = html.unescape(re.search(r'<a href="([^"]+)" id="share-link"', first).group(1))
    assert urlsplit(share).path == "/search"
    assert parse_qs(urlsplit(share).query) == {
        "q": ["observatie"],
        "category": ["samenwerken"],
        "lang": ["en"],
    }
    again = client.get(share).text
    # nl text matches too, in word forms: observatie, observeren
    expected = [
        "Peer observation, assessment and feedback",
        "Team teaching",
        "PLGs, workshops and teacher design teams",
    ]
    assert _results(again) == _results(first) == expected
    assert 'value="observatie"' in again and '<option value="samenwerken" selected>' in again


def test_search_without_anything_lists_every_intervention(client: httpx.Client) -> None:
    page = client.get("/search").text
    assert len(_results(page)) == 18 and "18 resultaten" in page


def test_search_rejects_unknown_filters_and_escapes(client: httpx.Client) -> None:
    response = client.get("/search", params={"q": "<script>alert(1)</script>", "category": "<b>nope</b>"})
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.text and "<b>nope</b>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "Onbekende waarde voor Categorie" in response.text


def test_snippet_marks_the_match_and_cuts_long_text() -> None:
    text = "word " * 100 + "needle " + "word " * 100
    parts = snippet(text, "Needle", width=80)
    assert ("needle", True) in parts
    joined = "".join(p for p, _ in parts)
    assert joined.startswith("…") and joined.endswith("…") and len(joined) <= 84


# -- ontology documentation ---------------------------------------------------------------------


def test_ontology_page_documents_every_term(client: httpx.Client) -> None:
    response = client.get("/ontology", headers={**HTML, "Accept-Language": "en"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    ontology = Graph().parse(ROOT / "ontology" / "plg.ttl")
    terms = {
        s
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in ontology.subjects(RDF.type, kind)
        if str(s).startswith(PLG)
    }
    assert len(terms) >= 30
    for term in terms:
        local = str(term)[len(PLG) :]
        match = re.search(
            rf'<section class="term" aria-labelledby="{local}" data-term="{local}">(.*?)</section>',
            page,
            re.S,
        )
        assert match, f"plg:{local} is not documented"
        section = match.group(1)
        for lang in ("nl", "en"):
            label = next(str(o) for o in ontology.objects(term, RDFS.label) if o.language == lang)
            assert f'<dd lang="{lang}" data-label-{lang}>{html.escape(label)}</dd>' in section, (local, lang)
    assert len(re.findall(r'<section class="term" aria-labelledby="[^"]+" data-term=', page)) == len(terms)


def test_ontology_page_shows_domain_range_definition_example(client: httpx.Client) -> None:
    page = client.get("/ontology", params={"lang": "en"}, headers=HTML).text
    serves = re.search(r'data-term="serves">(.*?)</section>', page, re.S).group(1)
    assert '<dt>Domain</dt><dd><a href="#Intervention">plg:Intervention</a></dd>' in serves
    assert '<dt>Range</dt><dd><a href="#Characteristic">plg:Characteristic</a></dd>' in serves
    assert "An intervention helps a school develop a characteristic." in serves
    assert '<dt>Example</dt><dd><a href="/id/intervention/' in serves  # a real resource that uses it
    intervention = re.search(r'data-term="Intervention">(.*?)</section>', page, re.S).group(1)
    assert '<a href="/id/intervention/teamteaching?lang=en">Team teaching</a>' in intervention  # skos:example
    assert '<a href="http://www.w3.org/2004/02/skos/core#Concept">skos:Concept</a>' in intervention
    for value in ("StatedInChapter", "InferredByCatalogue", "Durability", "NumberOfSchools"):
        assert f'<tr id="{value}">' in page
    assert '<h3 id="BasisScheme">Bases' in page


def test_ontology_still_serves_rdf_to_programs(client: httpx.Client) -> None:
    assert client.get("/ontology").headers["content-type"].startswith("text/turtle")
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert "plg:serves" in turtle.text or "ontology#serves" in turtle.text
    assert client.get("/ontology.jsonld").headers["content-type"].startswith("application/ld+json")


# -- query page ---------------------------------------------------------------------------------

EXAMPLES = sorted((QUERY_DIR / "examples").glob("*.rq"))


def test_examples_are_the_competency_questions() -> None:
    cq = sorted((ROOT / "tests" / "cq").glob("*.rq"))
    assert [p.name for p in EXAMPLES] == [p.name for p in cq]
    for example, question in zip(EXAMPLES, cq, strict=True):
        assert example.read_text(encoding="utf-8") == question.read_text(encoding="utf-8"), example.name


def test_query_page_has_the_editor_assets_served_here(client: httpx.Client) -> None:
    page = client.get("/sparql", headers=HTML).text
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert "/static/sparql-editor.js" in assets and "/static/plgkg.css" in assets
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
    assert "javascript" in client.get("/static/sparql-editor.js").headers["content-type"]
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page.split("<main")[0])  # no CDN in <head>
    assert '<textarea id="query" name="query"' in page and 'method="post" action="/sparql"' in page


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_query_page_lists_every_example_titled_in_the_page_language(client: httpx.Client, lang: str) -> None:
    page = client.get("/sparql", params={"lang": lang}, headers=HTML).text
    for path in EXAMPLES:
        head = path.read_text(encoding="utf-8").split("# Inputs:")[0].splitlines()
        dutch = [line.removeprefix("# nl: ") for line in head if line.startswith("# nl: ")]
        english = " ".join(line.lstrip("# ").strip() for line in head if not line.startswith("# nl: "))
        assert len(dutch) == 1 and english.startswith("CQ"), path.name
        assert f'<li data-example="{path.stem}">' in page
        titles = re.findall(
            rf'<li data-example="{path.stem}">\s*<span class="example-title">(.*?)</span>', page
        )
        assert [html.unescape(t) for t in titles] == [dutch[0] if lang == "nl" else english]
    assert "CQ1: Hoeveel interventies telt elke categorie van Tabel 1" in page or lang == "en"


def test_an_example_runs_with_one_click_and_links_resources(client: httpx.Client) -> None:
    page = client.get("/sparql", headers=HTML).text
    item = re.search(
        r'<li data-example="05-interventions-serving-characteristic">(.*?)</li>', page, re.S
    ).group(1)
    href = html.unescape(re.search(r'<a class="run" href="([^"]+)"', item).group(1))
    result = client.get(href, headers=HTML)
    assert result.status_code == 200
    assert '<th scope="col">?intervention</th>' in result.text
    assert '<a href="/id/intervention/intercollegiale-observatie">iv:intercollegiale-observatie</a>' in (
        result.text
    )
    assert '<a href="/ontology#StatedInChapter">plg:StatedInChapter</a>' in result.text
    assert "little-aid-and-assistance" in result.text  # the query is back in the editor


def test_query_page_escapes_query_and_results(client: httpx.Client) -> None:
    query = 'SELECT ?x WHERE { BIND("<b>bold</b> & </textarea>" AS ?x) }'
    page = client.post("/sparql", data={"query": query}, headers=HTML).text
    assert "<b>bold</b>" not in page and "</textarea> &" not in page
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;/textarea&gt;" in page
