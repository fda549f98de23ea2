"""The schools, served: /api/schools (filters, register details, profile sizes), /api/schools/{id},
the school list /schools (find, filter, page) and the register on a school page, from a real service
over an on-disk store holding the DUO fixture, 1,040 generated locations and two profiles."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import start_service, stop_service
from tests.cli import DUO, PROFILES, import_into

GENERATED = 1040
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
HTML = {"Accept": "text/html"}


def _generated_codes() -> list[str]:
    """Institution codes 10AA … 11NZ: their IRIs sort before every fixture school's."""
    return [f"{10 + i // 676:02d}{LETTERS[i // 26 % 26]}{LETTERS[i % 26]}" for i in range(GENERATED)]


def _write_generated(path: Path) -> None:
    with (DUO / "vestigingen-vo.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    template = rows[0]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(template), delimiter=";")
        writer.writeheader()
        for n, code in enumerate(_generated_codes()):
            writer.writerow(
                {
                    **template,
                    "INSTELLINGSCODE": code,
                    "VESTIGINGSCODE": f"{code}00",
                    "VESTIGINGSNAAM": f"Gegenereerde School {n:04d}",
                    "PLAATSNAAM": "ZWOLLE",
                    "GEMEENTENUMMER": "0193",
                    "GEMEENTENAAM": "ZWOLLE",
                }
            )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    folder = tmp_path_factory.mktemp("schools")
    store = folder / "store"
    generated = folder / "generated.csv"
    _write_generated(generated)
    import_into(store, "schools", DUO / "vestigingen-vo.csv")
    import_into(store, "schools", generated)
    import_into(store, "profiles", PROFILES / "good.csv")
    import_into(store, "profiles", PROFILES / "registry.yaml")
    process, url = start_service("--store-path", str(store), "--workers", "1", log=folder / "serve.log")
    try:
        with httpx.Client(base_url=url, timeout=30.0) as http:
            yield http
    finally:
        stop_service(process)


def test_one_registry_school_with_its_register_details(served: httpx.Client) -> None:
    answer = served.get("/api/schools/99zz00", params={"lang": "en"})
    assert answer.status_code == 200
    assert answer.json() == {
        "id": "99zz00",
        "iri": "https://w3id.org/plgkg/id/school/99zz00",
        "label": "Fictief Lyceum De Verzonnen Gracht",
        "studied_in": [],
        "cases": [],
        "institution_code": "99ZZ",
        "location_code": "99ZZ00",
        "competent_authority": "99901",
        "denomination": "Openbaar",
        "education_types": ["HAVO", "VWO"],
        "address": {"street": "Verzonnenstraat 1", "postal_code": "1011 AB", "place": "AMSTERDAM"},
        "municipality": {
            "id": "0363",
            "iri": "https://w3id.org/plgkg/id/municipality/0363",
            "label": "AMSTERDAM",
            "code": "0363",
        },
        "source": {
            "id": "vestigingen.jsp",
            "iri": "https://duo.nl/open_onderwijsdata/voortgezet-onderwijs/adressen/vestigingen.jsp",
            "label": "All locations of secondary schools (VO)",
        },
        "runs": 2,
    }


def test_a_chapter_school_has_no_register_details(served: httpx.Client) -> None:
    school = served.get("/api/schools/school-in-de-ringen", params={"lang": "en"}).json()
    assert school["label"] == "Secondary school from the box 'In the rings'"
    assert [c["id"] for c in school["cases"]] == ["in-de-ringen"]
    assert (school["location_code"], school["address"], school["municipality"], school["source"]) == (
        None,
        None,
        None,
        None,
    )
    assert school["runs"] == 2


def test_unknown_and_malformed_school_ids_are_404(served: httpx.Client) -> None:
    assert served.get("/api/schools/00aa00").status_code == 404
    assert served.get("/api/schools/..%2F..").status_code == 404


def test_find_schools_by_text_and_by_municipality(served: httpx.Client) -> None:
    def ids(**params: str) -> list[str]:
        answer = served.get("/api/schools", params={"limit": "1000", **params}).json()
        assert answer["total"] == len(answer["items"])
        return [s["id"] for s in answer["items"]]

    # Name, location code, postcode, place and municipality name all match, case-insensitively.
    assert ids(q="verzonnen") == ["99zz00", "99zz01"]
    assert ids(q="98yy") == ["98yy00"]
    assert ids(q="2511") == ["97xx00", "97xx02"]
    assert ids(q="leeuwarden") == ["92ss00"]
    assert ids(municipality="0363") == ["99zz00", "99zz01"]
    assert ids(municipality="0363", q="oost") == ["99zz01"]
    assert ids(municipality="0999") == []
    assert ids(profile="true") == ["99zz00", "school-in-de-ringen"]
    assert ids(profile="true", q="ringen") == ["school-in-de-ringen"]
    [summary] = served.get("/api/schools", params={"q": "98YY00", "lang": "en"}).json()["items"]
    assert summary == {
        "id": "98yy00",
        "iri": "https://w3id.org/plgkg/id/school/98yy00",
        "label": "Proefcollege Prinses Ariëlle",
        "institution_code": "98YY",
        "location_code": "98YY00",
        "place": "UTRECHT",
        "postal_code": "3511 EF",
        "municipality": {
            "id": "0344",
            "iri": "https://w3id.org/plgkg/id/municipality/0344",
            "label": "UTRECHT",
            "code": "0344",
        },
        "education_types": ["HAVO", "VMBO", "VWO"],
        "runs": 0,
    }
    zwolle = served.get("/api/schools", params={"municipality": "0193", "limit": "10"}).json()
    assert (zwolle["total"], len(zwolle["items"])) == (GENERATED, 10)
    assert served.get("/api/schools", params={"municipality": "363"}).status_code == 422
    assert served.get("/api/schools", params={"q": "x" * 201}).status_code == 422


def test_the_school_list_pages_through_every_school_in_name_order(served: httpx.Client) -> None:
    first = served.get("/api/schools", params={"limit": "50"}).json()
    total = first["total"]
    assert total == 10 + GENERATED + 4
    labels: list[str] = []
    for offset in range(0, total, 1000):
        page = served.get("/api/schools", params={"limit": "1000", "offset": str(offset)}).json()
        labels += [s["label"] for s in page["items"]]
    assert len(labels) == total
    assert labels == sorted(labels, key=str.lower)
    assert [s["label"] for s in first["items"]] == labels[:50]


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr data-school="([^"]+)">', html)


