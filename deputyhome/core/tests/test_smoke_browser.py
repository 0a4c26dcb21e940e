"""Smoke test: the login page renders in a real browser, in Chinese."""

import pytest
from playwright.sync_api import expect


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_login_page_renders(live_server, page, artifacts_dir):
    response = page.goto(live_server.url + "/accounts/login/")

    assert response is not None and response.status == 200
    expect(page.locator("input[type=password]")).to_have_count(1)
    expect(page.locator("body")).to_contain_text("代表之家")
    page.screenshot(path=str(artifacts_dir / "login.png"), full_page=True)
