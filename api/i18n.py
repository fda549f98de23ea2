"""The words of the HTML pages in Dutch (default) and English, and how a request picks one.

The words are message catalogues, one JSON file per language (api/locales/<lang>.json, key → text),
shipped in the package and read with importlib.resources."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

from fastapi import Request

LANGUAGES = ("nl", "en")
DEFAULT = "nl"


def language(request: Request) -> str:
    """?lang= first, then the best of Accept-Language, then Dutch."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    best, best_q = None, 0.0
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if primary in LANGUAGES and q > best_q:
            best, best_q = primary, q
    return best or DEFAULT


def words(lang: str) -> dict[str, str]:
    """The page words in lang (one of LANGUAGES), key → text."""
    return dict(_catalogue(lang))


@cache
def _catalogue(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        raise KeyError(lang)
    return json.loads(files("plgkg_api.locales").joinpath(f"{lang}.json").read_text(encoding="utf-8"))
