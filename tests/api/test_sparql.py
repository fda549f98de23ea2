"""/sparql: the SPARQL 1.1 Protocol query operation over real HTTP on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import time
import xml.etree.ElementTree as ET

import httpx
import pytest
from rdflib import Graph

FRAMEWORKS = "SELECT ?f WHERE { ?f a <https://w3id.org/plgkg/ontology#Framework> } ORDER BY ?f"
FRAMEWORK_IRIS = [
    "https://w3id.org/plgkg/id/framework/giles-hargreaves-2006",
    "https://w3id.org/plgkg/id/framework/little-1990",
    "https://w3id.org/plgkg/id/framework/lomos-hofman-bosker-2011",
    "https://w3id.org/plgkg/id/framework/stoll-kools-2017",
]
CONSTRUCT = (
    "CONSTRUCT { ?i <https://w3id.org/plgkg/ontology#serves> ?c } WHERE { "
    "VALUES ?i { <https://w3id.org/plgkg/id/intervention/teamteaching> } "
    "?i <https://w3id.org/plgkg/ontology#serves> ?c }"
)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _count(client: httpx.Client) -> int:
    answer = client.get("/sparql", params={"query": COUNT}).json()
    return int(answer["results"]["bindings"][0]["n"]["value"])


def _frameworks(answer: dict) -> list[str]:
    return [b["f"]["value"] for b in answer["results"]["bindings"]]


# -- the three ways a query arrives ------------------------------------------------------------


def test_get_answers_json_by_default(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": FRAMEWORKS})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert "Accept" in response.headers["vary"]
    assert _frameworks(response.json()) == FRAMEWORK_IRIS


def test_post_form(client: httpx.Client) -> None:
    response = client.post("/sparql", data={"query": FRAMEWORKS})
    assert response.status_code == 200
    assert _frameworks(response.json()) == FRAMEWORK_IRIS


def test_post_sparql_query_body(client: httpx.Client) -> None:
    response = client.post(
        "/sparql", content=FRAMEWORKS.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 200
    assert _frameworks(response.json()) == FRAMEWORK_IRIS


# -- result formats ----------------------------------------------------------------------------


def test_select_as_xml(client: httpx.Client) -> None:
    response = client.get(
        "/sparql", params={"query": FRAMEWORKS}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert response.headers["content-type"].startswith("application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(response.content)
    assert [u.text for u in root.findall(".//r:uri", ns)] == FRAMEWORK_IRIS


def test_select_as_csv_and_tsv(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": FRAMEWORKS}, headers={"Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(response.text))) == [["f"], *[[i] for i in FRAMEWORK_IRIS]]
    response = client.get(
        "/sparql", params={"query": FRAMEWORKS}, headers={"Accept": "text/tab-separated-values"}
    )
    assert response.headers["content-type"].startswith("text/tab-separated-values")
    assert response.text.splitlines() == ["?f", *[f"<{i}>" for i in FRAMEWORK_IRIS]]


def test_ask(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert response.json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    ("accept", "parser"),
    [
        (None, "turtle"),
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_construct_formats(client: httpx.Client, accept: str | None, parser: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == (accept or "text/turtle")
    assert len(Graph().parse(data=response.text, format=parser)) == 7  # teamteaching serves seven


# -- bad input: clear 4xx, never 5xx ---------------------------------------------------------


def test_malformed_query_says_where(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("Malformed query: line 1, column ")


def test_missing_query(client: httpx.Client) -> None:
    response = client.get("/sparql")
    assert response.status_code == 400
    assert response.text == "Missing query: send it as query=… or in an application/sparql-query body.\n"


def test_unsupported_accept_is_406(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": FRAMEWORKS}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert response.status_code == 406


def test_wrong_content_type_is_415(client: httpx.Client) -> None:
    response = client.post("/sparql", content=FRAMEWORKS.encode(), headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert "Unsupported content type 'text/plain'" in response.text


def test_invalid_utf8_is_400(client: httpx.Client) -> None:
    response = client.get("/sparql?query=SELECT%20%FF%FE")
    assert response.status_code == 400
    assert "not valid UTF-8" in response.text
    response = client.post(
        "/sparql", content=b"SELECT \xff WHERE {}", headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 400


def test_head_and_options(client: httpx.Client) -> None:
    response = client.head("/sparql", params={"query": FRAMEWORKS})
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-type"] == "application/sparql-results+json"
    response = client.options("/sparql")
    assert response.status_code == 204
    assert response.headers["allow"] == "GET, POST, HEAD, OPTIONS"


def test_cors_is_open_for_reading(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": FRAMEWORKS}, headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        "/sparql",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]


SECURITY = ("x-content-type-options", "referrer-policy", "x-frame-options", "content-security-policy")


@pytest.mark.parametrize(
    ("method", "params", "body", "headers", "status"),
    [
        ("GET", {"query": FRAMEWORKS}, None, {}, 200),
        ("POST", None, {"query": FRAMEWORKS}, {"Accept": "text/csv"}, 200),
        ("POST", None, CONSTRUCT, {"Content-Type": "application/sparql-query", "Accept": "text/turtle"}, 200),
        ("GET", {"query": "SELECT * WHERE { ?s ?p }"}, None, {}, 400),
        ("GET", {"query": "DROP ALL"}, None, {}, 403),
        ("GET", {"query": CONSTRUCT}, None, {"Accept": "text/csv"}, 406),
        ("POST", None, b"x", {"Content-Type": "text/plain"}, 415),
        ("GET", "query=SELECT%20%FF%FE", None, {}, 400),
    ],
)
def test_machine_clients_get_the_answer_the_whole_stack_gives(
    client: httpx.Client, method: str, params, body, headers: dict[str, str], status: int
) -> None:
    """Machine clients' queries take the lane in front of the framework (SparqlFastLane); with an
    Origin header the same request takes the whole stack (CORS answers it). Same status, body and
    headers but for CORS's own, the security headers included."""

    def ask(extra: dict[str, str]) -> httpx.Response:
        content = body if isinstance(body, bytes) else body.encode() if isinstance(body, str) else None
        return client.request(
            method,
            "/sparql?" + params if isinstance(params, str) else "/sparql",
            params=None if isinstance(params, str) else params,
            data=body if isinstance(body, dict) else None,
            content=content,
            headers={**headers, **extra},
        )

    lane, stack = ask({}), ask({"Origin": "https://example.org"})
    assert lane.status_code == stack.status_code == status
    assert lane.content == stack.content
    assert stack.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-origin" not in lane.headers
    cors = {"access-control-allow-origin", "vary"}
    assert {k: v for k, v in lane.headers.items() if k not in cors} == {
        k: v for k, v in stack.headers.items() if k not in cors
    }
    assert all(name in lane.headers for name in SECURITY)


