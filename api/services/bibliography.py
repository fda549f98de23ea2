"""The bibliography: the sources with their contributors in order, short citations, and each source
as a BibTeX entry or a RIS record."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rdflib import URIRef

from plgkg_api.services.reader import SLUG, Reader, slug, text


@dataclass
class Contributor:
    iri: str
    name: str
    family: str
    role: str

    @property
    def inverted(self) -> str:
        """'Family, Given' as bibliographies write it; a particle stays with the family name."""
        given, family = self.name, self.family
        if family and self.name.lower().endswith(family.lower()):
            family = self.name[len(self.name) - len(family) :]
            given = self.name[: len(self.name) - len(family)].strip()
        elif " " in self.name:
            given, family = self.name.rsplit(" ", 1)
        return f"{family}, {given}" if given else family


@dataclass
class SourceInfo:
    iri: str
    title: str | None = None
    year: str | None = None
    doi: str | None = None
    type: str | None = None
    contributors: list[Contributor] = field(default_factory=list)

    @property
    def authors(self) -> list[Contributor]:
        return [c for c in self.contributors if c.role in ("author", "creator")]

    @property
    def editors(self) -> list[Contributor]:
        return [c for c in self.contributors if c.role == "editor"]

    @property
    def short(self) -> str:
        """A short citation: 'Little 1990', 'Stoll & Kools 2017', 'Lomos et al. 2011'."""
        people = self.authors or self.editors
        families = [c.family or c.name for c in people]
        if not families:
            names = self.title or slug(self.iri)
        elif people[0].role == "creator" or len(families) > 2:
            names = f"{families[0]} et al."
        else:
            names = " & ".join(families)
        return f"{names} {self.year}" if self.year and families else names


def source_index(reader: Reader) -> dict[str, SourceInfo]:
    """Every source with its title, year, DOI, type and contributors in order, by IRI."""
    index: dict[str, SourceInfo] = {}
    for r in reader.rows("pages/source-index"):
        iri = str(r["source"])
        info = index.get(iri)
        if info is None:
            info = index[iri] = SourceInfo(
                iri=iri,
                title=text(r.get("title")),
                year=text(r.get("year")),
                doi=text(r.get("doi")),
                type=str(r["type"]).rsplit("/", 1)[-1] if r.get("type") is not None else None,
            )
        if r.get("person") is not None and all(
            c.iri != str(r["person"]) or c.role != str(r["role"]) for c in info.contributors
        ):
            info.contributors.append(
                Contributor(str(r["person"]), str(r["name"]), text(r.get("family")) or "", str(r["role"]))
            )
    return index


def cites(index: dict[str, SourceInfo], iris: Iterable[object], href: Callable[[str], str]) -> list[dict]:
    """Sources as the pages show them beside a claim: link (href of the IRI), short citation, title."""
    out = []
    for iri in dict.fromkeys(str(i) for i in iris):
        info = index.get(iri) or SourceInfo(iri=iri)
        out.append({"iri": iri, "href": href(iri), "short": info.short, "title": info.title})
    return out


BIBTEX_TYPES = {
    "AcademicArticle": "article",
    "Book": "book",
    "Chapter": "incollection",
    "Report": "techreport",
}
RIS_TYPES = {"AcademicArticle": "JOUR", "Book": "BOOK", "Chapter": "CHAP", "Report": "RPRT"}


def _bibtex_escape(text: str) -> str:
    for char in "\\{}":
        text = text.replace(char, "")
    for char in "&%$#_":
        text = text.replace(char, "\\" + char)
    return text


def bibtex(info: SourceInfo, details: dict) -> str:
    fields: list[tuple[str, str]] = []
    if info.authors:
        fields.append(("author", " and ".join(c.inverted for c in info.authors)))
    if info.editors:
        fields.append(("editor", " and ".join(c.inverted for c in info.editors)))
    if info.title:
        fields.append(("title", info.title))
    if details.get("venueTitle"):
        fields.append(("journal", details["venueTitle"]))
    if details.get("containerTitle"):
        fields.append(("booktitle", details["containerTitle"]))
    for key, name in (("volume", "volume"), ("issue", "number")):
        if details.get(key):
            fields.append((name, details[key]))
    if details.get("pageStart"):
        end = details.get("pageEnd")
        fields.append(("pages", f"{details['pageStart']}--{end}" if end else details["pageStart"]))
    if details.get("publisherName"):
        fields.append(("publisher", details["publisherName"]))
    if info.year:
        fields.append(("year", info.year))
    if details.get("issn"):
        fields.append(("issn", details["issn"]))
    if info.doi:
        fields.append(("doi", info.doi))
    kind = BIBTEX_TYPES.get(info.type or "", "misc")
    body = ",\n".join(f"  {name} = {{{_bibtex_escape(value)}}}" for name, value in fields)
    return f"@{kind}{{{slug(info.iri)},\n{body}\n}}\n"


def ris(info: SourceInfo, details: dict) -> str:
    lines = [("TY", RIS_TYPES.get(info.type or "", "GEN"))]
    lines += [("AU", c.inverted) for c in info.authors]
    lines += [("ED", c.inverted) for c in info.editors]
    if info.title:
        lines.append(("TI", info.title))
    if details.get("venueTitle"):
        lines.append(("T2", details["venueTitle"]))
    if details.get("containerTitle"):
        lines.append(("T2", details["containerTitle"]))
    for key, tag in (("volume", "VL"), ("issue", "IS"), ("pageStart", "SP"), ("pageEnd", "EP")):
        if details.get(key):
            lines.append((tag, details[key]))
    if details.get("publisherName"):
        lines.append(("PB", details["publisherName"]))
    if info.year:
        lines.append(("PY", info.year))
    if details.get("issn"):
        lines.append(("SN", details["issn"]))
    if info.doi:
        lines.append(("DO", info.doi))
        lines.append(("UR", f"https://doi.org/{info.doi}"))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


EXPORTS = {
    "bib": ("application/x-bibtex", bibtex),
    "ris": ("application/x-research-info-systems", ris),
}


def source_details(reader: Reader, iri: str) -> dict[str, str | None]:
    """The venue, container, volume, pages, publisher and ISSN of a source (pages/source-detail.rq)."""
    rows = reader.rows("pages/source-detail", source=URIRef(iri))
    return {k: text(v) for k, v in (rows[0] if rows else {}).items()}


def order(info: SourceInfo) -> tuple[str, str, str]:
    """The place of a source in a reference list: first author's (or editor's) family name, year,
    title; a source without people goes by its title."""
    people = info.authors or info.editors
    first = (people[0].family or people[0].name) if people else (info.title or "")
    return (first.casefold(), info.year or "", (info.title or "").casefold())


def collection(reader: Reader, suffix: str) -> tuple[str, str]:
    """Every source as one BibTeX file ("bib") or RIS file ("ris") in reference-list order: (the
    media type, the text)."""
    media, make = EXPORTS[suffix]
    infos = sorted(source_index(reader).values(), key=order)
    separator = "\n" if suffix == "bib" else ""
    return media, separator.join(make(info, source_details(reader, info.iri)) for info in infos)


def record(reader: Reader, slug_: str, suffix: str) -> tuple[str, str, str] | None:
    """The source with this id as a BibTeX entry ("bib") or RIS record ("ris"): (its IRI, the media
    type, the text); None when there is no such source."""
    media, make = EXPORTS[suffix]
    iri = f"{reader.base_iri}source/{slug_}"
    info = source_index(reader).get(iri) if SLUG.match(slug_) else None
    if info is None:
        return None
    return iri, media, make(info, source_details(reader, iri))
