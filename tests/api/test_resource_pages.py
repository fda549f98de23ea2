"""The typed HTML pages of catalogue resources (issue 4): exact content for one known resource of every
kind, in Dutch and English; BibTeX and RIS exports; escaping; plain 404s."""

from __future__ import annotations

import httpx
import pytest
from rdflib import Graph, URIRef

from plgkg.namespaces import PLG, SKOS
from plgkg_api.locators import where
from tests.api.conftest import select
from tests.html import Tree, badges, headings, hrefs, page, section, texts


def crumbs(client: httpx.Client, path: str, lang: str) -> list[str]:
    response = client.get(path, params={"lang": lang}, headers={"Accept": "text/html"})
    tree = Tree()
    tree.feed(response.text)
    return texts(tree.root.one("nav", "crumbs").all("li"))


RUNNING_TEXT = {"nl": "(uit de lopende tekst)", "en": "(from the running text)"}


def examples_of(client: httpx.Client, intervention: str, lang: str) -> list[str]:
    """An intervention's examples as its page lists them, from the graph: an example whose locator
    does not start with "Tabel 1" is marked as from the running text."""
    rows = select(
        client,
        f"""SELECT ?label ?locator WHERE {{
            <https://w3id.org/plgkg/id/intervention/{intervention}> plg:example ?e .
            ?e skos:prefLabel ?label ; plg:order ?order . FILTER(LANG(?label) = "{lang}")
            OPTIONAL {{ ?e plg:locator ?locator }}
        }} ORDER BY ?order""",
    )
    return [
        r["label"]
        + (f" {RUNNING_TEXT[lang]}" if not r.get("locator", "Tabel 1").startswith("Tabel 1") else "")
        for r in rows
    ]


