"""The data page (issue 14): every download and service, linked from the home page and the footer,
each answering; the tables also as CSV that Dutch spreadsheets open correctly."""

from __future__ import annotations

import csv
import html
import io
import re

from fastapi.testclient import TestClient

HTML = {"Accept": "text/html"}


def test_the_data_page_links_every_download_and_each_answers(client: TestClient) -> None:
    response = client.get("/data", params={"lang": "en"}, headers=HTML)
    assert response.template.name == "data.html"
    main = response.text.split("<main", 1)[1].split("</main>", 1)[0]
    links = [html.unescape(link) for link in re.findall(r'<a href="(/[^"]*)">', main)]
    assert set(links) >= {
        "/dataset.ttl",
        "/dataset.nt",
        "/dataset.jsonld",
        "/export/interventions.csv",
        "/export/serves.csv",
        "/export/interventions-nl.csv",
        "/export/serves-nl.csv",
        "/export/skos.ttl",
        "/context.jsonld",
        "/.well-known/void",
        "/sparql?lang=en",
        "/docs?lang=en",
        "/ontology?lang=en",
    }  # fmt: skip  (the pages keep the chosen language; the downloads need none)
    for link in links:
        assert client.get(link, headers=HTML).status_code == 200, link


def test_home_and_footer_lead_to_the_data_page(client: TestClient) -> None:
    for path in ("/", "/id/intervention/teamteaching", "/search"):
        page = client.get(path, headers=HTML).text
        footer = page.split("<footer", 1)[1]
        assert 'href="/data"' in footer, path
    assert 'href="/data"' in client.get("/", headers=HTML).text.split("<footer", 1)[0]


def test_the_tables_for_dutch_spreadsheets_are_the_same_rows_with_a_bom_and_semicolons(
    client: TestClient,
) -> None:
    for name in ("interventions", "serves"):
        plain = client.get(f"/export/{name}.csv").text
        dutch = client.get(f"/export/{name}-nl.csv")
        assert dutch.content.startswith(b"\xef\xbb\xbf")
        assert "attachment" in dutch.headers["content-disposition"]
        rows = list(csv.reader(io.StringIO(dutch.content.decode("utf-8-sig")), delimiter=";"))
        assert rows == list(csv.reader(io.StringIO(plain)))
        assert len(rows) > 18
