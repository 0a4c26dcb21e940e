"""In a real browser, on the demo city (1,338 deputies): the activity form's three attendance fields are searched as
you type; the city officer picks a deputy present and one excused, saves, and finds them chosen on the edit form,
with no console error (three pickers of the same kind on one page)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from deputyhome.demo.builder import DEMO_PASSWORD
from deputyhome.testing import browser_log_in


def _pick(page, field: str, deputy) -> None:
    search = page.locator(f"#id_{field}")
    search.click()
    search.press_sequentially(deputy.name, delay=30)
    page.locator(f"#id_{field}_results input[value='{deputy.pk}']").check()
    expect(page.locator(f".choice-picker[data-name={field}] .picker-chosen")).to_contain_text(deputy.name)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_city_officer_searches_the_attendance_and_saves_it(live_server, committed_demo, page):
    from deputyhome.activities.models import Activity
    from deputyhome.deputies.models import Deputy

    present, excused = Deputy.objects.order_by("pk")[:2]
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    base = live_server.url

    browser_log_in(page, base, "city", DEMO_PASSWORD)
    page.goto(f"{base}/activities/new/")
    expect(page.locator("select[name=present]")).to_have_count(0)
    page.select_option("#id_kind", "forum")
    page.select_option("#id_level", "committee")
    page.fill("#id_place", "市人大常委会会议室")
    page.fill("#id_topic", "座谈（搜索选择出席代表）")
    _pick(page, "present", present)
    _pick(page, "excused", excused)

    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/activities/*/")
    activity = Activity.objects.get(topic="座谈（搜索选择出席代表）")
    assert dict(activity.participations.values_list("deputy_id", "attendance")) == {
        present.pk: "present",
        excused.pk: "excused",
    }
    page.goto(f"{base}/activities/{activity.pk}/edit/")
    expect(page.locator(f".choice-picker[data-name=present] input[value='{present.pk}']")).to_be_checked()
    expect(page.locator(f".choice-picker[data-name=excused] input[value='{excused.pk}']")).to_be_checked()
    assert errors == []
