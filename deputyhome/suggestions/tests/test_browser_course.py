"""In a real browser: one suggestion through its whole course, every persona through the login form and the
forms on the pages, with a dissatisfied first round, re-handling, and the unit's score moving with it.

deputy drafts and submits → the co-signer confirms → staff register and assign (lead: 市住房和城乡建设局,
co-unit: 市人民法院) → the lead unit signs and consults → the court gives its opinion → the lead unit
replies (A) → staff accept → the deputy is dissatisfied with the result → 重新办理 (round 2) → consult,
reply, accept → both deputies satisfied → 已办结.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import Page, expect

from deputyhome.conftest import PASSWORD

CATEGORY = "城乡建设与管理"
TITLE = "关于加快西门社区老旧小区雨污分流改造的建议"


# Helpers ---------------------------------------------------------------------------------------------------


def login_as(page: Page, base: str, username: str) -> None:
    """Log out through the header's 退出 button (if someone is logged in), then in through the login form."""
    logout = page.locator("header.topbar form").get_by_role("button", name="退出")
    if page.url.startswith(base) and logout.count():
        logout.click()
        page.wait_for_url("**/accounts/login/**")
    else:
        page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form").get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")
    expect(page.locator("header.topbar .who")).to_contain_text(username)


def open_as(page: Page, base: str, username: str, url: str) -> None:
    login_as(page, base, username)
    page.goto(f"{base}{url}")
    expect(page.locator("h1")).to_contain_text(TITLE)


def act(page: Page, action: str, label: str, fill=None) -> None:
    """Fill the step's form on the detail page (if `fill`), press its button, and see the success message."""
    form = page.locator(f"form#step-{action}")
    expect(form).to_be_visible()
    if fill is not None:
        fill(form)
    with page.expect_navigation():
        form.get_by_role("button", name=label, exact=True).click()
    expect(page.locator("ul.messages")).to_contain_text(f"已{label}。")


def state_is(page: Page, label: str) -> None:
    expect(page.locator("dl.fields dd").first).to_contain_text(label)


def steps_offered(page: Page) -> set[str]:
    return {i.removeprefix("step-") for i in page.locator("form[id^=step-]").evaluate_all("fs => fs.map(f => f.id)")}


def consult(notes: str):
    def _fill(form):
        form.locator("select[name=consult-way]").select_option(label="当面")
        form.locator("textarea[name=consult-notes]").fill(notes)

    return _fill


def reply(text: str):
    def _fill(form):
        form.locator("textarea[name=reply-text]").fill(text)
        form.locator("select[name=reply-result_class]").select_option(label="A类 已解决或采纳")
        form.get_by_label("答复可公开").check()

    return _fill


def accept(form):
    form.get_by_label("审核通过", exact=True).check()
    form.locator("textarea[name=accept_reply-note]").fill("答复内容完整，同意。")


def evaluate(attitude: str, result: str, comment: str = ""):
    def _fill(form):
        form.locator("fieldset", has_text="办理态度").get_by_label(attitude, exact=True).check()
        form.locator("fieldset", has_text="办理结果").get_by_label(result, exact=True).check()
        if comment:
            form.locator("textarea[name=evaluate-comment]").fill(comment)

    return _fill


# The unit's scorecard ---------------------------------------------------------------------------------------


def scorecard_routed() -> bool:
    try:
        reverse("supervision:score_detail", args=[1])
    except NoReverseMatch:
        return False
    return True


def unit_score(staff, unit, year: int) -> tuple[Decimal, object]:
    """(total, satisfaction item) of the unit's scorecard, computed from the event history."""
    from deputyhome.supervision.scoring import SATISFACTION
    from deputyhome.supervision.selectors import unit_scorecards

    card = unit_scorecards(year=year, user=staff).for_unit(unit.pk).card
    return card.total, card.item(SATISFACTION)


