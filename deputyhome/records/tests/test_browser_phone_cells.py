"""On a phone a register's row is a card: each cell's label in a gutter, the cell's own content in its own flow."""

from __future__ import annotations

import pytest

from deputyhome.conftest import PASSWORD
from deputyhome.testing import browser_log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_cells_help_sits_under_its_input_on_a_phone(live_server, phone_page, personas, artifacts_dir):
    page = phone_page
    browser_log_in(page, live_server.url, "city", PASSWORD)
    page.goto(f"{live_server.url}/records/points/scheme/")
    cell = page.locator("table.responsive tbody tr").first.locator('td[data-label="上限"]')
    cell_box, input_box, help_box = (x.bounding_box() for x in (cell, cell.locator("input"), cell.locator(".help")))
    # The help is a line of its own under the input, not a column beside it (as when the cell was a flex row).
    assert help_box["y"] >= input_box["y"] + input_box["height"] - 1
    assert abs(help_box["x"] - input_box["x"]) < 2
    # Both stand right of the label's gutter, and the card is no wider than the phone.
    assert input_box["x"] - cell_box["x"] > 60
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.screenshot(path=str(artifacts_dir / "phone-scheme-cells.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_phone_sorts_a_register_from_the_sort_bar(live_server, phone_page, personas, city, artifacts_dir):
    """The cards have no header, so the header's sort links stand in a bar above them; on a wide screen, the header."""
    browser_log_in(phone_page, live_server.url, "city", PASSWORD)
    phone_page.goto(f"{live_server.url}/deputies/")
    page = phone_page
    bar = page.locator(".sortbar")
    assert bar.is_visible() and not page.locator("table.responsive thead").is_visible()
    names = sorted(d.name for d in [*city.deputies_a, *city.deputies_b])
    bar.get_by_role("link", name="姓名").click()
    page.wait_for_url("**sort=name")
    shown = page.locator('table.responsive td[data-label="姓名"]').all_inner_texts()
    assert shown == names[: len(shown)] and bar.locator("a[aria-current]").inner_text() == "姓名 ▲"
    bar.get_by_role("link", name="姓名 ▲").click()
    page.wait_for_url("**sort=-name")
    assert page.locator('table.responsive td[data-label="姓名"]').first.inner_text() == names[-1]
    page.screenshot(path=str(artifacts_dir / "phone-sort-bar.png"), full_page=False)
    page.set_viewport_size({"width": 1280, "height": 800})
    assert not bar.is_visible() and page.locator("table.responsive thead").is_visible()
