"""In Chromium: a township congress runs its own suggestion, start to end, through the pages.

A deputy of 白杨坪镇 (who also sits in the city congress) drafts a suggestion to 白杨坪镇第十九届人民代表大会 and
submits it → the town's officer sees it on the town's 建议工作台, registers it and assigns it to the town's
agricultural service centre (the city's departments are not offered) → the centre's clerk signs, consults and
replies → the officer accepts the reply → the deputy evaluates → 已办结. The city's officer reads it without a
single action; the officer of another town gets 404; the city's desk does not list it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from deputyhome.conftest import PASSWORD
from deputyhome.suggestions.tests.test_browser_course import (  # noqa: F401 - `lists` is a fixture
    accept,
    act,
    consult,
    evaluate,
    fill_draft,
    lists,
    login_as,
    reply,
    state_is,
    steps_offered,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "关于硬化洞下槽村三组机耕道的建议"
CONGRESS = "白杨坪镇第十九届人民代表大会"
OFFICE = "白杨坪镇农业服务中心"


@pytest.fixture
def town(city, personas, lists):  # noqa: F811 - the fixture imported above
    """白杨坪镇's office, its clerk, a deputy of its congress with a login, and another town with its officer."""
    from deputyhome.accounts.choices import Role
    from deputyhome.accounts.models import User
    from deputyhome.organisation.choices import UnitKind
    from deputyhome.organisation.models import HandlingUnit
    from deputyhome.suggestions.models import Category
    from deputyhome.suggestions.tests.test_forwards import another_town

    def mk(username: str, role: str, **anchor) -> User:
        user = User(username=username, role=role, display_name=username, **anchor)
        user.set_password(PASSWORD)
        user.save()
        return user

    Category.objects.get_or_create(name="农业农村", defaults={"order": 3})
    office = HandlingUnit.objects.create(name=OFFICE, kind=UnitKind.GOVERNMENT, region=city.township_b)
    other = another_town(city, "三岔镇")
    return {
        "office": office,
        "deputy": mk("tdeputy", Role.DEPUTY, deputy=city.deputies_b[0]),  # city and 白杨坪镇 mandates
        "clerk": mk("tclerk", Role.UNIT_CLERK, unit=office),
        "other_officer": mk("sancha", Role.TOWNSHIP_OFFICER, region=other),
    }


def watch_console(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_a_township_congress_runs_its_suggestion(live_server, page, city, personas, town, artifacts_dir):
    from deputyhome.suggestions.models import Suggestion

    base = live_server.url
    errors = watch_console(page)
    page.on("dialog", lambda d: d.accept())

    # 1. The deputy drafts to the town's congress (they sit in two: the form asks which) and submits.
    fill_draft(
        page,
        base,
        "tdeputy",
        TITLE,
        "洞下槽村三组机耕道长约2.3公里，雨天泥泞，农机无法通行。",
        "未纳入道路硬化计划。",
        "建议纳入全镇农村道路建设计划，分段硬化。",
    )
    page.select_option("#id_congress", label=CONGRESS)
    with page.expect_navigation():
        page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("ul.messages")).to_contain_text("草稿已保存")
    detail = page.url.removeprefix(base)
    s = Suggestion.objects.get(title=TITLE)
    assert detail == s.get_absolute_url() and s.congress == city.township_congress_b
    act(page, "submit", "提交")
    state_is(page, "已提交")

    # 2. The town's officer finds it on the town's desk, registers it and assigns it to the town's office.
    login_as(page, base, "township_b")
    page.goto(f"{base}{reverse('suggestions:desk')}")
    expect(page.locator("h1")).to_contain_text("白杨坪镇人大建议工作台")
    expect(page.locator("main")).to_contain_text(TITLE)
    page.screenshot(path=str(artifacts_dir / "township-desk.png"), full_page=True)
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=TITLE).first.click()
    act(
        page, "register", "审查通过并立案", lambda f: f.locator("#id_register-category").select_option(label="农业农村")
    )
    state_is(page, "已立案")
    expect(page.locator("h1")).to_contain_text("第1号")
    offered = page.locator("#id_assign-lead_unit option").all_inner_texts()
    assert OFFICE in offered and city.unit_a.name not in offered, offered

    def assign(form):
        form.locator("#id_assign-lead_unit").select_option(label=OFFICE)
        form.locator("#id_assign-requirements").fill("请于三个月内办结并答复代表。")

    act(page, "assign", "交办", assign)
    state_is(page, "已交办")
    expect(page.locator("dl.fields")).to_contain_text(f"{OFFICE}（主办单位）")

    # 3. The office's clerk signs, consults the deputy on site and replies.
    login_as(page, base, "tclerk")
    page.goto(f"{base}{detail}")
    act(page, "receive", "签收")
    state_is(page, "办理中")
    act(page, "consult", "记录沟通联系", consult("到洞下槽村三组与代表查看机耕道。"))
    act(page, "reply", "答复", reply("机耕道硬化已列入今年全镇农村道路建设计划，已完成招标。"))
    state_is(page, "已答复")

    # 4. The town's officer accepts the reply; 5. the deputy evaluates: closed.
    login_as(page, base, "township_b")
    page.goto(f"{base}{detail}")
    act(page, "accept_reply", "审核答复", accept)
    state_is(page, "待评价")
    login_as(page, base, "tdeputy")
    page.goto(f"{base}{detail}")
    act(page, "evaluate", "评价", evaluate("满意", "满意", "已开工，满意。"))
    state_is(page, "已办结")
    s.refresh_from_db()
    assert s.state == "closed" and s.number == 1

    # 6. The city's officer reads the whole course, with no step to take.
    login_as(page, base, "city")
    response = page.goto(f"{base}{detail}")
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_contain_text(TITLE)
    expect(page.locator("ol.timeline")).to_contain_text("办结")
    assert steps_offered(page) == set()
    assert page.locator("main form[id^=step-] button").count() == 0
    # ... and the city's desk does not list it.
    page.goto(f"{base}{reverse('suggestions:desk')}")
    expect(page.locator("h1")).to_contain_text("代工委工作台")
    assert TITLE not in page.locator("main").inner_text()

    # 7. The officer of another town: not found.
    login_as(page, base, "sancha")
    response = page.goto(f"{base}{detail}")
    assert response is not None and response.status == 404
    errors = [e for e in errors if "404" not in e]  # the refused page's own status, by design
    assert errors == [], errors
