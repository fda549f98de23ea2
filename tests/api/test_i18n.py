"""The message catalogues (api/locales/<lang>.json): every language has every key, none is empty,
and the placeholders a page fills in are the same in each."""

from __future__ import annotations

import json
import re
import string
from importlib.resources import files

import pytest
from fastapi.testclient import TestClient

from plgkg_api.i18n import LANGUAGES, words
from tests.html import Tree


def _catalogue(lang: str) -> dict[str, str]:
    return json.loads(files("plgkg_api.locales").joinpath(f"{lang}.json").read_text(encoding="utf-8"))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_has_exactly_the_same_keys() -> None:
    keys = {lang: set(_catalogue(lang)) for lang in LANGUAGES}
    assert len(keys["nl"]) > 200
    for lang in LANGUAGES:
        assert keys[lang] == keys["nl"], (lang, keys[lang] ^ keys["nl"])


def test_no_text_is_empty_and_each_is_a_string() -> None:
    for lang in LANGUAGES:
        texts = _catalogue(lang)
        empty = [key for key, text in texts.items() if not isinstance(text, str) or not text.strip()]
        assert empty == [], lang


def test_placeholders_agree_between_languages() -> None:
    nl, en = _catalogue("nl"), _catalogue("en")
    assert [key for key in nl if _fields(nl[key]) != _fields(en[key])] == []


def test_words_reads_the_catalogue() -> None:
    assert words("nl")["matrix"] == "Overzicht"
    assert words("en")["matrix"] == "Overview"
    words("en")["matrix"] = "changed"  # a copy: the next page still gets the catalogue's word
    assert words("en")["matrix"] == "Overview"
    with pytest.raises(KeyError):
        words("de")


DOWNLOAD = re.compile(
    r"\.(ttl|jsonld|nt|rdf|csv|bib|ris|yaml|json|xml|rq|owl)$|^/(export|static|dataset)|^/\.well-known"
)


def test_a_chosen_language_is_kept_on_every_link_to_a_page(client: TestClient) -> None:
    """Crawled from the pages of every type: each link to a page of this site keeps ?lang=en (links to
    downloads and data need none)."""
    seen: set[str] = set()
    todo = ["/", "/about", "/data", "/gaps?run=teamteaching", "/search?q=leraar", "/sparql", "/docs",
            "/ontology", "/schools", "/concepts", "/findings", "/cases", "/sources", "/matrix"]  # fmt: skip
    lost = []
    while todo and len(seen) < 150:
        path = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        main = Tree.of(client.get(path + ("&" if "?" in path else "?") + "lang=en").text)
        for a in main.all("a"):
            href = a.attrs.get("href") or ""
            target = href.split("#")[0].split("?")[0]
            if not href.startswith("/") or href.startswith("//") or not target or DOWNLOAD.search(target):
                continue
            if "format=" in href:
                continue
            if "lang=" not in href:  # (the language switch asks for lang=nl)
                lost.append((path, href))
            if target.startswith("/id/"):
                todo.append(target)
    assert len(seen) == 150
    assert lost == []
