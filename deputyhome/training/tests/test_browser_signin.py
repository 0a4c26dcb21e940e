"""In a real browser: a deputy signs in to a training session with its code on a phone, and the
township officer's attendance list shows them present."""

from __future__ import annotations

import pytest

from deputyhome.conftest import PASSWORD
from deputyhome.testing import browser_log_in, browser_menu


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_deputy_signs_in_on_a_phone_and_staff_see_it(
    live_server, phone_page, page, personas, city, make_session, invite, artifacts_dir
):
    session = make_session(
        title="六角亭街道人大代表学员交流会", kind="exchange", region=city.township_a, code="480627", signin_open=True
    )
    invite(session, city.deputies_a)
    me = personas["deputy"].deputy

    # The deputy, on a phone: log in, open 培训签到 from 菜单 › 活动与培训, mistype once, then sign in.
    phone = phone_page
    browser_log_in(phone, live_server.url, "deputy", PASSWORD)
    browser_menu(phone, "活动与培训", "培训签到")
    phone.wait_for_url("**/training/signin/")
    assert "六角亭街道人大代表学员交流会" in phone.locator("#today").inner_text()
    assert phone.locator("#id_code").get_attribute("inputmode") == "numeric"

    phone.fill("#id_code", "480672")
    phone.click("form.signin-card button[type=submit]")
    assert "签到码不正确，请核对后重新输入。" in phone.locator(".errorlist").inner_text()

    phone.fill("#id_code", "480627")
    phone.click("form.signin-card button[type=submit]")
    phone.wait_for_url("**/training/signin/")
    assert "签到成功：六角亭街道人大代表学员交流会" in phone.locator(".messages").inner_text()
    assert "到会" in phone.locator("#today").inner_text()
    # The page fits the phone: nothing wider than the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(artifacts_dir / "training-signin-phone.png"), full_page=True)

    # The township officer, at a desk: the session's attendance list shows the deputy present.
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "township")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/training/")
    page.get_by_role("link", name="六角亭街道人大代表学员交流会").click()
    page.wait_for_url(f"**/training/sessions/{session.pk}/")
    row = page.locator("#attendance tr", has_text=me.name)
    assert "到会" in row.inner_text() and "本人签到码签到" in row.inner_text()
    others = page.locator("#attendance tr", has_text=city.deputies_a[0].name)
    assert "未签到" in others.inner_text()
    page.click("text=出勤登记")
    page.wait_for_url(f"**/training/sessions/{session.pk}/attendance/")
    checked = page.locator(f"#attendance tr:has-text('{me.name}') input[type=radio]:checked")
    assert checked.get_attribute("value") == "present"
    page.screenshot(path=str(artifacts_dir / "training-attendance-staff.png"), full_page=True)
