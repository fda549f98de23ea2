"""A response cache for query answers: unchanged data and the same request give the same bytes.

Entries are keyed by the request (query text, dataset, negotiated media type) and stamped with
the data version they were computed on (see plgkg.stores.generation); a new version empties the
cache, so that an import is visible to the next request. Bounded in bytes, least recently used
out first. Each entry carries a strong ETag (a hash of media type and body) for HTTP revalidation.
Queries whose answer may differ between runs on the same data (NOW, RAND, UUID, STRUUID, BNODE)
are never cached.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from plgkg.settings import CACHE_MB

_VOLATILE = re.compile(r"\b(?:NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)


def cacheable(sparql: str) -> bool:
    """False for a query that may answer differently on the same data (a false alarm is harmless)."""
    folded = sparql.lower()
    if "now" not in folded and "rand" not in folded and "uuid" not in folded and "bnode" not in folded:
        return True  # the common case, without the regular expression
    return _VOLATILE.search(sparql) is None


def entity_tag(media_type: str, body: bytes) -> str:
    """A strong ETag for a body in a media type."""
    digest = hashlib.blake2b(body, digest_size=12, person=b"plgkg-etag")
    digest.update(media_type.encode("ascii", "replace"))
    return f'"{digest.hexdigest()}"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names etag (weak comparison, as RFC 9110 asks for GET/HEAD)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))


@dataclass(frozen=True)
class CachedAnswer:
    media_type: str
    body: bytes
    etag: str


class VersionedCache:
    """A thread-safe LRU for one version of the data: asking with a new version empties it, and an
    entry computed on an older version is not kept. Each entry weighs something (bytes, or 1); the
    least recently used go while the total weight passes the budget."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._entries: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._version: Hashable = None
        self._weight = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, version: Hashable) -> object | None:
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._weight = 0
                self._version = version
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found[0]

    def _keep(self, key: Hashable, version: Hashable, entry: object, weight: int) -> None:
        if self.budget <= 0:
            return
        with self._lock:
            if version != self._version:
                return  # computed on data that has changed since
            old = self._entries.pop(key, None)
            if old is not None:
                self._weight -= old[1]
            self._entries[key] = (entry, weight)
            self._weight += weight
            while self._weight > self.budget:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._weight -= dropped

    def __len__(self) -> int:
        return len(self._entries)


ENTRY_OVERHEAD = 512  # bytes an entry costs beyond its key's and body's text (objects, the LRU links)


def key_weight(key: Hashable) -> int:
    """About how many bytes a request key holds: the lengths of the strings in it."""
    if isinstance(key, str | bytes):
        return len(key)
    if isinstance(key, tuple):
        return sum(key_weight(part) for part in key)
    return 8


class ResponseCache(VersionedCache):
    """Answers to /sparql requests, bounded in bytes (the bodies, the keys and a fixed overhead per
    entry, so that many small answers to long queries weigh what they hold) and in entries."""

    def __init__(
        self,
        max_bytes: int = CACHE_MB * 1024 * 1024,
        max_entry_bytes: int = 1024 * 1024,
        max_entries: int = 20_000,
    ) -> None:
        super().__init__(max_bytes)
        self.max_entry_bytes = max_entry_bytes
        self.max_entries = max_entries

    def put(self, key: Hashable, version: Hashable, entry: CachedAnswer) -> None:
        """Keep entry for key, if it was computed on the current version and is small enough."""
        weight = len(entry.body) + key_weight(key) + ENTRY_OVERHEAD
        if weight <= self.max_entry_bytes:
            self._keep(key, version, entry, weight)
            with self._lock:
                while len(self._entries) > self.max_entries:
                    _, (_, dropped) = self._entries.popitem(last=False)
                    self._weight -= dropped

    def stats(self) -> dict[str, int]:
        with self._lock:
            entries, size = len(self._entries), self._weight
            return {"entries": entries, "bytes": size, "hits": self.hits, "misses": self.misses}


class ResultCache(VersionedCache):
    """Results of plgkg's own named queries, bounded in entries. Holders must treat a result as
    read-only."""

    def __init__(self, max_entries: int = 4096, max_rows: int = 5000) -> None:
        super().__init__(max_entries)
        self.max_rows = max_rows

    def put(self, key: Hashable, version: Hashable, entry: object, rows: int) -> None:
        """Keep entry (a result of rows rows or triples) if computed on the current version."""
        if rows <= self.max_rows:
            self._keep(key, version, entry, 1)

    def keep(self, key: Hashable, version: Hashable, entry: object) -> None:
        """Keep a value derived from the data (not a raw result: no row bound), as one entry."""
        self._keep(key, version, entry, 1)
