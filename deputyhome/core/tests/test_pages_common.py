"""What every page shares: the icon, and Chinese pages for 403, 404 and 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_favicon_is_linked_and_the_old_address_redirects_to_it(client, personas):
    client.force_login(personas["city"])
    html = client.get(reverse("core:dashboard")).content.decode()
    assert 'rel="icon"' in html and "favicon.svg" in html
    response = Client().get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")


@pytest.mark.django_db
def test_unknown_address_gets_the_chinese_404_page(client, personas):
    client.force_login(personas["deputy"])
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "未找到" in html and "返回首页" in html and 'class="mainnav"' in html


def test_500_page_is_chinese_and_stands_alone():
    from django.template import loader

    html = loader.get_template("500.html").render({})
    assert "系统出错了" in html and "{%" not in html
