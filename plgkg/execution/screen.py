"""Screening of SPARQL query text before any engine runs it.

The engines behind plgkg cannot be told to stay off the network: pyoxigraph runs SERVICE (also
SERVICE SILENT, also inside FILTER EXISTS), rdflib runs SERVICE and fetches the graphs FROM and
FROM NAMED name, and a remote store runs whatever it is sent. So every query is read here first,
and what no read-only endpoint should run is refused. The decision comes from a parse with the
SPARQL 1.1 grammar (plgkg.execution.grammar), the same productions the engines parse, not from a lexer that
imitates them: where a comment ends, where a string ends and whether `<` opens an IRI or compares
is decided by the grammar at the place it applies. The steps:

1. Length (413 past the limit; nothing else is looked at before).
2. Codepoint escapes (\\uXXXX, \\UXXXXXXXX) are resolved, as SPARQL does before parsing; line ends
   (CR LF, CR) become LF. This text is what the engine gets, so no engine reads escapes or line ends
   in a way of its own.
3. Characters that readers disagree on are refused: control characters, and the Unicode line and
   space separators (U+2028, U+2029, U+00A0, U+2000-U+200B, ...) that the grammar does not count as
   white space or line ends but other readers do.
4. The parse: the query form, every SERVICE with its endpoint, every FROM and FROM NAMED with its
   graph, and the nesting depth, which is measured as the parser descends (it stops past the limit,
   so a deeply nested query costs nothing and crashes nothing).
5. SERVICE is refused unless its endpoint is listed; FROM unless its graph is; a name whose prefix
   carries the letters SERVICE or FROM (as some engines read `SERVICEx:y` or `SERVICE:y`) too.

Where it runs: a query sent to /sparql for data is screened by the query worker that then runs it,
before its engine sees it (plgkg.execution.workers, Job(screened=False)), so that the service's event
loop spends no time parsing; the query page and remote stores screen in the service itself.

tests/plgkg/execution/test_screen_differential.py generates queries with comments, strings, escapes, every
Unicode line and space character and nesting, and checks that the screen never passes a query in
which pyoxigraph or rdflib finds a SERVICE, a FROM or an update. The query workers cannot open
network connections at all (plgkg.execution.sandbox), so a screen bug would still not reach the network from
the embedded stores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plgkg.errors import ScreeningError, SparqlSyntaxError, TooDeepError
from plgkg.execution.grammar import ParsedQuery, QueryParser, Reference
from plgkg.settings import MAX_QUERY_DEPTH, MAX_QUERY_LENGTH

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


@dataclass(frozen=True)
class Limits:
    """What a query may be and do."""

    max_length: int = MAX_QUERY_LENGTH  # characters of query text, as given (unescaping never lengthens it)
    max_depth: int = MAX_QUERY_DEPTH  # nesting of { } ( ) [ ] combined, as the grammar reads them
    allowed_services: frozenset[str] = frozenset()  # SERVICE endpoint IRIs allowed
    allowed_graphs: frozenset[str] | None = None  # IRIs FROM / FROM NAMED may name; None: no FROM


@dataclass(frozen=True)
class Screened:
    """A query that passed screening."""

    text: str  # the query text with codepoint escapes resolved and LF line ends: what the engine gets
    form: str  # "SELECT", "ASK", "CONSTRUCT" or "DESCRIBE"
    from_graphs: tuple[str, ...]  # IRIs named by FROM
    from_named_graphs: tuple[str, ...]  # IRIs named by FROM NAMED


# --- positions ---------------------------------------------------------------------------------


def _where(text: str, pos: int) -> tuple[int, int]:
    """The 1-based line and column of text[pos]."""
    line = text.count("\n", 0, pos) + 1
    return line, pos - text.rfind("\n", 0, pos)


def _refuse(text: str, pos: int, reason: str, message: str, status: int = 400) -> ScreeningError:
    return ScreeningError(status, reason, message, *_where(text, pos))


# --- codepoint escapes -------------------------------------------------------------------------

_ESCAPE = re.compile(r"\\([uU])")
_HEX = re.compile(r"[0-9A-Fa-f]+")
_LEFT_ESCAPE = re.compile(r"\\[uU]")


def unescape(text: str) -> str:
    """Resolve SPARQL 1.1 codepoint escapes (§19.2): \\uXXXX and \\UXXXXXXXX, anywhere in the text.

    A malformed escape (too few hex digits, a surrogate, a code point beyond U+10FFFF) raises
    ScreeningError with reason 'bad-escape', placed in the text as given. So does a result that
    still holds `\\u` or `\\U`: an engine that resolves escapes again would read it differently.
    """
    if "\\" not in text:
        return text
    parts: list[str] = []
    done = 0
    for match in _ESCAPE.finditer(text):
        start = match.start()
        width = 4 if match.group(1) == "u" else 8
        digits = text[match.end() : match.end() + width]
        if len(digits) != width or not _HEX.fullmatch(digits):
            raise _refuse(text, start, "bad-escape", f"malformed escape {text[start : start + 2 + width]!r}")
        code = int(digits, 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise _refuse(
                text, start, "bad-escape", f"escape {text[start : start + 2 + width]!r} is no character"
            )
        parts.append(text[done:start])
        parts.append(chr(code))
        done = match.end() + width
    parts.append(text[done:])
    result = "".join(parts)
    left = _LEFT_ESCAPE.search(result)
    if left is not None:
        raise _refuse(result, left.start(), "bad-escape", "an escape that produces another escape")
    return result


# --- characters --------------------------------------------------------------------------------

_BAD_CHAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Characters that some readers take for white space or a line end and the grammar does not: the
# Unicode line and paragraph separators and space characters other than U+0020, the zero-width
# space and the byte-order mark.
_SEPARATOR = re.compile(r"[\u00a0\u1680\u180e\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]")
_LINE_END = re.compile(r"\r\n?")


# --- names an engine may read as a keyword -----------------------------------------------------

_WORD = re.compile(r"[^\s{}()\[\]<>\"'?$,;.]+")
_SPACE = re.compile(r"[ \t\n]*")


def _folded(word: str) -> str:
    """word in upper case, character by character as rdflib compares keywords (so U+017F, long s,
    is S and U+0131, dotless i, is I); a character that upper-cases to more than one stays as is."""
    if word.isascii():
        return word.upper()
    return "".join(up if len(up := char.upper()) == 1 else char for char in word)


def _glued(word: str) -> tuple[int, str] | None:
    """Where in word SERVICE or FROM stands, or an update keyword starts it: (offset, keyword)."""
    folded = _folded(word)
    found = [(folded.find(k), k) for k in ("SERVICE", "FROM") if k in folded]
    found += [(0, k) for k in UPDATE_KEYWORDS if folded.startswith(k)]
    return min(found) if found else None


class _ScreeningParser(QueryParser):
    """The grammar's parser, refusing a prefixed name whose prefix may be read as SERVICE or FROM."""

    def iri_reference(self) -> tuple[str | None, str | None]:
        start = self.skip()
        written, expanded = super().iri_reference()
        if written is not None and not written.startswith("<"):
            prefix = _folded(written.split(":", 1)[0])
            for keyword in ("SERVICE", "FROM"):
                if keyword in prefix:
                    raise _Glued(start + prefix.index(keyword), keyword, written)
        return written, expanded


