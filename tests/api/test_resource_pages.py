"""The typed HTML pages of catalogue resources (issue 4): exact content for one known resource of every
kind, in Dutch and English; BibTeX and RIS exports; escaping; plain 404s."""

from __future__ import annotations

from html.parser import HTMLParser

import httpx
import pytest

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return " ".join("".join(parts).split())

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and (cls is None or cls in child.classes()):
                    found.append(child)
                found.extend(child.all(tag, cls))
        return found

    def one(self, tag: str | None = None, cls: str | None = None) -> Node:
        found = self.all(tag, cls)
        assert len(found) == 1, (tag, cls, len(found))
        return found[0]


class Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#root", {}, None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag: str) -> None:
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def page(client: httpx.Client, path: str, lang: str) -> Node:
    response = client.get(path, params={"lang": lang}, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    tree = Tree()
    tree.feed(response.text)
    return tree.root.one("main")


def texts(nodes: list[Node]) -> list[str]:
    return [n.text() for n in nodes]


def hrefs(nodes: list[Node]) -> list[str]:
    return [n.attrs["href"] for n in nodes]


def crumbs(client: httpx.Client, path: str, lang: str) -> list[str]:
    response = client.get(path, params={"lang": lang}, headers={"Accept": "text/html"})
    tree = Tree()
    tree.feed(response.text)
    return texts(tree.root.one("nav", "crumbs").all("li"))


def badges(node: Node) -> list[str]:
    return [next(c for c in b.classes() if c != "badge") for b in node.all("span", "badge")]


def headings(main: Node) -> tuple[list[str], list[str]]:
    return texts(main.all("h1")), texts(main.all("h2"))


INTERVENTION = {
    "nl": {
        "h": (
            ["Startactiviteiten"],
            [
                "Definitie",
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
                    "Het met elkaar eens zijn over de missie van school en onderwijs",
                ],
            ),
            (
                "Kenmerken van de school als lerende organisatie volgens Stoll en Kools",
                ["Ontwikkelen en delen van een gezamenlijke visie over onderwijs en leren van leerlingen"],
            ),
        ],
        "cite": "Bron: Tabel 1; §3.3 'Missie en visie'; §3.2 Lomos et al., kenmerk 1 — Admiraal et al.; "
        "Lomos et al. 2011",
        "aspects": [
            ("Opbrengsten", ["Visieontwikkeling gaat langzaam maar levert op termijn een lerende cultuur op"])
        ],
    },
    "en": {
        "h": (
            ["Start activities"],
            [
                "Definition",
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
                    "Agreeing with each other on the mission of the school and of education",
                ],
            ),
            (
                "Characteristics of the school as a learning organisation according to Stoll and Kools",
                ["Developing and sharing a joint vision of teaching and students' learning"],
            ),
        ],
        "cite": "Source: Tabel 1; §3.3 'Missie en visie'; §3.2 Lomos et al., kenmerk 1 — Admiraal et al.; "
        "Lomos et al. 2011",
        "aspects": [("Effects", ["Vision development is slow but in time yields a learning culture"])],
    },
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_intervention_page(client: httpx.Client, lang: str) -> None:
    want = INTERVENTION[lang]
    main = page(client, "/id/intervention/startactiviteiten", lang)
    assert headings(main) == want["h"]
    assert crumbs(client, "/id/intervention/startactiviteiten", lang) == want["crumbs"]
    assert main.one("p", "other-label").text() == want["other"]
    assert texts(main.one("ul", "examples").all("li")) == want["examples"]
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
            ["Definitie", "Interventies die dit kenmerk dienen"],
            ["Home", "Soorten PLG's volgens Little", "Joint work"],
            ["PLG's, werkplaatsen en docentontwerpteams", "Teamteaching"],
        ),
        (
            "en",
            ["Definition", "Interventions that serve this characteristic"],
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
    assert texts(main.all("a", "target")) == labels
    assert badges(main) == ["stated", "stated"]
    assert hrefs(main.all("a", "badge-link")) == [
        f"/id/serves/plgs-werkplaatsen-ontwerpteams--little-joint-work?lang={lang}",
        f"/id/serves/teamteaching--little-joint-work?lang={lang}",
    ]
    prefix = "Bron" if lang == "nl" else "Source"
    assert (
        texts(main.all("p", "cite"))
        == [f"{prefix}: §3.3 'Samenwerken'; §3.2 Little, soort 3 — Admiraal et al.; Little 1990"] * 2
    )


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
    prefix = "Bron" if lang == "nl" else "Source"
    assert texts(main.all("p", "cite")) == [
        f"{prefix}: Tabel 1; §3.3, categorie 5 en 'Leiderschap' — Admiraal et al."
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
    assert rows == [
        ["1", "Sharing practices", "3"],
        ["2", "Aid and assistance", "5"],
        ["3", "Joint work", "2"],
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
                "Verantwoording (controle van de gegevens)",
                "Getallen",
                "Wat in de catalogus hierop steunt",
                "Elders",
            ],
            ["62 afdelingen", "32 vo-scholen", "248 ervaren leraren"],
            ["Dient-uitspraken (1)", "Bevindingen (2)"],
        ),
        (
            "en",
            [
                "Citation",
                "How the chapter cites it",
                "Editorial note (verification)",
                "Figures",
                "What in the catalogue rests on it",
                "Elsewhere",
            ],
            ["62 departments", "32 secondary schools", "248 experienced teachers"],
            ["Serves statements (1)", "Findings (2)"],
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
    assert [r.one("th").text() for r in main.one("table", "figures").one("tbody").all("tr")] == figures
    assert texts(main.all("h3")) == derived
    assert hrefs(main.one("p", "export").all("a")) == [
        "/id/source/vanblaere-devos-2017.bib",
        "/id/source/vanblaere-devos-2017.ris",
    ]
    note = main.all("section")[2].one("p")
    assert note.attrs.get("lang") == ("en" if lang == "nl" else None)
    assert note.text().startswith("From the chapter's citation: Vanblaere, Devos, 2017")


@pytest.mark.parametrize(
    ("lang", "label", "illustrates", "cite"),
    [
        (
            "nl",
            "In de ringen",
            [
                "Intercollegiale observatie, beoordeling en feedback",
                "Kennisnetwerken, kenniskringen en onderzoeksgroepen",
                "Leraren als leiders",
                "PLG's, werkplaatsen en docentontwerpteams",
            ],
            "Bron: kader 'In de ringen' — Admiraal et al.; Sligte et al. 2018",
        ),
        (
            "en",
            "In the rings",
            [
                "Peer observation, assessment and feedback",
                "Knowledge networks, knowledge circles and research groups",
                "Teachers as leaders",
                "PLGs, workshops and teacher design teams",
            ],
            "Source: kader 'In de ringen' — Admiraal et al.; Sligte et al. 2018",
        ),
    ],
)
def test_case_page(client: httpx.Client, lang: str, label: str, illustrates: list, cite: str) -> None:
    main = page(client, "/id/case/in-de-ringen", lang)
    assert texts(main.all("h1")) == [label]
    assert texts(main.one("ul", "illustrates").all("li")) == illustrates
    assert texts(main.one("ul", "partners").all("li")) == ["Haagse Academie voor Lichamelijke Opvoeding"]
    assert main.one("blockquote").text() == "Het leverde vooral bewustwording op."
    assert main.one("blockquote").one("p").attrs.get("lang") == (None if lang == "nl" else "nl")
    assert texts(main.all("p", "cite")) == [cite]
    assert len(main.one("ul", "figures").all("li")) == 3
    assert badges(main.one("header")) == ["stated"]


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
def test_unknown_resources_are_plain_404(client: httpx.Client, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/plain")


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
