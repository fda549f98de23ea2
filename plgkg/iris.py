"""Checking IRIs built from what a client sends, by the store's own rules."""

from __future__ import annotations

import pyoxigraph as ox


def is_iri(text: str) -> bool:
    """Whether text is an absolute IRI that Oxigraph would take (RFC 3987, as its parser checks:
    no spaces, brackets, stray percent signs or invalid characters)."""
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True
