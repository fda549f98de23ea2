"""plgkg.search: the words, stems and queries, and the ranking over the whole catalogue with the real
DUO register beside it: a table of what people type, in Dutch and English, and what must come first."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from plgkg import search
from plgkg.catalogue import LoadedGraph
from plgkg.imports.register import build_graph, read_rows
from plgkg.queries import load_query

ROOT = Path(__file__).resolve().parents[2]
REGISTER = ROOT.parent / "shared" / "data" / "duo" / "alle-vestigingen-vo.csv"
ID = "https://w3id.org/plgkg/id/"


@pytest.mark.parametrize(
    ("a", "b", "lang"),
    [
        ("leraar", "leraren", "nl"),
        ("samenwerking", "samenwerken", "nl"),
        ("leider", "leiders", "nl"),
        ("kenniskring", "kenniskringen", "nl"),
        ("teacher", "teachers", "en"),
        ("collaboration", "collaborations", "en"),
    ],
)
def test_word_forms_share_a_stem(a: str, b: str, lang: str) -> None:
    assert search.stem(a, lang) == search.stem(b, lang)


def test_accents_and_case_do_not_matter() -> None:
    assert search.plain("Hét Één") == "het een"
    assert search.stems("Hét KWC", "nl") == search.stems("het kwc", "nl")


def test_query_syntax_is_never_fts5_syntax() -> None:
    index = search.SearchIndex([_document("x", "intervention", "Team teaching")])
    for hostile in ['"', "team*", "NEAR(a b)", "a:b", "^team", "(", "team OR", "'; DROP TABLE doc; --", "…"]:
        index.search(hostile)  # no sqlite3.OperationalError
    assert [h.iri for h in index.search('"team" teaching')] == ["x"]


def test_every_word_must_match_else_the_most_of_them() -> None:
    index = search.SearchIndex(
        [_document("a", "intervention", "Team teaching"), _document("b", "intervention", "Team learning")]
    )
    assert [h.iri for h in index.search("team teaching")] == ["a"]
    assert [h.iri for h in index.search("team yoga")] == ["a", "b"] or [
        h.iri for h in index.search("team yoga")
    ] == ["b", "a"]
    assert index.search("yoga") == []


def test_the_last_word_as_a_prefix_for_suggestions() -> None:
    document = _document("a", "intervention", "Teamteaching")
    document.add("body", "Samenwerken binnen de school", "nl")
    index = search.SearchIndex([document])
    assert index.search("samenw", prefix=False) == []
    assert [h.iri for h in index.search("samenw", prefix=True)] == ["a"]


def test_a_word_inside_a_compound_name_is_found_when_no_stem_matches() -> None:
    index = search.SearchIndex([_document("a", "intervention", "PLG's, werkplaatsen en docentontwerpteams")])
    assert [h.iri for h in index.search("ontwerpteams")] == ["a"]
    assert [h.iri for h in index.search("werkplaats ontwerpteam")] == ["a"]
    assert index.search("ontwerpgroepen") == []


def test_marked_words_in_a_snippet() -> None:
    query = search.Query.of("leraar samenwerking", prefix=False)
    parts = search.marked("Leraren werken samen; samenwerken loont.", query, "nl")
    assert [p for p, hit in parts if hit] == ["Leraren", "samenwerken"]
    assert "".join(p for p, _ in parts) == "Leraren werken samen; samenwerken loont."


def _document(iri: str, kind: str, name: str, lang: str | None = None) -> search.Document:
    document = search.Document(iri, kind)
    document.add("name", name, lang)
    return document


# -- the ranking over the real data -----------------------------------------------------------------


@pytest.fixture(scope="module")
def index(catalogue: LoadedGraph) -> search.SearchIndex:
    rows, problems = read_rows(REGISTER, REGISTER.name)
    assert len(rows) > 1600 and len(problems) < 10
    store = ox.Store()
    for graph in (catalogue.graph, build_graph(rows)):
        store.extend(ox.parse(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES))
    found = store.query(load_query("search/documents"))
    catalogue_documents = search.documents(
        (r["resource"].value, r["kind"].value, r["field"].value, r["text"].value, r["text"].language)
        for r in found
    )
    # the register's schools as the service indexes them: from its school list (api/school-index.rq)
    schools = {}
    listed = load_query("api/school-index").replace("?lang", '"nl"')
    for r in store.query(listed):
        if r["locationCode"] is not None and r["school"].value not in schools:
            fields = ("locationCode", "institutionCode", "place", "postalCode", "municipalityName")
            values = [r[name].value if r[name] is not None else None for name in fields]
            schools[r["school"].value] = search.school_document(r["school"].value, r["label"].value, *values)
    assert len(schools) > 1600
    return search.SearchIndex([*catalogue_documents, *schools.values()])


# what people type → the resource that must come first (kind/id)
FIRST = [
    ("teamteaching", "intervention/teamteaching"),
    ("team teaching", "intervention/teamteaching"),
    ("intervisie", "intervention/intervisiebijeenkomsten"),
    ("peer consultation", "intervention/intervisiebijeenkomsten"),
    ("intercollegiale observatie", "intervention/intercollegiale-observatie"),
    ("peer observation", "intervention/intercollegiale-observatie"),
    ("startende leraren", "intervention/begeleiding-startende-leraren"),
    ("beginning teachers", "intervention/begeleiding-startende-leraren"),
    ("schoolacademie", "intervention/schoolacademie"),
    ("school academy", "intervention/schoolacademie"),
    ("leraar als leider", "intervention/leraren-als-leiders"),
    ("teachers as leaders", "intervention/leraren-als-leiders"),
    ("kennisnetwerk", "intervention/kennisnetwerken"),
    ("voorbeeldfunctie", "intervention/voorbeeldfunctie"),
    ("lesson study", "intervention/plgs-werkplaatsen-ontwerpteams"),
    ("ontwerpteams", "intervention/plgs-werkplaatsen-ontwerpteams"),
    ("vaste overlegmomenten", "intervention/vaste-overlegmomenten"),
    ("professionele dialoog", "characteristic/lomos-dialoog"),
    ("feedback geven", "characteristic/lomos-feedback"),
    ("joint work", "characteristic/little-joint-work"),
    ("reflectie", "characteristic/lomos-reflectie"),
    ("experimenteren", "characteristic/sk-experimenteren"),
    ("missie en visie", "category/missie-en-visie"),
    ("leiderschap", "category/leiderschap"),
    ("Little", "source/little-1990"),  # the work itself; its framework comes next
    ("Stoll", "source/stoll-kools-2017"),
    ("Stoll Kools 2017", "source/stoll-kools-2017"),
    ("In de ringen", "case/in-de-ringen"),
    ("weinig duurzaam", "finding/overlegmomenten-weinig-duurzaam"),
    ("KWC Culemborg", "school/19qa00"),
    ("het kwc", "school/19qa00"),
    ("4102 BM", "school/19qa00"),
    ("4102bm", "school/19qa00"),
    ("19QA00", "school/19qa00"),
    ("praktijkonderwijs Assen", "school/18br00"),
    ("collaborating", "characteristic/gh-samenwerken"),
    ("leadership", "category/leiderschap"),
    ("knowledge networks", "intervention/kennisnetwerken"),
    ("reflecting together", "characteristic/lomos-reflectie"),
    ("professional dialogue", "characteristic/lomos-dialoog"),
    ("Lek en Linge", "school/19ew00"),
    ("lerende organisatie", "framework/stoll-kools-2017"),
    ("Admiraal", "source/admiraal-et-al-2016"),
    ("induction", "intervention/begeleiding-startende-leraren"),
    ("HR-beleid visie", "intervention/missie-visie-in-hr-beleid"),
]


@pytest.mark.parametrize(("text", "first"), FIRST)
def test_what_people_type_finds_what_they_mean_first(
    index: search.SearchIndex, text: str, first: str
) -> None:
    hits = index.search(text, limit=5)
    assert hits, f"nothing found for {text!r}"
    assert hits[0].iri == ID + first, [h.iri.removeprefix(ID) for h in hits]


def test_the_table_is_long_enough() -> None:
    assert len(FIRST) >= 30
