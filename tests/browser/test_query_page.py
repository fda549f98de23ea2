"""The query page for browsers: pick an example, run it, read the results as a table with links."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

EXAMPLES = (
    "main :is(#examples, .examples, [data-example]) :is(button, a), "
    "main form:has(input[type='hidden'][name='query']) [type='submit']"
)
RUN = "main form:has([name='query']:not([type='hidden'])) [type='submit']"


def test_run_an_example_query(page) -> None:
    page.goto("/sparql")
    expect(page.locator("main h1")).to_have_count(1)
    examples = page.locator(EXAMPLES)
    expect(examples.first).to_be_visible()
    assert examples.count() >= 4, "the competency questions are offered as examples"

    examples.first.click()
    rows = page.locator("main table tbody tr")
    try:  # an example either runs at once or loads into the editor, to be run from there
        rows.first.wait_for(timeout=5_000)
    except PlaywrightTimeout:
        page.locator(RUN).first.click()
        rows.first.wait_for()
    assert rows.count() > 0
    expect(page.locator("main table thead th").first).to_be_visible()
    # IRIs in the results are links into the catalogue.
    expect(page.locator("main table tbody a[href^='/id/']").first).to_be_visible()
    expect(page.locator("[role='alert'], .error")).to_have_count(0)


def test_typed_query_runs(page) -> None:
    page.goto("/sparql")
    editor = page.locator("main textarea[name='query']")
    query = (
        "PREFIX plg: <https://w3id.org/plgkg/ontology#>\n"
        "SELECT ?category WHERE { ?category a plg:InterventionCategory } ORDER BY ?category"
    )
    if editor.is_visible():
        editor.fill(query)
    else:  # an editor widget hides the textarea: set it as the no-JavaScript form would send it
        editor.evaluate("(el, q) => { el.value = q; }", query)
    page.locator(RUN).first.click()
    expect(page.locator("main table tbody tr")).to_have_count(5)
