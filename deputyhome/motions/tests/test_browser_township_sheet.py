"""In Chromium, on a phone: 白杨坪镇's officer records attendance at their congress's session (which seats no
delegations) on one sheet: two deputies on leave or absent, the rest present in one tick; the session page then
shows the figures. Screenshots go to test-artifacts/."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from deputyhome.conftest import PASSWORD
from deputyhome.testing import browser_log_in, congress_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_township_clerk_ticks_the_session_on_one_sheet(live_server, phone_page, personas, city, artifacts_dir):
    from deputyhome.deputies.models import Deputy, Mandate
    from deputyhome.motions.models import SessionAttendance

    today, day = timezone.localdate(), datetime.timedelta(days=1)
    name = "白杨坪镇第十九届人民代表大会第六次会议"
    session = congress_session(city, congress=city.township_congress_b, name=name, days=(today - day, today + day))
    for d in city.deputies_b:  # every deputy of 白杨坪镇 sits in its congress
        Mandate.objects.get_or_create(
            deputy=d, congress=city.township_congress_b, defaults={"start_date": datetime.date(2021, 10, 1)}
        )
    seated = list(Deputy.objects.filter(mandates__congress=city.township_congress_b).order_by("region__code", "name"))
    page = phone_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    browser_log_in(page, live_server.url, personas["township_b"].username, PASSWORD)
    page.goto(f"{live_server.url}/motions/sessions/{session.pk}/")
    page.get_by_role("link", name="登记出席情况").click()
    away, absent = seated[0], seated[1]
    row, reason = page.locator(f"#att-{away.pk}"), page.get_by_label(f"{away.name}的请假事由")
    # On a phone a deputy is a line and the choices under it; the reason shows once 请假 is chosen.
    assert row.bounding_box()["height"] < 100 and not reason.is_visible()
    row.get_by_label("请假", exact=True).check()
    assert reason.is_visible()
    reason.fill("外出务工")
    page.locator(f"#att-{absent.pk}").get_by_label("缺席", exact=True).check()
    page.get_by_label("其余尚未登记的代表均登记为出席").check()
    page.screenshot(path=str(artifacts_dir / "township-session-sheet.png"), full_page=False)
    page.get_by_role("button", name="保存出席情况").click()
    page.wait_for_load_state("load")
    assert f"已保存{session.name}的出席情况（{len(seated)}人有变动）" in page.locator("body").inner_text()
    page.goto(f"{live_server.url}/motions/sessions/{session.pk}/")
    figures = page.locator("#attendance-figures").inner_text()
    assert f"会议期间的代表 {len(seated)} 人：出席 {len(seated) - 2}，请假 1，缺席 1，未登记 0" in figures
    assert SessionAttendance.objects.get(deputy=away).reason == "外出务工"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert errors == []
