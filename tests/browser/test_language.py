"""Switching language: Dutch by default, English one click away; the choice follows the links."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SWITCH_TO_EN = "a[hreflang='en']"


@pytest.mark.parametrize(
    ("path", "nl", "en"),
    [
        (
            "/",
            "De school als professionele leergemeenschap",
            "The school as a professional learning community",
        ),
        (
            "/id/intervention/intercollegiale-observatie",
            "Intercollegiale observatie, beoordeling en feedback",
            "Peer observation, assessment and feedback",
        ),
    ],
)
def test_switch_nl_to_en(page, path: str, nl: str, en: str) -> None:
    page.goto(path)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("main h1")).to_have_text(nl)

    page.locator(SWITCH_TO_EN).first.click()
    expect(page).to_have_url(re.compile(r"[?&]lang=en"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text(en)
    expect(page.locator(SWITCH_TO_EN).first).to_have_attribute("aria-current", "true")

    # The choice stays with the reader on the next page.
    page.locator("header a[href^='/search']").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_accept_language_english(browser, site: str) -> None:
    context = browser.new_context(base_url=site, locale="en-GB")
    try:
        tab = context.new_page()
        tab.goto("/")
        expect(tab.locator("html")).to_have_attribute("lang", "en")
    finally:
        context.close()
