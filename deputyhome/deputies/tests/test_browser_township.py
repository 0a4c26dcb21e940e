"""In a real browser: a township officer logs in, sees only their township, filters, opens a deputy."""

from __future__ import annotations

import pytest

from deputyhome.conftest import PASSWORD
from deputyhome.testing import browser_log_in, browser_menu


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_township_officer_finds_own_deputies(live_server, page, personas, city, artifacts_dir):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "township")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.locator("nav.mainnav summary", has_text="组织与代表").click()
    page.locator("nav.mainnav").get_by_role("link", name="人大代表", exact=True).click()
    page.wait_for_url("**/deputies/")
    table = page.locator("table")
    for d in city.deputies_a:
        assert table.get_by_text(d.name, exact=True).count() == 1
    for d in city.deputies_b:
        assert table.get_by_text(d.name, exact=True).count() == 0
    page.screenshot(path=str(artifacts_dir / "township-deputies.png"), full_page=True)

    # No township filter (its one choice, the officer's own township, would narrow nothing), no township column.
    assert page.locator("form.filters #id_region").get_attribute("type") == "hidden"
    assert page.get_by_text("乡镇（街道）", exact=True).count() == 0

    page.select_option("#id_gender", "F")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**gender=F**")
    women = [d for d in city.deputies_a if d.gender == "F"]
    men = [d for d in city.deputies_a if d.gender == "M"]
    assert all(page.locator("table").get_by_text(d.name, exact=True).count() == 1 for d in women)
    assert all(page.locator("table").get_by_text(d.name, exact=True).count() == 0 for d in men)

    target = women[0]
    page.locator("table").get_by_role("link", name=target.name, exact=True).click()
    page.wait_for_url(f"**/deputies/{target.pk}/")
    assert page.locator("h1").inner_text().startswith(target.name)
    body = page.locator("main").inner_text()
    assert "六角亭街道第一代表小组" in body and "恩施市第十一届人民代表大会" in body
    page.screenshot(path=str(artifacts_dir / "township-deputy-detail.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_deputy_on_a_phone_sees_own_page(live_server, phone_page, personas, city, artifacts_dir):
    page = phone_page
    browser_log_in(page, live_server.url, "deputy", PASSWORD)
    browser_menu(page, "履职", "我的履职")
    me = personas["deputy"].deputy
    page.wait_for_url(f"**/deputies/{me.pk}/")
    body = page.locator("main").inner_text()
    assert "西门社区人大代表联络站" in body and "本人" in body
    page.screenshot(path=str(artifacts_dir / "deputy-phone.png"), full_page=True)
