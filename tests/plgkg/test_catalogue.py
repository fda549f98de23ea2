"""The catalogue holds the whole chapter, bilingual and traceable to it."""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from plgkg.catalogue import LoadedGraph
from plgkg.namespaces import ID, PLG
from plgkg.validate import validate

TABLE_1 = {
    "Missie en visie van de school": [
        "Startactiviteiten",
        "Implementatie-activiteiten",
        "Integratie van de missie en visie in HR-beleid",
    ],
    "Professionalisering van de medewerkers": [
        "Begeleiding startende leraren",
        "Intervisiebijeenkomsten leraren",
        "Professionaliseringsbijeenkomsten",
        "Kennisnetwerken, kenniskringen en onderzoeksgroepen",
        "Extern professionaliseringsaanbod",
    ],
    "Samenwerken binnen en buiten de school": [
        "Intercollegiale observatie, beoordeling en feedback",
        "Teamteaching",
        "PLG's, werkplaatsen en docentontwerpteams",
    ],
    "Organisatiestructuur van de school": [
        "Anders inrichten van vaste overlegmomenten",
        "Intercollegiale observatie en beoordeling opnemen in HR-beleid",
        "Scheiding vakinhoudelijk overleg en overleg over de schoolorganisatie",
        "Implementeren van een schoolacademie",
    ],
    "Leiderschap": [
        "Initiëren en stimuleren van interventies",
        "Voorbeeldfunctie voor leraren",
        "Leraren als leiders",
    ],
}

TABLE_1_EXAMPLES = {
    "startactiviteiten": ["schrijfgroep", "responsgroep", "informatiebijeenkomsten"],
    "implementatieactiviteiten": ["studiedagen", "afdelingsoverleg"],
    "missie-visie-in-hr-beleid": ["gesprekkencyclus", "aannamebeleid", "vlootschouw"],
    "begeleiding-startende-leraren": ["buddy's", "mentoren", "coaches"],
    "professionaliseringsbijeenkomsten": ["studiedagen", "kenniscafés"],
    "leraren-als-leiders": [
        "coaches van collega's",
        "initiatiefnemers van onderwijsontwikkeling in school",
    ],
}

CITED = {
    "admiraal-et-al-2016",
    "schaap-leeferink-meijer-2018",
    "stoll-kools-2017",
    "sleegers-et-al-2013",
    "little-1990",
    "wenger-mcdermott-snyder-2000",
    "darling-hammond-bransford-2005",
    "grossman-wineburg-woolworth-2001",
    "giles-hargreaves-2006",
    "lomos-hofman-bosker-2011",
    "senge-1990",
    "vanblaere-devos-2017",
    "sligte-et-al-2018",
}


def _squash(text: str) -> str:
    """Text without case, whitespace or hyphens: the extraction broke words over lines."""
    return re.sub(r"[\s\-]+", "", text.lower().replace("’", "'"))


def _nl(graph, node) -> str:
    return next(str(o) for o in graph.objects(node, SKOS.prefLabel) if o.language == "nl")


def _ordered(graph, subjects):
    return sorted(subjects, key=lambda s: int(graph.value(s, PLG.order)))


def test_catalogue_conforms() -> None:
    report = validate()
    assert [v.line() for v in report.violations] == []


def test_table_1_categories_and_interventions_in_order(catalogue: LoadedGraph) -> None:
    g = catalogue.graph
    got = {
        _nl(g, c): [_nl(g, i) for i in _ordered(g, g.subjects(PLG.inCategory, c))]
        for c in _ordered(g, g.subjects(RDF.type, PLG.InterventionCategory))
    }
    assert got == TABLE_1
    assert list(got) == list(TABLE_1)


def test_table_1_examples_are_data(catalogue: LoadedGraph) -> None:
    g = catalogue.graph
    got = {}
    for intervention in g.subjects(RDF.type, PLG.Intervention):
        examples = _ordered(g, g.objects(intervention, PLG.example))
        if examples:
            got[str(intervention).rsplit("/", 1)[1]] = [_nl(g, e) for e in examples]
    assert got == TABLE_1_EXAMPLES


