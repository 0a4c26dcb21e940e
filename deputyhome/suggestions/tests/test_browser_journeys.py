"""In Chromium: the co-signer picker (desktop, keyboard, phone), the evaluation's waiting state, 不满意's reason,
and the three pages a clerk prints on A4 (print media emulated). Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from deputyhome.suggestions.tests.test_browser_course import lists, login_as  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_console(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def pick_cosigner_by_keyboard(page: Page, name: str) -> None:
    box = page.locator("#id_cosigners")
    box.click()
    page.keyboard.type(name[:2])
    results = page.locator("#id_cosigners_results")
    expect(results.locator("label", has_text=name)).to_be_visible()
    match = results.locator("input[data-pick]").first
    match.focus()
    page.keyboard.press("Space")
    expect(page.locator(".picker-chosen label", has_text=name)).to_be_visible()


def test_the_cosigner_picker_on_desktop_and_phone(live_server, page, phone_page, people, city, artifacts_dir):
    from deputyhome.suggestions.models import Suggestion

    base, other, me = live_server.url, people["cosigner"].deputy, people["deputy"].deputy
    for p, size in ((page, "desktop"), (phone_page, "phone")):
        errors = watch_console(p)
        login_as(p, base, "deputy")
        p.goto(f"{base}{reverse('suggestions:create')}")
        p.fill("#id_title", f"关于增设公交站台的建议（{size}）")
        # The author is not offered, and one character is not enough.
        p.locator("#id_cosigners").fill(me.name[:1])
        expect(p.locator("#id_cosigners_results")).to_contain_text("请至少输入2个字")
        p.locator("#id_cosigners").fill(me.name)
        expect(p.locator("#id_cosigners_results")).to_contain_text("没有找到")
        p.locator("#id_cosigners").fill("")
        pick_cosigner_by_keyboard(p, other.name)
        chosen = p.locator(".picker-chosen").inner_text()
        assert f"{other.birth_date:%Y}年生" in chosen and other.region.name in chosen
        p.screenshot(path=str(artifacts_dir / f"j1-cosigner-picker-{size}.png"), full_page=True)
        if size == "phone":
            assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        with p.expect_navigation():
            p.get_by_role("button", name="保存草稿").click()
        expect(p.locator("ul.messages")).to_contain_text("草稿已保存")
        s = Suggestion.objects.get(title__endswith=f"（{size}）")
        assert list(s.cosigners.values_list("deputy_id", flat=True)) == [other.pk]
        assert errors == [], errors


@pytest.fixture
def kinds(db, lists):  # noqa: F811 - the fixture imported above
    """The category and result class these tests use (a transactional test may run after another emptied them)."""
    from deputyhome.suggestions.models import Category, ResultClass

    Category.objects.get_or_create(name="其他", defaults={"order": 9})
    return {c.name: c for c in Category.objects.all()}, {r.code: r for r in ResultClass.objects.all()}


def test_evaluation_pages_and_print(live_server, page, people, city, kinds, artifacts_dir):
    from deputyhome.suggestions import services as sv
    from deputyhome.suggestions.tests.test_journeys import _reply_and_accept, _to_evaluation

    base = live_server.url
    errors = watch_console(page)
    s, classes = _to_evaluation(city, people, kinds)
    _reply_and_accept(s, people, classes)
    detail = s.get_absolute_url()

    # 不满意 without a reason: the error sits at the field, nothing is written.
    login_as(page, base, "deputy")
    page.goto(f"{base}{detail}")
    form = page.locator("form#step-evaluate")
    form.locator("fieldset", has_text="办理态度").get_by_label("满意", exact=True).check()
    form.locator("fieldset", has_text="办理结果").get_by_label("不满意", exact=True).check()
    form.get_by_role("button", name="评价").click()
    expect(page.locator("form#step-evaluate .errorlist")).to_contain_text("请说明不满意的理由")
    page.locator("form#step-evaluate").screenshot(path=str(artifacts_dir / "j1-dissatisfied-needs-reason.png"))
    assert not s.evaluations.exists()
    errors.clear()  # the refused form answers 400 by design (the page again, with the error)
    # The test writes through the services on the live server's database: not while the page still loads a fragment
    # (SQLite's shared in-memory database locks the table for the other connection).
    page.wait_for_load_state("networkidle")
    sv.suggestion_evaluate(
        suggestion=s, attitude="satisfied", result="dissatisfied", comment="桥面仍有裂缝", actor=people["deputy"]
    )

    # The lead deputy sees who is still to answer; the co-signer sees it is theirs.
    page.goto(f"{base}{detail}")
    expect(page.locator("dl.fields")).to_contain_text("待联名代表评价（0/1）")
    page.screenshot(path=str(artifacts_dir / "j1-waiting-for-cosigners.png"))
    login_as(page, base, "cosigner")
    page.goto(f"{base}{detail}")
    expect(page.locator("dl.fields")).to_contain_text("待您评价")
    page.wait_for_load_state("networkidle")
    sv.suggestion_evaluate(suggestion=s, attitude="satisfied", result="basic", comment="", actor=people["cosigner"])

    # The unit re-handles knowing why.
    login_as(page, base, "unit")
    page.goto(f"{base}{detail}")
    expect(page.locator("#rehandling-reasons")).to_contain_text("桥面仍有裂缝")
    page.screenshot(path=str(artifacts_dir / "j1-rehandling-reasons.png"))

    # Print: the register, the course, the unit's scorecard: no menu, the committee's name on top.
    login_as(page, base, "city")
    pages = {
        "register": reverse("suggestions:list"),
        "course": detail,
        "scorecard": f"{reverse('supervision:score_detail', args=[city.unit_a.pk])}?year={s.year}",
    }
    page.emulate_media(media="print")
    for name, url in pages.items():
        page.goto(f"{base}{url}")
        expect(page.locator("header.topbar")).to_be_hidden()
        expect(page.locator(".print-header")).to_be_visible()
        expect(page.locator(".print-header")).to_contain_text("恩施市人大常委会代表工作委员会")
        expect(page.locator("main button").first).to_be_hidden()
        page.screenshot(path=str(artifacts_dir / f"j1-print-{name}.png"), full_page=True)
    page.emulate_media(media="screen")
    page.goto(f"{base}{detail}")
    expect(page.locator(".print-header")).to_be_hidden()
    expect(page.locator("header.topbar")).to_be_visible()
    assert errors == [], errors
