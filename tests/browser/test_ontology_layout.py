"""/ontology at 1280 px (issue 14): each fact of a term reads as a line, not one letter per line (two
`.facts` rules squeezed every pair into a narrow grid cell: the page was 84,000 px tall)."""

from __future__ import annotations


def test_the_ontology_facts_read_as_lines_at_1280_px(page) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/ontology")
    widths = page.evaluate(
        "Array.from(document.querySelectorAll('main dl.facts dd')).map(d => d.getBoundingClientRect().width)"
    )
    assert len(widths) > 100
    assert min(widths) > 500, min(widths)
    assert page.evaluate("document.documentElement.scrollHeight") < 40_000
