"""Full-text search over the catalogue and the schools: SQLite's FTS5 (standard library) with the
Snowball stemmers for Dutch and English (snowballstemmer), indexed once per data generation.

Each document (a resource) has a name (its labels: weighted most), a body (definitions,
descriptions, examples) and a context (its category or framework, a source's authors and year, a
school's place, postcode, code and municipality). Every text is indexed in the language it is
written in, as Snowball stems, case-folded and without accents, and with Dutch double vowels made
single (so "leraar" and "leraren" meet); a text without a language is indexed in both. A query is
stemmed both ways and matches the Dutch columns with its Dutch stems or the English columns with its
English stems: "samenwerking" finds "samenwerken", "leraar als leider" finds "Leraren als leiders".
Every word must match (the last one also as a prefix, for suggestions as you type); when nothing
matches all words, the documents that match most of them are given instead. Ranked by BM25."""

from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import snowballstemmer

LANGS = ("nl", "en")
FIELDS = ("name", "body", "context")
WEIGHTS = {"name": 10.0, "body": 2.0, "context": 1.0}
MAX_QUERY = 200
_WORD = re.compile(r"\w+")
_STEMMERS = {"nl": snowballstemmer.stemmer("dutch"), "en": snowballstemmer.stemmer("english")}
_STEM_LOCK = threading.Lock()  # a snowballstemmer stemmer is not safe across threads
# words that say nothing on their own: left out of queries (a query of only these keeps them)
STOP = {
    "nl": frozenset(
        {
            "de",
            "het",
            "een",
            "en",
            "of",
            "van",
            "in",
            "op",
            "te",
            "voor",
            "met",
            "aan",
            "als",
            "bij",
            "door",
            "die",
            "dat",
            "is",
            "zijn",
            "om",
            "over",
            "tot",
            "naar",
            "uit",
            "dan",
            "ook",
            "er",
            "hoe",
            "wat",
            "wie",
            "welke",
        }
    ),
    "en": frozenset(
        {
            "the",
            "a",
            "an",
            "and",
            "or",
            "of",
            "in",
            "on",
            "to",
            "for",
            "with",
            "at",
            "as",
            "by",
            "is",
            "are",
            "be",
            "how",
            "what",
            "which",
            "who",
            "that",
            "this",
            "from",
            "into",
        }
    ),
}
_DOUBLE_VOWEL = re.compile(r"([aeou])\1")


def plain(text: str) -> str:
    """text case-folded and without accents ("Hét" → "het")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def stem(word: str, lang: str) -> str:
    """The Snowball stem of word in lang, without accents; in Dutch with double vowels single."""
    with _STEM_LOCK:
        stemmed = _STEMMERS[lang].stemWord(word.casefold())
    stemmed = plain(stemmed)
    return _DOUBLE_VOWEL.sub(r"\1", stemmed) if lang == "nl" else stemmed


def stems(text: str, lang: str) -> str:
    return " ".join(stem(w, lang) for w in words(text))


@dataclass
class Document:
    """A resource to find: its IRI and kind, and its texts by field, each with its language (None:
    no language, indexed in both)."""

    iri: str
    kind: str
    texts: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)

    def add(self, part: str, text: str, lang: str | None) -> None:
        if part not in FIELDS:
            raise ValueError(f"unknown field {part!r}; expected one of {', '.join(FIELDS)}")
        if text and (text, lang) not in self.texts.setdefault(part, []):
            self.texts[part].append((text, lang))


@dataclass(frozen=True)
class Hit:
    """A document that matches, best first: its IRI and kind, its rank, and the query's stems per
    language (to mark the matching words in its texts)."""

    iri: str
    kind: str
    score: float
    matched: frozenset[str]


@dataclass(frozen=True)
class Query:
    """A query as the index reads it: its words' stems per language, the last word also a prefix."""

    stems: dict[str, list[str]]
    prefix: bool

    @classmethod
    def of(cls, text: str, prefix: bool = True) -> Query:
        found = words(text[:MAX_QUERY])
        kept = [w for w in found if not any(w in STOP[lang] for lang in LANGS)] or found
        return cls({lang: [stem(w, lang) for w in kept] for lang in LANGS}, prefix and bool(kept))

    def match(self, every: bool) -> str:
        """The FTS5 match expression: each language's stems against its own columns; every word
        (AND) or any (OR). Stems are \\w+ only and quoted, so nothing in them is FTS5 syntax."""
        parts = []
        for lang in LANGS:
            terms = [f'"{s}"' for s in self.stems[lang]]
            if self.prefix and terms:
                terms[-1] += "*"
            if terms:
                columns = " ".join(f"{f}_{lang}" for f in FIELDS)
                parts.append(f"({{{columns}}} : ({(' AND ' if every else ' OR ').join(terms)}))")
        return " OR ".join(parts)

    def marks(self, word: str, lang: str | None) -> bool:
        """Whether word (of a text in lang; None: either) is one the query matches."""
        for language in (lang,) if lang in LANGS else LANGS:
            stemmed = stem(word, language)
            wanted = self.stems[language]
            if stemmed in wanted:
                return True
            if self.prefix and wanted and stemmed.startswith(wanted[-1]):
                return True
        return False


