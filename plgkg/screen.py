"""Screening of SPARQL query text before any engine parses or runs it.

The engines behind plgkg cannot be told to stay off the network: pyoxigraph runs SERVICE (also
SERVICE SILENT, also inside FILTER EXISTS) and rdflib runs SERVICE and fetches the graphs FROM and
FROM NAMED name (http and file IRIs alike). Their parsers can also be made to crash (about 3,000
nested braces make pyoxigraph's parser overflow its stack) or to take seconds (rdflib needs 3.6 s
for a 67 KiB query). `screen` therefore looks at the text first, in one linear pass that never
recurses, and refuses what no read-only endpoint should run.

The pass is a small lexer, not a parser. Where the engines read the same text in two ways, it takes
the stricter reading:

* SPARQL resolves codepoint escapes (\\uXXXX, \\UXXXXXXXX) anywhere in the text before parsing, so
  they are resolved first and the resolved text is what the engine gets.
* Comments, string literals and IRIs are skipped, so a keyword inside them is harmless. A word
  outside them is a keyword if it reads as one to any engine: rdflib reads `SERVICE:x` as SERVICE
  followed by `:x`, pyoxigraph reads `SERVICEe:x` and `trueSERVICE` as two tokens, and rdflib
  matches keywords after Unicode case mapping (`ſERVICE`). So a prefix name that contains SERVICE
  or FROM (`PREFIX myservice: …` used as `myservice:x`) is refused as well.
* `<` after a variable, literal, name or `)` inside parentheses, or right after another `<`, may
  be a comparison (or `<<`) rather than the start of an IRI. Such an IRI is refused when its reading
  as code would hide or add a comment, a string or a keyword.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class Limits:
    """What a query may be and do."""

    max_length: int = 16_384  # characters of query text, as given (unescaping never lengthens it)
    max_depth: int = 64  # nesting of { } ( ) [ ] combined
    allowed_services: frozenset[str] = frozenset()  # SERVICE endpoint IRIs allowed
    allowed_graphs: frozenset[str] | None = None  # IRIs FROM / FROM NAMED may name; None: no FROM


class ScreeningError(ValueError):
    """A refused query: an HTTP status, a short machine code and a plain message that says where."""

    def __init__(
        self, status: int, reason: str, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.status = status
        self.reason = reason
        self.line = line
        self.column = column
        self.message = f"line {line}, column {column}: {message}" if line is not None else message
        super().__init__(self.message)


@dataclass(frozen=True)
class Screened:
    """A query that passed screening."""

    text: str  # the query text with codepoint escapes resolved: what the engine should get
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


# --- the lexer ---------------------------------------------------------------------------------

# Characters of variable names and prefixed names (SPARQL 1.1 §19.8, PN_CHARS and VARNAME).
_NAME = (
    "A-Za-z0-9_\u00b7\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u037d\u037f-\u1fff\u200c\u200d\u203f\u2040"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_ESCAPE = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_ECHAR = r"""\\[tbnrf\\"']"""
_TOKEN = re.compile(
    "|".join(
        (
            r"(?P<ws>[ \t\r\n]+)",
            r"(?P<comment>#[^\r\n\u2028\u2029]*)",
            r"(?P<string>"
            rf"'''(?:(?:''|')?(?:[^'\\]|{_ECHAR}))*+'''"
            rf'|"""(?:(?:""|")?(?:[^"\\]|{_ECHAR}))*+"""'
            rf"|'(?:[^'\\\r\n]|{_ECHAR})*+'(?!')"
            rf'|"(?:[^"\\\r\n]|{_ECHAR})*+"(?!"))',
            r"(?P<iri><[^<>\"{}|^`\\\x00-\x20]*+>)",
            rf"(?P<var>[?$][{_NAME}]*+)",
            r"(?P<brackets>[{}()\[\]]+)",
            rf"(?P<word>(?:[{_NAME}:@%]|{_PN_ESCAPE})(?:[{_NAME}:@%.\-]|{_PN_ESCAPE})*+)",
            r"(?P<quote>['\"])",
            r"(?P<punct>[,;.*+\-=!&|/^>]+)",
            r"(?P<other>[\s\S])",
        )
    )
)
_BAD_CHAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_OPERAND = frozenset({"var", "word", "string", "iri"})
_OPEN, _CLOSE = "{([", "})]"

# Within a word, where an engine may see a keyword: SERVICE and FROM anywhere in the prefix part
# or a dot-separated segment, update keywords as a run of letters there.
_SEGMENT = re.compile(r"[^:.]*")
_GLUED = re.compile(r"service|from", re.IGNORECASE)
_LETTERS = re.compile(r"[a-z]+", re.IGNORECASE)
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_LOCAL_ESCAPE = re.compile(r"\\(.)")
# A word without any of these can be no keyword that matters: the common case, skipped fast.
_INTERESTING = re.compile(
    "|".join(("service", "from", "prefix", *UPDATE_KEYWORDS, *QUERY_FORMS)), re.IGNORECASE
)


def _segments(word: str) -> list[tuple[int, int]]:
    """The spans of word in which a keyword could stand: its prefix part and each segment after a dot."""
    colon = word.find(":")
    spans = [(0, len(word) if colon < 0 else colon)]
    if colon >= 0:
        spans += [
            (m.start(), m.end()) for m in _SEGMENT.finditer(word, colon + 1) if word[m.start() - 1] == "."
        ]
    return spans


def _first_keyword(word: str) -> tuple[int, str, int] | None:
    """The first keyword of interest in word: (start, keyword, end), or None."""
    found: tuple[int, str, int] | None = None
    for start, end in _segments(word):
        glued = _GLUED.search(word, start, end)
        if glued is not None:
            found = (glued.start(), glued.group().upper(), glued.end())
        for run in _LETTERS.finditer(word, start, end):
            if run.group().upper() in UPDATE_KEYWORDS and (found is None or run.start() < found[0]):
                found = (run.start(), run.group().upper(), run.end())
                break
        if found is not None:
            return found
    return None


class _Screener:
    """The single pass: tokens in, state about SERVICE, FROM and PREFIX kept, refusals raised."""

    def __init__(self, text: str, limits: Limits) -> None:
        self.text = text
        self.limits = limits
        self.prefixes: dict[str, str | None] = {}  # None: declared more than once
        self.form: str | None = None
        self.from_graphs: list[str] = []
        self.from_named_graphs: list[str] = []
        self.state: str | None = None  # "service", "from", "from-named", "prefix", "prefix-iri"
        self.pending = 0  # where the keyword that set state stands
        self.prefix_name = ""

    # tokens -------------------------------------------------------------------------------------

    def run(self) -> None:
        text, limits = self.text, self.limits
        stack: list[str] = []
        prev_kind, prev_end = "", -1
        for match in _TOKEN.finditer(text):
            kind = match.lastgroup
            pos = match.start()
            if kind == "ws" or kind == "comment":
                continue
            value = match.group()
            if kind == "brackets":
                for offset, char in enumerate(value):
                    if char in _OPEN:
                        stack.append(char)
                        if len(stack) > limits.max_depth:
                            raise self._too_deep(pos + offset)
                    elif stack:
                        stack.pop()
                self.token("bracket", value, pos)
                prev_kind, prev_end = ("operand" if value[-1] in ")]" else "bracket"), match.end()
                continue
            if kind == "quote":
                raise _refuse(text, pos, "bad-string", "unterminated or malformed string literal")
            if kind == "word" and self.state is None and _INTERESTING.search(value) is None:
                prev_kind, prev_end = kind, match.end()
                continue
            if kind == "iri":
                after_operand = prev_kind in _OPERAND or prev_kind == "operand"
                if (after_operand and stack and stack[-1] == "(") or (prev_kind == "<" and prev_end == pos):
                    self._ambiguous_iri(value, pos, len(stack))
            self.token(kind, value, pos)
            prev_kind = value if kind == "other" else kind
            prev_end = match.end()
        self.token("end", "", len(text))

    def _too_deep(self, pos: int) -> ScreeningError:
        depth = self.limits.max_depth
        return _refuse(self.text, pos, "too-deep", f"brackets nested more than {depth} levels deep")

    def _ambiguous_iri(self, iri: str, pos: int, depth: int) -> None:
        """Refuse an IRI whose reading as a comparison (or after `<<`) would hide or add anything."""
        content = iri[1:-1]
        for char in "'#":
            if char in content:
                raise _refuse(
                    self.text,
                    pos,
                    "ambiguous",
                    f"{iri!r} may be an IRI or a comparison; write ' < ' with spaces for a comparison",
                )
        for offset, char in enumerate(content, 1):
            if char in "([":
                depth += 1
                if depth > self.limits.max_depth:
                    raise self._too_deep(pos + offset)
            elif char in ")]":
                depth = max(depth - 1, 0)
        close = content.find(")")
        found = _first_keyword(content[close:]) if close >= 0 else None
        if found is not None:
            keyword = found[1]
            reason = "update" if keyword in UPDATE_KEYWORDS else keyword.lower()
            raise _refuse(
                self.text,
                pos + 1 + close + found[0],
                reason,
                f"{keyword} inside {iri!r}, which may be read as a comparison rather than an IRI",
            )

    def token(self, kind: str, value: str, pos: int) -> None:
        state = self.state
        if state is not None:
            self.state = None
            if state == "service":
                return self.endpoint(kind, value)
            if state in ("from", "from-named"):
                return self.graph(kind, value, named=state == "from-named")
            if state == "prefix" and kind == "word" and value.find(":") == len(value) - 1:
                self.state, self.prefix_name = "prefix-iri", value[:-1]
                return None
            if state == "prefix-iri" and kind == "iri":
                name = self.prefix_name
                self.prefixes[name] = value[1:-1] if name not in self.prefixes else None
                return None
        if kind == "word":
            self.word(value, pos)
        return None

    def word(self, word: str, pos: int) -> None:
        if word[:6].upper() == "PREFIX":
            self.state = "prefix"
            if len(word) > 6:
                self.token("word", word[6:], pos + 6)
            return
        found = _first_keyword(word)
        if found is None:
            if self.form is None:
                run = _LETTERS.match(word)
                if run is not None and run.group().upper() in QUERY_FORMS:
                    self.form = run.group().upper()
            return
        start, keyword, end = found
        self.keyword(keyword, pos + start)
        if end < len(word):
            self.token("word", word[end:], pos + end)

    def keyword(self, keyword: str, pos: int) -> None:
        if keyword in UPDATE_KEYWORDS:
            raise _refuse(
                self.text,
                pos,
                "update",
                f"SPARQL Update is not accepted here; this endpoint is read-only ({keyword})",
            )
        if keyword == "FROM" and self.limits.allowed_graphs is None:
            raise _refuse(
                self.text, pos, "from", "FROM is not accepted here; queries run on this endpoint's data"
            )
        self.state, self.pending = keyword.lower(), pos

    # SERVICE and FROM ---------------------------------------------------------------------------

    def endpoint(self, kind: str, value: str) -> None:
        if kind == "word" and value.upper().startswith("SILENT"):
            if value.upper() != "SILENT":
                raise _refuse(self.text, self.pending, "service", f"SERVICE {value} has no clear endpoint")
            self.state = "service"
            return
        if kind == "var":
            raise _refuse(self.text, self.pending, "service", f"SERVICE with a variable endpoint ({value})")
        iri = self.resolve(kind, value, "service")
        if iri is None or not _ABSOLUTE.match(iri) or iri not in self.limits.allowed_services:
            shown = f"<{iri}>" if iri is not None else "without an endpoint IRI"
            raise _refuse(self.text, self.pending, "service", f"SERVICE {shown} is not allowed here")

    def graph(self, kind: str, value: str, named: bool) -> None:
        if not named and kind == "word" and value.upper().startswith("NAMED"):
            if value.upper() != "NAMED":
                raise _refuse(self.text, self.pending, "from", f"FROM {value} names no clear graph")
            self.state = "from-named"
            return
        iri = self.resolve(kind, value, "from")
        allowed = self.limits.allowed_graphs or frozenset()
        if iri is None or not _ABSOLUTE.match(iri) or iri not in allowed:
            shown = f"<{iri}>" if iri is not None else "without a graph IRI"
            clause = "FROM NAMED" if named else "FROM"
            raise _refuse(self.text, self.pending, "from", f"{clause} {shown} is not allowed here")
        (self.from_named_graphs if named else self.from_graphs).append(iri)

    def resolve(self, kind: str, value: str, reason: str) -> str | None:
        """The IRI an IRI token or a prefixed name stands for; None if the token is neither."""
        if kind == "iri":
            return value[1:-1]
        if kind != "word" or ":" not in value:
            return None
        found = _first_keyword(value)
        if found is not None:
            raise _refuse(self.text, self.pending, reason, f"{value!r} holds the keyword {found[1]}")
        prefix, local = value.split(":", 1)
        if prefix not in self.prefixes:
            raise _refuse(self.text, self.pending, reason, f"prefix {prefix + ':'!r} is not declared")
        base = self.prefixes[prefix]
        if base is None:
            raise _refuse(
                self.text, self.pending, reason, f"prefix {prefix + ':'!r} is declared more than once"
            )
        return base + _LOCAL_ESCAPE.sub(r"\1", local)


# --- the interface -----------------------------------------------------------------------------


def screen(text: str, limits: Limits = Limits()) -> Screened:
    """Check a query before any engine sees it; refuse with ScreeningError, else return what to run.

    Refusals: 413 'too-long'; 400 'bad-escape', 'bad-char', 'bad-string', 'too-deep', 'ambiguous',
    'service', 'from', 'update' and 'no-form'. Line and column are 1-based, in the unescaped text
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
    text = unescape(text)
    bad = _BAD_CHAR.search(text)
    if bad is not None:
        raise _refuse(
            text, bad.start(), "bad-char", f"control character U+{ord(bad.group()):04X} in the query"
        )
    screener = _Screener(text, limits)
    screener.run()
    if screener.form is None:
        raise ScreeningError(
            400, "no-form", "not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE"
        )
    return Screened(text, screener.form, tuple(screener.from_graphs), tuple(screener.from_named_graphs))


def check_dataset_iris(default_graph_uris: list[str], named_graph_uris: list[str], limits: Limits) -> None:
    """Check the protocol's default-graph-uri and named-graph-uri parameters by the rule for FROM."""
    for parameter, iris in (("default-graph-uri", default_graph_uris), ("named-graph-uri", named_graph_uris)):
        for iri in iris:
            if limits.allowed_graphs is None:
                raise ScreeningError(400, "from", f"the {parameter} parameter is not accepted here")
            if not _ABSOLUTE.match(iri) or iri not in limits.allowed_graphs:
                raise ScreeningError(400, "from", f"{parameter} <{iri}> is not allowed here")