INTERVENTION = {
    "nl": {
        "h": (
            ["Startactiviteiten"],
            [
                "Definitie",
                "In het kort: wat bekend is en waarop het rust",
                "Kenmerken die deze interventie dient",
                "Wat er bekend is",
                "Bronnen",
                "Externe links",
            ],
        ),
        "crumbs": ["Home", "Missie en visie van de school", "Startactiviteiten"],
        "other": "In het Engels: Start activities",
        "examples": ["schrijfgroep", "responsgroep", "informatiebijeenkomsten"],
        "frameworks": [
            (
                "Kenmerken van PLG's volgens Lomos, Hofman en Bosker",
                [
                    "Een professionele dialoog voeren over onderwijs",
                    "Het met elkaar eens zijn over de missie van school en onderwijs in het algemeen",
                ],
            ),
            (
                "Kenmerken van de school als lerende organisatie volgens Stoll en Kools",
                ["Ontwikkelen en delen van een gezamenlijke visie over onderwijs en leren van leerlingen"],
            ),
        ],
        "cite": "Bron: §3.3 'Missie en visie'; §3.2 Lomos et al., kenmerk 1 — Admiraal et al.; "
        "Lomos et al. 2011",
        "aspects": [
            ("Voorwaarden", ["Startactiviteiten passen bij scholen die nog een visie ontwikkelen"]),
            (
                "Opbrengsten",
                [
                    "Visieontwikkeling is een langzaam proces, maar lijkt bij brede en intensieve inzet op "
                    "termijn een lerende cultuur op te leveren"
                ],
            ),
        ],
    },
    "en": {
        "h": (
            ["Start activities"],
            [
                "Definition",
                "At a glance: what is known and what it rests on",
                "Characteristics this intervention serves",
                "What is known",
                "Sources",
                "External links",
            ],
        ),
        "crumbs": ["Home", "Mission and vision of the school", "Start activities"],
        "other": "In Dutch: Startactiviteiten",
        "examples": ["writing group", "response group", "information meetings"],
        "frameworks": [
            (
                "Characteristics of PLGs according to Lomos, Hofman and Bosker",
                [
                    "Holding a professional dialogue about teaching",
                    "Agreeing with each other on the mission of the school and of education in general",
                ],
            ),
            (
                "Characteristics of the school as a learning organisation according to Stoll and Kools",
                ["Developing and sharing a joint vision of teaching and students' learning"],
            ),
        ],
        "cite": "Source: §3.3 'Missie en visie' (Mission and vision); §3.2 Lomos et al., characteristic 1 "
        "— Admiraal et al.; Lomos et al. 2011",
        "aspects": [
            ("Conditions", ["Start activities suit schools still developing a vision"]),
            (
                "Effects",
                [
                    "Developing a vision is a slow process, but pursued broadly and intensively it seems "
                    "in time to yield a learning culture"
                ],
            ),
        ],
    },
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_intervention_page(client: httpx.Client, lang: str) -> None:
    want = INTERVENTION[lang]
    main = page(client, "/id/intervention/startactiviteiten", lang)
    assert headings(main) == want["h"]
    assert crumbs(client, "/id/intervention/startactiviteiten", lang) == want["crumbs"]
    assert main.one("p", "other-label").text() == want["other"]
    shown = texts(main.one("ul", "examples").all("li"))
    assert shown == examples_of(client, "startactiviteiten", lang)
    assert shown[:3] == want["examples"]  # Tabel 1's own, unmarked
    groups = main.all("section", "framework-group")
    assert [(g.one("h3").text(), texts(g.all("a", "target"))) for g in groups] == want["frameworks"]
    assert [badges(g) for g in groups] == [["inferred", "inferred"], ["stated"]]
    assert hrefs(groups[1].all("a", "badge-link")) == [f"/id/serves/startactiviteiten--sk-visie?lang={lang}"]
    assert hrefs(groups[0].all("a", "target")) == [
        f"/id/characteristic/lomos-dialoog?lang={lang}",
        f"/id/characteristic/lomos-missie?lang={lang}",
    ]
    assert groups[0].all("p", "cite")[0].text() == want["cite"]
    aspects = main.all("section", "aspect-group")
    assert [(a.one("h3").text(), texts(a.all("a", "target"))) for a in aspects] == want["aspects"]
    assert [texts(s.all("a"))[0] for s in main.one("ul", "sources").all("li")] == [
        "Admiraal et al.",
        "Lomos et al. 2011",
        "Sligte et al. 2018",
        "Stoll & Kools 2017",
    ]
    assert hrefs(main.one("ul", "external").all("a")) == [
        "https://doi.org/10.1080/09243453.2010.550467",
        "https://doi.org/10.1108/JPCC-09-2016-0022",
    ]


@pytest.mark.parametrize(
    ("lang", "h2", "crumb", "labels"),
    [
        (
            "nl",
            ["Definitie", "Interventies die dit kenmerk dienen", "In andere kaders", "Elders"],
            ["Home", "Soorten PLG's volgens Little", "Joint work"],
            ["PLG's, werkplaatsen en docentontwerpteams", "Teamteaching"],
        ),
        (
            "en",
            [
                "Definition",
                "Interventions that serve this characteristic",
                "In other frameworks",
                "Elsewhere",
            ],
            ["Home", "Kinds of PLGs according to Little", "Joint work"],
            ["PLGs, workshops and teacher design teams", "Team teaching"],
        ),
    ],
)
def test_characteristic_page(client: httpx.Client, lang: str, h2: list, crumb: list, labels: list) -> None:
    main = page(client, "/id/characteristic/little-joint-work", lang)
    assert headings(main) == (["Joint work"], h2)
    assert crumbs(client, "/id/characteristic/little-joint-work", lang) == crumb
    assert main.one("dd", "framework-source").text() == (
        "Little 1990, The persistence of privacy: Autonomy and initiative in teachers' professional relations"
    )
    served = section(main, "served-by")
    assert texts(served.all("a", "target")) == labels
    assert badges(served) == ["stated", "stated"]
    assert hrefs(served.all("a", "badge-link")) == [
        f"/id/serves/plgs-werkplaatsen-ontwerpteams--little-joint-work?lang={lang}",
        f"/id/serves/teamteaching--little-joint-work?lang={lang}",
    ]
    cite = {
        "nl": "Bron: §3.3 'Samenwerken'; §3.2 Little, soort 3 — Admiraal et al.; Little 1990",
        "en": "Source: §3.3 'Samenwerken' (Collaboration); §3.2 Little, type 3 — Admiraal et al.; "
        "Little 1990",
    }
    assert texts(served.all("p", "cite")) == [cite[lang]] * 2


@pytest.mark.parametrize(
    ("lang", "label", "interventions", "alt"),
    [
        (
            "nl",
            "Leiderschap",
            [
                "Initiëren en stimuleren van interventies",
                "Voorbeeldfunctie voor leraren",
                "Leraren als leiders",
            ],
            "Titel in §3.3: Samenwerken",
        ),
        (
            "en",
            "Leadership",
            [
                "Initiating and encouraging interventions",
                "Setting an example for teachers",
                "Teachers as leaders",
            ],
            "Title in §3.3: Samenwerken",
        ),
    ],
)
def test_category_page(client: httpx.Client, lang: str, label: str, interventions: list, alt: str) -> None:
    main = page(client, "/id/category/leiderschap", lang)
    assert texts(main.all("h1")) == [label]
    assert crumbs(client, "/id/category/leiderschap", lang) == ["Home", label]
    assert texts(main.one("ol", "interventions").all("a")) == interventions
    assert texts(section(main, "definition").all("p", "cite")) == [
        {
            "nl": "Bron: Tabel 1; §3.3, categorie 5 en 'Leiderschap' — Admiraal et al.",
            "en": "Source: Table 1; §3.3, category 5 and 'Leiderschap' (Leadership) — Admiraal et al.",
        }[lang]
    ]
    assert main.all("p", "alt-label") == []
    assert page(client, "/id/category/samenwerken", lang).one("p", "alt-label").text() == alt


@pytest.mark.parametrize(
    ("lang", "label", "caption"),
    [
        ("nl", "Soorten PLG's volgens Little", "Kenmerken: Soorten PLG's volgens Little"),
        ("en", "Kinds of PLGs according to Little", "Characteristics: Kinds of PLGs according to Little"),
    ],
)
def test_framework_page(client: httpx.Client, lang: str, label: str, caption: str) -> None:
    main = page(client, "/id/framework/little-1990", lang)
    assert texts(main.all("h1")) == [label]
    assert main.one("caption").text() == caption
    rows = [texts(r.all("td")[:1] + r.all("th") + r.all("td")[1:]) for r in main.one("tbody").all("tr")]
    served = select(
        client,
        """SELECT ?c (COUNT(DISTINCT ?i) AS ?n) WHERE {
            ?c plg:inFramework <https://w3id.org/plgkg/id/framework/little-1990> .
            OPTIONAL { ?i plg:serves ?c } } GROUP BY ?c""",
    )
    count = {r["c"]: r["n"] for r in served}
    assert rows == [
        ["1", "Sharing practices", count["little-sharing-practices"]],
        ["2", "Aid and assistance", count["little-aid-and-assistance"]],
        ["3", "Joint work", count["little-joint-work"]],
    ]
    assert all(th.attrs.get("scope") == "col" for th in main.one("thead").all("th"))


@pytest.mark.parametrize(
    ("lang", "h2", "figures", "derived"),
    [
        (
            "nl",
            [
                "Bronvermelding",
                "Zo haalt het hoofdstuk de bron aan",
                "Aangehaald in",
                "Verantwoording (controle van de gegevens)",
                "Getallen",
                "Wat in de catalogus hierop steunt",
                "Elders",
            ],
            ["62 afdelingen", "32 vo-scholen", "248 ervaren leraren"],
            ["Verbanden tussen interventie en kenmerk (1)", "Bevindingen (2)"],
        ),
        (
            "en",
            [
                "Citation",
                "How the chapter cites it",
                "Cited in",
                "Editorial note (verification)",
                "Figures",
                "What in the catalogue rests on it",
                "Elsewhere",
            ],
            ["62 departments", "32 secondary schools", "248 experienced teachers"],
            ["Links between intervention and characteristic (1)", "Findings (2)"],
        ),
    ],
)
def test_source_page(client: httpx.Client, lang: str, h2: list, figures: list, derived: list) -> None:
    main = page(client, "/id/source/vanblaere-devos-2017", lang)
    title = "The role of departmental leadership for professional learning communities"
    assert headings(main) == ([title], h2)
    assert crumbs(client, "/id/source/vanblaere-devos-2017", lang) == ["Home", "Vanblaere & Devos 2017"]
    assert main.one("p", "citation").text() == (
        f"Bénédicte Vanblaere & Geert Devos (2017). {title}. Educational Administration Quarterly, 54(1), "
        "85–114. https://doi.org/10.1177/0013161X17718023"
    )
    assert texts(main.one("ol", "people").all("li")) == ["Bénédicte Vanblaere", "Geert Devos"]
    assert texts(main.one("ul", "cited-as").all("li")) == ["Vanblaere en Devos (2017)"]
    shown = [r.one("th").text() for r in main.one("table", "figures").one("tbody").all("tr")]
    labels = select(
        client,
        f"""SELECT ?label WHERE {{ <https://w3id.org/plgkg/id/source/vanblaere-devos-2017> plg:figure ?f .
            ?f rdfs:label ?label FILTER(LANG(?label) = "{lang}") }} ORDER BY ?f""",
    )
    assert shown == [r["label"] for r in labels]
    assert len(shown) == len(figures)
    assert texts(main.all("h3")) == derived
    assert hrefs(main.one("p", "export").all("a")) == [
        "/id/source/vanblaere-devos-2017.bib",
        "/id/source/vanblaere-devos-2017.ris",
    ]
    assert texts(section(main, "cited-in").all("li")) == ["De school als professionele leergemeenschap"]
    assert hrefs(section(main, "cited-in").all("a")) == [f"/id/source/de-school-als-plg?lang={lang}"]
    note = section(main, "note").one("p")
    assert note.attrs.get("lang") is None  # in the page's language
    assert note.text().startswith(
        {"nl": "Uit de verwijzing in het hoofdstuk: Vanblaere, Devos, 2017",
         "en": "From the chapter's citation: Vanblaere, Devos, 2017"}[lang]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "label", "cite"),
    [
        ("nl", "In de ringen", "Bron: kader 'In de ringen' — Admiraal et al.; Sligte et al. 2018"),
        (
            "en",
            "In the rings",
            "Source: box 'In de ringen' (In the rings) — Admiraal et al.; Sligte et al. 2018",
        ),
    ],
)
def test_case_page(client: httpx.Client, lang: str, label: str, cite: str) -> None:
    main = page(client, "/id/case/in-de-ringen", lang)
    assert texts(main.all("h1")) == [label]
    assert texts(main.one("ul", "partners").all("li")) == ["Haagse Academie voor Lichamelijke Opvoeding"]
    description = section(main, "description")
    assert description.one("blockquote").text() == "Het leverde vooral bewustwording op."
    assert description.one("blockquote").one("p").attrs.get("lang") == (None if lang == "nl" else "nl")
    assert texts(description.all("p", "cite")) == [cite]
    figures = select(
        client, "SELECT ?f WHERE { <https://w3id.org/plgkg/id/case/in-de-ringen> plg:figure ?f }"
    )
    assert len(main.one("ul", "figures").all("li")) == len(figures)
    assert badges(main.one("header")) == ["stated"]


