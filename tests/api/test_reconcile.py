"""The reconciliation service (issue 15): the W3C Entity Reconciliation API as OpenRefine speaks it —
the manifest, query batches by GET and POST with types, limits and properties, suggestions and the
preview card; bad input answered 400 naming the query and the problem."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.html import Tree

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def batch(client: TestClient, queries: dict, method: str = "POST") -> dict:
    """A batch as OpenRefine sends it (a form field queries= holding JSON), its answer."""
    body = {"queries": json.dumps(queries)}
    response = (
        client.post("/reconcile", data=body) if method == "POST" else client.get("/reconcile", params=body)
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    answers = response.json()
    assert set(answers) == set(queries)  # an answer for every query, under its key
    for answer in answers.values():
        well_formed(answer)
    return answers


def well_formed(answer: dict) -> None:
    """What version 0.2 of the protocol requires of a candidate: a text id and name, a number score,
    a boolean match and a list of types, each with a text id and name."""
    for candidate in answer["result"]:
        assert isinstance(candidate["id"], str) and isinstance(candidate["name"], str)
        assert isinstance(candidate["score"], (int, float)) and isinstance(candidate["match"], bool)
        assert all(isinstance(t["id"], str) and isinstance(t["name"], str) for t in candidate["type"])


def ids(answer: dict) -> list[tuple[str, bool]]:
    return [(c["id"], c["match"]) for c in answer["result"]]


def test_the_manifest_says_what_openrefine_needs(client: TestClient) -> None:
    manifest = client.get("/reconcile").json()
    assert manifest["versions"] == ["0.2"]
    assert manifest["identifierSpace"] == "https://w3id.org/plgkg/id/"
    assert manifest["schemaSpace"] == "https://w3id.org/plgkg/ontology#"
    assert [t["id"] for t in manifest["defaultTypes"]] == [
        "Intervention", "Characteristic", "InterventionCategory", "Framework", "Source", "School"
    ]  # fmt: skip
    assert manifest["view"]["url"] == "http://127.0.0.1:8000/id/{{id}}"
    assert manifest["preview"]["url"] == "http://127.0.0.1:8000/reconcile/preview?id={{id}}"
    assert {k: v["service_path"] for k, v in manifest["suggest"].items()} == {
        "entity": "/reconcile/suggest/entity",
        "type": "/reconcile/suggest/type",
        "property": "/reconcile/suggest/property",
    }
    assert client.get("/reconcile", params={"lang": "en"}).json()["defaultTypes"][2]["name"] == (
        "Intervention category"
    )


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_a_batch_finds_labels_in_both_languages_alternative_labels_and_examples(
    client: TestClient, method: str
) -> None:
    answer = batch(
        client,
        {
            "en": {"query": "Team teaching", "type": "Intervention"},
            "nl": {"query": "intercollegiale observatie, beoordeling en feedback", "type": "Intervention"},
            "alt": {"query": "Huisacademie", "type": "Intervention"},
            "example": {"query": "schrijfgroep", "type": "Intervention", "limit": 1},
            "typo": {"query": "Teamtaeching", "type": "Intervention", "limit": 1},
            "untyped": {"query": "Leiderschap", "limit": 5},
            "characteristic": {"query": "Aid and assistance", "type": "Characteristic"},
        },
        method,
    )
    assert ids(answer["en"])[0] == ("intervention/teamteaching", True)
    assert answer["en"]["result"][0]["score"] == 100
    assert answer["en"]["result"][0]["type"] == [{"id": "Intervention", "name": "Interventie"}]
    assert ids(answer["nl"])[0] == ("intervention/intercollegiale-observatie", True)
    assert ids(answer["alt"])[0] == ("intervention/schoolacademie", True)
    # an example's name finds its intervention, but is not the intervention's name: no match
    assert ids(answer["example"]) == [("intervention/startactiviteiten", False)]
    assert answer["example"]["result"][0]["name"] == "schrijfgroep"
    assert ids(answer["typo"]) == [("intervention/teamteaching", False)]
    assert ids(answer["untyped"])[0] == ("category/leiderschap", True)
    assert all(c["type"] for c in answer["untyped"]["result"])  # only the service's types
    assert ids(answer["characteristic"])[0] == ("characteristic/little-aid-and-assistance", True)
    assert all(len(answer[q]["result"]) <= 3 for q in ("en", "nl", "alt", "characteristic"))  # by default
    assert 3 <= len(answer["untyped"]["result"]) <= 5


def test_a_name_that_could_be_several_things_is_no_match(client: TestClient) -> None:
    answer = batch(client, {"q": {"query": "Samenwerken", "type": "Characteristic"}})
    assert [c["match"] for c in answer["q"]["result"]] == [False] * len(answer["q"]["result"])
    answer = batch(client, {"q": {"query": "Intervisie", "type": "Intervention"}})
    assert ids(answer["q"])[0] == ("intervention/intervisiebijeenkomsten", False)
    assert 60 <= answer["q"]["result"][0]["score"] < 90


def test_one_query_by_query_as_text_or_object(client: TestClient) -> None:
    text = client.get("/reconcile", params={"query": "Teamteaching"}).json()
    assert ids(text)[0] == ("intervention/teamteaching", True)
    one = client.get(
        "/reconcile", params={"query": json.dumps({"query": "Little", "type": "Framework"})}
    ).json()
    assert ids(one)[0] == ("framework/little-1990", False)


@pytest.mark.parametrize(
    ("queries", "says"),
    [
        ("not json", "queries is not JSON"),
        ("[]", "queries must be a JSON object"),
        ('{"q0": {"query": ""}}', "query 'q0': 'query' must be a non-empty text"),
        ('{"q0": {"query": "x", "type": "Cat"}}', "query 'q0': unknown type 'Cat'"),
        ('{"q0": {"query": "x", "limit": 0}}', "query 'q0': 'limit' must be a whole number from 1 to 25"),
        ('{"q0": {"query": "x", "limit": "3"}}', "'limit' must be a whole number"),
        ('{"q0": {"query": "x", "type": "School", "properties": [{"pid": "category", "v": "y"}]}}',
         "query 'q0': unknown property 'category' for School"),
        ('{"q0": {"query": "x", "properties": [{"pid": "place"}]}}',
         'each property is {"pid": id, "v": text}'),
        (json.dumps({f"q{i}": {"query": "x"} for i in range(51)}), "holds 51 queries; at most 50"),
        (json.dumps({"q0": {"query": "x" * 501}}), "'query' is 501 characters; at most 500"),
    ],
)  # fmt: skip
def test_bad_input_is_answered_400_naming_the_query_and_the_problem(
    client: TestClient, queries: str, says: str
) -> None:
    response = client.post("/reconcile", data={"queries": queries})
    assert response.status_code == 400
    assert says in response.json()["detail"]


def test_a_post_that_is_not_a_form_is_refused(client: TestClient) -> None:
    response = client.post(
        "/reconcile", content=b'{"q0": {"query": "x"}}', headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 400
    assert "application/x-www-form-urlencoded" in response.json()["detail"]


def test_suggestions_for_entities_types_and_properties(client: TestClient) -> None:
    entities = client.get(
        "/reconcile/suggest/entity", params={"prefix": "teamt", "type": "Intervention"}
    ).json()
    assert entities["result"][0]["id"] == "intervention/teamteaching"
    assert entities["result"][0]["notable"] == [{"id": "Intervention", "name": "Interventie"}]
    later = client.get("/reconcile/suggest/entity", params={"prefix": "inter", "cursor": 1}).json()["result"]
    first = client.get("/reconcile/suggest/entity", params={"prefix": "inter"}).json()["result"]
    assert later and later[0] == first[1]
    types = client.get("/reconcile/suggest/type", params={"prefix": "sch", "lang": "en"}).json()
    assert types == {"result": [{"id": "School", "name": "School (DUO location)"}]}
    props = client.get("/reconcile/suggest/property", params={"prefix": "code", "type": "School"}).json()
    assert [p["id"] for p in props["result"]] == ["locationCode", "institutionCode", "postcode"]
    assert client.get("/reconcile/suggest/entity", params={"prefix": "x", "type": "Cat"}).status_code == 400


def test_the_preview_is_a_card_another_site_may_frame(client: TestClient) -> None:
    response = client.get("/reconcile/preview", params={"id": "intervention/teamteaching", "lang": "en"})
    assert response.status_code == 200
    assert "frame-ancestors *" in response.headers["content-security-policy"]
    assert "script-src" not in response.headers["content-security-policy"]  # default-src 'none'
    assert "x-frame-options" not in response.headers
    main = Tree.of(response.text).one("main")
    assert main.one("h1").text() == "Team teaching"
    assert main.one("h1").one("a").attrs["href"] == "/id/intervention/teamteaching?lang=en"
    missing = client.get("/reconcile/preview", params={"id": "intervention/nothing"})
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/json"
    # every other page still may not be framed
    assert client.get("/").headers["x-frame-options"] == "DENY"


def test_schools_by_name_with_their_municipality_postcode_or_code(register: TestClient) -> None:
    answer = batch(
        register,
        {
            "plain": {"query": "Proefcollege Prinses Ariëlle", "type": "School"},
            "postcode": {"query": "proefcollege prinses arielle", "type": "School",
                         "properties": [{"pid": "postcode", "v": "3511EF"}]},
            "twin": {"query": "Fictief Lyceum De Verzonnen Gracht", "type": "School",
                     "properties": [{"pid": "municipality", "v": "Amsterdam"}]},
            "code": {"query": "Fictief Lyceum De Verzonnen Gracht", "type": "School",
                     "properties": [{"pid": "locationCode", "v": "99ZZ01"}]},
            "wrong": {"query": "Proefcollege Prinses Ariëlle", "type": "School",
                      "properties": [{"pid": "municipality", "v": "Groningen"}]},
        },
    )  # fmt: skip
    assert ids(answer["plain"])[0] == ("school/98yy00", True)
    assert ids(answer["postcode"])[0] == ("school/98yy00", True)
    assert ids(answer["twin"])[:2] == [("school/99zz00", True), ("school/99zz01", False)]
    # the code points at the other location: it comes first, but its name is not the name asked
    assert ids(answer["code"])[0] == ("school/99zz01", False)
    # a property that disagrees: a candidate, never a match
    assert ids(answer["wrong"])[0] == ("school/98yy00", False)
    assert answer["wrong"]["result"][0]["score"] < answer["plain"]["result"][0]["score"]