def check_scorecard_page(page: Page, base: str, unit, year: int, total: Decimal, *, rated: bool) -> None:
    """Where the scoring pages are routed, the unit's page (as the logged-in user sees it) shows the same total,
    and the satisfaction line is 不适用 until a deputy has rated the unit."""
    if not scorecard_routed():
        return
    response = page.goto(f"{base}{reverse('supervision:score_detail', args=[unit.pk])}?year={year}")
    assert response is not None and response.status == 200
    main = page.locator("main")
    assert unit.name in main.inner_text() and f"{total:.2f}" in main.inner_text()
    satisfaction = main.locator("tr", has_text="代表满意度").first.inner_text()
    assert ("不适用" in satisfaction) is not rated, satisfaction


# The course -------------------------------------------------------------------------------------------------


@pytest.fixture
def lists(db):
    """The default categories and result classes (a transactional test may run after another one emptied them)."""
    from deputyhome.suggestions.models import Category, ResultClass

    Category.objects.get_or_create(name=CATEGORY, defaults={"order": 2})
    ResultClass.objects.get_or_create(
        code="A", defaults={"label": "已解决或采纳", "needs_follow_up": False, "score_weight": "1.00", "order": 1}
    )


def fill_draft(page: Page, base: str, username: str, title: str, situation: str, reasons: str, proposals: str):
    """Log in as `username`, open a new draft and write its text (the caller chooses the rest and saves)."""
    login_as(page, base, username)
    page.goto(f"{base}{reverse('suggestions:create')}")
    page.fill("#id_title", title)
    page.fill("#id_situation", situation)
    page.fill("#id_reasons", reasons)
    page.fill("#id_proposals", proposals)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_one_suggestion_through_its_whole_course(live_server, page, people, city, session, lists, artifacts_dir):
    from deputyhome.suggestions.models import Suggestion

    base = live_server.url
    cosigner = people["cosigner"].deputy
    unit_a, unit_b = city.unit_a, city.unit_b
    page.on("dialog", lambda d: d.accept())

    # 1. The deputy drafts through the form and submits.
    fill_draft(
        page,
        base,
        "deputy",
        TITLE,
        "西门社区建于上世纪九十年代的小区共12个，雨污合流，雨季污水漫溢。",
        "管网老化，改造资金未落实。",
        "一、将西门社区纳入年度老旧小区改造计划；二、实施雨污分流。",
    )
    page.select_option("#id_session", label=session.name)
    page.fill("#id_cosigners", cosigner.name)  # the picker searches as you type
    page.locator("#id_cosigners_results label", has_text=cosigner.name).locator("input").check()
    expect(page.locator(".picker-chosen")).to_contain_text(cosigner.name)
    with page.expect_navigation():
        page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("ul.messages")).to_contain_text("草稿已保存")
    state_is(page, "草稿")
    detail = page.url.removeprefix(base)
    s = Suggestion.objects.get(title=TITLE)
    assert detail == s.get_absolute_url()
    act(page, "submit", "提交")
    state_is(page, "已提交")

    # 2. The co-signer confirms.
    open_as(page, base, "cosigner", detail)
    act(page, "confirm_cosign", "确认联名")

    # 3. Staff register with a category and assign: lead unit A, co-unit B (the court).
    open_as(page, base, "city", detail)
    act(page, "register", "审查通过并立案", lambda f: f.locator("#id_register-category").select_option(label=CATEGORY))
    state_is(page, "已立案")
    expect(page.locator("h1")).to_contain_text("第1号")

    def assign(form):
        form.locator("#id_assign-lead_unit").select_option(label=unit_a.name)
        form.locator("#id_assign-co_units").select_option(label=unit_b.name)
        form.locator("#id_assign-requirements").fill("请于答复前与代表当面沟通。")

    act(page, "assign", "交办", assign)
    state_is(page, "已交办")
    expect(page.locator("dl.fields")).to_contain_text(f"{unit_a.name}（主办单位）")
    expect(page.locator("dl.fields")).to_contain_text(f"{unit_b.name}（协办单位）")

    # 4. The lead unit signs for it and records a consultation.
    open_as(page, base, "unit", detail)
    assert steps_offered(page) >= {"receive", "unit_return"}
    act(page, "receive", "签收")
    state_is(page, "办理中")
    act(page, "consult", "记录沟通联系", consult("与代表当面商议改造范围和时序。"))

    # 5. The co-unit gives its opinion.
    open_as(page, base, "unit_b", detail)
    assert "reply" not in steps_offered(page)
    act(page, "co_opinion", "提交协办意见", lambda f: f.locator("textarea").fill("同意主办单位意见，配合做好协调。"))
    expect(page.locator("dl.fields")).to_contain_text("已提出协办意见")

    # 6. The lead unit replies (A), staff accept.
    open_as(page, base, "unit", detail)
    act(page, "reply", "答复", reply("已将西门社区纳入2026年老旧小区改造计划。"))
    state_is(page, "已答复")
    open_as(page, base, "city", detail)
    act(page, "accept_reply", "审核答复", accept)
    state_is(page, "待评价")
    s.refresh_from_db()
    year = s.year
    before_total, before_sat = unit_score(people["city"], unit_a, year)
    assert before_sat.not_applicable  # nobody has rated the unit yet
    check_scorecard_page(page, base, unit_a, year, before_total, rated=False)

    # 7. The deputy is dissatisfied with the result; the co-signer basically satisfied → re-handling.
    open_as(page, base, "deputy", detail)
    expect(page.locator("body")).to_contain_text("已将西门社区纳入2026年老旧小区改造计划。")
    act(page, "evaluate", "评价", evaluate("满意", "不满意", "计划已列入但尚未动工。"))
    state_is(page, "待评价")
    open_as(page, base, "cosigner", detail)
    act(page, "evaluate", "评价", evaluate("满意", "基本满意"))
    state_is(page, "重新办理")
    expect(page.locator("dl.fields")).to_contain_text("第2轮办理")
    dissatisfied_total, dissatisfied_sat = unit_score(people["city"], unit_a, year)
    assert not dissatisfied_sat.not_applicable and dissatisfied_sat.earned == 0
    assert dissatisfied_total < before_total

    # 8. Round 2: the lead unit sees its own card go down, then consults again and replies again; staff accept.
    login_as(page, base, "unit")
    check_scorecard_page(page, base, unit_a, year, dissatisfied_total, rated=True)
    page.goto(f"{base}{detail}")
    assert "reply" in steps_offered(page) and "receive" not in steps_offered(page)
    act(page, "consult", "记录沟通联系", consult("再次到现场与代表查看，明确开工时间。"))
    act(page, "reply", "答复", reply("雨污分流工程已开工，预计年底完工。"))
    open_as(page, base, "city", detail)
    act(page, "accept_reply", "审核答复", accept)

    # 9. Both deputies satisfied → closed.
    open_as(page, base, "deputy", detail)
    act(page, "evaluate", "评价", evaluate("满意", "满意", "工程已开工，满意。"))
    open_as(page, base, "cosigner", detail)
    act(page, "evaluate", "评价", evaluate("满意", "满意"))
    state_is(page, "已办结")
    assert steps_offered(page) == set()

    closed_total, closed_sat = unit_score(people["city"], unit_a, year)
    assert closed_sat.earned == closed_sat.points and closed_sat.ratio == 1 and not closed_sat.not_applicable
    assert closed_total > dissatisfied_total

    # 10. The timeline, as staff see it, shows both rounds.
    open_as(page, base, "city", detail)
    check_scorecard_page(page, base, unit_a, year, closed_total, rated=True)
    page.goto(f"{base}{detail}")
    entries = page.locator("ol.timeline > li").all_inner_texts()
    heads = [e.split("\n")[0] for e in entries]  # time, round tag, who, step → new state; the note follows
    replies = [e for e in entries if "→ 已答复" in e]
    assert len(replies) == 2, entries
    assert "第1轮答复，A类" in replies[0] and "第2轮" not in replies[0]
    assert "第2轮答复，A类" in replies[1] and "第2轮" in replies[1].split("\n")[0]
    rehandle = [e for e in entries if "→ 重新办理" in e]
    assert len(rehandle) == 1 and "代表不满意，转重新办理" in rehandle[0], entries
    assert "→ 已办结" in heads[-1] and "评价完成，办结" in entries[-1], entries
    assert sum("第2轮" in h for h in heads) == 7, heads  # re-handling, consult, reply, accept, 2 evaluations, close
    assert sum("沟通" in e for e in entries) >= 2 and any("同意主办单位意见" in e for e in entries)

    evaluations = page.locator("table").filter(has_text="办理态度").locator("tbody tr").all_inner_texts()
    assert len(evaluations) == 4
    page.screenshot(path=str(artifacts_dir / "suggestion-course.png"), full_page=True)


