"""The gap analysis of a school, served: /api/schools/{id}/gaps and the school page's "What is missing",
from a real service over an on-disk store into which profiles were imported, across a restart."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from plgkg.catalogue import load
from plgkg.imports.pipeline import USER_GRAPH
from tests.api.conftest import start_service, stop_service
from tests.cli import DUO, PROFILES, import_into

ROOT = Path(__file__).resolve().parents[2]
RUNS = "https://w3id.org/plgkg/ontology#runs"

# school-in-de-ringen runs teamteaching and intercollegiale-observatie (tests/fixtures/profiles/good.csv).
SERVED = {
    "giles-hargreaves-2006": {
        "gh-samenwerken": [
            ("intercollegiale-observatie", "stated-in-chapter"),
            ("teamteaching", "stated-in-chapter"),
        ],
        "gh-onderwijs-verbeteren": [
            ("intercollegiale-observatie", "inferred-by-catalogue"),
            ("teamteaching", "inferred-by-catalogue"),
        ],
        "gh-data-analyseren": [("intercollegiale-observatie", "inferred-by-catalogue")],
    },
    "little-1990": {
        "little-aid-and-assistance": [("intercollegiale-observatie", "stated-in-chapter")],
        "little-joint-work": [("teamteaching", "stated-in-chapter")],
    },
    "lomos-hofman-bosker-2011": {
        "lomos-reflectie": [
            ("intercollegiale-observatie", "stated-in-chapter"),
            ("teamteaching", "inferred-by-catalogue"),
        ],
        "lomos-feedback": [("intercollegiale-observatie", "stated-in-chapter")],
        "lomos-samenwerken": [
            ("intercollegiale-observatie", "stated-in-chapter"),
            ("teamteaching", "stated-in-chapter"),
        ],
        "lomos-leerlingen": [
            ("intercollegiale-observatie", "inferred-by-catalogue"),
            ("teamteaching", "inferred-by-catalogue"),
        ],
    },
    "stoll-kools-2017": {
        "sk-teamleren": [
            ("intercollegiale-observatie", "stated-in-chapter"),
            ("teamteaching", "stated-in-chapter"),
        ],
    },
}
GAPS = {
    "giles-hargreaves-2006": {},
    "little-1990": {
        "little-sharing-practices": [
            "intervisiebijeenkomsten", "kennisnetwerken", "plgs-werkplaatsen-ontwerpteams",
            "professionaliseringsbijeenkomsten",
        ],
    },
    "lomos-hofman-bosker-2011": {
        "lomos-dialoog": [
            "implementatieactiviteiten", "intervisiebijeenkomsten", "scheiding-vakinhoud-organisatie",
            "startactiviteiten", "vaste-overlegmomenten",
        ],
        "lomos-missie": [
            "implementatieactiviteiten", "missie-visie-in-hr-beleid", "plgs-werkplaatsen-ontwerpteams",
            "startactiviteiten",
        ],
    },
    "stoll-kools-2017": {
        "sk-visie": [
            "implementatieactiviteiten", "missie-visie-in-hr-beleid", "plgs-werkplaatsen-ontwerpteams",
            "startactiviteiten",
        ],
        "sk-ontwikkelmogelijkheden": [
            "begeleiding-startende-leraren", "extern-professionaliseringsaanbod", "initieren-stimuleren",
            "intervisiebijeenkomsten", "kennisnetwerken", "leraren-als-leiders", "missie-visie-in-hr-beleid",
            "professionaliseringsbijeenkomsten", "schoolacademie",
        ],
        "sk-experimenteren": [
            "initieren-stimuleren", "kennisnetwerken", "leraren-als-leiders", "observatie-in-hr-beleid",
            "scheiding-vakinhoud-organisatie", "schoolacademie", "vaste-overlegmomenten", "voorbeeldfunctie",
        ],
        "sk-kennis-uitwisselen": [
            "intervisiebijeenkomsten", "kennisnetwerken", "professionaliseringsbijeenkomsten",
            "schoolacademie",
        ],
        "sk-extern-leren": ["extern-professionaliseringsaanbod", "kennisnetwerken", "schoolacademie"],
        "sk-leiderschap": ["initieren-stimuleren", "voorbeeldfunctie"],
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gaps")
    store = folder / "store"
    import_into(store, "schools", DUO / "vestigingen-vo.csv")
    import_into(store, "profiles", PROFILES / "good.csv")
    import_into(store, "profiles", PROFILES / "registry.yaml")
    escaped = folder / "escaped.csv"
    escaped.write_text(
        'school,intervention,notes\n98YY00,teamteaching,"<b>Elke week</b> & meer"\n', encoding="utf-8"
    )
    import_into(store, "profiles", escaped)
    return store


@pytest.fixture(scope="module")
def served(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    log = tmp_path_factory.mktemp("gaps-serve") / "serve.log"
    process, url = start_service("--store-path", str(store), "--workers", "1", log=log)
    try:
        with httpx.Client(base_url=url, timeout=30.0) as http:
            yield http
    finally:
        stop_service(process)


def _shape(answer: dict) -> tuple[dict, dict]:
    served = {
        f["framework"]["id"]: {
            s["characteristic"]["id"]: [(v["intervention"]["id"], v["basis"]) for v in s["by"]]
            for s in f["served"]
        }
        for f in answer["frameworks"]
    }
    gaps = {
        f["framework"]["id"]: {
            g["characteristic"]["id"]: [c["intervention"]["id"] for c in g["covered_by"]] for g in f["gaps"]
        }
        for f in answer["frameworks"]
    }
    return served, gaps


def test_the_gap_analysis_of_a_school_running_two_interventions(served: httpx.Client) -> None:
    response = served.get("/api/schools/school-in-de-ringen/gaps", params={"lang": "en"})
    assert response.status_code == 200
    answer = response.json()
    assert answer["school"]["id"] == "school-in-de-ringen"
    assert [(p["intervention"]["id"], p["since"], p["notes"]) for p in answer["runs"]] == [
        ("intercollegiale-observatie", "2020-08-24", None),
        ("teamteaching", "2019", "Twee leraren per klas in de onderbouw"),
    ]
    assert [f["framework"]["id"] for f in answer["frameworks"]] == sorted(SERVED)
    assert _shape(answer) == (SERVED, GAPS)
    little = next(f for f in answer["frameworks"] if f["framework"]["id"] == "little-1990")
    covering = little["gaps"][0]["covered_by"]
    assert [c["basis"] for c in covering] == ["stated-in-chapter"] * 4
    assert (
        covering[0]["statement"]
        == "https://w3id.org/plgkg/id/serves/intervisiebijeenkomsten--little-sharing-practices"
    )


def test_the_imported_profile_and_the_same_profile_in_the_url_give_one_analysis(
    served: httpx.Client,
) -> None:
    school = served.get("/api/schools/school-in-de-ringen/gaps", params={"lang": "nl"}).json()
    given = served.get(
        "/api/gaps",
        params={"run": ["teamteaching", "intercollegiale-observatie"], "school": "school-in-de-ringen"},
    ).json()
    assert given["school"] == school["school"]
    for part in ("frameworks", "next_steps", "open"):
        assert given[part] == school[part]
    assert [s["id"] for s in school["next_steps"]] == [
        "kennisnetwerken",
        "startactiviteiten",
        "initieren-stimuleren",
    ]


def test_each_covering_intervention_carries_the_chapters_findings_on_it(served: httpx.Client) -> None:
    answer = served.get("/api/schools/school-in-de-ringen/gaps", params={"lang": "nl"}).json()
    covering = {
        c["intervention"]["id"]: c for f in answer["frameworks"] for g in f["gaps"] for c in g["covered_by"]
    }
    # Every intervention but the school's own two: each serves at least one characteristic the
    # school does not serve yet (observatie-in-hr-beleid, say, serves sk-experimenteren).
    assert len(covering) == 16
    assert set(covering).isdisjoint({"intercollegiale-observatie", "teamteaching"})
    for intervention, c in covering.items():
        found = served.get("/api/findings", params={"intervention": intervention, "lang": "nl"}).json()[
            "items"
        ]
        wanted = {
            (f["id"], f["aspect"]) for f in found if f["aspect"] in ("durability", "obstacle", "condition")
        }
        assert {(f["id"], f["aspect"]) for f in c["findings"]} == wanted
    assert {f["aspect"] for c in covering.values() for f in c["findings"]} == {
        "durability",
        "obstacle",
        "condition",
    }


def test_a_registry_school_and_a_school_without_a_profile(served: httpx.Client) -> None:
    registry = served.get("/api/schools/99zz00/gaps", params={"lang": "en"}).json()
    assert [(p["intervention"]["id"], p["notes"]) for p in registry["runs"]] == [
        ("intervisiebijeenkomsten", "Monthly, per department"),
        ("startactiviteiten", None),
    ]
    empty = served.get("/api/schools/school-kenniskring/gaps", params={"lang": "en"}).json()
    assert empty["runs"] == []
    assert sum(len(f["gaps"]) for f in empty["frameworks"]) == 19
    assert all(f["served"] == [] for f in empty["frameworks"])


def test_an_unknown_school_is_404_and_a_bad_language_422(served: httpx.Client) -> None:
    assert served.get("/api/schools/geen-school/gaps").status_code == 404
    assert served.get("/api/schools/school-in-de-ringen/gaps", params={"lang": "de"}).status_code == 422


def test_the_school_page_shows_what_is_missing(served: httpx.Client) -> None:
    page = served.get(
        "/id/school/school-in-de-ringen", params={"lang": "en"}, headers={"Accept": "text/html"}
    )
    assert page.status_code == 200
    html = page.text
    assert '<h2 id="missing">What is missing</h2>' in html
    assert '<h3 id="gaps-little-1990"><a href="/id/framework/little-1990?lang=en">' in html
    assert '<a href="/id/intervention/intervisiebijeenkomsten?lang=en">' in html
    assert (
        '<a class="badge-link" href="/id/serves/intervisiebijeenkomsten--little-sharing-practices?lang=en">'
        '<span class="badge stated">stated in the chapter</span></a>'
    ) in html
    assert "(since 2019): Twee leraren per klas in de onderbouw" in html
    summary = re.findall(
        r'<tr data-framework="([^"]+)">.*?<td class="number">([^<]*)</td>\s*<td class="number">([^<]*)</td>',
        html,
        re.S,
    )
    assert summary == [
        (f, f"{len(SERVED[f])} of {len(SERVED[f]) + len(GAPS[f])}", str(len(GAPS[f]))) for f in sorted(SERVED)
    ]
    assert "<summary>What the chapter finds about it (2)</summary>" in html  # the PLG's two conditions
    dutch = served.get(
        "/id/school/school-in-de-ringen", params={"lang": "nl"}, headers={"Accept": "text/html"}
    )
    assert '<h2 id="missing">Wat ontbreekt</h2>' in dutch.text


def test_user_notes_are_escaped_on_the_page(served: httpx.Client) -> None:
    html = served.get("/id/school/98yy00", params={"lang": "nl"}, headers={"Accept": "text/html"}).text
    assert "&lt;b&gt;Elke week&lt;/b&gt; &amp; meer" in html
    assert "<b>Elke week</b>" not in html


def test_profiles_persist_across_a_restart_and_the_catalogue_stays_apart(tmp_path: Path) -> None:
    store = tmp_path / "store"
    import_into(store, "profiles", PROFILES / "good.csv")
    answers = []
    for start in range(2):
        process, url = start_service(
            "--store-path", str(store), "--workers", "1", log=tmp_path / f"{start}.log"
        )
        try:
            answers.append(
                httpx.get(f"{url}/api/schools/school-in-de-ringen/gaps?lang=en", timeout=30).json()
            )
        finally:
            stop_service(process)
    assert answers[0] == answers[1]
    assert _shape(answers[1]) == (SERVED, GAPS)
    db = ox.Store.read_only(str(store))
    default = list(db.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert len(default) == len(load().graph)  # the catalogue, as it was loaded
    assert not [q for q in default if q.predicate.value == RUNS]
    assert len(list(db.quads_for_pattern(None, ox.NamedNode(RUNS), None, ox.NamedNode(USER_GRAPH)))) == 2