class _Glued(Exception):
    def __init__(self, pos: int, keyword: str, written: str) -> None:
        self.pos, self.keyword, self.written = pos, keyword, written


# --- the interface -----------------------------------------------------------------------------


def screen(text: str, limits: Limits = Limits()) -> Screened:
    """Check a query before any engine sees it; refuse with ScreeningError, else return what to run.

    Refusals: 413 'too-long'; 400 'bad-escape', 'bad-char', 'bad-string', 'too-deep', 'service',
    'from', 'update', 'no-form' and 'syntax'. Line and column are 1-based, in the unescaped text
    (in the text as given for 'too-long' and for a malformed escape).
    """
    # Unescaping never lengthens a text, so this one cheap check bounds everything that follows.
    if len(text) > limits.max_length:
        raise _refuse(
            text,
            limits.max_length,
            "too-long",
            f"the query is {len(text):,} characters long; at most {limits.max_length:,} are accepted",
            status=413,
        )
    text = _LINE_END.sub("\n", unescape(text))
    bad = _BAD_CHAR.search(text) or _SEPARATOR.search(text)
    if bad is not None:
        kind = "control character" if _BAD_CHAR.match(bad.group()) else "line or space separator"
        raise _refuse(text, bad.start(), "bad-char", f"{kind} U+{ord(bad.group()):04X} in the query")
    parser = _ScreeningParser(text, limits.max_depth)
    try:
        parsed = parser.parse()
    except _Glued as glued:
        reason = glued.keyword.lower()
        raise _refuse(
            text, glued.pos, reason, f"{glued.written!r} may be read as {glued.keyword} by some engines"
        ) from None
    except TooDeepError as err:
        raise _refuse(text, err.pos, "too-deep", str(err)) from None
    except RecursionError:
        raise _refuse(text, parser.pos, "too-deep", "the query nests too deeply") from None
    except SparqlSyntaxError as err:
        _check_references(text, parser.result, limits)  # a SERVICE before the error says more
        raise _syntax_refusal(text, err, parser.result) from None
    _check_references(text, parsed, limits)
    return Screened(
        text,
        parsed.form or "",
        tuple(g.iri or "" for g in parsed.graphs),
        tuple(g.iri or "" for g in parsed.named_graphs),
    )


