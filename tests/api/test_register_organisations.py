"""The register as organisations (issue 15): each school location under its institution (BRIN),
each institution under its competent authority (the board), so a board sees all its schools; the
school page links up to both. Over the DUO fixture's ten locations."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.html import hrefs, page, section, texts


def test_a_board_page_lists_every_school_of_its_institutions(register: TestClient) -> None:
    main = page(register, "/id/authority/99901", "nl")
    assert texts(main.all("h1")) == ["Bevoegd gezag 99901"]
    schools = section(main, "org-schools")
    assert schools.one("h2").text() == "Vestigingen (2)"
    assert hrefs(schools.all("h3")[0].all("a")) == ["/id/institution/99zz?lang=nl"]
    assert [li.attrs["data-school"] for li in schools.all("li")] == ["99ZZ00", "99ZZ01"]
    assert hrefs(schools.one("ul").all("a")) == ["/id/school/99zz00?lang=nl", "/id/school/99zz01?lang=nl"]


def test_an_institution_page_lists_its_locations_and_names_its_board(register: TestClient) -> None:
    main = page(register, "/id/institution/99zz", "en")
    assert texts(main.all("h1")) == ["Institution 99ZZ"]
    facts = main.one("dl", "facts")
    assert texts(facts.all("dd")) == ["99ZZ", "Competent authority 99901"]
    assert hrefs(facts.all("a")) == ["/id/authority/99901?lang=en"]
    assert texts(section(main, "org-schools").all("li"))[0].startswith(
        "Fictief Lyceum De Verzonnen Gracht 99ZZ00"
    )


def test_a_school_page_links_to_its_institution_and_board(register: TestClient) -> None:
    register_facts = section(page(register, "/id/school/98yy00", "en"), "register")
    links = hrefs(register_facts.all("a"))
    assert "/id/institution/98yy?lang=en" in links and "/id/authority/99902?lang=en" in links


def test_the_organisations_are_linked_data(register: TestClient) -> None:
    turtle = register.get("/id/institution/99zz.ttl").text
    assert "schema:parentOrganization <https://w3id.org/plgkg/id/authority/99901>" in turtle
    assert "a plg:Institution" in turtle
    address = register.get("/id/address/99zz00.ttl").text
    assert "schema:addressCountry wd:Q55" in address
    school = register.get("/id/school/99zz00.ttl").text
    assert "schema:additionalType wd:Q159334" in school
