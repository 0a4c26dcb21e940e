"""In a real browser, on the demo city: the city officer finds pages through the grouped main menu, at a desk
and on a phone, with and without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from deputyhome.demo.builder import DEMO_PASSWORD
from deputyhome.testing import browser_log_in


def _menu(page: Page, label: str):
    return page.locator("nav.mainnav details.navgroup").filter(has=page.locator("summary", has_text=label))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_city_officer_uses_the_menus(live_server, committed_demo, browser, page, phone_page, artifacts_dir):
    base = live_server.url
    nav = page.locator("nav.mainnav")

    # At a desk: five menus, all closed; one opens at a time; Escape and a click elsewhere close it.
    browser_log_in(page, base, "city", DEMO_PASSWORD)
    expect(nav.locator("summary")).to_have_text(["组织与代表", "代表建议", "活动与培训", "联系群众", "履职"])
    expect(nav.get_by_role("link", name="代工委工作台")).to_be_hidden()
    _menu(page, "代表建议").locator("summary").click()
    expect(nav.get_by_role("link", name="代工委工作台")).to_be_visible()
    _menu(page, "活动与培训").locator("summary").click()
    expect(nav.get_by_role("link", name="代表培训")).to_be_visible()
    expect(nav.get_by_role("link", name="代工委工作台")).to_be_hidden()
    page.keyboard.press("Escape")
    expect(nav.locator("details[open]")).to_have_count(0)
    _menu(page, "联系群众").locator("summary").click()
    page.locator("main h1").click()
    expect(nav.locator("details[open]")).to_have_count(0)

    # Open 代表建议, take 督办看板: the page opens, its link and its menu are marked.
    _menu(page, "代表建议").locator("summary").click()
    page.screenshot(path=str(artifacts_dir / "nav-desktop-menu-open.png"))
    nav.get_by_role("link", name="督办看板", exact=True).click()
    page.wait_for_url("**/suggestions/board/")
    # (closed again, so the link is found by address: hidden links are not in the accessibility tree)
    expect(nav.locator('a[href="/suggestions/board/"]')).to_have_attribute("aria-current", "page")
    expect(_menu(page, "代表建议")).to_have_class("navgroup current")
    expect(nav.locator("details.current")).to_have_count(1)

    # On a phone: 菜单 shows the menus stacked, a menu opens in place, an entry opens its page.
    phone = phone_page
    phone_nav = phone.locator("nav.mainnav")
    browser_log_in(phone, base, "city", DEMO_PASSWORD)
    expect(phone_nav).to_be_hidden()
    phone.click("label.navbutton")
    summaries = phone_nav.locator("summary")
    expect(summaries).to_have_count(5)
    boxes = [summaries.nth(i).bounding_box() for i in range(5)]
    assert len({round(b["x"]) for b in boxes}) == 1, boxes  # one column, not a row
    assert all(a["y"] + a["height"] <= b["y"] for a, b in zip(boxes, boxes[1:], strict=False)), boxes
    _menu(phone, "联系群众").locator("summary").click()
    entry = phone_nav.get_by_role("link", name="接待选民", exact=True)
    expect(entry).to_be_visible()
    assert entry.bounding_box()["height"] >= 40  # a finger's worth
    phone.screenshot(path=str(artifacts_dir / "nav-phone-menu-open.png"))
    entry.click()
    phone.wait_for_url("**/opinions/receptions/")
    expect(phone.locator("h1")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # Without JavaScript the menus still open and lead to their pages.
    context = browser.new_context(locale="zh-CN", java_script_enabled=False, viewport={"width": 1280, "height": 800})
    try:
        bare = context.new_page()
        browser_log_in(bare, base, "city", DEMO_PASSWORD)
        _menu(bare, "组织与代表").locator("summary").click()
        bare.locator("nav.mainnav").get_by_role("link", name="家站", exact=True).click()
        bare.wait_for_url("**/org/stations/")
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_cancel_leaves_a_form_for_the_page_the_officer_came_from(live_server, committed_demo, page):
    """取消 on a form that knows no page to return to goes back in the history (static/js/app.js): a javascript:
    link would do nothing under the CSP. One that knows its register goes there."""
    base = live_server.url
    browser_log_in(page, base, "city", DEMO_PASSWORD)
    page.goto(base + "/org/congresses/")
    page.goto(base + "/org/sessions/new/", referer=base + "/org/congresses/")
    cancel = page.locator("main form").get_by_role("link", name="取消")
    expect(cancel).to_have_attribute("data-back", "")
    cancel.click()
    page.wait_for_url(base + "/org/congresses/")
    page.goto(base + "/deputies/new/")
    page.locator("main form").get_by_role("link", name="取消").click()
    page.wait_for_url(base + "/deputies/")
