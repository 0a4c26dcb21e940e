"""On a phone a table of figures (a name, then a few numbers) stays a table: a row a line, the numbers lined up,
no wider than the screen; a register beside it still shows its rows as cards."""

from __future__ import annotations

import pytest

from deputyhome.conftest import PASSWORD
from deputyhome.testing import browser_log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_home_pages_township_figures_stay_a_table_on_a_phone(
    live_server, phone_page, personas, city, artifacts_dir
):
    browser_log_in(phone_page, live_server.url, "city", PASSWORD)
    phone_page.goto(f"{live_server.url}/")
    table = phone_page.locator("#areas ~ .table-wrap table.figures").first
    assert table.locator("thead").is_visible()
    rows = table.locator("tbody tr")
    assert rows.count() == 2  # 六角亭街道, 白杨坪镇
    first = rows.first.bounding_box()
    assert first["height"] < 60  # one line, not a card of five
    cells = rows.first.locator("td")
    assert cells.nth(1).bounding_box()["y"] == cells.nth(0).bounding_box()["y"]  # side by side
    assert cells.nth(4).evaluate("c => getComputedStyle(c).textAlign") == "right"
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= phone_page.viewport_size["width"]
    phone_page.screenshot(path=str(artifacts_dir / "phone-home-figures.png"), full_page=True)
    phone_page.goto(f"{live_server.url}/deputies/")
    assert not phone_page.locator("table.responsive thead").is_visible()
