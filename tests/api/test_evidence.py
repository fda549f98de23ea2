"""The evidence summary of an intervention (issue 14): every number counted from the catalogue and
traceable, in the JSON API and as the strip on the intervention's page; no cost or impact figure."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_the_evidence_of_an_intervention_is_counted_from_its_links_findings_and_cases(
    client: TestClient,
) -> None:
    item = client.get("/api/interventions/kennisnetwerken", params={"lang": "en"}).json()
    evidence = item["evidence"]
    bases = [s["provenance"]["basis"] for s in item["serves"]]
    assert (
        (evidence["links_stated"], evidence["links_inferred"])
        == (
            bases.count("stated-in-chapter"),
            bases.count("inferred-by-catalogue"),
        )
        == (5, 2)
    )
    assert evidence["frameworks"] == len({s["framework"]["id"] for s in item["serves"]}) == 3
    assert evidence["findings"] == {"prevalence": 2, "condition": 1}
    assert [f["id"] for f in evidence["conditions"]] == ["kenniskringen-inspanning-onderzoeker"]
    assert evidence["durability"] == evidence["obstacles"] == []
    assert evidence["cases"] == len(item["cases"]) == 2
    # the cases' figures, and those of the study its findings rest on (Sligte et al. 2018)
    assert {(f["owner_kind"], f["owner"]["id"]) for f in evidence["figures"]} >= {
        ("case", "in-de-ringen"),
        ("source", "sligte-et-al-2018"),
    }
    assert "four visits" in [f["label"] for f in evidence["figures"]]
    assert all(f["locator"] and f["basis"] for f in evidence["figures"])
    assert "cost" not in evidence and "impact" not in evidence


def test_the_figures_of_the_studies_behind_its_findings(client: TestClient) -> None:
    evidence = client.get("/api/interventions/begeleiding-startende-leraren").json()["evidence"]
    figures = {(f["owner"]["id"], f["label"], f["value"]) for f in evidence["figures"]}
    assert (
        "begeleiding-startende-leraren-ingevoerd",
        "inductieperiode van dikwijls twee jaar",
        2.0,
    ) in figures
    assert [s["id"] for s in evidence["sources"]][:1] == ["de-school-als-plg"]


def test_the_page_shows_the_strip(client: TestClient) -> None:
    response = client.get(
        "/id/intervention/kennisnetwerken", params={"lang": "en"}, headers={"Accept": "text/html"}
    )
    page = response.text
    strip = page[page.index('<section aria-labelledby="evidence"') :]
    strip = strip[: strip.index("</section>")]
    assert "At a glance: what is known and what it rests on" in strip
    assert "5 stated in the chapter, 2 inferred by the catalogue" in strip
    assert "Knowledge circles depend heavily on the researcher&#39;s effort" in strip
    assert "four visits" in strip
    assert "no cost and no effect size" in strip
    assert '<a href="#cases">2</a>' in strip
    # no link to a section the page does not have: an intervention without cases
    none = client.get("/id/intervention/initieren-stimuleren", headers={"Accept": "text/html"}).text
    assert 'href="#cases"' not in none and 'id="cases"' not in none
