"""The city-wide overview (the home page's figures and /api/v1/stats/overview) and the suggestion figures by
level come from snapshots computed ahead (`reports.precomputed`), recomputed after an audited write; a scoped
user's are counted live."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputyhome.figures.models import FigureSnapshot
from deputyhome.organisation import services as org_services
from deputyhome.reports.precomputed import CONGRESS_LEVELS, OVERVIEW
from deputyhome.reports.selectors import overview

pytestmark = pytest.mark.django_db
URL = "/api/v1/stats/overview"


def opened(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def test_the_city_overview_is_served_until_an_audited_write(login, personas, city):
    client = login(personas["city"])
    first, computed = opened(client, URL)
    again, served = opened(client, URL)
    assert served < computed and again.json()["computed_at"]
    live = overview(user=personas["city"])
    assert {k: again.json()[k] for k in ("deputies", "deputy_groups", "liaison_stations")} == {
        k: live[k] for k in ("deputies", "deputy_groups", "liaison_stations")
    }
    townships = again.json()["by_township_page"]["count"]
    org_services.region_create(
        data={"code": "422801399", "name": "新设镇", "kind": "town", "parent": city.city}, actor=personas["city"]
    )
    after, _n = opened(client, URL)
    assert after.json()["by_township_page"]["count"] == townships + 1


def test_every_city_wide_reader_shares_the_snapshots(login, personas, city):
    for role in ("city", "supervisor", "leader"):
        page, _n = opened(login(personas[role]), "/")
        assert "数据计算于" in page.content.decode()
    assert FigureSnapshot.objects.filter(name=OVERVIEW).count() == 1
    assert FigureSnapshot.objects.filter(name=CONGRESS_LEVELS).count() == 1


def test_a_scoped_user_is_counted_live(login, personas, city):
    response, _n = opened(login(personas["township"]), URL)
    assert response.json()["computed_at"] is None
    page, _n = opened(login(personas["township"]), "/")
    assert "数据计算于" not in page.content.decode()
    assert not FigureSnapshot.objects.filter(name__in=[OVERVIEW, CONGRESS_LEVELS]).exists()


def test_refresh_warms_the_city_overview_and_levels(city):
    call_command("refresh_figures")
    assert FigureSnapshot.objects.filter(name=OVERVIEW, key="city").exists()
    assert FigureSnapshot.objects.filter(name=CONGRESS_LEVELS).exists()
