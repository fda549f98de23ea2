"""/docs: the JSON API's documentation served by the site itself (issue 14): Swagger UI's files from
this service, started by a script file, under the same Content-Security-Policy as every page."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_the_docs_page_loads_everything_from_this_site(client: TestClient) -> None:
    response = client.get("/docs", params={"lang": "en"}, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.template.name == "api_docs.html"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page = response.text
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert {
        "/static/swagger-ui/swagger-ui-bundle.js",
        "/static/swagger-ui/swagger-ui.css",
        "/static/api-docs.js",
    } <= set(assets)
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page.split("<main", 1)[1])
    assert "<script>" not in page  # no inline script
    for asset in assets:
        answer = client.get(asset)
        assert answer.status_code == 200, asset
    assert (
        client.get("/static/swagger-ui/swagger-ui-bundle.js")
        .headers["content-type"]
        .startswith(("application/javascript", "text/javascript"))
    )


def test_fastapi_s_own_cdn_pages_are_gone(client: TestClient) -> None:
    assert client.get("/redoc", headers={"Accept": "application/json"}).status_code == 404
    assert client.get("/openapi.json").status_code == 200
