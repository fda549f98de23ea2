"""/docs in Debian's chromium: Swagger UI renders every JSON API route offline, no request leaves
the site and nothing is refused by the Content-Security-Policy (issue 14)."""

from __future__ import annotations

from playwright.sync_api import expect


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