def test_a_browser_gets_the_query_page(client: httpx.Client) -> None:
    response = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<form method="post" action="/sparql">' in response.text
    assert '<textarea id="query" name="query"' in response.text


def test_query_page_escapes_what_it_shows(client: httpx.Client) -> None:
    query = 'SELECT ("<script>alert(1)</script>" AS ?x) WHERE {}'
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


# -- limits ---------------------------------------------------------------------------------


def test_query_length_limit_is_413(client: httpx.Client) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 20_000
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 413


def test_body_size_limit_is_413(client: httpx.Client) -> None:
    response = client.post(
        "/sparql", content=b"#" * 70_000, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 413
    assert "larger than the limit of 65536 bytes" in response.text


def test_nesting_limit_is_400(client: httpx.Client) -> None:
    query = "SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 400
    assert "too deep" in response.text.lower() or "nest" in response.text.lower()


def test_result_rows_limit(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?a ?b ?c . ?d a ?e }"})
    assert response.status_code == 400
    assert "more than 20000 rows" in response.text


# -- read-only ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.post("/sparql", data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
        lambda c: c.post(
            "/sparql",
            content=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
            headers={"Content-Type": "application/sparql-update"},
        ),
        lambda c: c.get("/sparql", params={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
        lambda c: c.post("/sparql", data={"query": "DELETE WHERE { ?s ?p ?o }"}),
        lambda c: c.post("/sparql", data={"query": "SELECT * {} ; DROP ALL"}),
        lambda c: c.post("/sparql", data={"query": "\\u0049NSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
    ],
    ids=["update-param", "sparql-update-body", "get-insert", "delete-where", "after-select", "escaped"],
)
def test_updates_are_refused_and_nothing_changes(client: httpx.Client, send) -> None:
    before = _count(client)
    response = send(client)
    assert response.status_code == 403
    assert response.text == "SPARQL Update is not accepted: this endpoint is read-only.\n"
    assert _count(client) == before


# -- no network, no files -----------------------------------------------------------------------


OUTBOUND = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERV\\u0049CE <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX remote: <{url}> SELECT * WHERE {{ SERVICE remote: {{ ?s ?p ?o }} }}",
    "SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "SELECT * FROM <file:///etc/passwd> WHERE {{ ?s ?p ?o }}",
    # issue 11's bypasses of the lexer that imitated the engines: a comment the old screen ended at
    # U+2028 (raw and escaped), and `<` after EXISTS{} taken for an IRI though it compares
    "SELECT * WHERE {{ # \u2028 '''\nSERVICE <{url}> {{ ?s ?p ?o }}\n# '''\n}}",
    "SELECT * WHERE {{ # \\u2028 '''\nSERVICE <{url}> {{ ?s ?p ?o }}\n# '''\n}}",
    "SELECT * WHERE {{ FILTER(EXISTS{{}}<'> ' || true) SERVICE <{url}> {{ ?s ?p ?o }} FILTER(true # '\n) }}",
]


@pytest.mark.parametrize("template", OUTBOUND)
def test_queries_never_reach_the_network_or_files(
    client: httpx.Client, listener: tuple[int, list[bytes]], template: str
) -> None:
    port, received = listener
    query = template.format(url=f"http://127.0.0.1:{port}/sparql")
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 400
    assert response.text.startswith("Query refused: ")
    time.sleep(0.3)
    assert received == []


def test_nesting_hidden_from_the_old_screen_is_refused_and_workers_live(client: httpx.Client) -> None:
    """3,000 braces behind `EXISTS{}<'`, which crashed workers in a loop, are refused by the parse."""
    query = "SELECT * WHERE { FILTER(EXISTS{}<'> ' || true) " + "{" * 3_000 + "}" * 3_000 + " }"
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 400
    assert response.text.startswith("Query refused: line 1, column 111: brackets nested more than")
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize("param", ["default-graph-uri", "named-graph-uri"])
def test_protocol_dataset_never_reaches_the_network(
    client: httpx.Client, listener: tuple[int, list[bytes]], param: str
) -> None:
    port, received = listener
    response = client.get(
        "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", param: f"http://127.0.0.1:{port}/g"}
    )
    assert response.status_code == 400
    time.sleep(0.3)
    assert received == []


# -- isolation: a pathological query is stopped while others are answered ------------------------------


def test_pathological_query_is_stopped_while_others_answer(service_url: str) -> None:
    slow: dict[str, httpx.Response] = {}

    def pathological() -> None:
        with httpx.Client(base_url=service_url, timeout=30) as own:
            slow["response"] = own.get(
                "/sparql",
                params={
                    "query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
                },
            )

    thread = threading.Thread(target=pathological)
    started = time.monotonic()
    thread.start()
    time.sleep(0.3)
    # another client (its own loopback address: one client may not hold every worker, issue 11)
    with httpx.Client(
        base_url=service_url, timeout=30, transport=httpx.HTTPTransport(local_address="127.0.0.9")
    ) as other:
        for _ in range(5):
            asked = time.monotonic()
            response = other.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
            assert response.status_code == 200
            assert time.monotonic() - asked < 1.0
    thread.join(timeout=30)
    response = slow["response"]
    assert response.status_code == 400
    assert (
        response.text == "Query stopped: the query took longer than the time limit of 2 s and was stopped\n"
    )
    assert time.monotonic() - started < 10
    # the worker was replaced: the service still answers
    with httpx.Client(base_url=service_url, timeout=30) as after:
        assert after.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
        health = after.get("/healthz").json()
        assert health["workers_replaced"] >= 1


def test_json_results_are_json(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": FRAMEWORKS})
    assert json.loads(response.text)["head"]["vars"] == ["f"]


def test_answers_carry_an_etag_and_revalidate_to_304(client: httpx.Client) -> None:
    json_accept = {"Accept": "application/sparql-results+json"}
    first = client.get("/sparql", params={"query": FRAMEWORKS}, headers=json_accept)
    again = client.get("/sparql", params={"query": FRAMEWORKS}, headers=json_accept)
    assert first.status_code == again.status_code == 200
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag == again.headers["etag"]
    assert again.content == first.content
    assert _frameworks(again.json()) == FRAMEWORK_IRIS
    as_csv = client.get("/sparql", params={"query": FRAMEWORKS}, headers={"Accept": "text/csv"})
    assert as_csv.headers["etag"] != etag

    unchanged = client.get(
        "/sparql", params={"query": FRAMEWORKS}, headers={**json_accept, "If-None-Match": etag}
    )
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged.headers["etag"] == etag
    assert "Accept" in unchanged.headers["vary"]
    posted = client.post(
        "/sparql", data={"query": FRAMEWORKS}, headers={**json_accept, "If-None-Match": f'"x", {etag}'}
    )
    assert posted.status_code == 304
    other = client.get(
        "/sparql", params={"query": FRAMEWORKS}, headers={**json_accept, "If-None-Match": '"x"'}
    )
    assert other.status_code == 200 and other.content == first.content


def test_volatile_queries_are_answered_afresh(client: httpx.Client) -> None:
    query = "SELECT (STRUUID() AS ?u) WHERE {}"
    answers = {
        client.get("/sparql", params={"query": query}).json()["results"]["bindings"][0]["u"]["value"]
        for _ in range(3)
    }
    assert len(answers) == 3


def test_a_refused_query_is_refused_every_time(client: httpx.Client) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    for _ in range(2):
        assert client.get("/sparql", params={"query": query}).status_code == 400


def test_the_query_page_shows_at_most_500_rows_and_links_the_whole_result(client: httpx.Client) -> None:
    """Rendering stays bounded whatever the query (issue 11): the page shows the first 500 rows and
    says so; the download links give all of them."""
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 3000"
    page = client.get("/sparql", params={"query": query}, headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert page.text.count("<tr>") == 500 + 1  # the header row and 500 rows
    assert "De eerste 500 rijen" in page.text
    links = re.findall(r'href="(/sparql\?[^"]*format=csv)"', page.text)
    assert len(links) == 1
    download = client.get(links[0].replace("&amp;", "&"), headers={"Accept": "text/html"})
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert download.headers["content-disposition"] == 'attachment; filename="plgkg-results.csv"'
    assert len(list(csv.reader(io.StringIO(download.text)))) == 3000 + 1


def test_an_unknown_download_format_is_named(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "ASK {}", "format": "pdf"})
    assert response.status_code == 400
    assert response.text.startswith("Unknown format 'pdf'; known: csv, tsv, json")
