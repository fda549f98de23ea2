"""Fair shares of the query workers: no client may hold them all (issue 11).

A client (the service names clients by address) may have at most `per_client` queries running at
once; one more is refused at once with QueryLimitError 'client' (HTTP 429 with Retry-After), so the
rest of the workers stay free for everybody else however slow that client's queries are. Answers
from the response cache do not count: they take no worker.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from plgkg.errors import QueryLimitError


class ClientQuota:
    def __init__(self, per_client: int) -> None:
        self.per_client = max(1, per_client)
        self._running: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextmanager
    def slot(self, client: str) -> Iterator[None]:
        """Hold one of client's slots while the block runs; refuse if it has none left."""
        with self._lock:
            if self._running[client] >= self.per_client:
                raise QueryLimitError(
                    "client",
                    f"you have {self._running[client]} queries running, the most one client may have; "
                    "try again when one has finished",
                )
            self._running[client] += 1
        try:
            yield
        finally:
            with self._lock:
                self._running[client] -= 1
                if self._running[client] <= 0:
                    del self._running[client]

    def running(self, client: str) -> int:
        with self._lock:
            return self._running[client]
