"""Finding a catalogue term by what someone calls it: one way to compare names (case, accents and
spacing ignored), and the known names closest to one that is not known, for the "did you mean"
of an error message."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping
from typing import TypeVar

T = TypeVar("T")


def key(name: str) -> str:
    """name as compared: case-folded, without accents, hyphens and underscores as spaces, one space
    between words ("Intercollegiale  observatie" and "intercollegiale-observatie" are one key)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("-", " ").replace("_", " ").split())


def closest(name: str, known: Mapping[str, T], n: int = 3) -> list[T]:
    """Up to n values of known (keyed by key()) whose names are closest to name, best first: names
    that begin with it or that it begins with ("intervisie" → "intervisiebijeenkomsten"), then names
    that contain it, then difflib's close matches on whole names and on single words. No value twice."""
    wanted = key(name)
    if not wanted:
        return []
    ranked: list[str] = sorted(k for k in known if k.startswith(wanted) or wanted.startswith(k))
    ranked += sorted(k for k in known if wanted in k)
    ranked += difflib.get_close_matches(wanted, list(known), n=n, cutoff=0.6)
    words = {word: k for k in sorted(known, reverse=True) for word in k.split() if len(word) > 3}
    ranked += [words[w] for w in difflib.get_close_matches(wanted, list(words), n=n, cutoff=0.75)]
    found: list[T] = []
    for k in ranked:
        if known[k] not in found:
            found.append(known[k])
    return found[:n]