RAW_CODES = re.compile(
    r"\b(create|edit|submit|confirm_cosign|withdraw|return|register|assign|receive|unit_return|consult|"
    r"waive_consultation|co_opinion|request_extension|decide_extension|reply|accept_reply|send_back_reply|"
    r"evaluate|rehandle|close|mark_key|supervise|remind|no_evaluation)\b"
)


@pytest.mark.django_db
def test_the_timeline_names_each_step_in_chinese(client, people, city, session, lists):
    """The timeline on the detail page says 提交, 审查通过并立案, 交办, 签收, 答复, 转重新办理, 办结 ...,
    not the codes submit, register, assign, receive, reply, rehandle, close."""
    from deputyhome.suggestions import services as sv
    from deputyhome.suggestions.models import Category

    deputy, staff, unit = people["deputy"], people["city"], people["unit"]
    s = sv.suggestion_create(author=deputy.deputy, data={"title": TITLE, "proposals": "改造"}, actor=deputy)
    sv.suggestion_submit(suggestion=s, actor=deputy)
    sv.suggestion_register(suggestion=s, category=Category.objects.get(name=CATEGORY), actor=staff)
    sv.suggestion_assign(suggestion=s, lead_unit=city.unit_a, actor=staff)
    sv.suggestion_receive(suggestion=s, actor=unit)
    client.force_login(staff)
    html = client.get(s.get_absolute_url()).content.decode()
    timeline = html[html.index('<ol class="timeline">') :]
    timeline = timeline[: timeline.index("</ol>")]
    for label in ("提交 → 已提交", "审查通过并立案 → 已立案", "交办 → 已交办", "签收 → 办理中"):
        assert label in timeline, timeline
    assert not RAW_CODES.search(re.sub(r"<[^>]+>", " ", timeline)), timeline


@pytest.mark.django_db
def test_the_lead_unit_is_listed_before_the_co_units(client, people, city, lists):
    """承办单位 on the detail page: 主办 first, then 协办 (as in the assignment note and the register)."""
    from deputyhome.suggestions import services as sv
    from deputyhome.suggestions.models import Category

    deputy, staff = people["deputy"], people["city"]
    s = sv.suggestion_create(author=deputy.deputy, data={"title": TITLE, "proposals": "改造"}, actor=deputy)
    sv.suggestion_submit(suggestion=s, actor=deputy)
    sv.suggestion_register(suggestion=s, category=Category.objects.get(name=CATEGORY), actor=staff)
    sv.suggestion_assign(suggestion=s, lead_unit=city.unit_a, co_units=[city.unit_b], actor=staff)
    client.force_login(staff)
    html = client.get(s.get_absolute_url()).content.decode()
    lead, co = html.index(f"{city.unit_a.name}（主办单位）"), html.index(f"{city.unit_b.name}（协办单位）")
    assert lead < co
