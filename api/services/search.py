"""Search over every kind of resource (plgkg.search's index of plgkg/queries/search/documents.rq,
built once per data generation): ranked hits with their label in the page's language, what they
belong to and the matching words marked; and short suggestions for as-you-type."""

from __future__ import annotations

from collections.abc import Sequence

from plgkg import search
from plgkg_api import models
from plgkg_api.services.reader import Reader, slug
from plgkg_api.services.schools import Schools

KINDS = ("intervention", "category", "characteristic", "framework", "finding", "case", "source", "school")


class Search:
    def __init__(self, reader: Reader, schools: Schools) -> None:
        self.reader = reader
        self.schools = schools

    def index(self) -> search.SearchIndex:
        return self.reader.memo(("search-index",), self._build)

    def _build(self) -> search.SearchIndex:
        rows = (
            (
                str(r["resource"]),
                str(r["kind"]),
                str(r["field"]),
                str(r["text"]),
                getattr(r["text"], "language", None),
            )
            for r in self.reader.rows("search/documents")
        )
        registered = [
            search.school_document(
                s.iri,
                s.label,
                s.location_code,
                s.institution_code,
                s.place,
                s.postal_code,
                s.municipality.label if s.municipality else None,
            )
            for s in self.schools.index("nl")
            if s.location_code
        ]
        return search.SearchIndex([*search.documents(rows), *registered])

    def find(
        self, text: str, lang: str, kinds: Sequence[str] = (), limit: int = 50, prefix: bool = False
    ) -> list[models.SearchHit]:
        """The resources that match text, best first, each with its label in lang and a snippet of
        its best matching text with the matching words marked; with prefix, the last word matches
        as the start of a word too (suggestions as you type)."""
        index = self.index()
        query = search.Query.of(text, prefix)
        found = index.search(text, kinds, limit, prefix)
        return [self._hit(index.documents[h.iri], h.score, query, lang) for h in found]

    def _hit(
        self, document: search.Document, score: float, query: search.Query, lang: str
    ) -> models.SearchHit:
        names = document.texts.get("name", [])
        label = _pick(names, lang) or slug(document.iri)
        context = [t for t, tl in document.texts.get("context", []) if tl in (lang, None)]
        best: tuple[int, str, str | None] | None = None
        # the page's language first; where nothing matches in it, the text in the other language
        for languages in ((lang, None), tuple(search.LANGS)):
            for part in ("name", "body", "example", "context"):
                for text, tl in document.texts.get(part, []):
                    if tl not in languages:
                        continue
                    hits = sum(1 for w in search.words(text) if query.marks(w, tl))
                    if hits and (best is None or hits > best[0]):
                        best = (hits, text, tl)
            if best:
                break
        shown = best or (0, _pick(document.texts.get("body", []), lang) or label, lang)
        return models.SearchHit(
            id=slug(document.iri),
            iri=document.iri,
            kind=document.kind,
            label=label,
            context=context[:3],
            snippet=[
                models.SnippetPart(text=p, match=m) for p, m in search.marked(shown[1], query, shown[2])
            ],
            score=round(score, 3),
        )


def _pick(texts: list[tuple[str, str | None]], lang: str) -> str | None:
    """The first text in lang, else the first without a language, else the first."""
    for wanted in (lang, None):
        for text, tl in texts:
            if tl == wanted:
                return text
    return texts[0][0] if texts else None
