"""HTTP content negotiation: pick the best offered media type for an Accept header."""

from __future__ import annotations

import functools
from collections.abc import Sequence

# Accept headers up to this length are remembered (a client sends the same one again and again);
# longer ones, which only a hostile client sends, are read each time
REMEMBERED_LENGTH = 256


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """(media range, q, position) for each entry of an Accept header; malformed q counts as 0."""
    return list(_ranges(header))


def _ranges(header: str | None) -> tuple[tuple[str, float, int], ...]:
    if header is not None and len(header) <= REMEMBERED_LENGTH:
        return _remembered_ranges(header)
    return _read_ranges(header)


def _read_ranges(header: str | None) -> tuple[tuple[str, float, int], ...]:
    if not header or not header.strip():
        return (("*/*", 1.0, 0),)
    ranges = []
    for position, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q, position))
    return tuple(ranges) or (("*/*", 1.0, 0),)


_remembered_ranges = functools.lru_cache(maxsize=256)(_read_ranges)


def _specificity(media_range: str, offer: str) -> int | None:
    if media_range == offer:
        return 3
    kind, _, sub = media_range.partition("/")
    if sub == "*" and offer.startswith(kind + "/"):
        return 2
    if media_range in ("*/*", "*"):
        return 1
    return None


def choose(header: str | None, offers: Sequence[str]) -> str | None:
    """The offer the client prefers most (offers listed in the server's order of preference);
    None when the client accepts none of them (406)."""
    if header is not None and len(header) <= REMEMBERED_LENGTH:
        return _remembered_choice(header, tuple(offers))
    return _choose(header, offers)


def _choose(header: str | None, offers: Sequence[str]) -> str | None:
    ranges = _ranges(header)
    best: tuple[float, int, int, int] | None = None
    chosen = None
    for rank, offer in enumerate(offers):
        matches = [
            (spec, q, pos) for media, q, pos in ranges if (spec := _specificity(media, offer)) is not None
        ]
        if not matches:
            continue
        spec, q, pos = max(matches, key=lambda m: (m[0], -m[2]))  # the most specific range decides
        if q <= 0:
            continue
        key = (q, spec, -pos, -rank)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen


_remembered_choice = functools.lru_cache(maxsize=1024)(_choose)


def prefers_html(header: str | None) -> bool:
    """True when a browser asks: text/html is acceptable and preferred over the data types."""
    if not header:
        return False
    return any(media in ("text/html", "application/xhtml+xml") and q > 0 for media, q, _ in _ranges(header))
