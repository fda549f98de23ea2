"""The coverage matrix at 1280 px and 375 px (issue 14): every characteristic's column in view at
1280 px (SK4–SK7 were hidden), the legend above the table, and a scroll region that keeps the column
heads on top and the intervention names on the left while it scrolls."""

from __future__ import annotations

import pytest

from tests.browser.conftest import NARROW, WIDE

pytestmark = pytest.mark.browser

BOX = "el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }"


def test_every_column_is_in_view_at_1280_px_with_the_legend_above(page) -> None:
    page.set_viewport_size(WIDE)
    page.goto("/matrix?lang=nl")
    heads = page.locator("table.matrix thead th.char")
    assert heads.count() == 19
    region = page.locator(".matrix-wrap").evaluate(BOX)
    for i in range(heads.count()):
        left, _, right, _ = heads.nth(i).evaluate(BOX)
        assert region[0] <= left and right <= min(region[2], WIDE["width"]), heads.nth(i).inner_text()
    assert page.locator(".matrix-wrap").evaluate("el => el.scrollWidth <= el.clientWidth")
    legend = page.locator("#matrix-legend").evaluate(BOX)
    assert legend[3] <= region[1]


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["1280", "375"])
def test_the_heads_stay_in_view_while_the_matrix_scrolls(page, size: dict) -> None:
    page.set_viewport_size(size)
    page.goto("/matrix?lang=nl")
    wrap = page.locator(".matrix-wrap")
    wrap.evaluate("el => { el.scrollTop = 400; el.scrollLeft = 300; }")
    scrolled = wrap.evaluate("el => [el.scrollTop, el.scrollLeft]")
    assert scrolled[0] > 0, "the region scrolls down inside itself"
    region = wrap.evaluate(BOX)
    # the column heads are still at the top of the region, the names still at its left
    row_head = page.locator("table.matrix tbody th.rowhead").nth(8).evaluate(BOX)
    assert region[1] - 1 <= page.locator("table.matrix thead").evaluate(BOX)[1] <= region[1] + 1
    if scrolled[1] > 0:
        assert region[0] - 1 <= row_head[0] <= region[0] + 1
