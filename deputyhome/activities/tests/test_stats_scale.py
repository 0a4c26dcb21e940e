"""The statistics page at many townships and stations: the same queries at 5 and 60 townships (the city's page
computed, and served from its snapshot; a township officer's counted live), the by-region table 50 rows and the
by-station table 25 rows a page, the drill-down by region code, and another scope's region refused."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from deputyhome.activities import selectors
from deputyhome.core.tests.reading import read
from deputyhome.testing import add_places

pytestmark = pytest.mark.django_db


def _activities_in_new_places(user, start: int, n: int) -> None:
    """An activity at the station of each of `n` townships added by add_places (numbered from `start`), with a
    problem found in it; written in bulk with the one audit event an import records (the snapshots see it)."""
    from deputyhome.activities.choices import ActivityKind, OrganiserLevel
    from deputyhome.activities.models import Activity, Problem
    from deputyhome.audit.services import record
    from deputyhome.organisation.models import Station

    day = datetime.date(selectors.today().year, 1, 2)
    stations = Station.objects.filter(name__startswith="新设").select_related("region").order_by("region__code")
    stations = list(stations)[start : start + n]
    acts = Activity.objects.bulk_create(
        [
            Activity(
                kind=ActivityKind.VISIT,
                level=OrganiserLevel.TOWNSHIP,
                region=s.region,
                station=s,
                date=day,
                place="某地",
                topic=f"{s.region.name}走访",
                created_by=user,
            )
            for s in stations
        ]
    )
    Problem.objects.bulk_create(
        [Problem(text="问题", activity=a, region=a.region, date=day, created_by=user) for a in acts]
    )
    record(actor=user, action="test.bulk", object_type="activities.activity", object_repr=f"{n}项活动")


def _get(client, **params) -> tuple[int, str]:
    page = read(client, reverse("activities:stats"), params)
    return page.queries, page.html


def _rows(html: str, heading: str) -> int:
    return html.split(heading, 1)[1].split("</table>", 1)[0].count("<tr>") - 1


def test_the_same_queries_at_5_and_60_townships(client, personas, city):
    client.force_login(personas["city"])
    add_places(city, 60)
    _get(client)  # the snapshot exists (stale after each write below) at both sizes
    _activities_in_new_places(personas["city"], 0, 5)
    few, html = _get(client)
    served_few, again = _get(client)
    assert "新设4镇" in html and again.split("<main", 1)[1] == html.split("<main", 1)[1]
    _activities_in_new_places(personas["city"], 5, 55)
    many, html = _get(client)
    served_many, _ = _get(client)
    assert "新设49镇" in html and "新设50镇" not in html  # 50 regions a page
    assert (many, served_many) == (few, served_few) and served_few < few


def test_a_township_officer_has_the_same_queries_at_5_and_60_villages(client, personas, city):
    """A township officer's page is counted live: the same queries with 5 or 60 stations and villages with
    activities in their township."""
    from deputyhome.organisation.choices import RegionKind, StationKind
    from deputyhome.organisation.models import Region, Station

    villages = Region.objects.bulk_create(
        [
            Region(code=f"422801002{i:03d}", name=f"新村{i}", kind=RegionKind.VILLAGE, parent=city.township_a)
            for i in range(100, 160)
        ]
    )
    Station.objects.bulk_create(
        [Station(kind=StationKind.LIAISON, name=f"新设{v.name}联络站", region=v) for v in villages]
    )
    client.force_login(personas["township"])
    _activities_in_new_places(personas["city"], 0, 5)
    few, html = _get(client)
    assert "新设新村104联络站" in html
    _activities_in_new_places(personas["city"], 5, 55)
    many, html = _get(client)
    assert many == few and "按家站（60）" in html and "数据计算于" not in html


def test_the_tables_are_pages_of_50_regions_and_25_stations(client, personas, city):
    client.force_login(personas["city"])
    add_places(city, 60)
    _activities_in_new_places(personas["city"], 0, 60)
    _, first = _get(client)
    assert _rows(first, 'id="by-region"') == 50
    assert "按家站（60）" in first and _rows(first, "按家站") == 25
    assert "rpage=2" in first and "spage=2" in first
    _, second = _get(client, rpage=2, spage=3)
    assert _rows(second, 'id="by-region"') == 10 and "新设59镇" in second.split('id="by-region"', 1)[1]
    assert _rows(second, "按家站") == 10
    assert len(first.encode()) < 200_000


def test_a_regions_parts_one_level_down(personas, city):
    """The small city's parts are its townships; a township stays whole (activities in its villages count in it)."""
    year = selectors.today().year
    add_places(city, 3)
    _activities_in_new_places(personas["city"], 0, 3)
    top = selectors.stats_level(user=personas["city"])
    assert top == city.city
    rows = selectors.stats_by_region(user=personas["city"], year=year, within=top)["rows"]
    assert [r["label"] for r in rows] == ["新设0镇", "新设1镇", "新设2镇"]
    assert all(r["activities"] == 1 and r["problems_found"] == 1 and r["drill"] is None for r in rows)
    town = rows[0]
    inside = selectors.stats_by_region(
        user=personas["city"], year=year, within=city.city.__class__.objects.get(code=town["code"])
    )
    assert [(r["label"], r["activities"]) for r in inside["rows"]] == [("新设0镇", 1)]
    assert inside["trail"] == [city.city]


def test_another_scopes_region_is_refused(client, personas, city):
    client.force_login(personas["township"])
    assert client.get(reverse("activities:stats"), {"region": city.township_b.pk}).status_code == 404
    assert client.get(reverse("activities:stats"), {"region": "x"}).status_code == 404
    assert client.get(reverse("activities:stats"), {"region": city.township_a.pk}).status_code == 200
