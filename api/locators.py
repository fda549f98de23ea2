"""Where a claim stands in the chapter, as a page in either language shows it.

The catalogue writes locators in Dutch, as the chapter names its parts ("§3.3 'Samenwerken'; §3.2
Stoll & Kools, kenmerk 3", "kader 'In de ringen'", "Tabel 1"). An English page reads them in English:
the words around the quoted names are translated, and each quoted name, the chapter's own heading,
stays as written (marked Dutch) with its English meaning beside it. The words are a message catalogue,
api/locales/locators.json, read with importlib.resources."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files

from markupsafe import Markup, escape

QUOTED = re.compile(r"'([^']+)'")


@cache
def _glossary(lang: str) -> tuple[re.Pattern[str] | None, dict[str, str], dict[str, str]]:
    """For lang: a pattern of the Dutch words to translate (longest first, whole words), the words
    and the headings' meanings; no pattern for Dutch."""
    every = json.loads(files("plgkg_api.locales").joinpath("locators.json").read_text(encoding="utf-8"))
    entry = every.get(lang)
    if entry is None:
        return None, {}, {}
    known = sorted(entry["words"], key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in known) + r")\b")
    return pattern, entry["words"], entry["headings"]


def where(locator: str | None, lang: str) -> Markup:
    """The locator as HTML in lang: escaped, translated around the quoted names in English, each
    quoted name marked as Dutch (with its meaning in English, when the glossary knows it)."""
    if not locator:
        return Markup("")
    pattern, terms, headings = _glossary(lang)
    out: list[str] = []
    last = 0
    for match in QUOTED.finditer(locator):
        out.append(_words(locator[last : match.start()], pattern, terms))
        name = match.group(1)
        out.append(f"<span lang=\"nl\">'{escape(name)}'</span>" if lang != "nl" else f"'{escape(name)}'")
        if name in headings:
            out.append(f" ({escape(headings[name])})")
        last = match.end()
    out.append(_words(locator[last:], pattern, terms))
    return Markup("".join(out))


def _words(text: str, pattern: re.Pattern[str] | None, terms: dict[str, str]) -> str:
    escaped = str(escape(text))
    return pattern.sub(lambda m: terms[m.group(1)], escaped) if pattern else escaped
