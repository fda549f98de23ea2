"""Pages that cannot be made to run script (issue 11): only http(s), mailto and the site's own paths
become links, every answer carries a Content-Security-Policy without inline script, nosniff and no
framing, and the service never publishes the Host header a client sends."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

HOSTILE = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "urn:x-evil:1",
]


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


@pytest.mark.parametrize("iri", HOSTILE)
def test_query_results_link_only_what_is_safe(client: httpx.Client, iri: str) -> None:
    query = f"SELECT ?x WHERE {{ BIND(IRI({_string(iri)}) AS ?x) }}"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "text/html"})
    assert response.status_code == 200
    links = [h for h in _hrefs(response.text) if "DESCRIBE" in h or ":" in h.split("?")[0]]
    assert all(not h.lower().lstrip().startswith(("javascript:", "data:", "vbscript:")) for h in links)
    described = [h for h in _hrefs(response.text) if h.startswith("/sparql?") and "DESCRIBE" in h]
    assert [parse_qs(urlsplit(h.replace("&amp;", "&")).query)["query"] for h in described] == [
        [f"DESCRIBE <{iri}>"]
    ]


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_web_links_stay_links(client: httpx.Client) -> None:
    query = "SELECT ?x WHERE { VALUES ?x { <https://example.org/a> <mailto:a@example.org> } }"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "text/html"})
    hrefs = _hrefs(response.text)
    assert "https://example.org/a" in hrefs and "mailto:a@example.org" in hrefs


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/", "text/html"),
        ("/sparql", "text/html"),
        ("/id/intervention/teamteaching", "text/html"),
        ("/id/intervention/teamteaching", "text/turtle"),
        ("/api/interventions", "application/json"),
        ("/sparql?query=ASK%7B%7D", "application/sparql-results+json"),
        ("/static/plgkg.css", "text/css"),
        ("/no/such/page", "text/html"),
    ],
)
def test_every_answer_carries_the_security_headers(client: httpx.Client, path: str, accept: str) -> None:
    response = client.get(path, headers={"Accept": accept})
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


def test_pages_have_no_inline_script(client: httpx.Client) -> None:
    for path in ("/", "/sparql", "/id/intervention/teamteaching", "/matrix", "/schools"):
        html = client.get(path, headers={"Accept": "text/html"}).text
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [], path
        assert not re.search(r"\son[a-z]+=", html), path


def test_the_host_header_is_not_published(service_url: str) -> None:
    """Over real HTTP: the public URL is the one `plgkg serve` was started with, whatever Host says."""
    with httpx.Client(base_url=service_url, timeout=30) as client:
        response = client.get("/.well-known/void", headers={"Accept": "text/turtle", "Host": "evil.example"})
        assert response.status_code == 200
        assert "evil.example" not in response.text
        assert f"<{service_url}/sparql>" in response.text
