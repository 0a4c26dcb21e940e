"""In a real browser: a deputy types a title in the draft form and sees a known similar past suggestion."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from deputyhome.conftest import PASSWORD
from deputyhome.testing import browser_log_in

from .memory import memory  # noqa: F401 - fixture


@pytest.fixture
def categories(db):
    """The default lists (a transactional test may run after another one emptied them)."""
    from deputyhome.suggestions.models import Category, ResultClass
    from deputyhome.suggestions.services import default_lists_ensure

    default_lists_ensure(actor="test")
    return {c.name: c for c in Category.objects.all()}, {r.code: r for r in ResultClass.objects.all()}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_typing_a_title_shows_a_similar_past_suggestion(live_server, page, people, memory):  # noqa: F811
    base = live_server.url
    browser_log_in(page, base, "deputy", PASSWORD)
    page.goto(f"{base}/suggestions/new/")
    panel = page.locator("#similar-typed")
    expect(panel).to_contain_text("暂未发现相似的建议")
    page.locator("#id_title").press_sequentially("洞下槽村吃水难", delay=30)
    expect(panel).to_contain_text("关于解决洞下槽村饮水安全的建议", timeout=30_000)
    expect(panel).to_contain_text("市水利和湖泊局")
    expect(panel).to_contain_text("往年")
    # The internal row of the past ledger is not shown to a deputy.
    page.locator("#id_title").fill("")
    page.locator("#id_title").press_sequentially("六角亭老旧小区改造", delay=30)
    expect(panel).to_contain_text("关于六角亭老旧小区改造的建议", timeout=30_000)
    expect(panel).not_to_contain_text("有关六角亭老旧小区改造的建议")
