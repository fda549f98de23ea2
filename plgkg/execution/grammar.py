"""A parser for the SPARQL 1.1 query grammar (W3C SPARQL 1.1 Query Language, §19.8), for screening.

It reads a query the way the engines behind plgkg read it: scannerless recursive descent over the
productions of the grammar, each terminal matched by the regular expression the grammar gives for it,
at the place where the grammar expects it. So `<` is an IRI where a term may stand and an operator
where an operator may stand (`FILTER(EXISTS{} < '>')` compares), a comment runs to the end of the
line and nowhere else, and a string ends where its terminal says. This is how Oxigraph's parser
(spargebra, a PEG over the same productions) and rdflib's (pyparsing over the same productions) work;
a differential property test (tests/plgkg/execution/test_screen_differential.py) checks the agreement.

It does not build an algebra: it records what the screen decides on (the query form, every SERVICE
with its endpoint, every FROM and FROM NAMED with its IRI) and it measures nesting as it descends,
refusing to go deeper than a limit, so that no query can make it (or, in agreement, an engine) recurse
without bound. Where this parser is stricter than an engine (a keyword must end where a word ends;
SPARQL 1.2 syntax is not read), the query is refused: refusing more is safe, reading differently
is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plgkg.errors import SparqlSyntaxError, TooDeepError
from plgkg.settings import MAX_QUERY_DEPTH

# --- terminals (§19.8, productions 139-173) -----------------------------------------------------

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = rf"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = rf"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
_ECHAR = r"""\\[tbnrf\\"']"""

PNAME = re.compile(rf"({_PN_PREFIX})?:({_PN_LOCAL})?")
IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
VAR = re.compile(rf"[?$][{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f\u2040]*")
BLANK_NODE_LABEL = re.compile(rf"_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?")
LANGTAG = re.compile(r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*")
NUMBER = re.compile(
    r"[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+"
    r"|[0-9]*\.[0-9]+|[0-9]+)"
)
INTEGER = re.compile(r"[0-9]+")
STRING = re.compile(
    rf"'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*'''"
    rf'|"""(?:(?:"|"")?(?:[^"\\]|{_ECHAR}))*"""'
    rf"|'(?:[^'\\\n\r]|{_ECHAR})*'"
    rf'|"(?:[^"\\\n\r]|{_ECHAR})*"'
)
NIL = re.compile(r"\([ \t\r\n]*\)")
ANON = re.compile(r"\[[ \t\r\n]*\]")
WORD = re.compile(rf"[{_PN_CHARS}]+")
SKIP = re.compile(r"(?:[ \t\r\n]+|#[^\r\n]*)*")
_LOCAL_ESCAPE = re.compile(r"\\(.)")

# --- keywords -----------------------------------------------------------------------------------

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
# Built-in calls (production 121) by what follows the name: 'n' one to three expressions in
# parentheses (counts given), 'nil' an empty argument list, 'list' an expression list.
_ONE = (
    "STR LANG DATATYPE IRI URI ABS CEIL FLOOR ROUND STRLEN UCASE LCASE ENCODE_FOR_URI YEAR MONTH DAY HOURS "
    "MINUTES SECONDS TIMEZONE TZ MD5 SHA1 SHA256 SHA384 SHA512 ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC"
)
_TWO = "LANGMATCHES CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER STRLANG STRDT SAMETERM"
_CALLS: dict[str, tuple[str, int, int]] = {
    **dict.fromkeys(_ONE.split(" "), ("n", 1, 1)),
    **dict.fromkeys(_TWO.split(" "), ("n", 2, 2)),
    "IF": ("n", 3, 3),
    "REGEX": ("n", 2, 3),
    "SUBSTR": ("n", 2, 3),
    "REPLACE": ("n", 3, 4),
    **dict.fromkeys(("RAND", "NOW", "UUID", "STRUUID"), ("nil", 0, 0)),
    **dict.fromkeys(("CONCAT", "COALESCE"), ("list", 0, 0)),
    "BOUND": ("bound", 0, 0),
    "BNODE": ("bnode", 0, 0),
    **dict.fromkeys(("COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"), ("aggregate", 0, 0)),
    "EXISTS": ("exists", 0, 0),
    "NOT": ("exists", 0, 0),
}
_PATTERN_KEYWORDS = frozenset({"OPTIONAL", "MINUS", "GRAPH", "SERVICE", "FILTER", "BIND", "VALUES"})
_RELATIONAL = ("<=", ">=", "!=", "=", "<", ">")


@dataclass(frozen=True)
class Reference:
    """A SERVICE endpoint or a FROM graph as written: .iri is absolute-or-not as expanded (prefixes
    applied, BASE not), None for a variable endpoint."""

    pos: int
    iri: str | None
    written: str


@dataclass
class ParsedQuery:
    """What the screen decides on. Filled as the parser goes, so a refusal can use what came before."""

    form: str | None = None
    services: list[Reference] = field(default_factory=list)
    graphs: list[Reference] = field(default_factory=list)  # FROM
    named_graphs: list[Reference] = field(default_factory=list)  # FROM NAMED
    depth: int = 0  # the deepest nesting reached
    where: int | None = None  # the position of the `{` that opens the query's own WHERE clause


class QueryParser:
    """One parse of one query text; `parse()` returns a ParsedQuery or raises SparqlSyntaxError or
    TooDeepError. Positions are indexes into the text."""

    def __init__(self, text: str, max_depth: int = MAX_QUERY_DEPTH) -> None:
        self.text = text
        self.max_depth = max_depth
        self.pos = 0
        self.depth = 0
        self.prefixes: dict[str, str] = {}
        self.result = ParsedQuery()
        self._skipped = -1  # a position skip() moved to: skipping again from there stays there
        self._word: tuple[int, str | None] = (-1, None)  # word() at a position, remembered

    # -- reading ---------------------------------------------------------------------------------

    def skip(self) -> int:
        """Move past white space and comments; return the position of the next token."""
        if self.pos != self._skipped:
            self.pos = self._skipped = SKIP.match(self.text, self.pos).end()
        return self.pos

    def peek(self, n: int = 1) -> str:
        return self.text[self.pos : self.pos + n]

    def fail(self, expected: str, pos: int | None = None) -> SparqlSyntaxError:
        pos = self.pos if pos is None else pos
        found = self.text[pos : pos + 24]
        shown = f"{found!r}" if found else "the end of the query"
        return SparqlSyntaxError(pos, f"expected {expected}, found {shown}")

    def punct(self, token: str) -> bool:
        """Consume token if it comes next."""
        self.skip()
        if self.text.startswith(token, self.pos):
            self.pos += len(token)
            return True
        return False

    def expect(self, token: str) -> None:
        if not self.punct(token):
            raise self.fail(f"'{token}'")

    def regex(self, pattern: re.Pattern[str]) -> str | None:
        self.skip()
        match = pattern.match(self.text, self.pos)
        if match is None:
            return None
        self.pos = match.end()
        return match.group()

    def word(self) -> str | None:
        """The next bare word in upper case, without consuming it; None if a prefixed name or no word
        comes next. A keyword is a whole word: `SELECTx` is no SELECT."""
        pos = self.skip()
        if self._word[0] == pos:
            return self._word[1]
        word = None
        if PNAME.match(self.text, pos) is None:
            match = WORD.match(self.text, pos)
            if match is not None:
                word = match.group()
                word = word.upper() if word.isascii() else word
        self._word = (pos, word)
        return word

    def keyword(self, *keywords: str) -> str | None:
        """Consume the next word if it is one of keywords; return it."""
        word = self.word()
        if word is not None and word in keywords:
            self.pos += len(word)
            return word
        return None

    def expect_keyword(self, keyword: str) -> None:
        if self.keyword(keyword) is None:
            raise self.fail(keyword)

    def open(self, token: str) -> None:
        """Consume an opening bracket, one level deeper."""
        self.skip()
        if not self.text.startswith(token, self.pos):
            raise self.fail(f"'{token}'")
        self.depth += 1
        if self.depth > self.max_depth:
            raise TooDeepError(self.pos, self.max_depth)
        self.result.depth = max(self.result.depth, self.depth)
        self.pos += 1

    def close(self, token: str) -> None:
        self.expect(token)
        self.depth -= 1

    # -- the query -------------------------------------------------------------------------------

    def parse(self) -> ParsedQuery:
        self.prologue()
        form = self.keyword(*QUERY_FORMS)
        if form is None:
            error = self.fail("SELECT, CONSTRUCT, DESCRIBE or ASK")
            raise SparqlSyntaxError(error.pos, str(error), "form")
        self.result.form = form
        getattr(self, f"{form.lower()}_query")()
        self.values_clause()
        if self.skip() != len(self.text):
            raise self.fail("the end of the query")
        return self.result

    def prologue(self) -> None:
        while True:
            keyword = self.keyword("BASE", "PREFIX")
            if keyword is None:
                return
            if keyword == "PREFIX":
                name = self.regex(PNAME)
                if name is None or not name.endswith(":") or name.count(":") != 1:
                    raise self.fail("a prefix name such as ex:")
                iri = self.regex(IRIREF)
                if iri is None:
                    raise self.fail("an IRI in < >")
                self.prefixes[name[:-1]] = iri[1:-1]
            elif self.regex(IRIREF) is None:
                raise self.fail("an IRI in < >")

    def select_query(self) -> None:
        self.select_clause()
        self.dataset_clauses()
        self.where_clause()
        self.solution_modifier()

    def sub_select(self) -> None:
        self.expect_keyword("SELECT")
        self.select_clause()
        self.where_clause()
        self.solution_modifier()
        self.values_clause()

    def select_clause(self) -> None:
        self.keyword("DISTINCT", "REDUCED")
        if self.punct("*"):
            return
        count = 0
        while True:
            self.skip()
            if self.regex(VAR) is not None:
                count += 1
            elif self.peek() == "(" and NIL.match(self.text, self.pos) is None:
                self.open("(")
                self.expression()
                self.expect_keyword("AS")
                self.var()
                self.close(")")
                count += 1
            else:
                break
        if count == 0:
            raise self.fail("'*', a variable or (expression AS ?variable)")

    def construct_query(self) -> None:
        self.skip()
        if self.peek() == "{":
            self.construct_template()
            self.dataset_clauses()
            self.where_clause()
        else:
            self.dataset_clauses()
            self.expect_keyword("WHERE")
            self.construct_template()
        self.solution_modifier()

    def construct_template(self) -> None:
        self.open("{")
        if self.starts_triples():
            self.triples_template()
        self.close("}")

    def describe_query(self) -> None:
        if not self.punct("*"):
            count = 0
            while self.var_or_iri(required=False):
                count += 1
            if count == 0:
                raise self.fail("'*', a variable or an IRI")
        self.dataset_clauses()
        self.skip()
        if self.word() == "WHERE" or self.peek() == "{":
            self.where_clause()
        self.solution_modifier()

    def ask_query(self) -> None:
        self.dataset_clauses()
        self.where_clause()
        self.solution_modifier()

    def dataset_clauses(self) -> None:
        while True:
            start = self.skip()
            if self.keyword("FROM") is None:
                return
            named = self.keyword("NAMED") is not None
            graphs = self.result.named_graphs if named else self.result.graphs
            graphs.append(Reference(start, None, ""))  # recorded first, as SERVICE is
            written, iri = self.iri_reference()
            if written is None:
                raise self.fail("a graph IRI")
            graphs[-1] = Reference(start, iri, written)

    def where_clause(self) -> None:
        self.keyword("WHERE")
        if self.result.where is None:  # the query's own comes first; a sub-SELECT's come inside it
            self.result.where = self.skip()
        self.group_graph_pattern()

    def solution_modifier(self) -> None:
        if self.keyword("GROUP") is not None:
            self.expect_keyword("BY")
            if not self.group_condition():
                raise self.fail("a grouping condition")
            while self.group_condition():
                pass
        if self.keyword("HAVING") is not None:
            if not self.constraint(required=True):
                raise self.fail("a condition")
            while self.constraint(required=False):
                pass
        if self.keyword("ORDER") is not None:
            self.expect_keyword("BY")
            if not self.order_condition():
                raise self.fail("an ordering condition")
            while self.order_condition():
                pass
        first = self.keyword("LIMIT", "OFFSET")
        if first is not None:
            self.integer()
            second = self.keyword("OFFSET" if first == "LIMIT" else "LIMIT")
            if second is not None:
                self.integer()

    def integer(self) -> None:
        if self.regex(INTEGER) is None or WORD.match(self.text, self.pos) is not None:
            raise self.fail("a whole number")

    def group_condition(self) -> bool:
        self.skip()
        if self.regex(VAR) is not None:
            return True
        if self.peek() == "(":
            self.open("(")
            self.expression()
            if self.keyword("AS") is not None:
                self.var()
            self.close(")")
            return True
        return self.call(required=False)

    def order_condition(self) -> bool:
        if self.keyword("ASC", "DESC") is not None:
            self.bracketted_expression()
            return True
        self.skip()
        if self.regex(VAR) is not None:
            return True
        return self.constraint(required=False)

    def values_clause(self) -> None:
        if self.keyword("VALUES") is not None:
            self.data_block()

    # -- graph patterns --------------------------------------------------------------------------

    def group_graph_pattern(self) -> None:
        self.open("{")
        if self.word() == "SELECT":
            self.sub_select()
        else:
            self.group_graph_pattern_sub()
        self.close("}")

    def group_graph_pattern_sub(self) -> None:
        self.triples_block()
        while self.graph_pattern_not_triples():
            self.punct(".")
            self.triples_block()

    def triples_block(self) -> None:
        while self.starts_triples():
            self.triples_same_subject()
            if not self.punct("."):
                return

    def triples_template(self) -> None:
        """TriplesTemplate and ConstructTriples: triples joined by '.'."""
        self.triples_same_subject()
        while self.punct(".") and self.starts_triples():
            self.triples_same_subject()

    def starts_triples(self) -> bool:
        """Whether a triple pattern (TriplesSameSubjectPath) starts next."""
        self.skip()
        char = self.peek()
        if not char:
            return False
        if char in "?$<\"'[(":
            return True
        if char == "_":
            return self.peek(2) == "_:"
        if char in "+-.0123456789":
            return NUMBER.match(self.text, self.pos) is not None
        word = self.word()
        if word is None:
            return PNAME.match(self.text, self.pos) is not None
        return word in ("TRUE", "FALSE")

    def graph_pattern_not_triples(self) -> bool:
        self.skip()
        if self.peek() == "{":
            self.group_graph_pattern()
            while self.keyword("UNION") is not None:
                self.group_graph_pattern()
            return True
        word = self.word()
        if word not in _PATTERN_KEYWORDS:
            return False
        start = self.pos
        self.pos += len(word)
        if word in ("OPTIONAL", "MINUS"):
            self.group_graph_pattern()
        elif word == "GRAPH":
            if not self.var_or_iri(required=False):
                raise self.fail("a variable or a graph IRI")
            self.group_graph_pattern()
        elif word == "SERVICE":
            # recorded before its endpoint is read, so that a refusal can name it even if what
            # follows is no valid query
            self.result.services.append(Reference(start, None, ""))
            self.keyword("SILENT")
            variable = self.regex(VAR)
            if variable is not None:
                self.result.services[-1] = Reference(start, None, variable)
            else:
                written, iri = self.iri_reference()
                if written is None:
                    raise self.fail("a variable or an endpoint IRI")
                self.result.services[-1] = Reference(start, iri, written)
            self.group_graph_pattern()
        elif word == "FILTER":
            self.constraint(required=True)
        elif word == "BIND":
            self.open("(")
            self.expression()
            self.expect_keyword("AS")
            self.var()
            self.close(")")
        else:  # VALUES
            self.data_block()
        return True

    def data_block(self) -> None:
        self.skip()
        if self.regex(VAR) is not None:
            self.open("{")
            while self.data_block_value():
                pass
            self.close("}")
            return
        width = 0
        if self.regex(NIL) is None:
            self.open("(")
            while self.regex(VAR) is not None:
                width += 1
            self.close(")")
        self.open("{")
        while True:
            if self.regex(NIL) is not None:
                continue
            self.skip()
            if self.peek() != "(":
                break
            self.open("(")
            while self.data_block_value():
                pass
            self.close(")")
        self.close("}")

    def data_block_value(self) -> bool:
        self.skip()
        if self.keyword("UNDEF") is not None:
            return True
        return self.literal_or_iri(allow_signed=True)

    # -- triples ---------------------------------------------------------------------------------

    def triples_same_subject(self) -> None:
        self.skip()
        char = self.peek()
        if char == "(" and NIL.match(self.text, self.pos) is None:
            self.collection()
            self.property_list(required=False)
        elif char == "[" and ANON.match(self.text, self.pos) is None:
            self.blank_node_property_list()
            self.property_list(required=False)
        else:
            if not self.var_or_term():
                raise self.fail("a subject")
            self.property_list(required=True)

    def property_list(self, required: bool) -> None:
        if not self.verb():
            if required:
                raise self.fail("a predicate")
            return
        self.object_list()
        while self.punct(";"):
            if self.verb():
                self.object_list()

    def verb(self) -> bool:
        self.skip()
        if self.regex(VAR) is not None:
            return True
        if self.word() == "A" and self.text[self.pos] == "a":  # 'a' is the one case-sensitive keyword
            self.pos += 1
            return True
        char = self.peek()
        if char in "<!^(" or PNAME.match(self.text, self.pos) is not None:
            self.path_alternative()
            return True
        return False

    def object_list(self) -> None:
        self.graph_node()
        while self.punct(","):
            self.graph_node()

    def graph_node(self) -> None:
        self.skip()
        char = self.peek()
        if char == "(" and NIL.match(self.text, self.pos) is None:
            self.collection()
        elif char == "[" and ANON.match(self.text, self.pos) is None:
            self.blank_node_property_list()
        elif not self.var_or_term():
            raise self.fail("an object")

    def collection(self) -> None:
        self.open("(")
        self.graph_node()
        while self.skip() < len(self.text) and self.peek() != ")":
            self.graph_node()
        self.close(")")

    def blank_node_property_list(self) -> None:
        self.open("[")
        self.property_list(required=True)
        self.close("]")

    def path_alternative(self) -> None:
        self.path_sequence()
        while self.punct("|"):
            self.path_sequence()

    def path_sequence(self) -> None:
        self.path_elt_or_inverse()
        while self.punct("/"):
            self.path_elt_or_inverse()

    def path_elt_or_inverse(self) -> None:
        self.punct("^")
        self.skip()
        char = self.peek()
        if char == "!":
            self.pos += 1
            self.skip()
            if self.peek() == "(" and NIL.match(self.text, self.pos) is None:
                self.open("(")
                self.path_one_in_property_set()
                while self.punct("|"):
                    self.path_one_in_property_set()
                self.close(")")
            elif self.regex(NIL) is None:
                self.path_one_in_property_set()
        elif char == "(":
            self.open("(")
            self.path_alternative()
            self.close(")")
        elif not self.path_iri():
            raise self.fail("a property path")
        # a path modifier; `?x` right after is a variable, not `?` then `x`
        self.skip()
        if self.peek() in ("*", "+") or (self.peek() == "?" and VAR.match(self.text, self.pos) is None):
            self.pos += 1

    def path_one_in_property_set(self) -> None:
        self.punct("^")
        if not self.path_iri():
            raise self.fail("an IRI or 'a'")

    def path_iri(self) -> bool:
        self.skip()
        if self.word() == "A" and self.text[self.pos] == "a":
            self.pos += 1
            return True
        written, _ = self.iri_reference()
        return written is not None

    # -- terms -----------------------------------------------------------------------------------

    def var(self) -> None:
        if self.regex(VAR) is None:
            raise self.fail("a variable")

    def var_or_iri(self, required: bool) -> bool:
        self.skip()
        if self.regex(VAR) is not None:
            return True
        written, _ = self.iri_reference()
        if written is None and required:
            raise self.fail("a variable or an IRI")
        return written is not None

    def var_or_term(self) -> bool:
        self.skip()
        if self.regex(VAR) is not None:
            return True
        if self.regex(BLANK_NODE_LABEL) is not None or self.regex(ANON) is not None:
            return True
        if self.regex(NIL) is not None:
            return True
        return self.literal_or_iri(allow_signed=True)

    def literal_or_iri(self, allow_signed: bool) -> bool:
        self.skip()
        if self.rdf_literal():
            return True
        if self.number(allow_signed):
            return True
        if self.keyword("TRUE", "FALSE") is not None:
            return True
        written, _ = self.iri_reference()
        return written is not None

    def number(self, allow_signed: bool) -> bool:
        self.skip()
        match = NUMBER.match(self.text, self.pos)
        if match is None or (not allow_signed and match.group()[0] in "+-"):
            return False
        self.pos = match.end()
        return True

    def rdf_literal(self) -> bool:
        if self.regex(STRING) is None:
            self.skip()
            if self.peek() in ("'", '"'):
                raise SparqlSyntaxError(self.pos, "a string literal that does not end", "string")
            return False
        if self.regex(LANGTAG) is None and self.punct("^^"):
            written, _ = self.iri_reference()
            if written is None:
                raise self.fail("a datatype IRI")
        return True

    def iri_reference(self) -> tuple[str | None, str | None]:
        """Consume an IRI (in < > or a prefixed name): (as written, expanded) or (None, None).
        The expansion is None for a prefix that is not declared."""
        self.skip()
        iri = self.regex(IRIREF)
        if iri is not None:
            return iri, iri[1:-1]
        match = PNAME.match(self.text, self.pos)
        if match is None:
            return None, None
        self.pos = match.end()
        prefix, local = match.group(1) or "", match.group(2) or ""
        base = self.prefixes.get(prefix)
        expanded = None if base is None else base + _LOCAL_ESCAPE.sub(r"\1", local)
        return match.group(), expanded

    # -- expressions -----------------------------------------------------------------------------

    def constraint(self, required: bool) -> bool:
        """A bracketted expression, a built-in call or a function call."""
        self.skip()
        if self.peek() == "(":
            self.bracketted_expression()
            return True
        if self.call(required=False):
            return True
        if required:
            raise self.fail("a condition in ( ), a built-in call or a function call")
        return False

    def call(self, required: bool) -> bool:
        """A built-in call or a function call (an IRI with arguments)."""
        word = self.word()
        if word in _CALLS:
            self.builtin(word)
            return True
        written, _ = self.iri_reference()
        if written is None:
            if required:
                raise self.fail("a function call")
            return False
        self.skip()
        if self.peek() != "(":
            raise self.fail("the arguments of a function call in ( )")
        self.arg_list(distinct=True)
        return True

    def bracketted_expression(self) -> None:
        self.open("(")
        self.expression()
        self.close(")")

    def arg_list(self, distinct: bool) -> None:
        if self.regex(NIL) is not None:
            return
        self.open("(")
        if distinct:
            self.keyword("DISTINCT")
        self.expression()
        while self.punct(","):
            self.expression()
        self.close(")")

    def arguments(self, least: int, most: int) -> None:
        self.open("(")
        self.expression()
        count = 1
        while count < most and self.punct(","):
            self.expression()
            count += 1
        if count < least:
            raise self.fail(f"{least} arguments")
        self.close(")")

    def builtin(self, name: str) -> None:
        self.pos += len(name)
        kind, least, most = _CALLS[name]
        if kind == "n":
            self.arguments(least, most)
        elif kind == "nil":
            if self.regex(NIL) is None:
                raise self.fail("()")
        elif kind == "list":
            self.arg_list(distinct=False)
        elif kind == "bound":
            self.open("(")
            self.var()
            self.close(")")
        elif kind == "bnode":
            if self.regex(NIL) is None:
                self.arguments(1, 1)
        elif kind == "exists":
            if name == "NOT":
                self.expect_keyword("EXISTS")
            self.group_graph_pattern()
        else:  # aggregate
            self.open("(")
            self.keyword("DISTINCT")
            if not (name == "COUNT" and self.punct("*")):
                self.expression()
            if name == "GROUP_CONCAT" and self.punct(";"):
                self.expect_keyword("SEPARATOR")
                self.expect("=")
                if self.regex(STRING) is None:
                    raise self.fail("a string literal")
            self.close(")")

    def expression(self) -> None:
        """Expression (productions 110-118) in one loop: operands joined by ||, &&, +, -, * and /,
        with at most one comparison (or IN, NOT IN) between two || or && (RelationalExpression)."""
        compared = False
        while True:
            self.unary()
            self.skip()
            if self.text.startswith(("||", "&&"), self.pos):
                self.pos += 2
                compared = False
                continue
            operator = next((op for op in _RELATIONAL if self.text.startswith(op, self.pos)), None)
            if operator is None and self.word() in ("IN", "NOT"):
                operator = self.word()
            if operator is not None:
                if compared:
                    raise self.fail("|| or && before another comparison")
                compared = True
                self.pos += len(operator)
                if operator in ("IN", "NOT"):
                    if operator == "NOT":
                        self.expect_keyword("IN")
                    self.arg_list(distinct=False)
                    self.skip()
                    if self.text.startswith(("||", "&&"), self.pos):
                        self.pos += 2
                        compared = False
                        continue
                    return
                continue
            char = self.peek()
            if char in ("*", "/"):
                self.pos += 1
                continue
            if char in ("+", "-"):  # an operator, or the sign of a number (AdditiveExpression)
                if NUMBER.match(self.text, self.pos) is None:
                    self.pos += 1
                continue
            return

    def unary(self) -> None:
        self.skip()
        if self.peek() in ("!", "+", "-") and NUMBER.match(self.text, self.pos) is None:
            self.pos += 1
            self.skip()
        self.primary()

    def primary(self) -> None:
        char = self.peek()
        if char == "(":
            self.bracketted_expression()
            return
        if self.regex(VAR) is not None or self.rdf_literal() or self.number(allow_signed=True):
            return
        word = self.word()
        if word in ("TRUE", "FALSE"):
            self.pos += len(word)
            return
        if word in _CALLS:
            self.builtin(word)
            return
        written, _ = self.iri_reference()
        if written is None:
            raise self.fail("an expression")
        self.skip()
        if self.peek() == "(":
            self.arg_list(distinct=True)


def parse_query(text: str, max_depth: int = MAX_QUERY_DEPTH) -> ParsedQuery:
    """Parse text by the SPARQL 1.1 query grammar; raise SparqlSyntaxError or TooDeepError."""
    return QueryParser(text, max_depth).parse()