ILLUSTRATIONS = """SELECT ?intervention ?label ?basis ?rationale ?locator ?quote WHERE {{
    ?s a plg:IllustrationStatement ; plg:case <https://w3id.org/plgkg/id/case/{case}> ;
        plg:intervention ?intervention ; plg:basis ?basis ; plg:rationale ?rationale ; plg:locator ?locator .
    ?intervention skos:prefLabel ?label .
    FILTER(LANG(?label) = "{lang}" && LANG(?rationale) = "{lang}")
    OPTIONAL {{ ?s plg:quote ?quote }}
}} ORDER BY ?intervention"""
BASIS = {"StatedInChapter": "stated", "InferredByCatalogue": "inferred"}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_case_page_shows_each_link_with_its_basis_rationale_quote_and_locator(
    client: httpx.Client, lang: str
) -> None:
    main = page(client, "/id/case/in-de-ringen", lang)
    links = section(main, "illustrates").all("li", "claim")
    targets = [li.one("a", "target").attrs["href"].split("?")[0].rsplit("/", 1)[1] for li in links]
    shown = dict(zip(targets, links, strict=True))
    assert badges(shown["plgs-werkplaatsen-ontwerpteams"]) == ["stated"]
    assert badges(shown["intercollegiale-observatie"]) == ["inferred"]
    assert hrefs(shown["intercollegiale-observatie"].all("a", "badge-link")) == [
        f"/id/illustration/in-de-ringen--intercollegiale-observatie?lang={lang}"
    ]
    expected = select(client, ILLUSTRATIONS.format(case="in-de-ringen", lang=lang))
    prefix = "Bron" if lang == "nl" else "Source"
    assert [
        (
            li.one("a", "target").text(),
            badges(li),
            li.one("p", "rationale").text(),
            texts(li.all("blockquote")),
            li.one("p", "cite").text(),
        )
        for li in links
    ] == [
        (
            r["label"],
            [BASIS[r["basis"].rsplit("#", 1)[1]]],
            " ".join(r["rationale"].split()),
            [r["quote"]] if "quote" in r else [],
            f"{prefix}: {Tree.of(str(where(r['locator'], lang))).text()}",
        )
        for r in expected
    ]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_intervention_page_shows_the_basis_of_each_case_link(client: httpx.Client, lang: str) -> None:
    main = page(client, "/id/intervention/intercollegiale-observatie", lang)
    cases = section(main, "cases").all("li", "claim")
    rings = next(
        li for li in cases if li.one("a", "target").attrs["href"].startswith("/id/case/in-de-ringen?")
    )
    assert badges(rings) == ["inferred"]
    assert hrefs(rings.all("a", "badge-link")) == [
        f"/id/illustration/in-de-ringen--intercollegiale-observatie?lang={lang}"
    ]
    link = next(
        r
        for r in select(client, ILLUSTRATIONS.format(case="in-de-ringen", lang=lang))
        if r["intervention"] == "intercollegiale-observatie"
    )
    details = rings.one("details", "illustration")
    assert details.one("p", "rationale").text() == " ".join(link["rationale"].split())
    assert details.one("blockquote").text() == link["quote"]
    main = page(client, "/id/intervention/plgs-werkplaatsen-ontwerpteams", lang)
    rings = next(
        li
        for li in section(main, "cases").all("li", "claim")
        if li.one("a", "target").attrs["href"].startswith("/id/case/in-de-ringen?")
    )
    assert badges(rings) == ["stated"]


