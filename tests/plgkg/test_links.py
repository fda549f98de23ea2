"""The catalogue's links to the UNESCO Thesaurus, checked against the thesaurus itself (issue 15):
the file in ../shared/data/unesco (SKOS, scheme modified 2019-10-15). Every concept the catalogue
names is in it, an exact match has the catalogue concept's own name, the name a page shows is the
file's, no concept the thesaurus has by the same name is left out, and every link names the
version it was checked against."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from plgkg.catalogue import LoadedGraph
from plgkg.namespaces import PLG, PROV, RDF, SKOS

ROOT = Path(__file__).resolve().parents[2]
THESAURUS = ROOT.parent / "shared" / "data" / "unesco" / "unesco-thesaurus.ttl"
UNESCO = "http://vocabularies.unesco.org/thesaurus/concept"
FILE_RECORD = (
    "https://github.com/EmidioStani/synonyms_harvester/blob/c4c1d7d64d0f9e68ba031f94d9719971f2f652e1/"
    "unesco-thesaurus.ttl"
)
CONCEPTS = (PLG.InterventionCategory, PLG.Intervention, PLG.Characteristic)

pytestmark = pytest.mark.skipif(not THESAURUS.exists(), reason=f"the UNESCO Thesaurus is not at {THESAURUS}")


def normal(label: str) -> str:
    """A label as compared: case, hyphens and a plural s ignored ("Team-teaching", "team teachings")."""
    words = label.casefold().replace("-", " ").split()
    return " ".join(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words)


@pytest.fixture(scope="module")
def thesaurus() -> dict[str, dict[str, set[str]]]:
    """Every concept of the file: its English preferred and alternative labels."""
    store = ox.Store()
    store.load(path=str(THESAURUS), format=ox.RdfFormat.TURTLE)
    concepts: dict[str, dict[str, set[str]]] = {}
    for row in store.query(
        """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?c ?kind ?label WHERE { ?c a skos:Concept . OPTIONAL {
            VALUES ?kind { skos:prefLabel skos:altLabel } ?c ?kind ?label FILTER(LANG(?label) = "en") } }"""
    ):
        entry = concepts.setdefault(row["c"].value, {"pref": set(), "alt": set()})
        if row["label"] is not None:
            entry["pref" if row["kind"].value.endswith("prefLabel") else "alt"].add(row["label"].value)
    assert len(concepts) == 4420  # as the file's README says
    return concepts


def unesco_mappings(catalogue: LoadedGraph) -> list[URIRef]:
    graph = catalogue.graph
    return [
        m for m in graph.subjects(RDF.type, PLG.Mapping) if str(graph.value(m, PLG.target)).startswith(UNESCO)
    ]


def english(graph, node, prop=SKOS.prefLabel) -> set[str]:
    return {str(o) for o in graph.objects(node, prop) if isinstance(o, Literal) and o.language == "en"}


def test_every_unesco_concept_the_catalogue_names_is_in_the_thesaurus(
    catalogue: LoadedGraph, thesaurus
) -> None:
    named = {str(o) for o in catalogue.graph.objects() if str(o).startswith(UNESCO)}
    named |= {str(s) for s in catalogue.graph.subjects() if str(s).startswith(UNESCO)}
    assert len(named) >= 20
    assert sorted(named - set(thesaurus)) == []


def test_an_exact_match_has_the_catalogue_concept_s_own_name(catalogue: LoadedGraph, thesaurus) -> None:
    graph = catalogue.graph
    exact = [m for m in unesco_mappings(catalogue) if graph.value(m, PLG.predicate) == SKOS.exactMatch]
    assert exact, "team teaching at least"
    for mapping in exact:
        subject, target = graph.value(mapping, PLG.subject), str(graph.value(mapping, PLG.target))
        ours = {normal(x) for x in english(graph, subject) | english(graph, subject, SKOS.altLabel)}
        theirs = {normal(x) for x in thesaurus[target]["pref"] | thesaurus[target]["alt"]}
        assert ours & theirs, (str(subject), target, ours, theirs)


def test_the_name_shown_for_a_target_is_the_thesaurus_s_preferred_label(
    catalogue: LoadedGraph, thesaurus
) -> None:
    graph = catalogue.graph
    for mapping in unesco_mappings(catalogue):
        shown = graph.value(mapping, PLG.targetLabel)
        assert shown is not None and shown.language == "en", str(mapping)
        assert {str(shown)} == thesaurus[str(graph.value(mapping, PLG.target))]["pref"], str(mapping)


def test_no_concept_the_thesaurus_has_by_the_same_name_is_left_out(catalogue: LoadedGraph, thesaurus) -> None:
    """A category, intervention or characteristic whose English name is a concept's name in the
    thesaurus is linked to that concept (with whatever match type fits), so no rationale can claim
    the thesaurus lacks it."""
    graph = catalogue.graph
    by_name: dict[str, set[str]] = {}
    for concept, labels in thesaurus.items():
        for label in labels["pref"] | labels["alt"]:
            by_name.setdefault(normal(label), set()).add(concept)
    linked = {
        (str(graph.value(m, PLG.subject)), str(graph.value(m, PLG.target)))
        for m in unesco_mappings(catalogue)
    }
    missing = []
    for cls in CONCEPTS:
        for subject in graph.subjects(RDF.type, cls):
            for name in english(graph, subject) | english(graph, subject, SKOS.altLabel):
                for concept in by_name.get(normal(name), ()):
                    if (str(subject), concept) not in linked:
                        missing.append((str(subject), name, concept))
    assert missing == []
    claims = [
        str(m) for m in unesco_mappings(catalogue)
        for text in graph.objects(m, PLG.rationale)
        if "no concept of its own" in str(text) or "geen eigen begrip" in str(text)
    ]  # fmt: skip
    assert claims == []


def test_every_unesco_link_names_the_thesaurus_version_it_was_checked_against(catalogue: LoadedGraph) -> None:
    graph = catalogue.graph
    for mapping in unesco_mappings(catalogue):
        assert URIRef(FILE_RECORD) in set(graph.objects(mapping, PROV.wasDerivedFrom)), str(mapping)
        notes = {o.language: str(o) for o in graph.objects(mapping, SKOS.editorialNote)}
        assert set(notes) == {"nl", "en"} and all("2019-10-15" in n for n in notes.values()), str(mapping)
        plain = (
            graph.value(mapping, PLG.subject),
            graph.value(mapping, PLG.predicate),
            graph.value(mapping, PLG.target),
        )
        assert plain in graph, f"{mapping}: the plain triple is not materialised"


# the Wikidata items ../shared/data/verified-identifiers.md lists as verified (nothing else may be used)
VERIFIED_WIKIDATA = {"Q3914", "Q159334", "Q37226", "Q55", "Q29999", "Q41550"}
WIKIDATA = "http://www.wikidata.org/entity/"


def test_only_verified_wikidata_items_are_used_each_with_the_record_that_shows_it(
    catalogue: LoadedGraph,
) -> None:
    graph = catalogue.graph
    used = {str(t) for triple in graph for t in triple if str(t).startswith(WIKIDATA)}
    assert {u.removeprefix(WIKIDATA) for u in used} <= VERIFIED_WIKIDATA
    assert {u.removeprefix(WIKIDATA) for u in used} >= {"Q3914", "Q159334", "Q55", "Q41550"}
    for item in used:
        mappings = [
            m for m in graph.subjects(PLG.target, URIRef(item)) if (m, RDF.type, PLG.Mapping) in graph
        ]
        notes = [str(n) for n in graph.objects(URIRef(item), SKOS.editorialNote)]
        records = [str(r) for m in mappings for r in graph.objects(m, PROV.wasDerivedFrom)]
        records += [word for note in notes for word in note.split() if word.startswith("https://")]
        # or the project's own list of verified identifiers, which names the record it was found in
        records += [note for note in notes if "shared/data/verified-identifiers.md" in note]
        assert records, f"{item}: no record that shows it"
