"""Where a claim stands in the chapter, read in the page's language (issue 14): English pages
translate the words around the chapter's quoted headings, which stay as written and marked Dutch."""

from __future__ import annotations

import pytest
from rdflib import Literal

from plgkg.catalogue import LoadedGraph
from plgkg.namespaces import PLG
from plgkg_api.locators import where


@pytest.mark.parametrize(
    ("locator", "english"),
    [
        ("Tabel 1", "Table 1"),
        ("kader 'In de ringen'", "box <span lang=\"nl\">'In de ringen'</span> (In the rings)"),
        (
            "§3.3 categorie 3 en 'Samenwerken'; §3.2 Stoll & Kools, kenmerk 3",
            "§3.3 category 3 and <span lang=\"nl\">'Samenwerken'</span> (Collaboration); "
            "§3.2 Stoll &amp; Kools, characteristic 3",
        ),
        ("§3.3 'Organisatiestructuur'; §3.2 Little, soort 2",
         "§3.3 <span lang=\"nl\">'Organisatiestructuur'</span> (Organisational structure); "
         "§3.2 Little, type 2"),
        ("§3.3, slotalinea", "§3.3, closing paragraph"),
        ("§3.3 'Missie en visie' (structureel overleg)",
         "§3.3 <span lang=\"nl\">'Missie en visie'</span> (Mission and vision) (structural consultation)"),
        ("<script>'x'</script>", "&lt;script&gt;<span lang=\"nl\">'x'</span>&lt;/script&gt;"),
        ("", ""),
    ],
)  # fmt: skip
def test_a_locator_reads_in_english_with_the_chapter_headings_kept(locator: str, english: str) -> None:
    assert str(where(locator, "en")) == english


def test_a_locator_reads_as_written_in_dutch_escaped() -> None:
    assert str(where("§3.2 Stoll & Kools, kenmerk 3; kader 'In de ringen'", "nl")) == (
        "§3.2 Stoll &amp; Kools, kenmerk 3; kader 'In de ringen'"
    )


def test_every_word_and_heading_of_the_catalogue_s_locators_has_an_english_reading(
    catalogue: LoadedGraph,
) -> None:
    """No Dutch word is left in an English locator outside the quoted headings, and every quoted
    heading has its meaning beside it."""
    dutch = {"tabel", "kader", "categorie", "kenmerk", "soort", "en", "slotalinea", "structureel", "overleg"}
    locators = {str(o) for o in catalogue.graph.objects(None, PLG.locator) if isinstance(o, Literal)}
    assert len(locators) > 50
    for locator in locators:
        shown = str(where(locator, "en"))
        outside = " ".join(part for i, part in enumerate(shown.split("'")) if i % 2 == 0)
        assert not dutch & set(outside.replace(",", " ").replace(";", " ").split()), (locator, shown)
        assert shown.count('<span lang="nl">') == locator.count("'") // 2
        assert shown.count("</span> (") == locator.count("'") // 2, (locator, shown)
