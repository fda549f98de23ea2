"""The JSON API: exact answers for known resources, filters, pagination, languages, errors."""

from __future__ import annotations

import httpx
import pytest

from tests.api.conftest import select


def _ids(page: dict) -> list[str]:
    return [item["id"] for item in page["items"]]


def test_characteristics_filtered_by_framework(client: httpx.Client) -> None:
    page = client.get("/api/characteristics", params={"framework": "little-1990", "lang": "en"}).json()
    assert page["total"] == 3
    assert _ids(page) == ["little-sharing-practices", "little-aid-and-assistance", "little-joint-work"]
    assert [i["label"] for i in page["items"]] == ["Sharing practices", "Aid and assistance", "Joint work"]
    assert all(i["framework"]["id"] == "little-1990" for i in page["items"])
    served = select(
        client,
        """SELECT ?c (COUNT(DISTINCT ?i) AS ?n) WHERE {
            ?c plg:inFramework <https://w3id.org/plgkg/id/framework/little-1990> ; plg:order ?o .
            OPTIONAL { ?i plg:serves ?c } } GROUP BY ?c ?o ORDER BY ?o""",
    )
    assert [i["served_by"] for i in page["items"]] == [int(r["n"]) for r in served]


def test_all_characteristics_and_pagination(client: httpx.Client) -> None:
    page = client.get("/api/characteristics", params={"limit": 5, "offset": 15}).json()
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (19, 5, 15, 4)


def test_interventions_serving_a_characteristic_with_provenance(client: httpx.Client) -> None:
    page = client.get("/api/characteristics/little-joint-work/interventions", params={"lang": "en"}).json()
    assert sorted(_interventions(page)) == ["plgs-werkplaatsen-ontwerpteams", "teamteaching"]
    team = next(i for i in page["items"] if i["intervention"]["id"] == "teamteaching")
    assert team["category"]["id"] == "samenwerken"
    assert team["provenance"]["basis"] == "stated-in-chapter"
    assert (
        team["provenance"]["statement"] == "https://w3id.org/plgkg/id/serves/teamteaching--little-joint-work"
    )
    assert [s["id"] for s in team["provenance"]["sources"]] == ["de-school-als-plg", "little-1990"]
    assert team["provenance"]["rationale"]


def _interventions(page: dict) -> list[str]:
    return [i["intervention"]["id"] for i in page["items"]]


def test_unknown_characteristic_is_404(client: httpx.Client) -> None:
    response = client.get("/api/characteristics/nope/interventions")
    assert response.status_code == 404
    assert response.json() == {"detail": "No characteristic with id 'nope'"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "leiderschap"}, ["initieren-stimuleren", "voorbeeldfunctie", "leraren-als-leiders"]),
        ({"q": "feedback", "lang": "en"}, ["intercollegiale-observatie", "observatie-in-hr-beleid"]),
        ({"q": "FEEDBACK", "lang": "nl"}, ["intercollegiale-observatie", "observatie-in-hr-beleid"]),
        ({"characteristic": "little-joint-work"}, ["teamteaching", "plgs-werkplaatsen-ontwerpteams"]),
        ({"category": "samenwerken", "characteristic": "lomos-feedback"}, ["intercollegiale-observatie"]),
        ({"q": 'x" } ?s ?p ?o {'}, []),
    ],
)
def test_intervention_filters(client: httpx.Client, params: dict, expected: list[str]) -> None:
    response = client.get("/api/interventions", params=params)
    assert response.status_code == 200
    assert _ids(response.json()) == expected


def test_interventions_by_framework(client: httpx.Client) -> None:
    page = client.get("/api/interventions", params={"framework": "giles-hargreaves-2006"}).json()
    assert _ids(page) == [
        "intervisiebijeenkomsten",
        "professionaliseringsbijeenkomsten",
        "kennisnetwerken",
        "intercollegiale-observatie",
        "teamteaching",
        "plgs-werkplaatsen-ontwerpteams",
        "vaste-overlegmomenten",
    ]


