"""Mijn school (/gaps): the profile form, its gap analysis with ranked next steps, the profile in the
URL, and the profile as the CSV and YAML `plgkg import profiles` reads, in process; a downloaded
profile imported with the CLI opens the same page again."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from fastapi.testclient import TestClient

from plgkg.settings import ServiceSettings
from plgkg_api.app import create_app
from plgkg_api.settings import Settings
from tests.cli import run

HTML = {"Accept": "text/html"}
TWO = {"run": ["teamteaching", "intercollegiale-observatie"]}


def _ticked(page: str) -> list[str]:
    return re.findall(r'<input type="checkbox" id="run-([a-z-]+)" name="run" value="[a-z-]+" checked', page)


def test_the_empty_form_groups_every_intervention_by_category(client: TestClient) -> None:
    response = client.get("/gaps", headers=HTML)
    assert response.status_code == 200
    assert response.template.name == "gaps.html"
    context = response.context
    assert context["analysis"] is None
    assert [g["category"].id for g in context["categories"]] == [
        "missie-en-visie",
        "professionalisering",
        "samenwerken",
        "organisatiestructuur",
        "leiderschap",
    ]
    assert sum(len(g["interventions"]) for g in context["categories"]) == 18
    first = context["categories"][0]["interventions"][0]
    assert first["item"].id == "startactiviteiten"
    assert first["short"].endswith(".") and first["short"] in first["item"].definition
    assert _ticked(response.text) == []


def test_a_profile_in_the_url_is_ticked_and_analysed(client: TestClient) -> None:
    response = client.get("/gaps", params={**TWO, "lang": "en"}, headers=HTML)
    assert response.status_code == 200
    context = response.context
    assert context["profile"].runs == ["intercollegiale-observatie", "teamteaching"]  # Tabel 1's order
    assert _ticked(response.text) == ["intercollegiale-observatie", "teamteaching"]
    assert [s.id for s in context["analysis"]["next_steps"]] == [
        "kennisnetwerken",
        "startactiviteiten",
        "initieren-stimuleren",
    ]
    assert context["share_url"] == "/gaps?run=intercollegiale-observatie&run=teamteaching&lang=en"
    assert context["json_url"] == "/api/gaps?run=intercollegiale-observatie&run=teamteaching&lang=en"
    assert context["csv_url"] is None  # a file to import needs a school
    page = response.text
    steps = page[page.index('<ol class="steps" data-scope="all">') :]
    assert steps.index("Knowledge networks, knowledge circles") < steps.index("Watch out")
    assert "Choose a school to download the profile" in page


def test_unknown_interventions_are_named_with_the_closest_and_the_rest_is_analysed(
    client: TestClient,
) -> None:
    response = client.get("/gaps", params={"run": ["teamteaching", "Intervisie"], "lang": "en"}, headers=HTML)
    assert response.status_code == 400
    assert response.context["profile"].errors == [
        "‘Intervisie’ is not an intervention of the catalogue. Did you mean: intervisiebijeenkomsten?"
    ]
    assert response.context["profile"].runs == ["teamteaching"]
    assert response.context["analysis"] is not None


def test_a_school_by_id_code_or_name(client: TestClient) -> None:
    by_id = client.get("/gaps", params={"school": "SCHOOL-IN-DE-RINGEN", **TWO}, headers=HTML).context
    assert by_id["profile"].school.id == "school-in-de-ringen"
    assert by_id["csv_url"] == (
        "/gaps/profile.csv?school=school-in-de-ringen&run=intercollegiale-observatie&run=teamteaching"
    )
    several = client.get("/gaps", params={"school": "school"}, headers=HTML)
    assert several.status_code == 400
    assert several.context["profile"].school is None
    assert len(several.context["candidate_urls"]) > 1
    assert all(url.startswith("/gaps?school=") for _, url in several.context["candidate_urls"])
    none = client.get("/gaps", params={"school": "nergens-te-vinden"}, headers=HTML)
    assert none.status_code == 400
    assert none.context["profile"].errors[0].startswith("Geen school gevonden voor ‘nergens-te-vinden’")


def test_bounds_are_said_not_failed(client: TestClient) -> None:
    many = client.get("/gaps", params={"run": ["teamteaching"] * 150}, headers=HTML)
    assert many.status_code == 400
    assert many.context["profile"].runs == ["teamteaching"]
    long = client.get("/gaps", params={"school": "x" * 5000}, headers=HTML)
    assert long.status_code == 400
    assert len(long.context["profile"].school_text) == 200


def test_the_profile_downloads_as_csv_and_yaml(client: TestClient) -> None:
    params = {"school": "school-in-de-ringen", **TWO}
    csv = client.get("/gaps/profile.csv", params=params)
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert csv.headers["content-disposition"] == 'attachment; filename="profile-school-in-de-ringen.csv"'
    assert csv.text == (
        "school,intervention,since,notes\r\n"
        "school-in-de-ringen,intercollegiale-observatie,,\r\n"
        "school-in-de-ringen,teamteaching,,\r\n"
    )
    made = client.get("/gaps/profile.yaml", params=params)
    assert made.headers["content-type"] == "application/yaml; charset=utf-8"
    assert yaml.safe_load(made.text) == [
        {"school": "school-in-de-ringen", "intervention": "intercollegiale-observatie"},
        {"school": "school-in-de-ringen", "intervention": "teamteaching"},
    ]
    assert client.get("/gaps/profile.csv", params=TWO).status_code == 404
    assert client.get("/gaps/profile.csv", params={**params, "run": ["yoga"]}).status_code == 400
    assert client.get("/gaps/profile.txt", params=params).status_code == 422


def test_a_downloaded_profile_imported_with_the_cli_opens_the_same_page(
    client: TestClient, tmp_path: Path
) -> None:
    params = {"school": "school-in-de-ringen", **TWO, "lang": "en"}
    for suffix in ("csv", "yaml"):
        file = tmp_path / f"profile.{suffix}"
        file.write_text(client.get(f"/gaps/profile.{suffix}", params=params).text, encoding="utf-8")
        store = tmp_path / f"store-{suffix}"
        done = run("import", "profiles", str(file), "--store-path", str(store))
        assert done.returncode == 0, done.stdout + done.stderr
        settings = Settings(service=ServiceSettings(workers=1, store_path=store))
        with TestClient(create_app(settings)) as own:
            opened = own.get("/gaps", params={"school": "school-in-de-ringen", "lang": "en"}, headers=HTML)
            assert opened.context["profile"].prefilled is True
            assert opened.context["profile"].runs == ["intercollegiale-observatie", "teamteaching"]
            assert _ticked(opened.text) == ["intercollegiale-observatie", "teamteaching"]
            assert "Ticked as in the imported profile of" in opened.text
            given = client.get("/gaps", params=params, headers=HTML).context["analysis"]
            assert opened.context["analysis"] == given
