"""Running the named queries for the read models, and the helpers every read model shares."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from rdflib import Literal, URIRef
from rdflib.term import Node

from plgkg.execution.service import QueryService
from plgkg.namespaces import PLG
from plgkg.stores import QueryResult
from plgkg_api import models

T = TypeVar("T")

# an id in a path or a filter: the slug of a catalogue IRI
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\Z")
BASIS = {PLG.StatedInChapter: "stated-in-chapter", PLG.InferredByCatalogue: "inferred-by-catalogue"}
BASIS_IRI = {name: iri for iri, name in BASIS.items()}
# the class of a basis badge on the pages, by the API's name of the basis
BASIS_CLASS = {"stated-in-chapter": "stated", "inferred-by-catalogue": "inferred"}
# the aspects of a finding, in the order the pages list them
ASPECTS = ("prevalence", "durability", "obstacle", "condition", "mechanism", "effect")


class NotFound(Exception):
    """No resource of this kind with this id (or no such path): 404 on every route."""

    def __init__(self, kind: str, id: str) -> None:
        super().__init__(f"No {kind} with id {id!r}")
        self.kind = kind
        self.id = id


class UnknownNames(Exception):
    """Names of a kind that no resource has (400 on every route), each with the closest known ids."""

    def __init__(self, kind: str, closest: dict[str, list[str]]) -> None:
        self.kind = kind
        self.closest = closest
        said = "; ".join(
            f"{name!r}" + (f" (did you mean {' or '.join(near)}?)" if near else "")
            for name, near in closest.items()
        )
        super().__init__(f"Unknown {kind} id(s): {said}")


@dataclass(frozen=True)
class Reader:
    """The query service and the base of the catalogue's IRIs: what every read model reads with."""

    service: QueryService
    base_iri: str

    def run(self, name: str, **bindings: Node | str | None) -> QueryResult:
        """The answer of plgkg/queries/<name>.rq ("api/cases", say) with these values bound; None
        leaves a variable unbound, a str is bound as a plain literal."""
        values = {k: v if isinstance(v, Node) else Literal(v) for k, v in bindings.items() if v is not None}
        return self.service.named_query(name, values)

    def rows(self, name: str, **bindings: Node | str | None) -> list[dict[str, Node]]:
        return list(self.run(name, **bindings).bindings())

    def iri(self, kind: str, slug: str) -> URIRef:
        """The IRI of the resource of this kind with this id; NotFound for an id no IRI can have."""
        if not SLUG.match(slug):
            raise NotFound(kind, slug)
        return URIRef(f"{self.base_iri}{kind}/{slug}")

    def kind(self, iri: str) -> str:
        """The kind of a catalogue IRI (the path segment after the base: "intervention"), else ""."""
        return iri[len(self.base_iri) :].split("/", 1)[0] if iri.startswith(self.base_iri) else ""

    def memo(self, key: object, build: Callable[[], T]) -> T:
        """build()'s value, remembered until the data change."""
        return self.service.memo(key, build)


def basis_class(value: Node | str | None) -> str | None:
    """The badge class of a basis given by its IRI (a term or its text) or by the API's name of it."""
    if value is None:
        return None
    return BASIS_CLASS.get(BASIS.get(URIRef(str(value)), str(value)))


def slug(iri: Node | str) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def text(value: Node | None) -> str | None:
    return None if value is None else str(value)


def ref(iri: Node, label: Node | None) -> models.Ref:
    """A link to a resource with its label: the label is always asked for, so that no read model can
    leave it out by forgetting it (a resource without one in the graph gets its id)."""
    return models.Ref(id=slug(iri), iri=str(iri), label=str(label) if label is not None else slug(iri))


def grouped(rows: Iterable[dict], key: str | tuple[str, ...]) -> dict:
    """Rows grouped by the value of one variable (or by a tuple of several), in the rows' order."""
    groups: dict = {}
    for row in rows:
        value = row[key] if isinstance(key, str) else tuple(row.get(k) for k in key)
        groups.setdefault(value, []).append(row)
    return groups


def unique(values: Iterable[Node | None]) -> list[Node]:
    return list(dict.fromkeys(v for v in values if v is not None))


def unique_pairs(rows: Iterable[dict], name: str, label: str) -> list[tuple[Node, Node | None]]:
    """The distinct values of one variable with the label beside it, in the rows' order."""
    seen: dict[Node, Node | None] = {}
    for row in rows:
        value = row.get(name)
        if value is not None and value not in seen:
            seen[value] = row.get(label)
    return list(seen.items())


def page(items: list, limit: int, offset: int) -> dict:
    """One page of items, as the JSON API's Page model."""
    return {"total": len(items), "limit": limit, "offset": offset, "items": items[offset : offset + limit]}
