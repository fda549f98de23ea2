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
matches all words, the documents that match most of them are given instead. Ranked first by how a
name matches (it is the query; it starts with the query; it holds every word), then by BM25 weighted
by the kind of resource."""

from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

LANGS = ("nl", "en")
FIELDS = ("name", "body", "example", "context")
WEIGHTS = {"name": 10.0, "body": 2.0, "example": 2.0, "context": 1.0}
# what people look for most, as a factor on BM25: the catalogue's own terms before the findings that
# mention them (a finding's label is a whole sentence and holds many words)
KIND_WEIGHTS = {
    "intervention": 1.5,
    "category": 1.4,
    "characteristic": 1.3,
    "framework": 1.3,
    "source": 1.2,
    "case": 1.1,
    "school": 1.0,
    "finding": 0.8,
}
CANDIDATES = 200
LONG_STEM = (
    8  # stems this long also match as a prefix (see _root)  # FTS5 hits re-ranked by how well a name matches
)
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


@lru_cache(maxsize=100_000)  # a language has far fewer words than a text has tokens
def stem(word: str, lang: str) -> str:
    """The Snowball stem of word in lang, without accents; in Dutch with double vowels single."""
    with _STEM_LOCK:
        stemmed = _STEMMERS[lang].stemWord(word.casefold())
    stemmed = plain(stemmed)
    return _DOUBLE_VOWEL.sub(r"\1", stemmed) if lang == "nl" else stemmed


def stems(text: str, lang: str) -> str:
    return " ".join(stem(w, lang) for w in words(text))


def _content(found: list[str]) -> list[str]:
    """The words that say something: without the little words of either language (all of them if
    there is nothing else)."""
    return [w for w in found if not any(w in STOP[lang] for lang in LANGS)] or found


def _root(stemmed: str) -> str:
    """What a long stem is matched by: its start without the last two letters, so that forms the
    stemmer leaves apart still meet (reflectie/reflecteren, reflection/reflect); short stems whole."""
    return stemmed[:-2] if len(stemmed) >= LONG_STEM else stemmed


def content_stems(text: str, lang: str) -> list[str]:
    return [stem(w, lang) for w in _content(words(text))]


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


def documents(rows: Iterable[tuple[str, str, str, str, str | None]]) -> list[Document]:
    """The documents of the rows of plgkg/queries/search/documents.rq, as (resource, kind, field,
    text, language) tuples: one document per resource, its texts in the rows' order."""
    found: dict[str, Document] = {}
    for resource, kind, part, text, lang in rows:
        found.setdefault(resource, Document(resource, kind)).add(part, text, lang or None)
    return list(found.values())


