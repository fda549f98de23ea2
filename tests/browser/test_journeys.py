"""The tasks of issue 14 as whole journeys in chromium, each asserting what the visitor sees, and that
no request leaves the site on the way:

(a) our school wants more collaboration: which interventions help, what does research say, what to
    watch out for; (b) the characteristics team teaching serves, with their basis; (c) pick a register
    school, tick three interventions, read the ranked next steps, download the profile, import it with
    the CLI and see the same page; (d) a spreadsheet of interventions with their characteristics, and
    the BibTeX of Stoll & Kools 2017 found by searching "Stoll". ((e), a shared edited query, is in
    test_query_share.py.)"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import expect
from rdflib import URIRef

from plgkg.catalogue import LoadedGraph
from plgkg.namespaces import PLG, SKOS
from tests.api.conftest import start_service, stop_service
from tests.browser.conftest import fresh_tab
from tests.cli import DUO, import_into

pytestmark = pytest.mark.browser

ID = "https://w3id.org/plgkg/id/"


@pytest.fixture
def tab(browser, site: str) -> Iterator[object]:
    with fresh_tab(browser, site) as page, stays_on(page, site):
        yield page


class stays_on:
    """Fails the test when the page asks anything of another origin than the site."""

    def __init__(self, page, site: str) -> None:
        self.page, self.site, self.left = page, site.rstrip("/"), []

    def __enter__(self) -> None:
        self.page.on("request", self._seen)

    def _seen(self, request) -> None:
        if not request.url.startswith((self.site + "/", "data:", "blob:")):
            self.left.append(request.url)

    def __exit__(self, *exc: object) -> None:
        assert not self.left, f"requests that left the site: {self.left}"


def results(tab) -> list[tuple[str, str]]:
    """The search results as (kind, label)."""
    items = tab.locator("ol.results > li")
    return [(items.nth(i).get_attribute("data-kind"), items.nth(i).locator("h3").inner_text())
            for i in range(items.count())]  # fmt: skip


def test_a_more_collaboration_which_interventions_what_research_says_what_to_watch(tab) -> None:
    tab.goto("/?lang=nl")
    tab.locator("#home-q").fill("samenwerking")
    tab.locator("#home-q").press("Enter")
    expect(tab.locator("#result-count")).to_be_visible()
    found = results(tab)
    assert found[0] == ("category", "Samenwerken binnen en buiten de school")
    assert ("intervention", "Teamteaching") in found  # the search finds what the chapter files under it
    tab.locator("ol.results > li").first.locator("h3 a").click()

    # the category lists the interventions that help, each a link
    expect(tab.locator("main h1")).to_have_text("Samenwerken binnen en buiten de school")
    interventions = tab.locator("ol.interventions a")
    assert "PLG's, werkplaatsen en docentontwerpteams" in interventions.all_inner_texts()
    interventions.get_by_text("PLG's, werkplaatsen en docentontwerpteams").click()

    # what research says: the summary first, then the findings by aspect, each with its source
    expect(tab.locator("main h1")).to_have_text("PLG's, werkplaatsen en docentontwerpteams")
    expect(tab.locator("#evidence")).to_have_text("In het kort: wat bekend is en waarop het rust")
    findings = tab.locator("section[aria-labelledby='findings']")
    assert findings.locator("h3").all_inner_texts() == [
        "Hoe vaak het voorkomt", "Voorwaarden", "Beoogde werking", "Opbrengsten"
    ]  # fmt: skip
    # what to watch out for: the conditions the chapter names
    conditions = tab.locator("section[aria-labelledby='aspect-condition'] li.claim")
    expect(conditions).to_have_count(2)
    for i in range(2):
        expect(conditions.nth(i).locator("p.cite")).to_contain_text("Bron:")
        expect(conditions.nth(i).locator(".badge")).to_have_count(1)
    # and who says so: a source link opens its full citation
    conditions.first.locator("p.cite a").first.click()
    expect(tab.locator("p.citation")).to_be_visible()
    expect(tab.locator("p.export a")).to_have_count(2)


def test_b_the_characteristics_team_teaching_serves_with_their_basis(tab, catalogue: LoadedGraph) -> None:
    graph = catalogue.graph
    expected = sorted(
        (dutch(graph, graph.value(s, PLG.characteristic)),
         "stated" if graph.value(s, PLG.basis) == PLG.StatedInChapter else "inferred")
        for s in graph.subjects(PLG.intervention, URIRef(ID + "intervention/teamteaching"))
    )  # fmt: skip
    tab.goto("/search?lang=nl")
    tab.locator("#search-q").fill("team teaching")
    tab.locator("#search-q").press("Enter")
    expect(tab.locator("ol.results > li").first).to_have_attribute("data-intervention", "teamteaching")
    tab.locator("ol.results > li").first.locator("h3 a").click()
    expect(tab.locator("main h1")).to_have_text("Teamteaching")
    serves = tab.locator("section[aria-labelledby='serves'] li.claim")
    shown = sorted(
        (serves.nth(i).locator("a.target").inner_text(),
         serves.nth(i).locator(".badge").get_attribute("class").split()[-1])
        for i in range(serves.count())
    )  # fmt: skip
    assert shown == expected and len(shown) == 7
    # what the two labels mean
    tab.locator("section[aria-labelledby='serves']").get_by_role("link", name="Wat betekent dit?").click()
    expect(tab.locator("#basis")).to_have_text("Gesteld of afgeleid: waar een uitspraak op rust")
    tab.go_back()
    # each basis leads to the statement that says why, and where the chapter says it
    serves.first.locator("a.badge-link").click()
    expect(tab.locator("main h1")).to_contain_text("Teamteaching")
    expect(tab.locator("main .locator").first).to_contain_text("§3")


def dutch(graph, node) -> str:
    return next(str(o) for o in graph.objects(node, SKOS.prefLabel) if o.language == "nl")


@pytest.fixture(scope="module")
def register_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("journey-c") / "store"
    import_into(store, "schools", DUO / "vestigingen-vo.csv")
    return store


@pytest.fixture(scope="module")
def register_site(register_store: Path) -> Iterator[str]:
    process, url = start_service("--store-path", str(register_store), "--workers", "1",
                                 log=register_store.parent / "serve.log")  # fmt: skip
    try:
        yield url
    finally:
        stop_service(process)


RUNS = ["intervisiebijeenkomsten", "intercollegiale-observatie", "teamteaching"]


def steps(tab) -> list[str]:
    return tab.locator("ol.steps[data-scope='all'] > li.step").evaluate_all(
        "items => items.map(li => li.dataset.intervention)"
    )


def test_c_pick_a_school_tick_three_read_next_steps_download_import_same_page(
    browser, register_site: str, register_store: Path, tmp_path: Path
) -> None:
    with fresh_tab(browser, register_site) as tab, stays_on(tab, register_site):
        tab.goto("/gaps?lang=nl")
        tab.locator("#gaps-school").fill("proefcollege arielle")  # accents and case left out
        for run in RUNS:
            tab.locator(f"#run-{run}").check()
        tab.locator("form.profile-form button[type=submit]").click()
        expect(tab.locator("#gaps-school-hint")).to_contain_text("Proefcollege Prinses Ariëlle")
        asked = parse_qs(urlsplit(tab.url).query)
        assert sorted(asked["run"]) == sorted(RUNS)
        # the ranked next steps: the same order as the JSON API's, each saying what it closes
        json_url = tab.locator("p.share a").nth(1).get_attribute("href")
        answer = httpx.get(register_site + json_url)
        ranked = [s["id"] for s in answer.json()["next_steps"]]
        assert steps(tab) == ranked and ranked
        first = tab.locator("ol.steps[data-scope='all'] > li.step").first
        closes = len(answer.json()["next_steps"][0]["closes"])
        expect(first).to_contain_text(f"dient {closes} open kenmerk")
        expect(first.locator("ul.closes li")).to_have_count(closes)
        expect(first.locator(".heed")).to_contain_text("Let op")
        # the profile as a file, imported with the CLI into a store with the same register
        with tab.expect_download() as download:
            tab.locator("p.downloads a", has_text="CSV").click()
        profile = tmp_path / download.value.suggested_filename
        download.value.save_as(profile)
        rows = list(csv.DictReader(io.StringIO(profile.read_text(encoding="utf-8-sig"))))
        assert sorted(r["intervention"] for r in rows) == sorted(RUNS)
    second = tmp_path / "store"
    import_into(second, "schools", DUO / "vestigingen-vo.csv")
    import_into(second, "profiles", profile)
    process, url = start_service("--store-path", str(second), "--workers", "1", log=tmp_path / "serve.log")
    try:
        with fresh_tab(browser, url) as tab, stays_on(tab, url):
            tab.goto("/gaps?school=98YY00&lang=nl")  # no run= in the URL: the imported profile ticks them
            checked = tab.locator("input[name=run]:checked").evaluate_all("boxes => boxes.map(b => b.value)")
            assert sorted(checked) == sorted(RUNS)
            assert steps(tab) == ranked
    finally:
        stop_service(process)


def test_d_a_spreadsheet_of_interventions_and_the_bibtex_of_stoll_and_kools(tab, tmp_path: Path) -> None:
    tab.goto("/?lang=nl")
    tab.locator("footer").get_by_role("link", name="Data en downloads").click()
    with tab.expect_download() as download:
        tab.locator("a[href='/export/serves-nl.csv']").click()
    sheet = tmp_path / "serves.csv"
    download.value.save_as(sheet)
    raw = sheet.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that makes a Dutch spreadsheet read UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert len(body) == 84 and len(header) > 3
    teamteaching = [r for r in body if "Teamteaching" in r]
    assert len(teamteaching) == 7

    tab.locator("header nav.primary").get_by_role("link", name="Zoeken").click()
    tab.locator("#search-q").fill("Stoll")
    tab.locator("#search-q").press("Enter")
    expect(tab.locator("ol.results > li").first).to_have_attribute("data-kind", "source")
    tab.locator("ol.results > li").first.locator("h3 a").click()
    expect(tab.locator("p.citation")).to_contain_text("Louise Stoll & Marco Kools (2017)")
    with tab.expect_download() as download:
        tab.locator("p.export a", has_text="BibTeX").click()
    bib = Path(download.value.path()).read_text(encoding="utf-8")
    assert bib.startswith("@article{stoll-kools-2017,")
    assert "doi = {10.1108/JPCC-09-2016-0022}" in bib
