"""The must-show, in a real browser on a phone-sized screen: a citizen leaves an opinion at a
station and gets a tracking code; a township officer forwards it to a unit; the unit replies in
its referral inbox; the citizen, with the code, sees the reply."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from deputyhome.conftest import PASSWORD
from deputyhome.testing import browser_log_in


def _logout(page) -> None:
    page.locator(".who").get_by_role("button", name="退出").click()
    expect(page.locator("#id_username")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_citizen_to_unit_and_back_on_a_phone(live_server, phone_page, artifacts_dir):
    from deputyhome.testing import build_small_city, make_personas

    city = build_small_city()
    make_personas(city, password=PASSWORD)
    page, base = phone_page, live_server.url
    page.on("dialog", lambda dialog: dialog.accept())

    # A citizen scans the station's QR code and leaves an opinion, without an account.
    page.goto(f"{base}/opinions/p/station/{city.station_a.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(city.station_a.name)
    page.get_by_label("您要反映的问题或建议").fill("西门社区菜市场旁的下水道井盖破损，晚上路过很危险。")
    page.get_by_label("联系电话（可不填）").fill("13912345678")
    page.get_by_label("我已阅读并同意《个人信息保护告知》").check()
    page.screenshot(path=str(artifacts_dir / "opinions-phone-1-form.png"), full_page=True)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("提交成功，谢谢您！")
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[23456789A-HJKMNP-Z]{4}-[23456789A-HJKMNP-Z]{4}-[23456789A-HJKMNP-Z]{4}", code), code
    page.screenshot(path=str(artifacts_dir / "opinions-phone-2-code.png"), full_page=True)

    # The township officer opens it in the inbox and forwards it to the housing bureau.
    browser_log_in(page, base, "township", PASSWORD)
    page.goto(base + "/opinions/")
    page.get_by_role("link", name=code).click()
    expect(page.locator("h1")).to_contain_text(code)
    forward = page.locator("#step-forward")
    forward.locator("summary").focus()  # the form loads when the step is opened, from the keyboard too
    page.keyboard.press("Enter")
    forward.get_by_label("承办单位").select_option(label=city.unit_a.name)
    forward.get_by_role("button", name="转交承办单位").click()
    expect(page.locator(".messages")).to_contain_text("已转交承办单位")
    page.screenshot(path=str(artifacts_dir / "opinions-phone-3-forwarded.png"), full_page=True)
    _logout(page)

    # The unit's clerk answers in the referral inbox.
    browser_log_in(page, base, "unit", PASSWORD)
    page.goto(base + "/activities/referrals/")
    page.get_by_role("link", name=re.compile("下水道井盖破损")).first.click()
    page.get_by_label("答复内容").fill("已于次日更换井盖，并对周边井盖进行了排查。")
    page.get_by_role("button", name="提交答复").click()
    expect(page.locator("#referral-reply")).to_contain_text("已于次日更换井盖")
    _logout(page)

    # The citizen, with the code, sees the unit's reply.
    page.goto(base + "/opinions/p/track/")
    page.get_by_label("查询码").fill(code.lower().replace("-", ""))
    page.get_by_role("button", name="查询").click()
    result = page.locator("#track-result")
    expect(result).to_contain_text("单位已答复")
    expect(result).to_contain_text("已于次日更换井盖")
    expect(result).not_to_contain_text("13912345678")
    expect(result).not_to_contain_text("井盖破损")
    page.screenshot(path=str(artifacts_dir / "opinions-phone-4-reply.png"), full_page=True)

    # No sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