@pytest.mark.parametrize(
    ("lang", "kind", "crumb", "facts"),
    [
        (
            "nl",
            "Verband tussen praktijkvoorbeeld en interventie",
            ["Home", "In de ringen", "Intercollegiale observatie, beoordeling en feedback"],
            [
                ("Praktijkvoorbeeld", "In de ringen"),
                (
                    "Interventie",
                    "Intercollegiale observatie, beoordeling en feedback "
                    "(Samenwerken binnen en buiten de school)",
                ),
            ],
        ),
        (
            "en",
            "Link between practice case and intervention",
            ["Home", "In the rings", "Peer observation, assessment and feedback"],
            [
                ("Practice case", "In the rings"),
                (
                    "Intervention",
                    "Peer observation, assessment and feedback (Collaboration within and beyond the school)",
                ),
            ],
        ),
    ],
)
def test_illustration_statement_page(
    client: httpx.Client, lang: str, kind: str, crumb: list, facts: list
) -> None:
    path = "/id/illustration/in-de-ringen--intercollegiale-observatie"
    main = page(client, path, lang)
    assert main.one("p", "kind").text() == kind
    assert texts(main.all("h1")) == [f"{crumb[1]} → {crumb[2]}"]
    assert crumbs(client, path, lang) == crumb
    assert badges(main) == ["inferred"]
    dl = main.one("dl", "facts")
    assert list(zip(texts(dl.all("dt")), texts(dl.all("dd")), strict=True)) == facts
    assert (
        main.one("blockquote").text()
        == "We hebben onder meer onze lessen gefilmd en die opnames samen besproken."
    )
    assert texts(main.one("ul", "sources").all("a")) == ["Admiraal et al.", "Sligte et al. 2018"]


