"""A school leader finds their school: the school list with registry locations imported from the DUO
fixture and a profile, searched and filtered in the form, then the school's page with its register
details and what it runs. A real service over an on-disk store, driven in chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.api.conftest import start_service, stop_service
from tests.browser.conftest import NARROW, fresh_tab
from tests.browser.test_accessibility import BLOCKING, describe
from tests.cli import DUO, PROFILES, import_into

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def registry_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser-schools")
    store = folder / "store"
    import_into(store, "schools", DUO / "vestigingen-vo.csv")
    import_into(store, "profiles", PROFILES / "registry.yaml")
    process, url = start_service("--store-path", str(store), "--workers", "1", log=folder / "serve.log")
    try:
        yield url
    finally:
        stop_service(process)


@pytest.fixture
def tab(browser, registry_site: str) -> Iterator[object]:
    with fresh_tab(browser, registry_site) as page:
        yield page


def rows(tab) -> list[str]:
    return tab.locator("table.schools tbody tr").evaluate_all("rows => rows.map(r => r.dataset.school)")


def test_find_a_school_and_open_its_page(tab) -> None:
    tab.goto("/schools")
    expect(tab.locator("#result-count strong")).to_have_text("14 scholen")
    form = tab.locator("main form[action='/schools']")
    form.get_by_label("Naam, code, plaats of postcode").fill("verzonnen")
    form.get_by_role("button", name="Zoeken").click()
    expect(tab).to_have_url(re.compile(r"/schools\?q=verzonnen"))
    expect(tab.locator("#result-count strong")).to_have_text("2 scholen")
    assert rows(tab) == ["99zz00", "99zz01"]

    form = tab.locator("main form[action='/schools']")
    form.get_by_label("Naam, code, plaats of postcode").fill("")
    form.get_by_label("Gemeente").select_option("0518")
    form.get_by_role("button", name="Zoeken").click()
    expect(tab).to_have_url(re.compile(r"/schools\?.*municipality=0518"))
    expect(tab.locator("#result-count strong")).to_have_text("2 scholen")
    assert rows(tab) == ["97xx00", "97xx02"]

    tab.goto("/schools")
    tab.get_by_label("Alleen scholen met een ingelezen profiel").check()
    tab.locator("main form[action='/schools']").get_by_role("button", name="Zoeken").click()
    assert rows(tab) == ["99zz00"]
    expect(tab.locator("tr[data-school='99zz00'] td.number")).to_have_text("2")

    tab.get_by_role("link", name="Fictief Lyceum De Verzonnen Gracht").click()
    expect(tab).to_have_url(re.compile(r"/id/school/99zz00$"))
    expect(tab.locator("main h1")).to_have_text("Fictief Lyceum De Verzonnen Gracht")
    register = tab.locator("dl.register")
    expect(register).to_contain_text("99ZZ00")
    expect(register.locator("address")).to_contain_text("Verzonnenstraat 1")
    expect(tab.locator("ul.practices li")).to_have_count(2)

    # The municipality leads back to the list, filtered; the breadcrumb to the whole list.
    register.get_by_role("link", name="AMSTERDAM").click()
    expect(tab).to_have_url(re.compile(r"/schools\?municipality=0363$"))
    assert rows(tab) == ["99zz00", "99zz01"]
    expect(tab.locator("#schools-municipality")).to_have_value("0363")


@pytest.mark.parametrize("path", ["/schools", "/id/school/99zz00", "/id/municipality/0363"])
def test_registry_pages_are_accessible_and_fit_375px(axe, tab, path: str) -> None:
    tab.goto(path)
    tab.evaluate(axe.read_text(encoding="utf-8"))  # not a script tag: the pages forbid inline script
    result = tab.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    blocking = [v for v in result["violations"] if v.get("impact") in BLOCKING]
    assert not blocking, f"axe-core on {path}:\n{describe(blocking)}"
    tab.set_viewport_size(NARROW)
    tab.goto(path)
    widths = tab.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{path} at 375 px: {widths[0]} px wide in {widths[1]} px"


def test_the_school_list_reads_without_sideways_scrolling_at_375px(tab) -> None:
    """Each school a block at phone width: its name, then each fact under its column's name."""
    tab.set_viewport_size(NARROW)
    tab.goto("/schools?q=99zz00&lang=nl")
    table = tab.locator("table.schools")
    assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")
    row = tab.locator("table.schools tbody tr[data-school='99zz00']")
    expect(row.locator("th")).to_be_visible()
    code = row.locator("td.code")
    assert code.evaluate("td => getComputedStyle(td, '::before').content") == '"Vestigingscode: "'
    name_box, code_box = row.locator("th").bounding_box(), code.bounding_box()
    assert code_box["y"] >= name_box["y"] + name_box["height"] - 1  # under the name, not beside it
    assert code_box["x"] + code_box["width"] <= NARROW["width"]


def test_find_a_school_from_the_home_page(tab) -> None:
    """The home page leads to Mijn school: a postcode that fits two schools lists both to choose
    from; the one chosen is the profile's school (issue 14)."""
    tab.goto("/")
    form = tab.locator("main form[action='/gaps']")
    form.get_by_role("searchbox").fill("2511")
    form.get_by_role("button", name="Naar Mijn school").click()
    expect(tab).to_have_url(re.compile(r"/gaps\?school=2511$"))
    choices = tab.locator("main ul.candidates a")
    expect(choices).to_have_count(2)
    choices.first.click()
    expect(tab).to_have_url(re.compile(r"/gaps\?school=97XX00$", re.IGNORECASE))
    expect(tab.locator("#gaps-school-hint")).to_contain_text("Gekozen school:")
    tab.goto("/")
    tab.locator("main a[href='/schools']").click()
    expect(tab).to_have_url(re.compile(r"/schools$"))