def test_frameworks_have_the_chapters_number_of_characteristics(catalogue: LoadedGraph) -> None:
    g = catalogue.graph
    counts = {
        str(f).rsplit("/", 1)[1]: len(set(g.subjects(PLG.inFramework, f)))
        for f in g.subjects(RDF.type, PLG.Framework)
    }
    assert counts == {
        "lomos-hofman-bosker-2011": 6,
        "stoll-kools-2017": 7,
        "giles-hargreaves-2006": 3,
        "little-1990": 3,
    }


def test_dutch_labels_are_the_chapters_own_terms(catalogue: LoadedGraph, chapter_text: str) -> None:
    g = catalogue.graph
    text = _squash(chapter_text)
    missing = []
    for cls in (
        PLG.Intervention,
        PLG.InterventionCategory,
        PLG.Characteristic,
        PLG.InterventionExample,
    ):
        for node in g.subjects(RDF.type, cls):
            label = _nl(g, node)
            if _squash(label) not in text:
                missing.append(label)
    assert missing == []


def test_every_quote_is_one_verbatim_sentence_of_the_chapter(
    catalogue: LoadedGraph, chapter_text: str
) -> None:
    quotes = [str(q) for q in catalogue.graph.objects(None, PLG.quote)]
    assert quotes
    text = _squash(chapter_text)
    assert [q for q in quotes if _squash(q) not in text] == []
    assert [q for q in quotes if re.search(r"[.!?]\s+[A-Z‘']", q)] == []


def test_every_citation_is_as_the_chapter_writes_it(catalogue: LoadedGraph, chapter_text: str) -> None:
    g = catalogue.graph
    cited = {str(s).rsplit("/", 1)[1] for s in g.subjects(PLG.citedAs, None)}
    assert cited == CITED
    text = _squash(chapter_text)
    assert [str(c) for c in g.objects(None, PLG.citedAs) if _squash(c) not in text] == []
    chapter = URIRef(ID["source/de-school-als-plg"])
    assert {
        str(s).rsplit("/", 1)[1] for s in g.objects(chapter, URIRef("http://purl.org/dc/terms/references"))
    } == CITED


def test_every_serves_triple_has_one_statement_and_back(catalogue: LoadedGraph) -> None:
    g = catalogue.graph
    triples = set(g.subject_objects(PLG.serves))
    statements = [
        (g.value(s, PLG.intervention), g.value(s, PLG.characteristic))
        for s in g.subjects(RDF.type, PLG.ServesStatement)
    ]
    assert sorted(statements) == sorted(triples)
    assert len(statements) == len(set(statements))


def test_every_claim_says_its_basis_and_source(catalogue: LoadedGraph) -> None:
    g = catalogue.graph
    prov = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
    chapter = URIRef(ID["source/de-school-als-plg"])
    for cls in (PLG.ServesStatement, PLG.Finding, PLG.Figure, PLG.Case):
        for claim in g.subjects(RDF.type, cls):
            assert g.value(claim, PLG.basis) in (PLG.StatedInChapter, PLG.InferredByCatalogue), claim
            assert chapter in set(g.objects(claim, prov)), claim


def test_findings_cover_every_aspect(catalogue: LoadedGraph) -> None:
    g = catalogue.graph
    aspects = {g.value(f, PLG.aspect) for f in g.subjects(RDF.type, PLG.Finding)}
    assert aspects == {PLG.Prevalence, PLG.Durability, PLG.Obstacle, PLG.Condition, PLG.Effect}


def test_the_two_boxed_cases_are_there(catalogue: LoadedGraph) -> None:
    g = catalogue.graph
    boxed = {_nl(g, c) for c in g.subjects(RDF.type, PLG.Case) if g.value(c, PLG.boxed) == Literal(True)}
    assert boxed == {"Kenniskring over onderwijsontwikkeling", "In de ringen"}
