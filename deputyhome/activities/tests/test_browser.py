"""In a real browser on a phone: a township officer finds a problem, turns it into a suggestion, and the
suggestion's page says where it came from; the unit clerk answers a forwarded one in the inbox."""

from __future__ import annotations

import pytest

from deputyhome.conftest import PASSWORD
from deputyhome.testing import browser_log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_problem_to_suggestion_on_a_phone(live_server, phone_page, personas, problem, artifacts_dir):
    page = phone_page
    browser_log_in(page, live_server.url, "township", PASSWORD)
    page.click("label.navbutton")
    page.locator("nav.mainnav summary", has_text="活动与培训").click()
    page.locator("nav.mainnav").get_by_role("link", name="发现问题", exact=True).click()
    page.wait_for_url("**/activities/problems/")
    page.get_by_role("link", name=str(problem)).click()
    page.wait_for_url(f"**/activities/problems/{problem.pk}/")
    page.screenshot(path=str(artifacts_dir / "activities-problem-phone.png"), full_page=True)

    page.get_by_text("形成代表建议", exact=True).click()
    page.wait_for_url("**/to_suggestion/")
    page.click("main button[type=submit]")
    page.wait_for_url("**/suggestions/*/")
    origin = page.locator("#suggestion-origin")
    assert "来源：代表活动发现的问题" in origin.inner_text()
    page.screenshot(path=str(artifacts_dir / "activities-suggestion-origin-phone.png"), full_page=True)
    origin.get_by_role("link").click()
    page.wait_for_url(f"**/activities/problems/{problem.pk}/")
    assert "已形成代表建议" in page.locator("main").inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_unit_clerk_answers_in_the_inbox(live_server, page, personas, problem, city, artifacts_dir):
    from deputyhome.activities import services

    referral = services.problem_forward(problem=problem, unit=city.unit_a, actor=personas["township"])
    browser_log_in(page, live_server.url, "unit", PASSWORD)
    # A unit clerk's only entry of 活动与培训: a link on the bar itself, no menu to open.
    page.locator("nav.mainnav").get_by_role("link", name="转交事项", exact=True).click()
    page.get_by_role("link", name=referral.title).click()
    page.fill("#id_text", "已安排维修，三日内完成。")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/activities/referrals/{referral.pk}/")
    assert "已安排维修，三日内完成。" in page.locator("#referral-reply").inner_text()
    page.screenshot(path=str(artifacts_dir / "activities-referral-replied.png"), full_page=True)
