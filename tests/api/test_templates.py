"""Each page type renders its own template with the read model's values (issue 13): asserted by the
template's name and its context, in process."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from plgkg_api import models

HTML = {"Accept": "text/html"}


@pytest.mark.parametrize(
    ("path", "template"),
    [
        ("/", "home.html"),
        ("/matrix", "matrix.html"),
        ("/search?q=team", "search.html"),
        ("/schools", "schools.html"),
        ("/ontology", "ontology.html"),
        ("/sparql", "query.html"),
        ("/id/intervention/teamteaching", "intervention.html"),
        ("/id/characteristic/little-joint-work", "characteristic.html"),
        ("/id/category/samenwerken", "category.html"),
        ("/id/framework/little-1990", "framework.html"),
        ("/id/source/stoll-kools-2017", "source.html"),
        ("/id/case/kenniskring-onderwijsontwikkeling", "case.html"),
        ("/id/school/school-kenniskring", "school.html"),
        ("/id/person/stoll-l", "agent.html"),
        ("/id/intervention/nope", "error.html"),
        ("/no/such/page", "error.html"),
    ],
)
def test_each_page_type_has_its_template(client: TestClient, path: str, template: str) -> None:
    response = client.get(path, headers=HTML)
    assert response.template.name == template
    assert response.context["lang"] == "nl"
    assert response.context["title"]


def test_the_intervention_page_gets_the_catalogue_read_model(client: TestClient) -> None:
    context = client.get("/id/intervention/teamteaching?lang=en", headers=HTML).context
    item = context["item"]
    assert isinstance(item, models.InterventionDetail)
    assert (item.id, item.label, item.category.id) == ("teamteaching", "Team teaching", "samenwerken")
    assert context["q"] == "?lang=en"  # the chosen language, kept on every link
    assert context["crumbs"][0] == ("Home", "/?lang=en")
    assert context["crumbs"][1] == (item.category.label, "/id/category/samenwerken?lang=en")
    served = {f["label"]: [i["label"] for i in f["items"]] for f in context["frameworks"]}
    assert served["Kinds of PLGs according to Little"] == ["Joint work"]
    assert len(served) == 4


def test_the_error_page_gets_the_status_and_message(client: TestClient) -> None:
    response = client.get("/id/intervention/nope", headers={**HTML, "Accept-Language": "en"})
    assert response.status_code == 404
    assert response.context["status_code"] == 404
    assert response.context["heading"] == "Not found"
    iri = "https://w3id.org/plgkg/id/intervention/nope"
    assert response.context["message"] == f"Not found: {iri} is not in the graph."
