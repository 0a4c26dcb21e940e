"""In Chromium: a deputy drafts and files a joint motion on a phone (co-signers through the picker), the co-signers
confirm on their phones, and the committee's staff check it and record the presidium's decision to handle it as a
suggestion, which then has its own page with the link back. Screenshots go to test-artifacts/."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from deputyhome.conftest import PASSWORD
from deputyhome.testing import browser_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form").get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def _watch(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


@pytest.fixture
def sitting(db, personas, city):
    """The city congress sits from yesterday to the day after tomorrow; joint motions need 3 deputies here."""
    from deputyhome.accounts.choices import Role
    from deputyhome.accounts.models import User
    from deputyhome.motions.models import MotionRules
    from deputyhome.organisation.models import Session

    today = timezone.localdate()
    session = Session.objects.create(
        congress=city.city_congress,
        number=6,
        name="恩施市第十一届人民代表大会第六次会议",
        start_date=today - datetime.timedelta(days=1),
        end_date=today + datetime.timedelta(days=2),
        motion_deadline=timezone.now() + datetime.timedelta(days=1),
    )
    MotionRules.objects.create(congress=city.city_congress, min_signers=3, review_months=6)
    cosigners = []
    for i, deputy in enumerate((city.deputies_a[1], city.deputies_b[2]), start=1):
        user = User(username=f"cosigner{i}", role=Role.DEPUTY, deputy=deputy, display_name=deputy.name)
        user.set_password(PASSWORD)
        user.save()
        cosigners.append(user)
    return session, cosigners


def pick(page: Page, name: str) -> None:
    box = page.locator("#id_cosigners")
    box.fill(name)
    results = page.locator("#id_cosigners_results")
    expect(results.locator("label", has_text=name)).to_be_visible()
    results.locator("label", has_text=name).locator("input[data-pick]").check()
    expect(page.locator(".picker-chosen label", has_text=name)).to_be_visible()


def test_a_motion_filed_on_a_phone_confirmed_and_converted(live_server, page, phone_page, city, sitting, artifacts_dir):
    from deputyhome.motions.models import Motion

    session, cosigners = sitting
    base = live_server.url
    phone, desk = phone_page, page
    phone_errors, desk_errors = _watch(phone), _watch(desk)

    # The deputy drafts on a phone: 议案 from the menu, 新增, the one matter, two co-signers from the picker.
    _log_in(phone, base, "deputy")
    browser_menu(phone, "代表建议", "议案")
    phone.wait_for_url("**/motions/")
    phone.get_by_role("link", name="新增").click()
    phone.wait_for_url("**/motions/new/")
    expect(phone.locator("#id_session")).to_have_value(str(session.pk))
    phone.fill("#id_title", "关于加快老城区停车设施建设的议案")
    phone.fill("#id_grounds", "老城区停车位缺口大，占道停车影响通行和消防安全。")
    phone.fill("#id_plan", "一、编制停车设施专项规划；二、利用边角地建设立体停车场；三、推行错时共享停车。")
    for user in cosigners:
        pick(phone, user.deputy.name)
    _fits(phone)
    phone.screenshot(path=str(artifacts_dir / "motion-draft-phone.png"), full_page=True)
    with phone.expect_navigation():
        phone.get_by_role("button", name="保存草稿").click()
    expect(phone.locator("ul.messages")).to_contain_text("草稿已保存")
    motion = Motion.objects.get(title="关于加快老城区停车设施建设的议案")
    assert {s.deputy_id for s in motion.signers.filter(is_lead=False)} == {u.deputy_id for u in cosigners}
    with phone.expect_navigation():
        phone.locator("form#step-file").get_by_role("button", name="提出议案").click()
    expect(phone.locator("ul.messages")).to_contain_text("议案已提出")
    expect(phone.locator("dl.fields")).to_contain_text("已提出")
    _fits(phone)

    # The session's page on the phone: the deadline, the rules, the motion in its list.
    phone.goto(f"{base}{reverse('motions:session_detail', args=[session.pk])}")
    expect(phone.locator("dl.fields")).to_contain_text("正在受理议案")
    expect(phone.locator("main")).to_contain_text("关于加快老城区停车设施建设的议案")
    _fits(phone)
    phone.screenshot(path=str(artifacts_dir / "motion-session-phone.png"), full_page=True)

    # Each co-signer sees it waiting on their home page and confirms on a phone.
    for user in cosigners:
        _log_in(phone, base, user.username)
        tile = phone.locator("a.todo-tile", has_text="议案待我确认联名")
        expect(tile).to_contain_text("1")
        phone.goto(f"{base}{motion.get_absolute_url()}")
        with phone.expect_navigation():
            phone.locator("form#step-confirm").get_by_role("button", name="确认联名").click()
        expect(phone.locator("ul.messages")).to_contain_text("已确认联名")
        expect(phone.locator("form#step-confirm")).to_have_count(0)
        _fits(phone)
    phone.screenshot(path=str(artifacts_dir / "motion-confirmed-phone.png"), full_page=True)

    # The committee's staff check it and record the presidium's decision: handled as a suggestion.
    _log_in(desk, base, "city")
    desk.goto(f"{base}{motion.get_absolute_url()}")
    expect(desk.locator("table")).to_contain_text("已确认")
    with desk.expect_navigation():
        desk.locator("form#step-check").get_by_role("button", name="审查（秘书处）").click()
    expect(desk.locator("dl.fields")).to_contain_text("审查通过")
    decide = desk.locator("form#step-decide")
    decide.get_by_label("不作为议案，作为建议处理").check()
    with desk.expect_navigation():
        decide.get_by_role("button", name="记录主席团决定").click()
    expect(desk.locator("ul.messages")).to_contain_text("主席团的决定已记录")
    expect(desk.locator("dl.fields")).to_contain_text("作为建议处理")
    desk.screenshot(path=str(artifacts_dir / "motion-converted.png"), full_page=True)
    with desk.expect_navigation():
        desk.locator("dl.fields a", has_text="关于加快老城区停车设施建设的议案").click()
    expect(desk.locator("#motion-origin")).to_contain_text("来源：议案作为建议处理")
    expect(desk.locator("dl.fields")).to_contain_text("已提交")
    motion.refresh_from_db()
    s = motion.suggestion
    assert s is not None and s.author_id == motion.lead_id and s.session_id == session.pk
    assert set(s.cosigners.filter(confirmed_at__isnull=False).values_list("deputy_id", flat=True)) == {
        u.deputy_id for u in cosigners
    }
    # The deputy follows the link back from the suggestion's page to the motion.
    _log_in(phone, base, "deputy")
    phone.goto(f"{base}{reverse('suggestions:detail', args=[s.pk])}")
    with phone.expect_navigation():
        phone.locator("#motion-origin a").click()
    expect(phone.locator("h1")).to_contain_text("关于加快老城区停车设施建设的议案")
    _fits(phone)
    assert phone_errors == [] and desk_errors == [], (phone_errors, desk_errors)
