"""Every default of plgkg, declared once, and the settings a service starts with.

The CLI's options, the service (ServiceSettings), the query pool, the screen and the web layer's
settings all take their defaults from the names here, so a default is changed in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plgkg.catalogue import DEFAULT_PATHS
from plgkg.namespaces import ID

# --- the service -------------------------------------------------------------------------------

HOST = "127.0.0.1"  # where `plgkg serve` listens
PORT = 8000
STORE = "oxigraph"  # "oxigraph", "rdflib" or a SPARQL endpoint URL
BASE_IRI = str(ID)  # the IRI base served under /id/: the catalogue's own
THREADS = 128  # the web server's threads
# Threads of the web server that never wait for a query worker: pages answered from memory (and the
# API's remembered results) always find one, however many requests wait for a worker.
RESERVED_THREADS = 32
CACHE_MB = 64  # response cache for answers to unchanged data

# --- queries -----------------------------------------------------------------------------------

QUERY_TIMEOUT_S = 10.0  # time limit per query
QUERY_MEMORY_MB = 1024  # memory cap per query worker
WORKERS = 3  # query worker processes
MAX_ROWS = 100_000  # result rows (or triples) per query
MAX_QUERY_LENGTH = 16_384  # characters of query text
MAX_QUERY_DEPTH = 64  # nesting of { } ( ) [ ] combined
MAX_BODY_BYTES = 65_536  # a request body (a POSTed query)
WAIT_FOR_WORKER_S = 10.0  # how long a query waits for a busy worker before 503
REMOTE_TIMEOUT_S = 30.0  # how long a remote store may take to answer, when nothing else says

# --- imports -----------------------------------------------------------------------------------

# How long an import waits for the on-disk store's write lock by default: another writer holds it for
# a moment (another import, or `plgkg serve --store-path` while it starts and writes the catalogue).
LOCK_WAIT_S = 60.0
# An import writes up to this many triples into the on-disk store in one transaction; more go in
# with Oxigraph's bulk loader (plgkg.imports.pipeline.write). 100,000 triples: about 4,000 schools.
TRANSACTION_TRIPLES = 100_000


@dataclass(frozen=True)
class HttpBounds:
    """What a client may send or hold open, enforced below the app (api.protocol, plgkg serve)."""

    max_header_bytes: int = 32 * 1024  # a request's head (request line and headers), else 431
    header_timeout_s: float = 10.0  # to send the head, from the first byte or the last response
    body_timeout_s: float = 30.0  # to send the body, from the end of the head
    max_connections: int = 256  # open connections (and running requests); more are answered 503
    max_connections_per_client: int = 64  # open connections from one client address; more get 503


@dataclass(frozen=True)
class ServiceSettings:
    """Everything the service needs to start; built by the caller, never read from the environment."""

    store: str = STORE
    store_path: Path | None = None  # on-disk oxigraph store
    data: tuple[Path, ...] = DEFAULT_PATHS
    base_iri: str = BASE_IRI
    query_timeout_s: float = QUERY_TIMEOUT_S
    query_memory_mb: int = QUERY_MEMORY_MB
    max_rows: int = MAX_ROWS
    max_query_length: int = MAX_QUERY_LENGTH
    max_query_depth: int = MAX_QUERY_DEPTH
    max_body_bytes: int = MAX_BODY_BYTES
    workers: int = WORKERS
    queries_per_client: int = 0  # queries one client may run at once; 0: one worker fewer than all
    threads: int = THREADS  # the web server's threads; all but RESERVED_THREADS may wait for a worker
    wait_for_worker_s: float = WAIT_FOR_WORKER_S
    allowed_services: frozenset[str] = frozenset()
    cache_mb: int = CACHE_MB  # 0 turns the response cache off
    remember_validation: bool = True  # skip SHACL for data and shapes that conformed before (by hash)

    @property
    def per_client_queries(self) -> int:
        """Queries one client may run at once: as set, else every worker but one (at least one)."""
        return self.queries_per_client or max(1, self.workers - 1)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form, to hand the settings to another process."""
        data = {f: getattr(self, f) for f in self.__dataclass_fields__}
        data["data"] = [str(p) for p in self.data]
        data["store_path"] = str(self.store_path) if self.store_path else None
        data["allowed_services"] = sorted(self.allowed_services)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> ServiceSettings:
        values = dict(data)
        values["data"] = tuple(Path(p) for p in values.get("data", DEFAULT_PATHS))
        values["store_path"] = Path(values["store_path"]) if values.get("store_path") else None
        values["allowed_services"] = frozenset(values.get("allowed_services", ()))
        return cls(**values)