def test_intervention_detail(client: httpx.Client) -> None:
    detail = client.get("/api/interventions/missie-visie-in-hr-beleid", params={"lang": "en"}).json()
    assert detail["labels"] == {
        "nl": "Integratie van de missie en visie in HR-beleid",
        "en": "Integrating the mission and vision into HR policy",
    }
    assert detail["label"] == "Integrating the mission and vision into HR policy"
    assert detail["category"]["id"] == "missie-en-visie"
    assert detail["examples"] == [
        "appraisal cycle",
        "recruitment policy",
        "staff review",
        "performance reviews",
    ]
    assert sorted(s["characteristic"]["id"] for s in detail["serves"]) == [
        "lomos-missie",
        "sk-ontwikkelmogelijkheden",
        "sk-visie",
    ]
    assert sorted(f["id"] for f in detail["findings"]) == [
        "hr-activiteiten-bij-gevorderde-visie",
        "schoolvisie-lerende-cultuur",
        "visie-in-gesprekkencyclus",
    ]
    nl = client.get("/api/interventions/missie-visie-in-hr-beleid", params={"lang": "nl"}).json()
    assert nl["examples"] == ["gesprekkencyclus", "aannamebeleid", "vlootschouw", "functioneringsgesprekken"]


def test_unknown_intervention_and_bad_ids(client: httpx.Client) -> None:
    assert client.get("/api/interventions/nope").status_code == 404
    assert client.get("/api/interventions/%3E%20%7D").status_code == 404


def test_findings_by_aspect_and_intervention(client: httpx.Client) -> None:
    page = client.get("/api/findings", params={"aspect": "durability"}).json()
    assert sorted(_ids(page)) == [
        "individuele-professionalisering-schoolleiding-beklijft",
        "informele-plgs-looptijd",
        "overlegmomenten-weinig-duurzaam",
        "professionalisering-inbedding-duurzaam",
    ]
    assert all(f["aspect"] == "durability" for f in page["items"])
    page = client.get("/api/findings", params={"intervention": "intervisiebijeenkomsten"}).json()
    assert _ids(page) == [
        "intervisie-facilitering",
        "samen-leren-opbrengsten",
        "samen-leren-schoolontwikkeling",
    ]
    assert page["items"][0]["aspect"] == "obstacle"


def test_cases(client: httpx.Client) -> None:
    page = client.get("/api/cases", params={"intervention": "kennisnetwerken"}).json()
    assert sorted(_ids(page)) == ["in-de-ringen", "kenniskring-onderwijsontwikkeling"]
    rings = next(c for c in page["items"] if c["id"] == "in-de-ringen")
    assert rings["boxed"] is True
    assert rings["school"]["id"] == "school-in-de-ringen"
    assert [p["id"] for p in rings["partners"]] == ["haagse-academie-voor-lichamelijke-opvoeding"]


def test_categories_frameworks_sources_schools(client: httpx.Client) -> None:
    categories = client.get("/api/categories").json()
    assert [len(c["interventions"]) for c in categories["items"]] == [3, 5, 3, 4, 3]
    frameworks = client.get("/api/frameworks").json()
    assert {f["id"]: f["characteristics"] for f in frameworks["items"]} == {
        "giles-hargreaves-2006": 3,
        "little-1990": 3,
        "lomos-hofman-bosker-2011": 6,
        "stoll-kools-2017": 7,
    }
    sources = client.get("/api/sources").json()
    lomos = next(s for s in sources["items"] if s["id"] == "lomos-hofman-bosker-2011")
    assert lomos["authors"] == ["Catalina Lomos", "Roelande H. Hofman", "Roel J. Bosker"]
    assert lomos["doi"] == "10.1080/09243453.2010.550467"
    assert sources["total"] == 15
    schools = client.get("/api/schools").json()
    assert schools["total"] == 4


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/interventions", {"lang": "de"}),
        ("/api/interventions", {"limit": 0}),
        ("/api/interventions", {"offset": -1}),
        ("/api/findings", {"aspect": "beauty"}),
        ("/api/interventions", {"q": "x" * 201}),
    ],
)
def test_bad_parameters_are_422(client: httpx.Client, path: str, params: dict) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422


