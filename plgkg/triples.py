"""The triples an import makes: each once, in the order made, as rdflib terms and as N-Triples.

An import of 12,000 register rows makes 270,000 triples, and every step after the build needs them
as N-Triples (validation in pyoxigraph, the write to the store). rdflib's Graph indexes each triple
three ways on add, which took longer than validating them, so imports keep their triples here: an
ordered set, written as N-Triples with each distinct term escaped once (by Oxigraph, plgkg.terms),
and made into an rdflib Graph only when asked (tests, pyshacl as the reference).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.term import Node

from plgkg.terms import sparql_term

Triple = tuple[Node, Node, Node]


class Triples:
    """An ordered set of triples with their N-Triples form."""

    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        self._triples: dict[Triple, None] = dict.fromkeys(triples)
        self._lines: list[str] | None = None

    @classmethod
    def of(cls, graph: Graph | Triples) -> Triples:
        """graph's triples (a Triples is returned as it is)."""
        return graph if isinstance(graph, Triples) else cls(graph)

    def add(self, triple: Triple) -> None:
        if triple not in self._triples:
            self._triples[triple] = None
            self._lines = None

    def __len__(self) -> int:
        return len(self._triples)

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def lines(self) -> list[str]:
        """Each triple as one N-Triples line (no line break), in order; ValueError names a term
        that is no RDF term Oxigraph takes (an IRI with a space, say)."""
        if self._lines is None:
            written: dict[Node, str] = {}
            lines = []
            for triple in self._triples:
                tokens = []
                for term in triple:
                    token = written.get(term)
                    if token is None:
                        token = written[term] = sparql_term(term)
                    tokens.append(token)
                lines.append(f"{tokens[0]} {tokens[1]} {tokens[2]} .")
            self._lines = lines
        return self._lines

    def ntriples(self) -> bytes:
        """The N-Triples document of the triples, UTF-8."""
        lines = self.lines()
        return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""

    def nodes(self) -> set[Node]:
        """The subjects, and the IRIs and blank nodes the triples point at."""
        found = {s for s, _, _ in self._triples}
        found.update(o for _, _, o in self._triples if not isinstance(o, Literal))
        return found

    def graph(self) -> Graph:
        """The triples as an rdflib Graph (a new one on each call)."""
        graph = Graph()
        for triple in self._triples:
            graph.add(triple)
        return graph


def oxigraph_store(*graphs: Graph | Triples) -> ox.Store:
    """An in-memory pyoxigraph store holding graphs' triples (not merged in rdflib first)."""
    text = b"".join(Triples.of(graph).ntriples() for graph in graphs)
    store = ox.Store()
    # parse, not bulk_load: the parser keeps blank node labels, so results name the loaded nodes
    store.extend(ox.parse(text, ox.RdfFormat.N_TRIPLES))
    return store
