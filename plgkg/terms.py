"""RDF terms written as SPARQL and N-Triples tokens, escaped by Oxigraph.

rdflib's `n3()` writes a literal with a line break as a long string and escapes it wrongly when the
text ends in a backslash and a quote (issue 11: one profile note broke an import's whole update).
Oxigraph writes every literal on one line with N-Triples escapes (\\n, \\", \\\\, \\uXXXX for control
characters), which SPARQL reads back exactly, and refuses IRIs that are not IRIs.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node


def oxigraph_term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """node as a pyoxigraph term (for substitutions and writing); ValueError for an IRI or blank
    node id Oxigraph would not take, TypeError for what is no RDF term."""
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"{node!r} is not an IRI, blank node or literal")


def sparql_term(node: Node) -> str:
    """node as one SPARQL (and N-Triples) token, escaped so that it reads back as the same term."""
    return str(oxigraph_term(node))
