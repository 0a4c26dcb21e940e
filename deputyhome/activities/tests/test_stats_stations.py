"""The statistics page's by-station table is one page of the stations in order, each with the figures of the whole
breakdown, in the same number of queries whatever the number of stations; the city's names only its page's."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputyhome.activities import selectors, services
from deputyhome.activities.choices import ActivityKind, OrganiserLevel
from deputyhome.organisation.choices import StationKind
from deputyhome.organisation.models import DeputyGroup, Station

from .conftest import make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return selectors.today().year


def _at_new_stations(city, personas, n: int, day: datetime.date, first: int = 0) -> None:
    """An activity with two deputies present and one problem at each of `n` new stations of township A."""
    for i in range(first, first + n):
        station = Station.objects.create(kind=StationKind.LIAISON, name=f"新站{i:02d}", region=city.village_a)
        group = DeputyGroup.objects.create(name=f"新站{i:02d}小组", station=station)
        a = make_activity(
            personas["city"],
            city.deputies_a[:2],
            {
                "kind": ActivityKind.VISIT,
                "level": OrganiserLevel.GROUP,
                "group": group,
                "date": day,
                "place": "某地",
                "topic": f"活动{i}",
            },
        )
        services.problem_create(data={"text": f"问题{i}", "activity": a}, actor=personas["city"])


def _by_key(rows):
    return {row["key"]: row for row in rows}


@pytest.mark.parametrize("persona", ["city", "township"])
def test_each_page_has_the_figures_of_the_whole_breakdown(personas, city, year, persona):
    _at_new_stations(city, personas, 7, datetime.date(year, 1, 1))
    user = personas[persona]
    whole = _by_key(selectors.stats_by_station(user=user, year=year))
    seen = []
    for number in (1, 2, 3):
        page = selectors.stats_station_page(user=user, year=year, number=number, per_page=3)
        assert page.paginator.count == len(whole) == 7
        for row in page.object_list:
            assert row == whole[row["key"]]
            seen.append(row["key"])
    assert len(seen) == len(set(seen)) == 7 and set(seen) == set(whole)
    # In the stations' order (region code, kind; all seven share both), then by id.
    assert seen == sorted(seen)


def test_the_same_queries_with_3_and_30_stations(personas, city, year):
    day = datetime.date(year, 1, 1)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = selectors.stats_station_page(user=personas["city"], year=year, number=1, per_page=25)
        assert all(row["activities"] == 1 and row["deputies"] == 2 for row in page.object_list)
        return len(captured)

    _at_new_stations(city, personas, 3, day)
    few = queries()
    _at_new_stations(city, personas, 27, day, first=3)
    assert queries() == few


def test_the_citys_page_names_the_pages_stations_only(personas, city, year):
    """The city's snapshot keeps the stations' ids and figures in order; a page reads the names of its own."""
    from deputyhome.activities.precomputed import stats_page

    _at_new_stations(city, personas, 30, datetime.date(year, 1, 1))
    figures = stats_page(user=personas["city"], year=year, within=None)  # computes the snapshot
    with CaptureQueriesContext(connection) as captured:
        figures = stats_page(user=personas["city"], year=year, within=None)
        page = selectors.station_page(figures.stations, number=2, per_page=25)
    assert figures.computed_at is not None and page.paginator.count == 30
    assert [row["label"] for row in page.object_list] == [f"新站{i:02d}" for i in range(25, 30)]
    assert all(row["activities"] == 1 and row["deputies"] == 2 and row["problems_found"] == 1 for row in page)
    [names] = [q["sql"] for q in captured.captured_queries if '"organisation_station"' in q["sql"]]
    assert all(f"{row['key']}" in names for row in page.object_list) and "GROUP BY" not in names
    assert not any("activities_" in q["sql"] for q in captured.captured_queries)


def test_the_city_reads_attendance_through_one_join_to_the_activity(personas, city, year):
    _at_new_stations(city, personas, 2, datetime.date(year, 1, 1))
    with CaptureQueriesContext(connection) as captured:
        stats = selectors.activity_stats(user=personas["city"], year=year)
    assert stats["deputies_taking_part"] == 2
    present = next(q["sql"] for q in captured.captured_queries if '"activities_participation"' in q["sql"])
    # No semi-join on the year's activities besides the join that reads their date.
    assert "IN (SELECT" not in present and 'INNER JOIN "activities_activity"' in present
