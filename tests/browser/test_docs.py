"""/docs in Debian's chromium: Swagger UI renders every JSON API route offline, no request leaves
the site and nothing is refused by the Content-Security-Policy (issue 14)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_accessibility import BLOCKING, describe


def test_the_api_docs_render_without_leaving_the_site(page) -> None:
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() >= 20
    expect(page.locator(".opblock-summary-path", has_text="/api/gaps").first).to_be_visible()
    origin = page.url.split("/docs")[0]
    assert [u for u in requests if not u.startswith((origin, "data:"))] == []
    assert errors == []


def test_an_operation_opened_and_tried_passes_axe(page, axe) -> None:
    """The docs as a developer uses them: one operation opened, tried out and answered."""
    page.goto("/docs")
    path = page.locator(".opblock-summary-path", has_text="/api/frameworks")
    operation = page.locator(".opblock", has=path)
    operation.first.locator(".opblock-summary-control").click()
    operation.first.get_by_role("button", name="Try it out").click()
    operation.first.get_by_role("button", name="Execute").click()
    expect(operation.first.locator(".responses-table.live-responses-table")).to_be_visible()
    expect(operation.first.locator(".live-responses-table tbody .response-col_status")).to_contain_text("200")
    page.evaluate(axe.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    blocking = [v for v in result["violations"] if v.get("impact") in BLOCKING]
    assert not blocking, f"axe-core on /docs, an operation tried:\n{describe(blocking)}"
