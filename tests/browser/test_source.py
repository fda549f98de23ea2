"""A source page: the full citation with its DOI, and its BibTeX downloaded from the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SLUG = "giles-hargreaves-2006"
DOI = "10.1177/0013161X05278189"


def test_source_page_and_bibtex_download(page) -> None:
    page.goto(f"/id/source/{SLUG}")
    expect(page.locator("main h1")).to_contain_text("sustainability", ignore_case=True)
    expect(page.locator(f"main a[href='https://doi.org/{DOI}']").first).to_be_visible()

    link = page.locator(f"main a[href*='/id/source/{SLUG}.bib']").first
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".bib"), download.suggested_filename
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("@article"), text[:200]
    assert DOI in text, text
    assert "Giles" in text and "Hargreaves" in text, text
