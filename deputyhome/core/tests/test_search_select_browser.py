"""In a real browser, on the demo city with 150 more deputy groups: the activity form's group is a
search-as-you-type field; the city officer types, picks a group and saves, with no console error."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from deputyhome.demo.builder import DEMO_PASSWORD
from deputyhome.testing import browser_log_in


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
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    base = live_server.url

    browser_log_in(page, base, "city", DEMO_PASSWORD)
    page.goto(f"{base}/activities/new/")
    expect(page.locator("select[name=group]")).to_have_count(0)
    page.select_option("#id_kind", "visit")
    page.select_option("#id_level", "group")
    page.fill("#id_place", "新设77村")
    page.fill("#id_topic", "小组走访（搜索选择小组）")

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