def test_openapi_documents_the_api(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/characteristics",
        "/api/characteristics/{id}/interventions",
        "/api/interventions",
        "/api/interventions/{id}",
        "/api/categories",
        "/api/frameworks",
        "/api/sources",
        "/api/schools",
        "/api/cases",
        "/api/findings",
    ):
        assert path in spec["paths"]
    assert client.get("/docs").status_code == 200


# -- issue 12: qualified case links, the crosswalk, findings on intended mechanisms ----------------------


def test_case_links_carry_basis_rationale_and_locator(client: httpx.Client) -> None:
    rings = client.get("/api/cases", params={"lang": "en"}).json()["items"]
    rings = next(c for c in rings if c["id"] == "in-de-ringen")
    links = {i["id"]: i for i in rings["illustrates"]}
    assert links["plgs-werkplaatsen-ontwerpteams"]["basis"] == "stated-in-chapter"
    observation = links["intercollegiale-observatie"]
    assert observation["basis"] == "inferred-by-catalogue"
    assert observation["statement"] == (
        "https://w3id.org/plgkg/id/illustration/in-de-ringen--intercollegiale-observatie"
    )
    assert observation["label"] == "Peer observation, assessment and feedback"
    assert observation["locator"] == "kader 'In de ringen'"
    assert observation["rationale"].startswith("The PE teachers filmed their lessons")
    assert observation["quote"] == "We hebben onder meer onze lessen gefilmd en die opnames samen besproken."


def test_only_stated_case_links(client: httpx.Client) -> None:
    page = client.get("/api/cases", params={"basis": "stated-in-chapter"}).json()
    assert all(i["basis"] == "stated-in-chapter" for c in page["items"] for i in c["illustrates"])
    rings = next(c for c in page["items"] if c["id"] == "in-de-ringen")
    assert [i["id"] for i in rings["illustrates"]] == ["plgs-werkplaatsen-ontwerpteams"]
    # in de ringen illustrates peer observation only by the catalogue's reading
    stated = client.get(
        "/api/cases", params={"intervention": "intercollegiale-observatie", "basis": "stated-in-chapter"}
    ).json()
    assert "in-de-ringen" not in _ids(stated)
    inferred = client.get(
        "/api/cases", params={"intervention": "intercollegiale-observatie", "basis": "inferred-by-catalogue"}
    ).json()
    assert "in-de-ringen" in _ids(inferred)
    assert client.get("/api/cases", params={"basis": "maybe"}).status_code == 422


def test_intervention_detail_cases_carry_their_link(client: httpx.Client) -> None:
    detail = client.get("/api/interventions/intercollegiale-observatie").json()
    rings = next(c for c in detail["cases"] if c["id"] == "in-de-ringen")
    link = next(i for i in rings["illustrates"] if i["id"] == "intercollegiale-observatie")
    assert (link["basis"], link["locator"]) == ("inferred-by-catalogue", "kader 'In de ringen'")


def _matches(client: httpx.Client, characteristic: str, lang: str = "nl") -> dict[str, tuple]:
    response = client.get(f"/api/characteristics/{characteristic}", params={"lang": lang})
    assert response.status_code == 200
    return {m["id"]: (m["relation"], m["framework"]["id"], m["basis"]) for m in response.json()["matches"]}