def _check_references(text: str, parsed: ParsedQuery, limits: Limits) -> None:
    for service in parsed.services:
        if not _allowed(service, limits.allowed_services):
            shown = f"<{service.iri}>" if service.iri else (service.written or "without an endpoint IRI")
            raise _refuse(text, service.pos, "service", f"SERVICE {shown} is not allowed here")
    for graphs, clause in ((parsed.graphs, "FROM"), (parsed.named_graphs, "FROM NAMED")):
        for graph in graphs:
            if limits.allowed_graphs is None:
                raise _refuse(
                    text, graph.pos, "from", "FROM is not accepted here; queries run on this endpoint's data"
                )
            if not _allowed(graph, limits.allowed_graphs):
                shown = f"<{graph.iri}>" if graph.iri else graph.written
                raise _refuse(text, graph.pos, "from", f"{clause} {shown} is not allowed here")


def _allowed(reference: Reference, allowed: frozenset[str]) -> bool:
    iri = reference.iri
    return iri is not None and _ABSOLUTE.match(iri) is not None and iri in allowed


_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def _syntax_refusal(text: str, err: SparqlSyntaxError, parsed: ParsedQuery) -> ScreeningError:
    """The refusal for text the grammar does not read as a query, with the most telling reason."""
    if err.kind == "string" or text[err.pos : err.pos + 1] in ("'", '"'):
        return _refuse(text, err.pos, "bad-string", "unterminated or malformed string literal")
    pos = err.pos
    if text.startswith(";", pos):  # `query ; update` is how an update request chains operations
        pos = _SPACE.match(text, pos + 1).end()
    word = _WORD.match(text, pos)
    glued = _glued(word.group()) if word is not None else None
    if glued is not None:
        offset, keyword = glued
        if keyword in UPDATE_KEYWORDS:
            return _refuse(
                text,
                pos + offset,
                "update",
                f"SPARQL Update is not accepted here; this endpoint is read-only ({keyword})",
            )
        if pos == err.pos:
            return _refuse(text, pos + offset, keyword.lower(), f"{keyword} cannot stand here: {err}")
    if err.kind == "form":
        return ScreeningError(
            400, "no-form", "not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE"
        )
    return _refuse(text, err.pos, "syntax", f"not a valid SPARQL 1.1 query: {err}")


def check_dataset_iris(default_graph_uris: list[str], named_graph_uris: list[str], limits: Limits) -> None:
    """Check the protocol's default-graph-uri and named-graph-uri parameters by the rule for FROM."""
    for parameter, iris in (("default-graph-uri", default_graph_uris), ("named-graph-uri", named_graph_uris)):
        for iri in iris:
            if limits.allowed_graphs is None:
                raise ScreeningError(400, "from", f"the {parameter} parameter is not accepted here")
            if not _ABSOLUTE.match(iri) or iri not in limits.allowed_graphs:
                raise ScreeningError(400, "from", f"{parameter} <{iri}> is not allowed here")
