"""The points list at two sizes, and the city-wide list read from the ranking computed ahead (records.precomputed):
served from the snapshot on the second view, ranked again after an audited write."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputyhome.figures.models import FigureSnapshot
from deputyhome.records import precomputed, selectors, services
from deputyhome.records.choices import VoterReportStatus
from deputyhome.testing import add_deputies

from .conftest import YEAR

URL = f"/records/points/?year={YEAR}"


def _grow(city, persona: str, n: int, serial: int = 500) -> None:
    """`n` more deputies (王…) inside `persona`'s scope (the township officer's and the group leader's are A's)."""
    group, region = (city.group_b, city.township_b) if persona == "city" else (city.group_a, city.township_a)
    add_deputies(n, congress=city.city_congress, group=group, region=region, serial=serial)
    # The helper writes rows without the services (no audit event), so a snapshot would not know: drop it.
    FigureSnapshot.objects.all().delete()


@pytest.mark.parametrize(("persona", "query", "before", "after"), [
    ("city", "", 8, 68),
    ("city", "&quarter=2&township={b}", 4, 64),
    ("city", "&name=王", 5, 65),
    ("township", "", 4, 64),
    ("group", "&quarter=3", 4, 64),
])  # fmt: skip
def test_points_list_queries_do_not_grow(city, personas, login, session, persona, query, before, after):
    if "name" in query:
        _grow(city, persona, 5, serial=900)  # the small city has no 王
    client = login(personas[persona])
    url = URL + query.format(b=city.township_b.pk)
    client.get(url)  # creates the year's scheme, and for the city's users computes the ranking
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert f"共 {before} 名代表" in response.content.decode()
    _grow(city, persona, 60)
    client.get(url)
    with CaptureQueriesContext(connection) as big:
        response = client.get(url)
    assert f"共 {after} 名代表" in response.content.decode()
    assert len(big) == len(small) <= 40


def test_city_list_is_served_from_the_snapshot_and_ranked_again_after_a_write(city, personas, login, session):
    officer = personas["city"]
    client = login(officer)
    with CaptureQueriesContext(connection) as first:
        html = client.get(URL).content.decode()
    assert "数据计算于" in html and "积分随平台数据实时计算" not in html
    snapshot = FigureSnapshot.objects.get(name=precomputed.POINTS, key=f"{YEAR}:0")
    with CaptureQueriesContext(connection) as second:
        client.get(URL)
    assert len(second) < len(first)  # the ranking is read, not computed
    assert FigureSnapshot.objects.get(pk=snapshot.pk).as_of_event == snapshot.as_of_event

    # A report to voters, entered through the service (audited), lifts the last deputy to the top.
    last = city.deputies_b[3]
    _scheme, ranked = selectors.points_page_rows(user=officer, year=YEAR)
    assert ranked[7:8][0].deputy == last and ranked[0:1][0].deputy != last
    services.voter_report_create(
        data={
            "deputy": last,
            "station": city.station_b,
            "date": datetime.date(YEAR, 6, 1),
            "status": VoterReportStatus.HELD,
            "voters_present": 20,
        },
        actor=officer,
    )
    with CaptureQueriesContext(connection) as third:
        html = client.get(URL).content.decode()
    assert len(third) > len(second)  # computed again
    assert FigureSnapshot.objects.get(pk=snapshot.pk).as_of_event > snapshot.as_of_event  # the clock stands still
    assert html.index(last.name) < html.index(city.deputies_a[0].name)
    _scheme, ranked = selectors.points_page_rows(user=officer, year=YEAR)
    top = ranked[0:1][0]
    assert (top.deputy, top.rank, top.card.total) == (last, 1, top.figures.reports_held * 10 + 10)


def test_scoped_lists_are_ranked_now_not_from_the_snapshot(city, personas, login, session):
    html = login(personas["township"]).get(URL).content.decode()
    assert "积分随平台数据实时计算" in html and "数据计算于" not in html
    assert not FigureSnapshot.objects.filter(name=precomputed.POINTS).exists()


def test_the_refresh_keeps_this_years_rankings_computed(city, session):
    from django.core.management import call_command

    call_command("refresh_figures")
    keys = set(FigureSnapshot.objects.filter(name=precomputed.POINTS).values_list("key", flat=True))
    assert keys == {f"{YEAR}:0", f"{YEAR}:4", f"{YEAR - 1}:0"}  # 20 November: the fourth quarter
