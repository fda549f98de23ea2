"""Screening of query text: every refusal with its status, reason and place, and what passes."""

from __future__ import annotations

import pytest

from plgkg.errors import ScreeningError
from plgkg.execution.screen import Limits, Screened, check_dataset_iris, screen, unescape

E = "PREFIX e: <http://127.0.0.1:9/>\n"  # a prefix for a closed local port
LOCAL = "http://127.0.0.1:9/sparql"
OTHER = "http://127.0.0.1:9/other"


def refusal(text: str, limits: Limits | None = None) -> tuple[int, str, int | None, int | None]:
    with pytest.raises(ScreeningError) as caught:
        screen(text, limits or Limits())
    err = caught.value
    assert err.message == str(err)
    if err.line is not None:
        assert err.message.startswith(f"line {err.line}, column {err.column}: ")
    return err.status, err.reason, err.line, err.column


# --- SERVICE -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "line", "column"),
    [
        ("SELECT * { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", 1, 12),
        ("SELECT * { service <http://127.0.0.1:9/x> { ?s ?p ?o } }", 1, 12),
        ("SELECT * { SeRvIcE <http://127.0.0.1:9/x> { ?s ?p ?o } }", 1, 12),
        ("SELECT * { SERVICE SILENT <http://127.0.0.1:9/x> { ?s ?p ?o } }", 1, 12),
        ("SELECT * {\n  ?s ?p ?o\n  FILTER EXISTS { SERVICE <http://x/> { ?s ?p ?o } }\n}", 3, 19),
        ("SELECT * { \\u0053ERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", 1, 12),
        ("SELECT * { \\U00000053ERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", 1, 12),
        ("SELECT * { SERV\\u0049CE <http://127.0.0.1:9/x> { ?s ?p ?o } }", 1, 12),
        (E + "SELECT * { SERVICE e:x { ?s ?p ?o } }", 2, 12),
        ("SELECT * { SERVICE ?endpoint { ?s ?p ?o } }", 1, 12),
        ("SELECT * { SERVICE { ?s ?p ?o } }", 1, 12),
        ("SELECT * { SERVICE", 1, 12),
        ("SELECT * { SERVICE undeclared:x { } }", 1, 12),
        # rdflib reads SERVICE:x as SERVICE followed by :x
        ("PREFIX : <http://127.0.0.1:9/>\nSELECT * { SERVICE:x { } }", 2, 12),
        # pyoxigraph reads SERVICEe:x as SERVICE e:x and trueSERVICE as true SERVICE
        (E + "SELECT * { SERVICEe:x { } }", 2, 12),
        (E + "SELECT * { ?s ?p trueSERVICE e:x { } }", 2, 22),
        (E + "SELECT * { ?s ?p 1.SERVICE e:x { } }", 2, 20),
        (E + "SELECT * { SERVICE SILENTe:x { } }", 2, 12),
        # rdflib matches keywords after Unicode upper-casing
        (E + "SELECT * { \u017fERVICE e:x { } }", 2, 12),
        (E + "SELECT * { SERV\u0131CE e:x { } }", 2, 12),
    ],
)
def test_service_is_refused_in_every_spelling(query: str, line: int, column: int) -> None:
    assert refusal(query) == (400, "service", line, column)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * { ?s ?p "SERVICE <http://127.0.0.1:9/x> { }" }',
        "SELECT * { ?s ?p '''\nSERVICE <http://127.0.0.1:9/x> { }\n''' }",
        "SELECT * { ?s <http://example.org/service> ?o }",
        "SELECT * { ?s ?p ?o # SERVICE <http://127.0.0.1:9/x> { }\n}",
        "SELECT ?service { ?service ?p $SERVICE }",
        "PREFIX ex: <http://example.org/>\nSELECT * { ?s ex:service ex:SERVICE }",
        "SELECT * { ?s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?o }",
    ],
)
def test_the_word_service_elsewhere_is_harmless(query: str) -> None:
    assert screen(query).form == "SELECT"


ALLOW_ONE = Limits(allowed_services=frozenset({LOCAL}))