def test_characteristic_has_its_crosswalk_matches(client: httpx.Client) -> None:
    assert _matches(client, "lomos-leerlingen") == {
        "gh-onderwijs-verbeteren": ("closeMatch", "giles-hargreaves-2006", "inferred-by-catalogue")
    }
    assert _matches(client, "gh-onderwijs-verbeteren")["lomos-leerlingen"][0] == "closeMatch"
    gh = _matches(client, "gh-samenwerken", "en")
    assert {k: v[0] for k, v in gh.items()} == {
        "little-sharing-practices": "narrowMatch",
        "lomos-samenwerken": "narrowMatch",
        "sk-teamleren": "relatedMatch",
        "lomos-dialoog": "relatedMatch",
    }
    assert _matches(client, "lomos-samenwerken")["gh-samenwerken"][0] == "broadMatch"
    one = client.get("/api/characteristics/lomos-leerlingen", params={"lang": "en"}).json()
    match = one["matches"][0]
    assert (
        match["statement"] == "https://w3id.org/plgkg/id/crosswalk/lomos-leerlingen--gh-onderwijs-verbeteren"
    )
    assert match["label"] == "Improving teaching and students' learning"
    assert [s["id"] for s in match["sources"]] == [
        "de-school-als-plg",
        "giles-hargreaves-2006",
        "lomos-hofman-bosker-2011",
    ]
    listed = client.get("/api/characteristics", params={"framework": "lomos-hofman-bosker-2011"}).json()
    assert next(c for c in listed["items"] if c["id"] == "lomos-leerlingen")["matches"][0]["id"] == (
        "gh-onderwijs-verbeteren"
    )
    assert client.get("/api/characteristics/nope").status_code == 404


def test_findings_on_intended_mechanisms(client: httpx.Client) -> None:
    page = client.get("/api/findings", params={"aspect": "mechanism"}).json()
    expected = select(client, "SELECT DISTINCT ?f WHERE { ?f a plg:Finding ; plg:aspect plg:Mechanism }")
    assert sorted(_ids(page)) == sorted(r["f"] for r in expected)
    assert all(f["aspect"] == "mechanism" for f in page["items"])


def test_examples_with_their_locator(client: httpx.Client) -> None:
    detail = client.get("/api/interventions/startactiviteiten").json()
    assert [e["label"] for e in detail["example_items"]] == detail["examples"]
    assert (
        detail["example_items"][0]["iri"]
        == "https://w3id.org/plgkg/id/example/startactiviteiten-schrijfgroep"
    )
    locators = select(
        client,
        """SELECT ?label ?locator WHERE {
            <https://w3id.org/plgkg/id/intervention/startactiviteiten> plg:example ?e .
            ?e skos:prefLabel ?label ; plg:order ?order . FILTER(LANG(?label) = "nl")
            OPTIONAL { ?e plg:locator ?locator } } ORDER BY ?order""",
    )
    assert [(e["label"], e["locator"]) for e in detail["example_items"]] == [
        (r["label"], r.get("locator")) for r in locators
    ]


def _labels(value: object, where: str = "") -> list[tuple[str, object]]:
    """Every (path, label) of the references in an answer: each dict with an iri and a label key."""
    found: list[tuple[str, object]] = []
    if isinstance(value, dict):
        if "iri" in value and "label" in value:
            found.append((where, value["label"]))
        for key, item in value.items():
            found += _labels(item, f"{where}/{key}")
    elif isinstance(value, list):
        for n, item in enumerate(value):
            found += _labels(item, f"{where}[{n}]")
    return found


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_reference_in_every_answer_has_its_label(client: httpx.Client, lang: str) -> None:
    """Issue 13: categories, sources, what findings are about, case schools and partners, studies and
    cases came back with "label": null though the graph has their labels."""
    paths = [
        "/api/characteristics",
        "/api/characteristics/little-joint-work",
        "/api/characteristics/little-joint-work/interventions",
        "/api/interventions",
        "/api/interventions/teamteaching",
        "/api/findings",
        "/api/cases",
        "/api/categories",
        "/api/frameworks",
        "/api/schools/school-kenniskring",
        "/api/schools/school-kenniskring/gaps",
    ]
    missing = []
    refs = 0
    for path in paths:
        response = client.get(path, params={"lang": lang})
        assert response.status_code == 200, path
        labels = _labels(response.json())
        refs += len(labels)
        missing += [f"{path}{where}" for where, label in labels if not label]
    assert missing == []
    assert refs > 500
    body = client.get("/api/characteristics/little-joint-work/interventions", params={"lang": lang}).json()
    first = body["items"][0]
    category = {
        "nl": "Samenwerken binnen en buiten de school",
        "en": "Collaboration within and beyond the school",
    }
    assert first["category"]["label"] == category[lang]
    assert all(s["label"] for s in first["provenance"]["sources"])
