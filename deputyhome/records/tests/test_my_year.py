"""A deputy's home page shows their own year as their duty record counts it (records:my_year), not the committee's
year overview of a scope of one ("1 deputy, 1 group")."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputyhome.records.periods import YEAR_ERROR

from .conftest import YEAR
from .test_record_page import _fill

URL = reverse("records:my_year")


def _tiles(html: str) -> dict[str, str]:
    """{a tile's label: its figure}."""
    found = re.findall(r'<div class="stat"><div class="n">(.*?)</div><div class="l">(.*?)</div>', html)
    return {label: n for n, label in found}


def _panel(client, **params) -> tuple[int, str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params, HTTP_HX_REQUEST="true")
    return response.status_code, response.content.decode(), len(queries)


def test_the_home_loads_the_deputys_own_year(city, personas, login):
    html = login(personas["deputy"]).get("/").content.decode()
    assert f'hx-get="{URL}?year={YEAR}"' in html and f"我的{YEAR}年履职" in html
    assert "年度代表工作概况" not in html and reverse("reports:year_overview") not in html
    # The other roles keep the committee's overview of their scope.
    township = login(personas["township"]).get("/").content.decode()
    assert "年度代表工作概况" in township and URL not in township


def test_the_panel_is_the_records_figures_and_does_not_grow_with_them(city, personas, login, session):
    client = login(personas["deputy"])
    me = city.deputies_a[3]
    client.get(URL)  # the year's points scheme
    status, empty, before = _panel(client)
    assert status == 200 and _tiles(empty)["参加代表活动（次）"] == "0"
    _fill(city, me, city.deputies_b[0], personas["city"], session, 3, {})
    status, html, after = _panel(client)
    tiles = _tiles(html)
    assert tiles["参加代表活动（次）"] == "3" and tiles["接待选民（次）"] == "3" and tiles["领衔建议（件）"] == "3"
    assert tiles["履职积分"] != _tiles(empty)["履职积分"] and after == before  # no list is read
    record = client.get(f"/records/deputies/{me.pk}/?year={YEAR}").content.decode()
    assert _tiles(record) == tiles
    assert f'href="/records/deputies/{me.pk}/?year={YEAR}"' in html and city.group_a.name in html


def test_only_a_deputy_has_a_year_of_their_own(city, personas, login):
    for role in ("city", "unit", "liaison", "auditor"):
        assert _panel(login(personas[role]))[0] == 404, role
    client = login(personas["deputy"])
    status, html, _queries = _panel(client, year="20x6")
    assert status == 400 and YEAR_ERROR in html
    client.logout()
    assert client.get(URL).status_code == 302
