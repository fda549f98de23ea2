"""GET /api/search and /api/suggest: every kind, both languages, ranked, the matches marked, bounds."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


def test_search_answers_ranked_hits_with_the_matches_marked(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "leraar als leider", "lang": "en", "limit": 3}).json()
    assert [(h["kind"], h["id"]) for h in hits] == [
        ("intervention", "leraren-als-leiders"),
        ("category", "leiderschap"),
        ("finding", "leraarleiders-aansturende-rol"),
    ]
    first = hits[0]
    assert first["label"] == "Teachers as leaders"  # in the page's language
    # a Dutch query on the English page: the Dutch name, its word forms marked
    assert first["snippet"] == [
        {"text": "Leraren", "match": True},
        {"text": " als ", "match": False},
        {"text": "leiders", "match": True},
    ]
    assert first["context"] == ["Leadership"]
    assert hits[0]["score"] > hits[1]["score"] > hits[2]["score"]


def test_search_narrowed_to_kinds(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "Stoll", "kind": ["source", "framework"]}).json()
    assert [(h["kind"], h["id"]) for h in hits] == [
        ("source", "stoll-kools-2017"),
        ("framework", "stoll-kools-2017"),
    ]


def test_suggest_takes_the_last_word_as_the_start_of_a_word(client: TestClient) -> None:
    hits = client.get("/api/suggest", params={"q": "samenw", "kind": "category"}).json()
    assert hits[0]["id"] == "samenwerken"  # then the categories whose texts speak of samenwerking


@pytest.mark.parametrize(
    "params",
    [{}, {"q": ""}, {"q": "x" * 201}, {"q": "team", "kind": "nope"}, {"q": "team", "limit": 101}],
)
def test_bad_searches_are_422(client: TestClient, params: dict) -> None:
    assert client.get("/api/search", params=params).status_code == 422


def test_fts_syntax_in_a_query_is_just_text(client: TestClient) -> None:
    for q in ['"', "team*", "NEAR(team teaching)", "kind:school", "'); DROP TABLE doc; --"]:
        assert client.get("/api/search", params={"q": q}).status_code == 200