def test_the_schools_page_finds_filters_and_pages(served: httpx.Client) -> None:
    page = served.get("/schools", headers=HTML)
    assert page.status_code == 200
    assert 'data-count="1054"' in page.text
    assert len(_rows(page.text)) == 50
    assert 'href="/schools?page=2" rel="next"' in page.text
    assert "Pagina 1 van 22" in page.text

    last = served.get("/schools", params={"page": "22", "lang": "en"}, headers=HTML)
    assert last.status_code == 200
    assert len(_rows(last.text)) == 4
    assert 'href="/schools?lang=en&amp;page=21" rel="prev"' in last.text
    assert 'rel="next"' not in last.text

    found = served.get("/schools", params={"q": "verzonnen"}, headers=HTML)
    assert _rows(found.text) == ["99zz00", "99zz01"]
    assert '<a href="/id/school/99zz00">Fictief Lyceum De Verzonnen Gracht</a>' in found.text

    there = served.get("/schools", params={"municipality": "0518"}, headers=HTML)
    assert _rows(there.text) == ["97xx00", "97xx02"]
    assert '<option value="0518" selected>' in there.text

    profiled = served.get("/schools", params={"profile": "1"}, headers=HTML)
    assert _rows(profiled.text) == ["99zz00", "school-in-de-ringen"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "x"}, "Pagina ‘x’ bestaat niet: geef een geheel getal vanaf 1."),
        ({"page": "0"}, "Pagina ‘0’ bestaat niet: geef een geheel getal vanaf 1."),
        ({"page": "23"}, "Pagina 23 bestaat niet: er zijn 22 pagina&#39;s; de laatste wordt getoond."),
        ({"municipality": "9999"}, "Onbekende waarde voor Gemeente: &#39;9999&#39;; dit filter is genegeerd"),
        ({"q": "x" * 201}, "200"),
    ],
)
def test_bad_list_requests_say_what_is_wrong(served: httpx.Client, params: dict, message: str) -> None:
    page = served.get("/schools", params=params, headers=HTML)
    assert page.status_code == 400
    errors = re.findall(r'<p class="error" role="alert">([^<]*)</p>', page.text)
    assert len(errors) == 1 and message in errors[0]


def test_the_school_page_shows_the_register(served: httpx.Client) -> None:
    # 99zz00's IRI sorts after the 1,040 generated schools: the page finds it all the same.
    page = served.get("/id/school/99zz00", params={"lang": "en"}, headers=HTML)
    assert page.status_code == 200
    register = re.search(r'<dl class="facts register">(.*?)</dl>', page.text, re.S)
    assert register is not None
    facts = [
        (dt, re.sub(r"<[^>]+>", " ", dd).split())
        for dt, dd in re.findall(r"<dt>([^<]*)</dt><dd[^>]*>(.*?)</dd>", register.group(1), re.S)
    ]
    assert facts == [
        ("Institution code (BRIN)", ["99ZZ"]),
        ("Location code", ["99ZZ00"]),
        ("Address", ["Verzonnenstraat", "1", "1011", "AB", "AMSTERDAM"]),
        ("Municipality", ["AMSTERDAM", "(0363)"]),
        ("Denomination", ["Openbaar"]),
        ("Kinds of education", ["HAVO,", "VWO"]),
        ("Competent authority (number)", ["99901"]),
        ("Source", ["All", "locations", "of", "secondary", "schools", "(VO)", "(DUO)"]),
    ]
    assert '<a href="/schools?municipality=0363&amp;lang=en">AMSTERDAM</a>' in page.text
    assert '<a href="/schools?lang=en">Schools</a>' in page.text
    chapter = served.get("/id/school/school-in-de-ringen", headers=HTML)
    assert chapter.status_code == 200
    assert 'class="facts register"' not in chapter.text
    assert '<h2 id="cases">' in chapter.text
    assert '<h2 id="cases">' not in page.text


def test_a_municipality_page_lists_its_schools(served: httpx.Client) -> None:
    page = served.get("/id/municipality/0518", params={"lang": "en"}, headers=HTML)
    assert page.status_code == 200
    assert "<h1>&#39;S-GRAVENHAGE</h1>" in page.text
    assert '<dd class="code">0518</dd>' in page.text
    assert re.findall(r'<li data-school="([^"]+)">', page.text) == ["97xx00", "97xx02"]
    assert '<a href="/schools?municipality=0518&amp;lang=en">' in page.text
    zwolle = served.get("/id/municipality/0193", headers=HTML)
    assert "Scholen in deze gemeente (1040)" in zwolle.text
    assert served.get("/id/municipality/9999", headers=HTML).status_code == 404