@pytest.mark.parametrize(
    ("query", "outcome"),
    [
        (f"SELECT * {{ SERVICE <{LOCAL}> {{ ?s ?p ?o }} }}", None),
        (f"SELECT * {{ SERVICE SILENT <{LOCAL}> {{ ?s ?p ?o }} }}", None),
        (E + "SELECT * { SERVICE e:sparql { ?s ?p ?o } }", None),
        (f"SELECT * {{ SERVICE <{OTHER}> {{ ?s ?p ?o }} }}", (400, "service", 1, 12)),
        (E + "SELECT * { SERVICE e:other { ?s ?p ?o } }", (400, "service", 2, 12)),
        # a relative IRI is never allowed, whatever BASE says
        ("BASE <http://127.0.0.1:9/>\nSELECT * { SERVICE <sparql> { } }", (400, "service", 2, 12)),
        # a prefix declared twice is not trusted
        (
            E + E.replace("127.0.0.1:9", "example.org") + "SELECT * { SERVICE e:sparql { } }",
            (400, "service", 3, 12),
        ),
        # pyoxigraph reads PREFIXe: as PREFIX e:; the grammar reads no keyword there
        (
            E + "PREFIXe: <http://example.org/>\nSELECT * { SERVICE e:sparql { } }",
            (400, "no-form", None, None),
        ),
    ],
)
def test_allowed_services_allow_exactly_the_endpoints_named(
    query: str, outcome: tuple[int, str, int, int] | None
) -> None:
    if outcome is None:
        assert screen(query, ALLOW_ONE).form == "SELECT"
    else:
        assert refusal(query, ALLOW_ONE) == outcome


# --- `<`: an IRI where a term stands, a comparison where an operator stands ----------------------


@pytest.mark.parametrize(
    ("query", "outcome"),
    [
        # rdflib reads SERVICE:x as SERVICE followed by :x
        (E + "SELECT * { ?s ?p ?o FILTER(?s<?o)SERVICE:x#>\n{ } }", (400, "service", 2, 34)),
        # both engines read FILTER(?a < 'x>' && true) and then SERVICE, and so does the grammar
        (
            E + "SELECT * { ?s ?p ?a FILTER(?a<'x>' && true) SERVICE e:x {} FILTER('y'='z') }",
            (400, "service", 2, 45),
        ),
        # the reproduction: EXISTS{} < '> ' compares, so SERVICE is code
        (
            "SELECT * WHERE { FILTER(EXISTS{}<'> ' || true) SERVICE <http://127.0.0.1:9/sparql> "
            "{ ?s ?p ?o } FILTER(true # '\n) }",
            (400, "service", 1, 48),
        ),
        # SPARQL 1.2 triple terms are not read (pyoxigraph reads << ?x ?y ?z and a comment)
        (E + "SELECT * { <<?x?y?z#>> '''\n>> ?q ?r . SERVICE e:x {} #'''\n}", (400, "syntax", 2, 12)),
        ("SELECT * { FILTER(?a<?b)SERVICE:x>?c) }", (400, "service", 1, 25)),
    ],
)
def test_lt_is_read_where_the_grammar_reads_it(query: str, outcome: tuple[int, str, int, int]) -> None:
    assert refusal(query) == outcome


def test_a_comparison_with_spaces_is_no_iri() -> None:
    assert screen("SELECT * { ?s ?p ?a FILTER(?a < ?b && ?b > 3) }").form == "SELECT"
    # were `< ?b) SERVICE <x> {} FILTER (?c >` taken for an IRI, SERVICE would go unseen
    query = "SELECT * { FILTER(?a < ?b) SERVICE <http://127.0.0.1:9/x> {} FILTER (?c > ?d) }"
    assert refusal(query) == (400, "service", 1, 28)


# --- FROM and FROM NAMED -----------------------------------------------------------------------

GRAPHS = Limits(allowed_graphs=frozenset({"http://example.org/g1", "http://example.org/g2"}))


@pytest.mark.parametrize(
    ("query", "line", "column"),
    [
        ("SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }", 1, 10),
        ("SELECT *\nFROM NAMED <http://127.0.0.1:9/x>\n{ ?s ?p ?o }", 2, 1),
        (E + "select * from e:x { ?s ?p ?o }", 2, 10),
        (E + "SELECT * FROMe:x { ?s ?p ?o }", 2, 10),
        ("PREFIX from: <http://127.0.0.1:9/>\nSELECT * FROM:x { }", 2, 10),
        ("SELECT * \\u0046ROM <http://example.org/g1> { }", 1, 10),
    ],
)
def test_from_is_refused_when_no_graph_is_allowed(query: str, line: int, column: int) -> None:
    assert refusal(query) == (400, "from", line, column)


def test_from_names_only_graphs_that_are_listed() -> None:
    query = (
        "PREFIX ex: <http://example.org/>\n"
        "SELECT * FROM <http://example.org/g1> FROM NAMED ex:g2 FROM NAMED <http://example.org/g1> { }"
    )
    assert screen(query, GRAPHS) == Screened(
        query, "SELECT", ("http://example.org/g1",), ("http://example.org/g2", "http://example.org/g1")
    )
    assert refusal("SELECT * FROM <file:///etc/passwd> { }", GRAPHS) == (400, "from", 1, 10)
    assert refusal("SELECT * FROM NAMED <http://127.0.0.1:9/x> { }", GRAPHS) == (400, "from", 1, 10)
    assert refusal("SELECT * FROM NAMED { }", GRAPHS) == (400, "from", 1, 10)


