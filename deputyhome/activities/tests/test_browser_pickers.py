"""In a real browser, on the demo city (1,338 deputies): the activity form's pickers are searched as you type. The
city officer picks a deputy present and one excused (three pickers of the same kind on one page), saves, and finds
them chosen on the edit form; with 150 more deputy groups (past 100), types, picks a group and saves. No console
error on the way."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from deputyhome.demo.builder import DEMO_PASSWORD
from deputyhome.testing import browser_log_in


def _new_activity(page, base: str, *, kind: str, level: str, place: str, topic: str, searched: str) -> list[str]:
    """The city officer's new activity, filled in but for its pickers, the field `searched` among them (no
    drop-down); the list the page's console errors go to from now on."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    browser_log_in(page, base, "city", DEMO_PASSWORD)
    page.goto(f"{base}/activities/new/")
    expect(page.locator(f"select[name={searched}]")).to_have_count(0)
    page.select_option("#id_kind", kind)
    page.select_option("#id_level", level)
    page.fill("#id_place", place)
    page.fill("#id_topic", topic)
    return errors


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
    base = live_server.url
    errors = _new_activity(
        page,
        base,
        kind="forum",
        level="committee",
        place="市人大常委会会议室",
        topic="座谈（搜索选择出席代表）",
        searched="present",
    )
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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_city_officer_searches_a_group_past_100_and_saves_the_activity(live_server, committed_demo, page):
    from deputyhome.activities.models import Activity
    from deputyhome.organisation.models import DeputyGroup, Station

    station = Station.objects.order_by("pk").first()
    DeputyGroup.objects.bulk_create(
        [DeputyGroup(name=f"新设{i}代表小组", station=station, sort_key=f"新设{i:06d}") for i in range(150)]
    )
    assert DeputyGroup.objects.count() > 100
    errors = _new_activity(
        page,
        live_server.url,
        kind="visit",
        level="group",
        place="新设77村",
        topic="小组走访（搜索选择小组）",
        searched="group",
    )

    search = page.locator("#id_group")
    search.click()
    search.press_sequentially("新设77", delay=50)
    results = page.locator("#id_group_results")
    expect(results.locator("li")).to_have_count(1)  # 新设77 only: 新设770 and up do not exist
    results.get_by_label("新设77代表小组").check()
    chosen = page.locator(".choice-picker[data-name=group] .picker-chosen")
    expect(chosen).to_contain_text("新设77代表小组")

    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/activities/*/")
    expect(page.locator("main")).to_contain_text("小组走访（搜索选择小组）")
    activity = Activity.objects.get(topic="小组走访（搜索选择小组）")
    assert activity.group.name == "新设77代表小组"
    assert errors == []