@pytest.mark.parametrize(
    ("lang", "label", "case"),
    [
        ("nl", "Vo-school uit het kader 'In de ringen'", "In de ringen"),
        ("en", "Secondary school from the box 'In the rings'", "In the rings"),
    ],
)
def test_school_page(client: httpx.Client, lang: str, label: str, case: str) -> None:
    main = page(client, "/id/school/school-in-de-ringen", lang)
    assert texts(main.all("h1")) == [label]
    assert texts(main.one("ul", "cases").all("li")) == [case]
    assert texts(main.one("ul", "studies").all("li")) == ["Sligte et al. 2018"]


@pytest.mark.parametrize(
    ("lang", "label", "about", "facts"),
    [
        (
            "nl",
            "PLG's hebben kleine positieve effecten op leerlingprestaties",
            "PLG's, werkplaatsen en docentontwerpteams",
            "Opbrengsten",
        ),
        (
            "en",
            "PLGs have small positive effects on student achievement",
            "PLGs, workshops and teacher design teams",
            "Effects",
        ),
    ],
)
def test_finding_page(client: httpx.Client, lang: str, label: str, about: str, facts: str) -> None:
    main = page(client, "/id/finding/plgs-leerlingprestaties", lang)
    assert texts(main.all("h1")) == [label]
    assert crumbs(client, "/id/finding/plgs-leerlingprestaties", lang) == ["Home", about, label]
    assert texts(main.one("ul", "about").all("li")) == [about]
    assert main.one("dd", "aspect").text() == facts
    assert badges(main) == ["stated"]
    assert main.one("blockquote").text() == (
        "Het blijkt dat de inzet van PLG’s in school kleine positieve effecten heeft op leerlingprestaties."
    )


