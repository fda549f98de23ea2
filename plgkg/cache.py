"""A response cache for query answers: unchanged data and the same request give the same bytes.

Entries are keyed by the request (query text, dataset, negotiated media type) and stamped with
the data version they were computed on (see plgkg.store.generation); a new version empties the
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


class ResponseCache:
    """Bounded LRU of answers to one version of the data; thread-safe."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024, max_entry_bytes: int = 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self._entries: OrderedDict[Hashable, CachedAnswer] = OrderedDict()
        self._version: Hashable = None
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, version: Hashable) -> CachedAnswer | None:
        with self._lock:
            if version != self._version:
                self._reset(version)
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: Hashable, version: Hashable, entry: CachedAnswer) -> None:
        """Keep entry for key, if it was computed on the current version and is small enough."""
        size = len(entry.body)
        if size > self.max_entry_bytes or self.max_bytes <= 0:
            return
        with self._lock:
            if version != self._version:
                return  # computed on data that has changed since
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)

    def _reset(self, version: Hashable) -> None:
        self._entries.clear()
        self._bytes = 0
        self._version = version

    def __len__(self) -> int:
        return len(self._entries)

    def stats(self) -> dict[str, int]:
        with self._lock:
            entries, size = len(self._entries), self._bytes
            return {"entries": entries, "bytes": size, "hits": self.hits, "misses": self.misses}


class ResultCache:
    """Bounded LRU (by entries) of results of plgkg's own named queries, for one version of the
    data, like ResponseCache; thread-safe. Holders must treat a result as read-only."""

    def __init__(self, max_entries: int = 4096, max_rows: int = 5000) -> None:
        self.max_entries = max_entries
        self.max_rows = max_rows
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._version: Hashable = None
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: Hashable) -> object | None:
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._version = version
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: Hashable, version: Hashable, entry: object, rows: int) -> None:
        """Keep entry (a result of rows rows or triples) if computed on the current version."""
        if rows > self.max_rows or self.max_entries <= 0:
            return
        with self._lock:
            if version != self._version:
                return
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
