"""In a real browser: a township officer asks for the logins of the deputies listed, the system administrator
confirms and gets the 开通单, the security administrator gives the roles, and a deputy signs in on a phone with
the slip, types the code sent to the phone on their record, and sets a password. No console error on the way."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from deputyhome.conftest import PASSWORD
from deputyhome.testing import browser_log_in, sms_code

NEW_PASSWORD = "Deputy-Own-2026!"


def _watch(page, errors: list[str]) -> None:
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("dialog", lambda d: d.accept())  # the confirmations (data-confirm)


def _as(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    browser_log_in(page, live_server.url, username, PASSWORD)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_from_the_register_to_the_deputys_first_login(live_server, page, phone_page, personas, city, artifacts_dir):
    errors: list[str] = []
    _watch(page, errors)
    _as(page, live_server, "township")
    page.goto(f"{live_server.url}/deputies/?login=no")
    page.get_by_role("link", name="批量申请开通账号").click()
    page.wait_for_url("**/account-requests/**")
    assert "共 2 名代表" in page.locator("main").inner_text()
    page.get_by_role("button", name="确认申请（2）").click()
    page.wait_for_url("**/deputies/?**")
    assert "已申请为2名代表开通登录账号" in page.locator("main").inner_text()

    _as(page, live_server, "sysadmin")
    page.get_by_role("link", name="待开通的代表账号").click()
    page.wait_for_url("**/accounts/open/")
    page.screenshot(path=str(artifacts_dir / "accounts-open.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="确认开通并下载开通单（2）").click()
    path = artifacts_dir / "accounts-handover.xlsx"
    download.value.save_as(path)
    assert download.value.suggested_filename.startswith("代表账号开通单-")
    assert page.get_by_role("button", name="开通单已在下载；下载完成后请刷新本页").is_disabled()
    lines = [[c.value for c in row] for row in load_workbook(path).active.iter_rows(min_row=3, max_row=4)]
    liaison = city.deputies_a[2]
    [slip] = [line for line in lines if line[3] == liaison.pk]
    assert slip[7] == "验证码发至代表登记的手机"

    _as(page, live_server, "secadmin")
    page.get_by_role("link", name="待分配角色的代表账号").click()
    page.wait_for_url("**/accounts/roles/")
    page.get_by_role("button", name="确认分配角色（2）").click()
    page.wait_for_selector("text=已为2个代表账号分配角色")

    _watch(phone_page, errors)
    phone_page.goto(f"{live_server.url}/accounts/login/")
    phone_page.fill("#id_username", slip[4])
    phone_page.fill("#id_password", slip[5])
    phone_page.click("button[type=submit]")
    # 首次登录验证: the code goes to the phone on the deputy's record, not to whoever holds the slip.
    phone_page.wait_for_url("**/deputies/first-login/")
    phone_page.get_by_role("button", name="获取验证码").click()
    phone_page.wait_for_selector(f"text=验证码已发送至138****{liaison.phone[-4:]}")
    phone_page.screenshot(path=str(artifacts_dir / "accounts-first-login-code-phone.png"))
    phone_page.fill("#id_code", sms_code(liaison.phone))
    phone_page.get_by_role("button", name="验证", exact=True).click()
    phone_page.wait_for_url("**/accounts/password/")
    phone_page.fill("#id_old_password", slip[5])
    phone_page.fill("#id_new_password1", NEW_PASSWORD)
    phone_page.fill("#id_new_password2", NEW_PASSWORD)
    phone_page.locator("main button[type=submit]").click()
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(f"{live_server.url}/deputies/me/")
    assert liaison.name in phone_page.locator("h1").inner_text()
    phone_page.screenshot(path=str(artifacts_dir / "accounts-deputy-first-login-phone.png"))
    assert errors == []