@pytest.mark.parametrize(
    ("lang", "crumb"),
    [
        ("nl", ["Home", "Samenwerken binnen en buiten de school", "Teamteaching", "Joint work"]),
        ("en", ["Home", "Collaboration within and beyond the school", "Team teaching", "Joint work"]),
    ],
)
def test_serves_statement_page(client: httpx.Client, lang: str, crumb: list) -> None:
    path = "/id/serves/teamteaching--little-joint-work"
    main = page(client, path, lang)
    assert texts(main.all("h1")) == [f"{crumb[2]} → Joint work"]
    assert crumbs(client, path, lang) == crumb
    assert badges(main) == ["stated"]
    assert main.one("blockquote").text().startswith("Bij team teaching gaat het nog een stap verder")
    assert texts(main.one("ul", "sources").all("a")) == ["Admiraal et al.", "Little 1990"]


@pytest.mark.parametrize(("lang", "role"), [("nl", "Auteur van"), ("en", "Author of")])
def test_person_page(client: httpx.Client, lang: str, role: str) -> None:
    main = page(client, "/id/person/sligte-h", lang)
    assert texts(main.all("h1")) == ["Henk Sligte"]
    assert texts(main.all("h3")) == [role]
    assert [texts(li.all("a"))[0] for li in main.one("ul", "works").all("li")] == [
        "Admiraal et al. 2016",
        "Admiraal et al.",
        "Sligte et al. 2018",
    ]


def test_venue_and_agent_pages(client: httpx.Client) -> None:
    main = page(client, "/id/venue/school-effectiveness-and-school-improvement", "en")
    assert texts(main.one("ul", "works").all("a")) == ["Lomos et al. 2011"]
    main = page(client, "/id/agent/haagse-academie-voor-lichamelijke-opvoeding", "nl")
    assert texts(main.all("h3")) == ["Partner in"]
    assert texts(main.one("ul", "works").all("a")) == ["In de ringen"]


BIBTEX = """@article{lomos-hofman-bosker-2011,
  author = {Lomos, Catalina and Hofman, Roelande H. and Bosker, Roel J.},
  title = {Professional communities and student achievement – a meta-analysis},
  journal = {School Effectiveness and School Improvement},
  volume = {22},
  number = {2},
  pages = {121--148},
  year = {2011},
  issn = {0924-3453},
  doi = {10.1080/09243453.2010.550467}
}
"""

RIS = [
    "TY  - JOUR",
    "AU  - Lomos, Catalina",
    "AU  - Hofman, Roelande H.",
    "AU  - Bosker, Roel J.",
    "TI  - Professional communities and student achievement – a meta-analysis",
    "T2  - School Effectiveness and School Improvement",
    "VL  - 22",
    "IS  - 2",
    "SP  - 121",
    "EP  - 148",
    "PY  - 2011",
    "SN  - 0924-3453",
    "DO  - 10.1080/09243453.2010.550467",
    "UR  - https://doi.org/10.1080/09243453.2010.550467",
    "ER  - ",
]


def test_bibtex_export(client: httpx.Client) -> None:
    response = client.get("/id/source/lomos-hofman-bosker-2011.bib")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-bibtex; charset=utf-8"
    assert response.text == BIBTEX


def test_ris_export(client: httpx.Client) -> None:
    response = client.get("/id/source/lomos-hofman-bosker-2011.ris")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-research-info-systems; charset=utf-8"
    assert response.text.split("\r\n") == [*RIS, ""]


