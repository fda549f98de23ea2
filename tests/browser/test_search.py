"""Search with filters: fill the form, submit, read the results, and share the URL."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def choose(form, name: str, slug: str) -> None:
    """Pick the filter value ending in slug, whether the filter is a <select> or checkboxes/radios."""
    control = form.locator(f"[name='{name}']")
    expect(control.first).to_be_attached()
    if control.first.evaluate("el => el.tagName") == "SELECT":
        values = control.first.locator("option").evaluate_all("options => options.map(o => o.value)")
        matching = [v for v in values if v.rstrip("/").endswith(slug)]
        assert matching, f"no {name} option for {slug}: {values}"
        control.first.select_option(matching[0])
    else:
        form.locator(f"[name='{name}'][value$='{slug}']").check()


def test_search_with_filters(page) -> None:
    page.goto("/search")
    expect(page.locator("main h1")).to_have_count(1)
    form = page.locator("main form", has=page.locator("[name='category']")).first
    form.locator("[name='q']").fill("observatie")
    choose(form, "category", "samenwerken")
    choose(form, "framework", "lomos-hofman-bosker-2011")
    choose(form, "characteristic", "lomos-feedback")
    form.locator("[type='submit']").first.click()

    expect(page).to_have_url(re.compile(r"/search\?"))
    results = page.locator("main a[href*='/id/intervention/intercollegiale-observatie']")
    expect(results.first).to_be_visible()
    # 'Observatie … in HR-beleid' matches the text and the characteristic but not the category.
    expect(page.locator("main a[href*='/id/intervention/observatie-in-hr-beleid']")).to_have_count(0)

    params = parse_qs(urlsplit(page.url).query)
    assert params.get("q") == ["observatie"], page.url
    for name, slug in [
        ("category", "samenwerken"),
        ("framework", "lomos-hofman-bosker-2011"),
        ("characteristic", "lomos-feedback"),
    ]:
        assert any(v.rstrip("/").endswith(slug) for v in params.get(name, [])), (name, page.url)

    # The URL is shareable: opened afresh it gives the same results and keeps the form filled in.
    shared = page.url
    page.goto("about:blank")
    page.goto(shared)
    expect(page.locator("main a[href*='/id/intervention/intercollegiale-observatie']").first).to_be_visible()
    expect(page.locator("main form [name='q']").first).to_have_value("observatie")


def test_search_from_home(page) -> None:
    page.goto("/")
    box = page.locator("main form[role='search'] [name='q'], main form [type='search']").first
    box.fill("teamteaching")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?.*q=teamteaching"))
    expect(page.locator("main a[href*='/id/intervention/teamteaching']").first).to_be_visible()
