"""In a real browser: the committee's clerk changes the city congress's term from its page, checks what it will do,
and confirms."""

from __future__ import annotations

import pytest

from deputyhome.conftest import PASSWORD
from deputyhome.deputies.choices import MandateStatus
from deputyhome.deputies.models import Mandate
from deputyhome.organisation.models import Congress
from deputyhome.testing import browser_log_in

from .test_term_change import OPENED


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_clerk_changes_the_term_from_the_congress_page(live_server, page, personas, city, artifacts_dir):
    browser_log_in(page, live_server.url, "city", PASSWORD)
    page.goto(f"{live_server.url}{city.city_congress.get_absolute_url()}")
    page.get_by_role("link", name="换届", exact=True).click()
    page.wait_for_url("**/term-change/")
    assert page.locator("#id_name").input_value() == "恩施市第十二届人民代表大会"

    page.fill("#id_start_date", OPENED.isoformat())
    page.get_by_role("button", name="下一步：核对").click()
    notice = page.locator("[role=status]")
    notice.wait_for()
    assert "终止代表资格 8 个" in notice.inner_text()
    page.screenshot(path=str(artifacts_dir / "term-change-check.png"), full_page=True)
    assert not Congress.objects.filter(term=12).exists()

    page.get_by_role("button", name="确认换届").click()
    page.wait_for_url("**/org/congresses/*/")
    assert "已换届" in page.locator("main").inner_text()
    assert page.locator("h1").inner_text() == "恩施市第十二届人民代表大会"
    assert not Mandate.objects.filter(congress=city.city_congress, status=MandateStatus.ACTIVE).exists()
