"""待办 on the home page for opinions: new opinions wait for those who handle them in their scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deputyhome.opinions import services
from deputyhome.testing import home_tiles

pytestmark = pytest.mark.django_db


def test_new_opinions_wait_in_their_township_until_answered(client, personas, city, make_opinion):
    first = make_opinion()  # station A, 六角亭街道
    make_opinion(station=city.station_b, content="白杨坪镇的意见")
    assert home_tiles(client, personas["township"])["群众意见待处理"] == 1
    assert home_tiles(client, personas["township_b"])["群众意见待处理"] == 1
    assert home_tiles(client, personas["city"])["群众意见待处理"] == 2
    assert "群众意见待处理" not in home_tiles(client, personas["leader"])  # reads, does not handle
    assert "群众意见待处理" not in home_tiles(client, personas["unit"])

    services.opinion_reply(opinion=first, text="已联系村委会，本周修复。", actor=personas["township"])
    assert home_tiles(client, personas["township"])["群众意见待处理"] == 0
    assert home_tiles(client, personas["city"])["群众意见待处理"] == 1


def test_the_tile_links_to_the_new_opinions(client, personas, make_opinion):
    make_opinion()
    client.force_login(personas["township"])
    html = client.get(reverse("core:dashboard")).content.decode()
    url = f"{reverse('opinions:list')}?status=new"
    assert f'href="{url}"' in html
    listed = client.get(url).content.decode()
    assert "村口路灯坏了三个月" in listed
