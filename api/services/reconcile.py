"""The reconciliation service (issue 15): the W3C Entity Reconciliation API (version 0.2, as OpenRefine
speaks it) over plgkg.reconcile — the manifest, query batches with types, limits and properties,
entity/type/property suggestions and a preview card. Bad input raises ReconcileError (400 on the
route), naming the query and what is wrong with it."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from plgkg import reconcile
from plgkg.namespaces import ID, PLG
from plgkg_api.i18n import words
from plgkg_api.services.catalogue import Catalogue
from plgkg_api.services.reader import slug
from plgkg_api.services.schools import Schools
from plgkg_api.services.search import Search

VERSIONS = ["0.2"]
MAX_QUERIES = 50  # per batch (OpenRefine sends 10 at a time)
MAX_TEXT = 500  # characters of a name or a property value
MAX_LIMIT = 25
MAX_PROPERTIES = 10


@dataclass(frozen=True)
class Kind:
    """A type of the service: its id (the ontology's class name), the search kind, its names."""

    id: str
    kind: str
    nl: str
    en: str


TYPES = (
    Kind("Intervention", "intervention", "Interventie", "Intervention"),
    Kind("Characteristic", "characteristic", "Kenmerk", "Characteristic"),
    Kind("InterventionCategory", "category", "Categorie van interventies", "Intervention category"),
    Kind("Framework", "framework", "Kader", "Framework"),
    Kind("Source", "source", "Bron", "Source"),
    Kind("School", "school", "School (DUO-vestiging)", "School (DUO location)"),
)
BY_ID = {t.id: t for t in TYPES}
BY_KIND = {t.kind: t for t in TYPES}
# the properties a query may give, by type: id → (Dutch name, English name)
PROPERTIES: dict[str, dict[str, tuple[str, str]]] = {
    "School": {
        "locationCode": ("Vestigingscode (DUO)", "Location code (DUO)"),
        "institutionCode": ("Instellingscode, BRIN (DUO)", "Institution code, BRIN (DUO)"),
        "place": ("Plaats", "Place"),
        "postcode": ("Postcode", "Postcode"),
        "municipality": ("Gemeente (naam of CBS-nummer)", "Municipality (name or CBS number)"),
    },
    "Intervention": {"category": ("Categorie", "Category")},
    "Characteristic": {"framework": ("Kader", "Framework")},
}


class ReconcileError(ValueError):
    """A request the service cannot answer, with what is wrong and where."""


@dataclass(frozen=True)
class Query:
    text: str
    types: tuple[Kind, ...]
    limit: int
    properties: tuple[tuple[str, str], ...]


def parse_queries(raw: str) -> dict[str, Query]:
    """The batch of a queries= parameter (a JSON object of query objects), checked and bounded."""
    try:
        batch = json.loads(raw)
    except ValueError as err:
        raise ReconcileError(f"queries is not JSON: {err}") from None
    if not isinstance(batch, dict) or not batch:
        raise ReconcileError('queries must be a JSON object of queries, e.g. {"q0": {"query": "..."}}')
    if len(batch) > MAX_QUERIES:
        raise ReconcileError(f"queries holds {len(batch)} queries; at most {MAX_QUERIES} per batch")
    return {str(name)[:100]: parse_query(name, q) for name, q in batch.items()}


def parse_query(name: str, q: object) -> Query:
    """One query object ({"query", "type", "limit", "properties", "type_strict"}), or a bare string."""
    where = f"query {str(name)[:100]!r}"
    if isinstance(q, str):
        q = {"query": q}
    if not isinstance(q, dict):
        raise ReconcileError(f"{where}: expected an object with a 'query' text")
    text = q.get("query")
    if not isinstance(text, str) or not text.strip():
        raise ReconcileError(f"{where}: 'query' must be a non-empty text")
    if len(text) > MAX_TEXT:
        raise ReconcileError(f"{where}: 'query' is {len(text)} characters; at most {MAX_TEXT}")
    types = q.get("type")
    asked = [types] if isinstance(types, str) else (types or [])
    if not isinstance(asked, list) or not all(isinstance(t, str) for t in asked):
        raise ReconcileError(f"{where}: 'type' must be a type id or a list of them")
    unknown = [t for t in asked if _kind(t) is None]
    if unknown:
        raise ReconcileError(f"{where}: unknown type {unknown[0][:100]!r}; known: {', '.join(BY_ID)}")
    kinds = tuple(k for k in (_kind(t) for t in asked) if k is not None)
    limit = q.get("limit", 3)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ReconcileError(f"{where}: 'limit' must be a whole number from 1 to {MAX_LIMIT}")
    return Query(text.strip(), kinds, limit, _properties(where, q.get("properties") or [], kinds))


def _kind(type_id: str) -> Kind | None:
    """A type by its id, its ontology IRI or its search kind ("School", plg:School, "school")."""
    return BY_ID.get(type_id.removeprefix(str(PLG))) or BY_KIND.get(type_id)


def _properties(where: str, given: object, kinds: Sequence[Kind]) -> tuple[tuple[str, str], ...]:
    if not isinstance(given, list) or len(given) > MAX_PROPERTIES:
        raise ReconcileError(f"{where}: 'properties' must be a list of at most {MAX_PROPERTIES} objects")
    known = {pid for k in (kinds or TYPES) for pid in PROPERTIES.get(k.id, {})}
    pairs = []
    for p in given:
        pid = p.get("pid") if isinstance(p, dict) else None
        value = p.get("v") if isinstance(p, dict) else None
        if isinstance(value, dict):  # a reconciled value: {"id": …, "name": …}
            value = value.get("name") or value.get("id")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(pid, str) or not isinstance(value, str):
            raise ReconcileError(f'{where}: each property is {{"pid": id, "v": text}}')
        if pid not in known:
            raise ReconcileError(
                f"{where}: unknown property {pid[:100]!r}"
                + (f" for {', '.join(k.id for k in kinds)}" if kinds else "")
                + f"; known: {', '.join(sorted(known)) or 'none'}"
            )
        pairs.append((pid, value[:MAX_TEXT]))
    return tuple(pairs)


class Reconciler:
    """The service's answers, over the search index and the catalogue's and schools' read models."""

    def __init__(self, search: Search, catalogue: Catalogue, schools: Schools) -> None:
        self.search = search
        self.catalogue = catalogue
        self.schools = schools

    # -- manifest ---------------------------------------------------------------------------------

    def manifest(self, public_url: str, lang: str) -> dict:
        base = public_url.rstrip("/")
        t = words(lang)
        return {
            "versions": VERSIONS,
            "name": t["reconcile_name"],
            "identifierSpace": str(ID),
            "schemaSpace": str(PLG),
            "defaultTypes": [self._type(k, lang) for k in TYPES],
            "view": {"url": f"{base}/id/{{{{id}}}}"},
            "preview": {"url": f"{base}/reconcile/preview?id={{{{id}}}}", "width": 400, "height": 200},
            "suggest": {
                "entity": {"service_url": base, "service_path": "/reconcile/suggest/entity"},
                "type": {"service_url": base, "service_path": "/reconcile/suggest/type"},
                "property": {"service_url": base, "service_path": "/reconcile/suggest/property"},
            },
            "documentation": f"{base}/docs",
        }

    @staticmethod
    def _type(kind: Kind, lang: str) -> dict[str, str]:
        return {"id": kind.id, "name": kind.nl if lang == "nl" else kind.en}

    # -- queries ----------------------------------------------------------------------------------

    def answer(self, batch: Mapping[str, Query], lang: str) -> dict[str, dict]:
        return {name: {"result": self.candidates(q, lang)} for name, q in batch.items()}

    def candidates(self, q: Query, lang: str) -> list[dict]:
        index = self.search.index()
        found = reconcile.reconcile(
            index,
            q.text,
            [k.kind for k in q.types or TYPES],
            q.properties,
            lambda iri: self.facts(iri, lang),
            q.limit,
        )
        return [
            {
                "id": _id(c.iri),
                "name": c.name,
                "type": [self._type(BY_KIND[c.kind], lang)] if c.kind in BY_KIND else [],
                "score": c.score,
                "match": c.match,
                "description": self._description(index.documents[c.iri], lang),
            }
            for c in found
        ]

    def facts(self, iri: str, lang: str) -> dict[str, list[str]]:
        """A resource's values of the properties a query may give (both languages' names)."""
        kind = iri.removeprefix(str(ID)).split("/", 1)[0]
        if kind == "school":
            school = self._schools(lang).get(iri)
            if school is None:
                return {}
            m = school.municipality
            return {
                "locationCode": [school.location_code or ""],
                "institutionCode": [school.institution_code or ""],
                "place": [school.place or ""],
                "postcode": [school.postal_code or "", (school.postal_code or "").replace(" ", "")],
                "municipality": [v for v in ((m.label, m.code) if m else ()) if v],
            }
        if kind == "intervention":
            return {"category": self._parents("intervention").get(iri, [])}
        if kind == "characteristic":
            return {"framework": self._parents("characteristic").get(iri, [])}
        return {}

    def _schools(self, lang: str) -> dict[str, object]:
        """The school list by IRI, remembered with it (asked once per candidate of a query)."""
        return self.catalogue.reader.memo(
            ("reconcile-schools", lang), lambda: {s.iri: s for s in self.schools.index(lang)}
        )

    def _parents(self, kind: str) -> dict[str, list[str]]:
        """Each intervention's category (or characteristic's framework): its id and its names;
        remembered until the data change."""
        return self.catalogue.reader.memo(("reconcile-parents", kind), lambda: self._read_parents(kind))

    def _read_parents(self, kind: str) -> dict[str, list[str]]:
        parents: dict[str, list[str]] = {}
        for lang in ("nl", "en"):
            if kind == "intervention":
                for i in self.catalogue.interventions(lang):
                    parents.setdefault(i.iri, []).extend([i.category.id, i.category.label or ""])
            else:
                for c in self.catalogue.characteristics(lang):
                    parents.setdefault(c.iri, []).extend([c.framework.id, c.framework.label or ""])
        return parents

    @staticmethod
    def _description(document, lang: str) -> str:
        for part in ("body", "context"):
            for text, tl in document.texts.get(part, []):
                if tl in (lang, None):
                    return text[:200]
        return ""

    # -- suggestions and preview ------------------------------------------------------------------

    def suggest_entity(self, prefix: str, type_id: str | None, cursor: int, lang: str) -> list[dict]:
        kinds = [k.kind for k in (_kind(type_id),) if k] if type_id else [k.kind for k in TYPES]
        if type_id and _kind(type_id) is None:
            raise ReconcileError(f"unknown type {type_id[:100]!r}; known: {', '.join(BY_ID)}")
        hits = self.search.find(prefix[:MAX_TEXT], lang, kinds, limit=cursor + 10, prefix=True)[cursor:]
        return [
            {"id": _id(h.iri), "name": h.label, "description": " · ".join(h.context),
             "notable": [self._type(BY_KIND[h.kind], lang)] if h.kind in BY_KIND else []}
            for h in hits
        ]  # fmt: skip

    def suggest_type(self, prefix: str, lang: str) -> list[dict]:
        wanted = prefix.casefold()
        return [self._type(k, lang) for k in TYPES if any(wanted in n.casefold() for n in (k.id, k.nl, k.en))]

    def suggest_property(self, prefix: str, type_id: str | None, lang: str) -> list[dict]:
        kinds = [k for k in (_kind(type_id),) if k] if type_id else list(TYPES)
        wanted = prefix.casefold()
        return [
            {"id": pid, "name": names[0] if lang == "nl" else names[1]}
            for k in kinds
            for pid, names in PROPERTIES.get(k.id, {}).items()
            if wanted in pid.casefold() or any(wanted in n.casefold() for n in names)
        ]

    def preview(self, id: str, lang: str) -> dict | None:
        """What the preview card shows of the resource with this id ("intervention/teamteaching")."""
        iri = f"{ID}{id}"
        document = self.search.index().documents.get(iri)
        if document is None:
            return None
        names = document.texts.get("name", [])
        label = next((t for t, tl in names if tl == lang), None) or (names[0][0] if names else slug(iri))
        return {
            "iri": iri,
            "id": id,
            "label": label,
            "kind": words(lang)[f"kind_{document.kind}"],
            "description": self._description(document, lang),
            "context": [t for t, tl in document.texts.get("context", []) if tl in (lang, None)][:4],
        }


def _id(iri: str) -> str:
    """The service's id of a catalogue IRI: its path after the identifier space."""
    return iri.removeprefix(str(ID))
