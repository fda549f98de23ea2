"""Task (e) of issue 14 in Debian's chromium: run an example query, change it, share its URL; the
shared URL opened afresh runs the changed query."""

from __future__ import annotations

from playwright.sync_api import expect


def test_run_an_example_change_it_and_share_it(page) -> None:
    page.goto("/sparql")
    expect(page.locator("#query-share")).to_be_hidden()  # nothing to share yet
    page.locator("[data-load-example]").first.click()
    page.locator("form button[type='submit']").click()
    rows = page.locator("table.results-table tbody tr")
    expect(rows).to_have_count(5)  # CQ1: the five categories
    editor = page.locator("#query")
    editor.press("Control+End")
    page.keyboard.type("\nLIMIT 2")
    share = page.locator("#query-share")
    expect(share).to_be_visible()
    href = share.get_attribute("href")
    assert href.startswith("/sparql?query=") and href.endswith("LIMIT%202")
    page.goto("about:blank")
    page.goto(href)
    expect(page.locator("table.results-table tbody tr")).to_have_count(2)
    assert page.locator("#query").input_value().endswith("LIMIT 2")
