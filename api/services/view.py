"""What a page read model needs to know of the request, and what it gives back: no request inside."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from rdflib.term import Node

from plgkg.namespaces import ONTOLOGY_IRI
from plgkg_api.services.catalogue import Catalogue
from plgkg_api.services.reader import Reader
from plgkg_api.services.schools import Schools
from plgkg_api.services.search import Search

LINKABLE = ("http://", "https://", "mailto:")


def safe_href(iri: str) -> str:
    """iri as a link target that cannot run anything: http(s) and mailto IRIs and this site's own
    paths as they are; any other IRI (javascript:, data:, urn:, …) becomes this site's description
    of it (a DESCRIBE on the query page), so data can name any IRI without making a page run it."""
    if iri.lower().startswith(LINKABLE) or (iri.startswith("/") and not iri.startswith("//")):
        return iri
    return "/sparql?" + urlencode({"query": f"DESCRIBE <{iri}>"})


def local_link(base_iri: str, iri: str, lang_query: str = "") -> str:
    """The local path of a catalogue IRI (the same resource, served here); other IRIs as safe_href."""
    if iri.startswith(base_iri):
        return f"/id/{iri[len(base_iri) :]}{lang_query}"
    if iri.startswith(ONTOLOGY_IRI):
        return f"/ontology{lang_query}#{iri.rpartition('#')[2]}" if "#" in iri else f"/ontology{lang_query}"
    return safe_href(iri)


@dataclass(frozen=True)
class View:
    """The page's language, whether the visitor chose it in the URL (then every link keeps it), the
    path asked for and the base of the catalogue's IRIs."""

    lang: str
    chosen: bool
    path: str
    base_iri: str

    @property
    def q(self) -> str:
        """The query string that keeps the chosen language on a link ("" when none was chosen)."""
        return f"?lang={self.lang}" if self.chosen else ""

    @property
    def other(self) -> str:
        return "en" if self.lang == "nl" else "nl"

    def href(self, iri: Node | str) -> str:
        return local_link(self.base_iri, str(iri), self.q)

    def crumb(self, label: str, iri: Node | str) -> tuple[str, str]:
        return (label, self.href(iri))

    def with_lang(self, path: str, params: dict[str, str | list[str]] | None = None) -> str:
        """A path of this site with these parameters (a list: the parameter repeated) and the chosen
        language."""
        query = {**(params or {}), **({"lang": self.lang} if self.chosen else {})}
        return path + (f"?{urlencode(query, doseq=True)}" if query else "")


@dataclass
class Page:
    """A page to render: its template, title, breadcrumbs (without Home), the IRI it is about, status,
    extra headers and the template's own context."""

    template: str
    title: str
    crumbs: Iterable[tuple[str, str]] = ()
    iri: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    context: dict[str, object] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        template: str,
        *,
        title: str,
        crumbs: Iterable[tuple[str, str]] = (),
        iri: str | None = None,
        status: int = 200,
        headers: dict[str, str] | None = None,
        **context: object,
    ) -> Page:
        """The page with the template's own context given as keywords."""
        return cls(template, title, list(crumbs), iri, status, dict(headers or {}), context)


@dataclass(frozen=True)
class Context:
    """What a page read model reads with: the query reader, the catalogue's, the schools' and the
    search's read models, and the view of the request."""

    reader: Reader
    catalogue: Catalogue
    schools: Schools
    search: Search
    view: View
