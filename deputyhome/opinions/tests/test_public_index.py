"""The public index of stations (/opinions/p/): a voter finds a station by the name of the station, the village or
the township, a page at a time; a province's thousands of stations never make one page, and the page costs the
same queries for 2 stations and 152."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputyhome.opinions.public_views import PUBLIC_STATIONS_PER_PAGE
from deputyhome.testing import add_places

pytestmark = pytest.mark.django_db
URL = reverse("opinions:public_index")


def _stations(html: str) -> list[str]:
    return re.findall(r'href="/opinions/p/station/(\d+)/"', html)


def _open(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_page_at_a_time_with_the_same_queries_at_two_sizes(client, city):
    small, small_queries = _open(client)
    assert city.station_a.name in small
    add_places(city, 150)
    html, queries = _open(client)
    assert queries == small_queries
    assert len(_stations(html)) == PUBLIC_STATIONS_PER_PAGE and "第 1 / 3 页" in html
    last, _ = _open(client, page=3)
    assert 0 < len(_stations(last)) < PUBLIC_STATIONS_PER_PAGE
    assert len(html.encode()) < 60_000


def test_search_by_township_or_station_name(client, city):
    add_places(city, 150)
    html, _ = _open(client, q="新设17")
    # Of 新设0镇 … 新设149镇 only 新设17镇 has "新设17" in its name.
    assert len(_stations(html)) == 1 and "新设17镇人大代表之家" in html and "找到 1 个站点" in html
    township, _ = _open(client, q=city.township_a.name)
    assert city.station_a.name in township and city.station_b.name not in township
    none, _ = _open(client, q="没有这个地方")
    assert "没有名称含“没有这个地方”的站点" in none and not _stations(none)
    # The query stays in the pager's links.
    many, _ = _open(client, q="新设")
    assert "q=%E6%96%B0%E8%AE%BE&amp;page=2" in many