# --- SPARQL Update -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "column"),
    [
        ("INSERT DATA { <http://a> <http://b> <http://c> }", 1),
        ("DELETE WHERE { ?s ?p ?o }", 1),
        ("LOAD <http://127.0.0.1:9/x>", 1),
        ("CLEAR ALL", 1),
        ("CREATE GRAPH <http://a>", 1),
        ("DROP ALL", 1),
        ("COPY DEFAULT TO <http://a>", 1),
        ("MOVE DEFAULT TO <http://a>", 1),
        ("ADD DEFAULT TO <http://a>", 1),
        ("WITH <http://a> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", 1),
        ("iNsErT DATA { <http://a> <http://b> <http://c> }", 1),
        ("SELECT * { ?s ?p ?o } DELETE { ?s ?p ?o }", 23),
        ("SELECT * { ?s ?p 1.drop }", 20),
    ],
)
def test_every_update_keyword_is_refused(query: str, column: int) -> None:
    assert refusal(query) == (400, "update", 1, column)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * {} ; INSERT DATA { <http://a> <http://b> <http://c> }",
        "SELECT * {} ; \\u0049NSERT DATA { <http://a> <http://b> <http://c> }",
    ],
)
def test_an_update_chained_after_the_query_is_named(query: str) -> None:
    assert refusal(query) == (400, "update", 1, 15)
    assert refusal(query.replace("; ", ". ")) == (400, "syntax", 1, 13)


def test_a_prefix_named_like_an_update_keyword_is_a_name() -> None:
    # only a query is parsed here, so drop:x can be nothing but a prefixed name
    assert screen("PREFIX drop: <http://a/>\nSELECT * { ?s ?p drop:x }").form == "SELECT"


def test_update_message_says_the_endpoint_is_read_only() -> None:
    with pytest.raises(
        ScreeningError, match="SPARQL Update is not accepted here; this endpoint is read-only"
    ):
        screen("DROP ALL")


def test_update_words_as_names_strings_and_iris_are_harmless() -> None:
    query = (
        "PREFIX ex: <http://example.org/>\n"
        'SELECT ?delete { ?delete ex:insert "drop all" ; <http://example.org/load> ex:with } # clear'
    )
    assert screen(query).form == "SELECT"


# --- size and nesting --------------------------------------------------------------------------


def test_the_length_limit_is_exact() -> None:
    head = "SELECT * { }"
    assert screen(head + " " * (16_384 - len(head))).form == "SELECT"
    assert refusal(head + " " * (16_385 - len(head))) == (413, "too-long", 1, 16_385)
    assert refusal("ASK {}" + "\n" * 200, Limits(max_length=100)) == (413, "too-long", 95, 1)


def test_a_huge_query_is_refused_by_its_length() -> None:
    assert refusal("{" * 10_000_000) == (413, "too-long", 1, 16_385)


@pytest.mark.parametrize(
    ("depth", "outcome"),
    [(64, None), (65, (400, "too-deep", 1, 74)), (3_000, (400, "too-deep", 1, 74))],
)
def test_nesting_is_limited(depth: int, outcome: tuple[int, str, int, int] | None) -> None:
    query = "SELECT * " + "{" * depth + "}" * depth
    if outcome is None:
        assert screen(query).form == "SELECT"
    else:
        assert refusal(query, Limits(max_length=10_000)) == outcome


def test_nesting_counts_every_kind_of_bracket_the_grammar_reads() -> None:
    query = "SELECT * { ?s ?p " + "[ ?q (" * 32 + "1" + ") ]" * 32 + " }"
    assert refusal(query) == (400, "too-deep", 1, 209)
    assert screen(query, Limits(max_depth=65)).form == "SELECT"
    expression = "SELECT * { FILTER(" + "(" * 62 + "1" + ")" * 62 + ") }"
    assert screen(expression).form == "SELECT"
    deeper = expression.replace("{ FILTER(", "{ { FILTER(").replace(") }", ") } }")
    assert refusal(deeper) == (400, "too-deep", 1, 82)
    # brackets in IRIs, strings and comments do not count
    assert screen("SELECT * { ?s <http://a/((((> '((((' } # ((((", Limits(max_depth=1)).form == "SELECT"


def test_deep_nesting_stops_the_parse_where_it_goes_too_deep() -> None:
    # what the issue saw crash workers: 3,000 braces, behind the old screen's blind spot
    hidden = "SELECT * WHERE { FILTER(EXISTS{}<'> ' || true) " + "{" * 3_000 + "}" * 3_000 + " }"
    assert refusal(hidden, Limits(max_length=10_000)) == (400, "too-deep", 1, 111)


# --- escapes, characters, strings --------------------------------------------------------------


