"""GET /api/gaps?run=…: the gap analysis of a profile given in the request (nothing stored), its
ranked next steps, and the 400 that names unknown interventions with the closest known ones."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

PROFILE = {"run": ["teamteaching", "intercollegiale-observatie"], "lang": "en"}


def _steps(answer: dict) -> list[tuple[str, list[str], int]]:
    return [(s["id"], s["closes"], s["stated"]) for s in answer["next_steps"]]


def test_next_steps_close_the_most_open_characteristics_first(client: TestClient) -> None:
    answer = client.get("/api/gaps", params=PROFILE).json()
    assert [r["id"] for r in answer["runs"]] == ["teamteaching", "intercollegiale-observatie"]
    assert answer["school"] is None
    assert _steps(answer) == [
        (
            "kennisnetwerken",
            ["little-sharing-practices", "sk-ontwikkelmogelijkheden", "sk-experimenteren",
             "sk-kennis-uitwisselen", "sk-extern-leren"],
            4,
        ),
        ("startactiviteiten", ["lomos-dialoog", "lomos-missie", "sk-visie"], 1),
        ("initieren-stimuleren", ["sk-leiderschap"], 1),
    ]  # fmt: skip
    assert answer["open"] == []
    first = answer["next_steps"][0]
    assert first["label"] == "Knowledge networks, knowledge circles and research groups"
    assert first["category"]["id"] == "professionalisering"
    assert [(c["characteristic"]["id"], c["framework"]["id"], c["basis"]) for c in first["closing"]][:2] == [
        ("little-sharing-practices", "little-1990", "stated-in-chapter"),
        ("sk-ontwikkelmogelijkheden", "stoll-kools-2017", "stated-in-chapter"),
    ]
    assert [c["id"] for c in first["cases"]] == ["in-de-ringen", "kenniskring-onderwijsontwikkeling"]
    assert {f["aspect"] for f in first["findings"]} <= {"durability", "obstacle", "condition"}
    assert first["findings"]


def test_each_framework_ranks_its_own_gaps(client: TestClient) -> None:
    frameworks = {
        f["framework"]["id"]: f for f in client.get("/api/gaps", params=PROFILE).json()["frameworks"]
    }
    assert [g["characteristic"]["id"] for g in frameworks["lomos-hofman-bosker-2011"]["gaps"]] == [
        "lomos-dialoog",
        "lomos-missie",
    ]
    assert _steps(frameworks["lomos-hofman-bosker-2011"]) == [
        ("startactiviteiten", ["lomos-dialoog", "lomos-missie"], 0)
    ]
    # within Little's framework intervision closes the one gap as well as knowledge networks do, and
    # comes first in Tabel 1
    assert _steps(frameworks["little-1990"]) == [("intervisiebijeenkomsten", ["little-sharing-practices"], 1)]
    assert frameworks["giles-hargreaves-2006"]["gaps"] == []
    assert frameworks["giles-hargreaves-2006"]["next_steps"] == []


def test_interventions_by_name_in_either_language_any_case_each_once(client: TestClient) -> None:
    by_id = client.get("/api/gaps", params=PROFILE).json()
    named = client.get(
        "/api/gaps",
        params={
            "run": ["Team teaching", "INTERCOLLEGIALE OBSERVATIE, BEOORDELING EN FEEDBACK", "teamteaching"],
            "lang": "en",
        },
    ).json()
    assert named == by_id


def test_no_profile_ranks_the_whole_catalogue(client: TestClient) -> None:
    answer = client.get("/api/gaps", params={"lang": "nl"}).json()
    assert answer["runs"] == []
    assert [s["id"] for s in answer["next_steps"]][:2] == ["plgs-werkplaatsen-ontwerpteams", "schoolacademie"]
    closed = [c for s in answer["next_steps"] for c in s["closes"]]
    assert len(closed) == len(set(closed)) == 19  # every characteristic, each closed once
    assert answer["open"] == []


def test_unknown_interventions_are_400_with_the_closest_known(client: TestClient) -> None:
    response = client.get("/api/gaps", params={"run": ["teamteaching", "Intervisie", "zwembad"]})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Unknown intervention id(s): 'Intervisie' (did you mean intervisiebijeenkomsten?); "
        "'zwembad'",
        "unknown": [
            {"id": "Intervisie", "closest": ["intervisiebijeenkomsten"]},
            {"id": "zwembad", "closest": []},
        ],
    }


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"school": "nergens-college"}, 404),
        ({"run": ["x" * 101]}, 422),
        ({"run": ["teamteaching"] * 51}, 422),
        ({"lang": "fr"}, 422),
    ],
)
def test_bad_requests_are_named(client: TestClient, params: dict, status: int) -> None:
    assert client.get("/api/gaps", params=params).status_code == status