class SearchIndex:
    """An in-memory FTS5 index of documents, built once and then only read (thread-safe)."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        columns = ", ".join(f"{f}_{lang}" for lang in LANGS for f in FIELDS)
        self._db.execute(
            f"CREATE VIRTUAL TABLE doc USING fts5(iri UNINDEXED, kind UNINDEXED, {columns}, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        self.documents: dict[str, Document] = {}
        rows = []
        for document in documents:
            self.documents[document.iri] = document
            values = []
            for lang in LANGS:
                for part in FIELDS:
                    texts = document.texts.get(part, [])
                    values.append(" ".join(_indexed(text, lang) for text, tl in texts if tl in (lang, None)))
            rows.append((document.iri, document.kind, *values))
        placeholders = ", ".join("?" for _ in range(2 + len(LANGS) * len(FIELDS)))
        self._db.executemany(f"INSERT INTO doc VALUES ({placeholders})", rows)
        weights = ", ".join(str(WEIGHTS[f]) for _ in LANGS for f in FIELDS)
        self._rank = f"bm25(doc, 0, 0, {weights})"

    def __len__(self) -> int:
        return len(self.documents)

    def search(self, text: str, kinds: Sequence[str] = (), limit: int = 50, prefix: bool = True) -> list[Hit]:
        """The documents (of these kinds; none: all) that match text, best first: all its words if
        any document has them all, else the most of them."""
        query = Query.of(text, prefix)
        if not any(query.stems.values()):
            return []
        kind_filter = f" AND kind IN ({', '.join('?' for _ in kinds)})" if kinds else ""
        sql = (
            f"SELECT iri, kind, {self._rank} AS score FROM doc WHERE doc MATCH ?{kind_filter} "
            "ORDER BY score, iri LIMIT ?"
        )
        for every in (True, False):
            with self._lock:
                rows = self._db.execute(sql, (query.match(every), *kinds, limit)).fetchall()
            if rows:
                stems = frozenset(s for lang in LANGS for s in query.stems[lang])
                return [Hit(iri, kind, -score, stems) for iri, kind, score in rows]
        return []

    def count(self, kind: str) -> int:
        return sum(1 for d in self.documents.values() if d.kind == kind)


def _indexed(text: str, lang: str) -> str:
    """text as indexed in lang: its stems, and a postcode also written together ("1234 AB" is
    found as "1234ab")."""
    out = stems(text, lang)
    joined = [a + b for a, b in re.findall(r"\b(\d{4}) ?([A-Za-z]{2})\b", text)]
    return out + (" " + " ".join(plain(j) for j in joined) if joined else "")


def marked(text: str, query: Query, lang: str | None, width: int = 240) -> list[tuple[str, bool]]:
    """text cut to about width characters around its first matching word, as (part, is_match) pairs
    so that a template can mark the matches and still escape everything."""
    spans = [m.span() for m in _WORD.finditer(text) if query.marks(m.group(), lang)]
    start = 0
    if spans and spans[0][0] > width // 2:
        start = text.rfind(" ", 0, spans[0][0] - width // 3) + 1
    end = start + width
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    parts: list[tuple[str, bool]] = [("…", False)] if start > 0 else []
    at = start
    for a, b in spans:
        if a < start or b > end:
            continue
        if a > at:
            parts.append((text[at:a], False))
        parts.append((text[a:b], True))
        at = b
    if at < end:
        parts.append((text[at:end].rstrip(), False))
    if end < len(text):
        parts.append(("…", False))
    return parts
