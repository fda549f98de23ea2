"""Reconciling someone else's names with the catalogue: the matching behind a W3C Entity
Reconciliation service (api/services/reconcile.py speaks the protocol), built on the search index
(plgkg.search) that the catalogue's own search uses.

For a name of a kind, with properties ("Proefcollege Ariëlle" of kind school, municipality Utrecht),
the candidates are the documents the index finds (and, when it finds none, the names closest to it
letter by letter), each scored 0–100: how close its best name is to the name (case, accents and
hyphens ignored; a preferred or alternative label counts fully, an example of an intervention less),
and how well its facts agree with the properties. A candidate is a match only when that is
unambiguous: its name is the name, every property agrees, and no other candidate can say the same."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from plgkg.names import key
from plgkg.search import SearchIndex

EXAMPLE_WEIGHT = 0.85  # a name that is an example of an intervention, not its own name
NAME_SHARE = 0.6  # with properties: the name's share of the score, the properties' the rest
MATCH_SCORE = 90.0  # a match scores at least this
CANDIDATES = 25  # documents read from the index per name, before scoring
CONTAINED = 0.6  # the least a name scores when each word asked begins one of its words


@dataclass(frozen=True)
class Candidate:
    """A catalogue resource that may be what a name means: its IRI and kind, the name of it that
    came closest, its score (0–100), whether it is the match, and the facts that agreed."""

    iri: str
    kind: str
    name: str
    score: float
    match: bool
    agreed: tuple[str, ...] = ()


def similarity(asked: str, name: str) -> float:
    """How close two names are, 0–1: 1 when they are one name as plgkg.names.key compares them; when
    each word asked begins a word of the name ("intervisie" in "intervisiebijeenkomsten leraren"),
    at least 0.6 and more the more of the name it covers; else difflib's ratio of the two keys."""
    a, b = key(asked), key(name)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    words = b.split()
    if all(any(w.startswith(part) for w in words) for part in a.split()):
        ratio = max(ratio, CONTAINED + (1 - CONTAINED) * len(a) / len(b))
    return min(ratio, 0.99)  # only the same name scores 1


def _names(index: SearchIndex, iri: str) -> list[tuple[str, float]]:
    """A document's names with their weight: its labels fully, its examples (body texts of
    interventions that are names of example activities) less."""
    document = index.documents[iri]
    names = [(text, 1.0) for text, _ in document.texts.get("name", [])]
    names += [(text, EXAMPLE_WEIGHT) for text, _ in document.texts.get("example", [])]
    return names


def _closest(index: SearchIndex, text: str, kinds: Sequence[str]) -> list[str]:
    """Documents of these kinds whose names are closest to text letter by letter (a misspelt name
    the index's words do not find)."""
    by_key = _names_by_key(index, tuple(sorted(kinds)))
    found = difflib.get_close_matches(key(text), list(by_key), n=CANDIDATES, cutoff=0.6)
    return list(dict.fromkeys(iri for k in found for iri in by_key[k]))


@lru_cache(maxsize=4)  # a few (index, kinds) pairs; an old index is let go soon
def _names_by_key(index: SearchIndex, kinds: tuple[str, ...]) -> dict[str, list[str]]:
    """The names of the index's documents of these kinds (all, if none) as compared, each with its
    documents: built once per index (one per data generation), not for every misspelt name."""
    by_key: dict[str, list[str]] = {}
    for document in index.documents.values():
        if kinds and document.kind not in kinds:
            continue
        for name, _ in document.texts.get("name", []):
            by_key.setdefault(key(name), []).append(document.iri)
    return by_key


def reconcile(
    index: SearchIndex,
    text: str,
    kinds: Sequence[str] = (),
    properties: Sequence[tuple[str, str]] = (),
    facts: Callable[[str], Mapping[str, Sequence[str]]] = lambda iri: {},
    limit: int = 3,
) -> list[Candidate]:
    """The best candidates for text among documents of these kinds (none: all), best first, at most
    limit. properties are (property id, value) pairs; facts(iri) gives a document's values per
    property id (a property it has no value for disagrees)."""
    iris = [hit.iri for hit in index.search(text, kinds, CANDIDATES)] or _closest(index, text, kinds)
    scored = []
    for iri in dict.fromkeys(iris):
        name, name_score, exact = "", 0.0, False
        for candidate, weight in _names(index, iri):
            value = similarity(text, candidate) * weight
            if value > name_score:
                name, name_score, exact = candidate, value, weight == 1.0 and value == 1.0
        known = facts(iri) if properties else {}
        agreed, property_scores = [], []
        for pid, value in properties:
            best = max((similarity(value, v) for v in known.get(pid, ())), default=0.0)
            property_scores.append(best)
            if best >= 0.9:
                agreed.append(pid)
        if property_scores:
            share = sum(property_scores) / len(property_scores)
            score = 100 * (NAME_SHARE * name_score + (1 - NAME_SHARE) * share)
        else:
            score = 100 * name_score
        everything = exact and len(agreed) == len(property_scores)
        scored.append((round(score, 1), everything, iri, name, tuple(agreed)))
    scored.sort(key=lambda s: (-s[0], not s[1], s[2]))
    exact = sum(1 for s in scored if s[1])  # candidates whose name is the name, all properties agreeing
    best = []
    for i, (score, everything, iri, name, agreed) in enumerate(scored[:limit]):
        match = i == 0 and everything and exact == 1 and score >= MATCH_SCORE
        best.append(Candidate(iri, index.documents[iri].kind, name, score, match, agreed))
    return best