@pytest.mark.parametrize(
    "path",
    ["/id/source/nope.bib", "/id/source/nope.ris", "/id/intervention/nope", "/id/characteristic/nope"],
)
def test_unknown_resources_are_404_pages_for_browsers_and_text_for_others(
    client: httpx.Client, path: str
) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Niet gevonden</h1>" in response.text
    assert 'href="/">Naar de startpagina</a>' in response.text
    response = client.get(path, headers={"Accept": "*/*"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith(("No source with id 'nope'", "Not found: https://w3id.org/plgkg/id/"))


def test_data_text_is_escaped(client: httpx.Client) -> None:
    html = client.get("/id/characteristic/little-joint-work", headers={"Accept": "text/html"}).text
    assert "Little&#39;s &#39;joint work&#39;" in html
    assert "Little's 'joint work'" not in html
    html = client.get("/id/intervention/startactiviteiten", headers={"Accept": "text/html"}).text
    assert "Stoll &amp; Kools 2017" in html
    assert "Stoll & Kools" not in html


# -- outgoing links (issue 5) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "heading", "kind"), [("nl", "Elders", "zelfde begrip"), ("en", "Elsewhere", "same concept")]
)
def test_intervention_page_lists_its_external_links(
    client: httpx.Client, lang: str, heading: str, kind: str
) -> None:
    page = client.get(f"/id/intervention/teamteaching?lang={lang}", headers={"Accept": "text/html"}).text
    section = page.split('<h2 id="elsewhere">', 1)[1].split("</section>", 1)[0]
    assert section.startswith(f"{heading}</h2>")
    assert 'href="https://eric.ed.gov/?ti=Team+Teaching"' in section
    assert kind in section and "ERIC" in section
    assert (
        '<h2 id="elsewhere">'
        not in client.get(
            f"/id/intervention/schoolacademie?lang={lang}", headers={"Accept": "text/html"}
        ).text
    )


# -- the crosswalk between frameworks (issue 12) -----------------------------------------------------


def crosswalk(client: httpx.Client, characteristic: str, lang: str) -> list[tuple[str, str, str, list[str]]]:
    """The 'In other frameworks' section of a characteristic page: (relation, other's id, its framework,
    badges) per link."""
    main = page(client, f"/id/characteristic/{characteristic}", lang)
    return [
        (
            li.one("span", "relation").text(),
            li.one("a", "match-target").attrs["href"].split("?")[0].rsplit("/", 1)[1],
            li.one("a", "match-framework").text(),
            badges(li),
        )
        for li in section(main, "crosswalk").all("li", "claim")
    ]


GH = "Kenmerken van meer structureel ingerichte PLG's in school volgens Giles en Hargreaves"


def test_characteristic_page_lists_its_crosswalk_links_from_both_sides(client: httpx.Client) -> None:
    assert crosswalk(client, "lomos-leerlingen", "nl") == [
        ("nagenoeg hetzelfde", "gh-onderwijs-verbeteren", GH, ["inferred"])
    ]
    assert crosswalk(client, "gh-onderwijs-verbeteren", "en")[0][:2] == (
        "nearly the same",
        "lomos-leerlingen",
    )
    seen = {other: relation for relation, other, _, _ in crosswalk(client, "gh-samenwerken", "nl")}
    assert seen == {
        "lomos-samenwerken": "smaller",
        "little-sharing-practices": "smaller",
        "sk-teamleren": "verwant",
        "lomos-dialoog": "verwant",
    }
    seen = {other: relation for relation, other, _, _ in crosswalk(client, "gh-samenwerken", "en")}
    assert seen["lomos-samenwerken"] == "narrower" and seen["sk-teamleren"] == "related"
    seen = {other: relation for relation, other, _, _ in crosswalk(client, "lomos-samenwerken", "en")}
    assert seen == {"gh-samenwerken": "broader", "sk-teamleren": "broader", "little-joint-work": "narrower"}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_crosswalk_link_shows_rationale_and_links_to_its_statement(client: httpx.Client, lang: str) -> None:
    main = page(client, "/id/characteristic/lomos-leerlingen", lang)
    link = section(main, "crosswalk").one("li", "claim")
    assert hrefs(link.all("a", "badge-link")) == [
        f"/id/crosswalk/lomos-leerlingen--gh-onderwijs-verbeteren?lang={lang}"
    ]
    rationale = select(
        client,
        f"""SELECT ?r WHERE {{ <https://w3id.org/plgkg/id/crosswalk/lomos-leerlingen--gh-onderwijs-verbeteren>
            plg:rationale ?r FILTER(LANG(?r) = "{lang}") }}""",
    )
    assert link.one("p", "rationale").text() == " ".join(rationale[0]["r"].split())
    # crosswalk links are the catalogue's own: never among the links to other vocabularies
    elsewhere = [s for s in main.all("section") if s.attrs.get("aria-labelledby") == "elsewhere"]
    assert not any("/id/characteristic/" in href for s in elsewhere for href in hrefs(s.all("a")))


@pytest.mark.parametrize(
    ("lang", "facts"),
    [
        (
            "nl",
            [
                (
                    "Kenmerk",
                    "Met elkaar samenwerken aan onderwijs "
                    "(Kenmerken van PLG's volgens Lomos, Hofman en Bosker)",
                ),
                ("Kenmerk in een ander kader", f"Samenwerken en ervaringen uitwisselen ({GH})"),
                ("Het andere kenmerk is", "breder"),
            ],
        ),
        (
            "en",
            [
                (
                    "Characteristic",
                    "Working together on teaching "
                    "(Characteristics of PLGs according to Lomos, Hofman and Bosker)",
                ),
                (
                    "Characteristic in another framework",
                    "Collaborating and exchanging experience (Characteristics of more structurally organised "
                    "PLGs in school according to Giles and Hargreaves)",
                ),
                ("The other characteristic is", "broader"),
            ],
        ),
    ],
)
def test_crosswalk_statement_page(client: httpx.Client, lang: str, facts: list) -> None:
    path = "/id/crosswalk/lomos-samenwerken--gh-samenwerken"
    main = page(client, path, lang)
    dl = main.one("dl", "facts")
    assert list(zip(texts(dl.all("dt")), texts(dl.all("dd")), strict=True)) == facts
    assert badges(main) == ["inferred"]
    assert crumbs(client, path, lang)[-1] == facts[1][1].split(" (")[0]
    assert texts(main.one("ul", "sources").all("a")) == [
        "Admiraal et al.",
        "Giles & Hargreaves 2006",
        "Lomos et al. 2011",
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/id/illustration/in-de-ringen--intercollegiale-observatie",
        "/id/crosswalk/lomos-leerlingen--gh-onderwijs-verbeteren",
    ],
)
def test_new_statement_iris_resolve_as_html_and_rdf(client: httpx.Client, path: str) -> None:
    html = client.get(path, headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    turtle = client.get(path, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    subject = URIRef(f"https://w3id.org/plgkg/id{path[3:]}")
    assert (subject, PLG.basis, PLG.InferredByCatalogue) in graph
    assert client.get(f"{path}.ttl").status_code == 200


def test_case_and_characteristic_descriptions_carry_their_qualified_links(client: httpx.Client) -> None:
    case = Graph().parse(data=client.get("/id/case/in-de-ringen.ttl").text, format="turtle")
    statement = URIRef("https://w3id.org/plgkg/id/illustration/in-de-ringen--intercollegiale-observatie")
    assert (statement, PLG.basis, PLG.InferredByCatalogue) in case
    target = Graph().parse(
        data=client.get("/id/characteristic/gh-onderwijs-verbeteren.ttl").text, format="turtle"
    )
    match = URIRef("https://w3id.org/plgkg/id/crosswalk/lomos-leerlingen--gh-onderwijs-verbeteren")
    assert (match, PLG.predicate, SKOS.closeMatch) in target


# -- findings about a category or a framework, the aspect "intended mechanism" (issue 12) -------------

ASPECT = {"nl": "Beoogde werking", "en": "Intended mechanism"}


ASPECTS = ("prevalence", "durability", "obstacle", "condition", "mechanism", "effect")


def findings_about(client: httpx.Client, path: str, lang: str) -> dict[str, list[str]]:
    """The findings about the resource at this path, from the graph: their labels by aspect group id."""
    rows = select(
        client,
        f"""SELECT ?aspect ?label WHERE {{
            ?f a plg:Finding ; plg:about <https://w3id.org/plgkg{path}> ; plg:aspect ?aspect ;
                rdfs:label ?label .
            FILTER(LANG(?label) = "{lang}") }}""",
    )
    out: dict[str, list[str]] = {}
    for r in rows:
        out.setdefault(f"aspect-{r['aspect'].rsplit('#', 1)[1].lower()}", []).append(r["label"])
    return {k: sorted(v) for k, v in out.items()}


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(
    "path", ["/id/category/leiderschap", "/id/category/samenwerken", "/id/framework/little-1990"]
)
def test_category_and_framework_pages_show_their_findings(client: httpx.Client, path: str, lang: str) -> None:
    main = page(client, path, lang)
    expected = findings_about(client, path, lang)
    assert expected, "the catalogue has findings about this resource"
    groups = section(main, "findings").all("section", "aspect-group")
    shown = {g.one("h3").attrs["id"]: sorted(texts(g.all("a", "target"))) for g in groups}
    assert shown == expected
    assert list(shown) == [f"aspect-{a}" for a in ASPECTS if f"aspect-{a}" in expected]  # in aspect order
    assert all(len(badges(g)) == len(g.all("li", "claim")) for g in groups)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_intended_mechanism_aspect_has_a_heading(client: httpx.Client, lang: str) -> None:
    rows = select(
        client,
        """SELECT (STR(?about) AS ?iri) WHERE { ?f plg:aspect plg:Mechanism ; plg:about ?about }
           ORDER BY ?about LIMIT 1""",
    )
    assert rows, "the catalogue has a finding on an intended mechanism"
    main = page(client, rows[0]["iri"].removeprefix("https://w3id.org/plgkg"), lang)
    assert section(main, "aspect-mechanism").one("h3").text() == ASPECT[lang]
