"""The triple store behind one interface (plgkg.stores.base.Store), with one module per backend.

Backends: `RdflibStore` (pure Python, the reference; plgkg.stores.memory), `OxigraphStore`
(pyoxigraph, in memory or on disk; plgkg.stores.oxigraph) and `RemoteStore` (any SPARQL 1.1
endpoint over HTTP, with the URL layouts of the servers plgkg knows; plgkg.stores.remote).
`open_store` picks one from a name or URL.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from plgkg.errors import StoreError
from plgkg.settings import REMOTE_TIMEOUT_S
from plgkg.stores.base import Answer, QueryResult, Store, generation, mark_changed, predeclared_prefixes
from plgkg.stores.memory import RdflibStore
from plgkg.stores.oxigraph import OxigraphStore
from plgkg.stores.remote import VIRTUOSO_GRAPH, RemoteStore, open_remote

__all__ = [
    "VIRTUOSO_GRAPH",
    "Answer",
    "OxigraphStore",
    "QueryResult",
    "RdflibStore",
    "RemoteStore",
    "Store",
    "generation",
    "mark_changed",
    "open_remote",
    "open_store",
    "predeclared_prefixes",
]


def open_store(
    spec: str, path: Path | None = None, *, also_read: Sequence[str] = (), timeout: float = REMOTE_TIMEOUT_S
) -> Store:
    """A store from its name: 'oxigraph' (in memory, or on disk at path), 'rdflib', or a SPARQL
    endpoint URL (see plgkg.stores.remote.open_remote for the servers' layouts, `also_read` and
    `timeout`)."""
    if spec.startswith(("http://", "https://")):
        if path is not None:
            raise StoreError("a path is only for the oxigraph store")
        return open_remote(spec, also_read=also_read, timeout=timeout)
    if spec == "oxigraph":
        return OxigraphStore(path=path)
    if spec == "rdflib":
        if path is not None:
            raise StoreError("a path is only for the oxigraph store")
        return RdflibStore()
    raise StoreError(f"unknown store {spec!r}: use oxigraph, rdflib or an http(s) URL")
