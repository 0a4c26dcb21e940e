"""In a real browser on a phone: a township officer uploads a roster, fixes it, previews and confirms."""

from __future__ import annotations

import pytest

from deputyhome.conftest import PASSWORD
from deputyhome.deputies.models import Deputy
from deputyhome.testing import browser_log_in, browser_menu

from .test_roster_files import messy, messy_xlsx, people

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_township_officer_imports_a_roster_on_a_phone(
    live_server, phone_page, personas, city, artifacts_dir, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    page = phone_page
    persons = people(city, 12)[:6]  # the first half is in 六角亭街道, the officer's township
    rows = [messy(p, k) for k, p in enumerate(persons)]
    wrong = [dict(r) for r in rows]
    wrong[2]["性别"] = "未知"

    browser_log_in(page, live_server.url, "township", PASSWORD)
    browser_menu(page, "组织与代表", "名册导入")
    page.wait_for_url("**/roster/")

    page.set_input_files(
        "input[type=file]", files=[{"name": "名册.xlsx", "mimeType": XLSX, "buffer": messy_xlsx(wrong)}]
    )
    page.click("text=上传并检查")
    page.wait_for_selector("text=未导入任何数据")
    assert "第6行" in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts_dir / "roster-errors-phone.png"), full_page=True)

    page.set_input_files(
        "input[type=file]", files=[{"name": "名册.xlsx", "mimeType": XLSX, "buffer": messy_xlsx(rows)}]
    )
    page.click("text=上传并检查")
    page.wait_for_selector("text=确认导入")
    assert Deputy.objects.count() == 8
    page.screenshot(path=str(artifacts_dir / "roster-preview-phone.png"), full_page=True)

    page.click("button:has-text('确认导入')")
    page.wait_for_selector("text=导入完成")
    assert "新增6人" in page.locator(".messages").inner_text()
    assert Deputy.objects.count() == 14
