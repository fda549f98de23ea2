"""Every page type: no serious or critical axe-core violations, a working skip link, and no sideways
scrolling of the page at 375 px (wide tables scroll inside their own .scroll container)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NARROW, PAGE_TYPES

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
IDS = [name for name, _ in PAGE_TYPES]


def open_page(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    expect(page.locator("main h1")).to_have_count(1)
    if path.startswith("/docs"):  # Swagger UI renders after the page has loaded
        expect(page.locator(".opblock").first).to_be_visible()
        expect(page.locator(".models, .json-schema-2020-12").first).to_be_attached()


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            lines.append(
                f"    {json.dumps(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}"
            )
        if len(v["nodes"]) > 10:
            lines.append(f"    … and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


@pytest.mark.parametrize(("name", "path"), PAGE_TYPES, ids=IDS)
def test_axe_no_serious_or_critical_violations(axe, page, screenshot, name: str, path: str) -> None:
    open_page(page, path)
    screenshot(page, name)
    page.evaluate(axe.read_text(encoding="utf-8"))  # not a script tag: the pages forbid inline script
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    blocking = [v for v in result["violations"] if v.get("impact") in BLOCKING]
    assert not blocking, f"axe-core on {path}:\n{describe(blocking)}"


@pytest.mark.parametrize(("name", "path"), PAGE_TYPES, ids=IDS)
def test_no_horizontal_overflow_at_375px(page, screenshot, name: str, path: str) -> None:
    page.set_viewport_size(NARROW)
    open_page(page, path)
    screenshot(page, name)
    overflow = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                + (typeof el.className === 'string' && el.className ? '.' + el.className.trim() : '');
            const scrolls = (el) => el && getComputedStyle(el).overflowX !== 'visible';
            const outside = [];
            for (const el of document.body.querySelectorAll('*')) {
                // Inside a .scroll that scrolls, unless positioned against something outside it.
                const scroller = el.parentElement && el.parentElement.closest('.scroll');
                if (scrolls(scroller) && (!['absolute', 'fixed'].includes(getComputedStyle(el).position)
                                          || scroller.contains(el.offsetParent))) continue;
                const box = el.getBoundingClientRect();
                if (box.width > 0 && box.right > width + 1) {
                    outside.push(`${name(el)} ends at ${Math.round(box.right)} px`);
                } else if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0
                           && getComputedStyle(el).overflowX === 'visible') {
                    outside.push(`${name(el)}: its content is ${el.scrollWidth} px in ${el.clientWidth} px`);
                }
            }
            return {scrollWidth: document.documentElement.scrollWidth, width, outside: outside.slice(0, 15)};
        }"""
    )
    assert overflow["scrollWidth"] <= overflow["width"] and not overflow["outside"], (
        f"{path} at 375 px: page {overflow['scrollWidth']} px wide, viewport {overflow['width']} px; "
        f"sticking out: {overflow['outside']}"
    )


@pytest.mark.parametrize(
    "path",
    ["/", "/id/intervention/intercollegiale-observatie", "/sparql"],
    ids=["home", "intervention", "query"],
)
def test_tab_reaches_skip_link_first_and_it_moves_focus_to_main(page, path: str) -> None:
    page.goto(path)
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => ({href: document.activeElement.getAttribute('href'), text: document.activeElement.innerText})"
    )
    assert focused["href"] == "#main", f"first Tab stop on {path}: {focused}"
    skip = page.locator("a[href='#main']").first
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # visible while focused

    page.keyboard.press("Enter")
    expect(page).to_have_url(page.url.split("#")[0] + "#main")
    in_main = "() => document.querySelector('main').contains(document.activeElement)"
    if not page.evaluate(in_main):
        # <main> without tabindex: the skip link moves the focus starting point, so Tab goes on in main.
        page.keyboard.press("Tab")
    assert page.evaluate(in_main), "after the skip link, keyboard focus is not in <main>"
