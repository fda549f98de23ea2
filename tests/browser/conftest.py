"""Browser tests: a real plgkg service on 127.0.0.1, driven by Playwright in Debian's chromium.

Playwright comes from PyPI (the dev extra) and never downloads a browser: it launches /usr/bin/chromium
(`apt-get install chromium`; `.ci/run` does). axe-core comes from the npm registry (`npm ci`, which
`make test` runs) and is injected into each page by the accessibility tests. Without chromium the
tests that need a browser skip and say how to get it; so do the accessibility tests without axe-core.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.api.conftest import start_service, stop_service

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("PLGKG_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 375, "height": 800}
TIMEOUT_MS = 15_000

# One known resource of every page type: (name, path). The names are the screenshot file names.
PAGE_TYPES = [
    ("home", "/"),
    ("intervention", "/id/intervention/intercollegiale-observatie"),
    ("characteristic", "/id/characteristic/lomos-feedback"),
    ("category", "/id/category/samenwerken"),
    ("framework", "/id/framework/stoll-kools-2017"),
    ("source", "/id/source/giles-hargreaves-2006"),
    ("case", "/id/case/schoolacademie"),
    ("school", "/id/school/school-schoolacademie"),
    ("serves", "/id/serves/intercollegiale-observatie--lomos-feedback"),
    ("illustration", "/id/illustration/in-de-ringen--intercollegiale-observatie"),
    ("crosswalk", "/id/crosswalk/lomos-samenwerken--gh-samenwerken"),
    ("matrix", "/matrix"),
    ("matrix-framework", "/matrix/stoll-kools-2017"),
    ("search", "/search?q=observatie"),
    ("schools", "/schools"),
    ("ontology", "/ontology"),
    ("query", "/sparql"),
    ("gaps", "/gaps?run=teamteaching&run=intercollegiale-observatie"),
    ("data", "/data"),
    ("docs", "/docs"),
    ("concepts", "/concepts"),
    ("findings", "/findings"),
    ("cases", "/cases"),
    ("sources", "/sources"),
    ("about", "/about"),
    ("figure", "/id/figure/kenniskring-leraren"),
]


def missing_chromium() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed: pip install -e '.[dev]' (or make test)"
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return (
            f"no chromium at {CHROMIUM}: apt-get install chromium (Debian's package; .ci/run installs it)."
            " Playwright's own browser download is not used."
        )
    return None


def missing_axe() -> str | None:
    if not AXE.is_file():
        hint = "npm ci" if shutil.which("npm") else "install Node.js and npm, then npm ci"
        return f"no axe-core at {AXE.relative_to(ROOT)}: run `{hint}` in {ROOT} (make test does)"
    return None


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a plgkg service started as a user would start it."""
    log = tmp_path_factory.mktemp("browser-service") / "serve.log"
    process, url = start_service("--workers", "2", log=log)
    try:
        yield url
    finally:
        stop_service(process)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    reason = missing_chromium()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@contextlib.contextmanager
def fresh_tab(browser, base_url: str) -> Iterator[object]:
    """A fresh page (own context: no cookies or history shared) at 1280 px, Dutch as the reader's language.

    JavaScript errors on the page fail the test."""
    context = browser.new_context(base_url=base_url, viewport=WIDE, locale="nl-NL", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(f"{tab.url}: {error}"))
    try:
        yield tab
        assert not errors, "JavaScript errors:\n" + "\n".join(errors)
    finally:
        context.close()


@pytest.fixture
def page(browser, site: str) -> Iterator[object]:
    """A fresh page on the catalogue-only service (see fresh_tab)."""
    with fresh_tab(browser, site) as tab:
        yield tab


@pytest.fixture
def axe() -> Path:
    reason = missing_axe()
    if reason:
        pytest.skip(reason)
    return AXE


@pytest.fixture(scope="session")
def screenshot() -> Callable[[object, str], Path]:
    """With PLGKG_SCREENSHOTS=1, write a full-page screenshot to build/screenshots/<name>-<width>.png
    for review (`make screenshots`); otherwise nothing (encoding full pages cost the suite time)."""
    wanted = os.environ.get("PLGKG_SCREENSHOTS") == "1"
    if wanted:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shoot(tab, name: str) -> Path:
        path = SCREENSHOTS / f"{name}-{tab.viewport_size['width']}.png"
        if wanted:
            tab.screenshot(path=str(path), full_page=True)
        return path

    return shoot
