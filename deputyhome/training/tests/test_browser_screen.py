"""In a real browser: the organiser projects the sign-in page; a deputy scans the QR code (the sign-in
page with the code filled in), taps 签到, and the projected count goes up without a reload."""

from __future__ import annotations

import pytest

from deputyhome.conftest import PASSWORD
from deputyhome.testing import browser_log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_projected_count_follows_a_scanned_sign_in(
    live_server, page, phone_page, personas, city, make_session, invite, artifacts_dir
):
    session = make_session(title="六角亭街道代表履职能力培训", region=city.township_a, code="602214", signin_open=True)
    invite(session, city.deputies_a)
    base = live_server.url

    browser_log_in(page, base, "township", PASSWORD)
    # The pages' timers run on a clock the test can move on (the screen's poll is every 10 seconds).
    page.context.clock.install()
    page.goto(f"{base}/training/sessions/{session.pk}/")
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="投屏显示").click()
    screen = opened.value
    screen.wait_for_load_state()
    assert screen.locator(".screen-code").inner_text() == "602214"
    assert screen.locator("img.screen-qr").evaluate("img => img.complete && img.naturalWidth > 0")
    assert "已签到 0 人，应到 4 人" in screen.locator("#screen-count").inner_text()
    screen.set_viewport_size({"width": 1280, "height": 800})
    screen.screenshot(path=str(artifacts_dir / "training-screen.png"), full_page=True)

    # The QR code's address: the sign-in page with the code filled in.
    browser_log_in(phone_page, base, "deputy", PASSWORD)
    phone_page.goto(f"{base}/training/signin/?code=602214")
    assert phone_page.locator("#id_code").input_value() == "602214"
    phone_page.click("form.signin-card button[type=submit]")
    assert "签到成功" in phone_page.locator(".messages").inner_text()

    # htmx polls every 10 seconds; no reload. Nothing before the poll: then the poll's time passes.
    assert "已签到 0 人" in screen.locator("#screen-count").inner_text()
    screen.clock.fast_forward("00:11")
    screen.locator("#screen-count", has_text="已签到 1 人").wait_for(timeout=5_000)