def school_document(
    iri: str,
    name: str,
    location_code: str | None = None,
    institution_code: str | None = None,
    place: str | None = None,
    postcode: str | None = None,
    municipality: str | None = None,
) -> Document:
    """A school of the register as the index holds it: its name and location code as names, its
    institution code, place, postcode and municipality as context (no language: found in both).
    Built from the school list the service keeps anyway, not from documents.rq: at 17,000 schools
    reading them twice through the query workers took longer than a query may."""
    document = Document(iri, "school")
    document.add("name", name, None)
    if location_code:
        document.add("name", location_code, None)
    for text in (institution_code, place, postcode, municipality):
        if text:
            document.add("context", text, None)
    return document


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

    stems: dict[str, list[str]]  # the words that say something (all, if only little words)
    prefix: bool
    every: dict[str, list[str]] = field(default_factory=dict)  # all words, the little ones too
    content: list[str] = field(default_factory=list)  # the words that say something, as typed

    @classmethod
    def of(cls, text: str, prefix: bool = False) -> Query:
        found = words(text[:MAX_QUERY])
        kept = _content(found)
        return cls(
            {lang: [stem(w, lang) for w in kept] for lang in LANGS},
            prefix and bool(kept),
            {lang: [stem(w, lang) for w in found] for lang in LANGS},
            kept,
        )

    def match(self, every: bool) -> str:
        """The FTS5 match expression: each language's stems against its own columns; every word
        (AND) or any (OR). Stems are \\w+ only and quoted, so nothing in them is FTS5 syntax."""
        parts = []
        for lang in LANGS:
            terms = [
                f'"{root}"*' if root != s or (self.prefix and i == len(self.stems[lang]) - 1) else f'"{s}"'
                for i, s in enumerate(self.stems[lang])
                for root in [_root(s)]
            ]
            if terms:
                columns = " ".join(f"{f}_{lang}" for f in FIELDS)
                parts.append(f"({{{columns}}} : ({(' AND ' if every else ' OR ').join(terms)}))")
        return " OR ".join(parts)

    def marks(self, word: str, lang: str | None) -> bool:
        """Whether word (of a text in lang; None: either) is one the query matches."""
        for language in (lang,) if lang in LANGS else LANGS:
            stemmed = stem(word, language)
            wanted = self.stems[language]
            if any(stemmed == s or (_root(s) != s and stemmed.startswith(_root(s))) for s in wanted):
                return True
            if self.prefix and wanted and stemmed.startswith(wanted[-1]):
                return True
        return False

    def plain_words(self) -> list[str]:
        """The query's words that say something, case-folded and without accents (for the
        substring search over names)."""
        return [plain(w) for w in self.content]


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
        # each document's names as stems, per language (a name without a language in both)
        self._names: dict[str, dict[str, list[tuple[list[str], list[str]]]]] = {}
        rows = []
        for document in documents:
            self.documents[document.iri] = document
            self._names[document.iri] = {
                lang: [
                    (stems(text, lang).split(), content_stems(text, lang))
                    for text, tl in document.texts.get("name", [])
                    if tl in (lang, None)
                ]
                for lang in LANGS
            }
            values = []
            for lang in LANGS:
                for part in FIELDS:
                    texts = document.texts.get(part, [])
                    values.append(" ".join(_indexed(text, lang) for text, tl in texts if tl in (lang, None)))
            rows.append((document.iri, document.kind, *values))
        placeholders = ", ".join("?" for _ in range(2 + len(LANGS) * len(FIELDS)))
        self._db.executemany(f"INSERT INTO doc VALUES ({placeholders})", rows)
        # the names again, as trigrams: a word inside a compound ("ontwerpteams" in
        # "docentontwerpteams"), found when no stem matches
        self._db.execute(
            "CREATE VIRTUAL TABLE names USING fts5(iri UNINDEXED, kind UNINDEXED, text, tokenize = 'trigram')"
        )
        self._db.executemany(
            "INSERT INTO names VALUES (?, ?, ?)",
            [
                (d.iri, d.kind, plain(text))
                for d in self.documents.values()
                for text, _ in d.texts.get("name", [])
            ],
        )
        weights = ", ".join(str(WEIGHTS[f]) for _ in LANGS for f in FIELDS)
        self._rank = f"bm25(doc, 0, 0, {weights})"

    def __len__(self) -> int:
        return len(self.documents)

    def search(
        self, text: str, kinds: Sequence[str] = (), limit: int = 50, prefix: bool = False
    ) -> list[Hit]:
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
        inside = " AND ".join(f'"{w}"' for w in query.plain_words() if len(w) >= 3)
        names_sql = (
            f"SELECT iri, kind, bm25(names) AS score FROM names WHERE names MATCH ?{kind_filter} "
            "ORDER BY score, iri LIMIT ?"
        )
        for step, (statement, expression) in enumerate(
            [(sql, query.match(True)), (names_sql, inside), (sql, query.match(False))]
        ):
            if not expression or (step == 1 and not inside):
                continue
            with self._lock:
                found = self._db.execute(statement, (expression, *kinds, max(limit, CANDIDATES))).fetchall()
            rows = list({r[0]: r for r in reversed(found)}.values())  # each document once, at its best
            if rows:
                stems = frozenset(s for lang in LANGS for s in query.stems[lang])
                matches = {r[0]: self._name_match(r[0], query) for r in rows}
                ranked = sorted(
                    rows,
                    key=lambda r: (
                        -matches[r[0]][0],  # how a name matches
                        matches[r[0]][1],  # the fewer other words in that name the better
                        r[2] * KIND_WEIGHTS.get(r[1], 1.0),  # BM25 (negative in SQLite: lower is better)
                        r[0],
                    ),
                )
                return [
                    Hit(iri, kind, round(-score * KIND_WEIGHTS.get(kind, 1.0), 3), stems)
                    for iri, kind, score in ranked[:limit]
                ]
        return []

    def _name_match(self, iri: str, query: Query) -> tuple[int, int]:
        """How a name of the document matches the query, best first: (3, 0) if a name is the query
        word for word, (2, 0) if it is without the little words (de, of, the), (1, n) if a name holds
        every word (also as the start of a compound: intervisie → intervisiebijeenkomsten) beside n
        other words; else (0, 0)."""
        best = (0, 0)
        for lang in LANGS:
            wanted, every = query.stems[lang], query.every[lang]
            if not wanted:
                continue
            for full, content in self._names[iri].get(lang, []):
                if full == every:
                    return (3, 0)
                if content == wanted:
                    best = max(best, (2, 0))
                elif all(any(w.startswith(s) for w in content) for s in wanted):
                    best = max(best, (1, -(len(content) - len(wanted))))
        return best[0], -best[1]

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
    return [(part, hit) for part, hit in parts if part]
