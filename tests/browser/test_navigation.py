"""A reader browses: home → category → intervention → characteristic → coverage matrix, then back."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def heading(page) -> str:
    h1 = page.locator("main h1")
    expect(h1).to_have_count(1)
    text = h1.inner_text().strip()
    assert text, f"empty h1 on {page.url}"
    return text


def follow(page, selector: str, url_part: str) -> tuple[str, str]:
    """Click the first link in main matching selector; return (path, h1) of the page it opens."""
    link = page.locator(f"main {selector}").first
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(re.compile(re.escape(url_part)))
    page.wait_for_load_state()
    return page.url, heading(page)


def test_home_category_intervention_characteristic_matrix_and_back(page) -> None:
    page.goto("/")
    trail = [(page.url, heading(page))]
    trail.append(follow(page, "a[href*='/id/category/']", "/id/category/"))
    trail.append(follow(page, "a[href*='/id/intervention/']", "/id/intervention/"))
    trail.append(follow(page, "a[href*='/id/characteristic/']", "/id/characteristic/"))

    page.locator("header a[href^='/matrix']").first.click()
    expect(page).to_have_url(re.compile(r"/matrix"))
    heading(page)
    # Each cell of the matrix links to the qualified statement behind it.
    expect(page.locator("main a[href*='/id/serves/']").first).to_be_attached()

    for url, h1 in reversed(trail):
        page.go_back()
        expect(page).to_have_url(url)
        expect(page.locator("main h1")).to_have_text(h1)


def test_crumbs_lead_back_home(page) -> None:
    page.goto("/id/intervention/intercollegiale-observatie")
    crumbs = page.locator("nav.crumbs, nav[aria-label='Kruimelpad']").first
    expect(crumbs.locator("[aria-current='page']")).to_have_count(1)
    crumbs.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/(\?lang=nl)?$"))
