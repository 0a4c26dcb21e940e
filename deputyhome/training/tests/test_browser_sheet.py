"""The attendance sheet printed on A4 (print media emulated): the page's chrome is gone, the committee heads it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from deputyhome.conftest import PASSWORD
from deputyhome.testing import browser_log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_attendance_sheet_prints(live_server, page, personas, city, make_session, invite, artifacts_dir):
    session = make_session(title="六角亭街道代表履职能力培训", region=city.township_a, place="街道人大会议室")
    invite(session, city.deputies_a)
    browser_log_in(page, live_server.url, "township", PASSWORD)
    page.goto(f"{live_server.url}/training/sessions/{session.pk}/sheet/")
    expect(page.locator(".print-header")).to_be_hidden()
    page.emulate_media(media="print")
    expect(page.locator(".print-header")).to_be_visible()
    expect(page.locator(".print-header")).to_contain_text("人大")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.get_by_role("button", name="打印")).to_be_hidden()
    expect(page.locator("#sheet tbody tr")).to_have_count(len(city.deputies_a))
    page.screenshot(path=str(artifacts_dir / "issue14-7-sheet-print.png"), full_page=True)
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
