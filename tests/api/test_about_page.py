"""The about page (issue 14): what "stated in the chapter" and "inferred by the catalogue" mean and
the words the pages use, each with the page that lists what it names; linked from every footer,
the matrix legend and beside every list of labelled statements."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.html import Tree, badges, hrefs, page, section, texts


@pytest.mark.parametrize(
    ("lang", "terms"),
    [
        ("nl", ["Interventie", "Categorie", "Kenmerk", "Kader", "Verband", "Bevinding", "Praktijkvoorbeeld",
                "Waar in het hoofdstuk"]),
        ("en", ["Intervention", "Category", "Characteristic", "Framework", "Link", "Finding", "Practice case",
                "Where in the chapter"]),
    ],
)  # fmt: skip
def test_the_about_page_explains_the_two_labels_and_the_words(
    client: TestClient, lang: str, terms: list
) -> None:
    main = page(client, "/about", lang)
    basis = section(main, "basis")
    assert badges(basis) == ["stated", "inferred"]
    assert all(len(dd.text()) > 60 for dd in basis.all("dd"))
    words = section(main, "words")
    assert texts(words.all("dt")) == terms
    assert hrefs(words.all("a")) == [
        f"/concepts?kind=intervention&lang={lang}",
        f"/concepts?kind=category&lang={lang}",
        f"/concepts?kind=characteristic&lang={lang}",
        f"/concepts?kind=framework&lang={lang}",
        f"/matrix?lang={lang}",
        f"/findings?lang={lang}",
        f"/cases?lang={lang}",
    ]
    for href in hrefs(words.all("a")):
        assert client.get(href).status_code == 200


@pytest.mark.parametrize(
    "path", ["/matrix", "/findings", "/id/intervention/teamteaching", "/id/characteristic/little-joint-work"]
)
def test_labelled_statements_link_to_what_the_labels_mean(client: TestClient, path: str) -> None:
    main = page(client, path, "en")
    assert "/about?lang=en#basis" in hrefs(main.all("a"))


def test_every_footer_links_to_the_about_page(client: TestClient) -> None:
    footer = Tree.of(client.get("/schools", params={"lang": "nl"}).text).one("footer")
    assert "/about?lang=nl" in hrefs(footer.all("a"))