def test_unescape_resolves_codepoint_escapes() -> None:
    assert unescape("\\u0041B\\U0001F600 \\u00e9") == "AB\U0001f600 \u00e9"
    assert unescape("no escapes here") == "no escapes here"


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("SELECT * { ?s ?p '\\u00' }", 1, 19),
        ("SELECT * {\n ?s ?p \\uZZZZ }", 2, 8),
        ("\\U0000005", 1, 1),
        ("\\uD800", 1, 1),
        ("\\U00110000", 1, 1),
        # an escape that yields another escape would be read twice by an engine that unescapes again
        ("SELECT * { \\u005Cu0053ERVICE }", 1, 12),
        ("SELECT * { \\\\u00750053ERVICE }", 1, 12),
    ],
)
def test_malformed_escapes_are_refused(text: str, line: int, column: int) -> None:
    assert refusal(text) == (400, "bad-escape", line, column)
    with pytest.raises(ScreeningError):
        unescape(text)


@pytest.mark.parametrize(
    ("text", "column"), [("ASK {\x00}", 6), ("ASK { \\u0000 }", 7), ("ASK {\x07}", 6), ("ASK {\x85}", 6)]
)
def test_control_characters_are_refused(text: str, column: int) -> None:
    assert refusal(text) == (400, "bad-char", 1, column)


def test_tabs_and_line_ends_are_fine_and_the_text_comes_back_unescaped_with_lf_line_ends() -> None:
    assert screen("ASK\t{\r\n?s ?p '\\u00e9'\r}") == Screened("ASK\t{\n?s ?p '\u00e9'\n}", "ASK", (), ())


@pytest.mark.parametrize(
    "char", ["\u2028", "\u2029", "\u00a0", "\u2000", "\u200b", "\u3000", "\ufeff", "\x0b", "\x85"]
)
def test_characters_that_readers_disagree_on_are_refused(char: str) -> None:
    # the reproduction: U+2028 ended a comment for the old screen, not for the engines
    query = "SELECT * WHERE { # " + char + " QQQ\nSERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o }\n# QQQ\n}"
    query = query.replace("QQQ", "'" * 3)
    assert refusal(query) == (400, "bad-char", 1, 20)
    escaped = query.replace(char, f"\\u{ord(char):04x}")
    assert refusal(escaped) == (400, "bad-char", 1, 20)


def test_an_unterminated_string_is_refused() -> None:
    assert refusal('SELECT * { ?s ?p "abc }\nSERVICE <http://x/> {}') == (400, "bad-string", 1, 18)
    # ''' cannot open a long string that never ends: the grammar reads two quotes, then an open one
    assert refusal("SELECT * { ?s ?p ''' abc }") == (400, "bad-string", 1, 20)


# --- the query form ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "form"),
    [
        (
            "# SELECT in a comment\nPREFIX ask: <http://a/>\nBASE <http://b/>\nCONSTRUCT { ?s ?p ?o } {}",
            "CONSTRUCT",
        ),
        ("PREFIX select: <http://a/> ask { ?s select:p ?o }", "ASK"),
        ("describe <http://a>", "DESCRIBE"),
        ("SELECT*{}", "SELECT"),
        ("ASK { { SELECT ?s { ?s ?p ?o } } }", "ASK"),
        ("\\u0053ELECT * {}", "SELECT"),
    ],
)
def test_the_query_form_is_found(query: str, form: str) -> None:
    assert screen(query).form == form


@pytest.mark.parametrize("query", ["", "PREFIX e: <http://a/>", "WHERE { ?s ?p ?o }", "# SELECT * {}"])
def test_text_without_a_query_form_is_refused(query: str) -> None:
    with pytest.raises(ScreeningError) as caught:
        screen(query)
    err = caught.value
    assert (err.status, err.reason, err.line, err.column) == (400, "no-form", None, None)
    assert err.message == "not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE"


# --- the protocol's dataset parameters ---------------------------------------------------------


def test_dataset_parameters_follow_the_rule_for_from() -> None:
    check_dataset_iris([], [], Limits())
    check_dataset_iris(["http://example.org/g1"], ["http://example.org/g2"], GRAPHS)
    cases = [
        (["file:///etc/passwd"], [], Limits(), "the default-graph-uri parameter is not accepted here"),
        ([], ["http://example.org/g1"], Limits(), "the named-graph-uri parameter is not accepted here"),
        ([], ["http://127.0.0.1:9/x"], GRAPHS, "named-graph-uri <http://127.0.0.1:9/x> is not allowed here"),
        (["g1"], [], Limits(allowed_graphs=frozenset({"g1"})), "default-graph-uri <g1> is not allowed here"),
    ]
    for default, named, limits, message in cases:
        with pytest.raises(ScreeningError) as caught:
            check_dataset_iris(default, named, limits)
        err = caught.value
        assert (err.status, err.reason, err.line, err.message) == (400, "from", None, message)
