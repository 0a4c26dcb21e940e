"""A fixed number of queries per list page, however many rows it shows."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputyhome.activities import services
from deputyhome.activities.choices import ActivityKind, OrganiserLevel
from deputyhome.activities.models import StandardItem
from deputyhome.core.tests.reading import queries

from .conftest import LIST_PAGES, make_activity

pytestmark = pytest.mark.django_db

PAGES = [name for name in LIST_PAGES if name != "activities:policy"]


def _rows(city, personas, n: int, offset: int) -> None:
    actor = personas["city"]
    day = datetime.date.today()
    campaign = services.campaign_create(
        data={"slogan": f"行动{offset}", "start_on": day, "end_on": day, "main_theme": "主题"}, actor=actor
    )
    rule = services.rule_create(data={"title": f"制度{offset}", "category": "duties"}, actor=actor)
    services.rule_version_create(rule=rule, data={"version": "v1", "text": "正文", "effective_on": day}, actor=actor)
    stations = [city.station_a, city.station_b, city.home_a]  # home_b stays unassessed throughout
    for i in range(n):
        a = make_activity(
            actor,
            (city.deputies_a if i % 2 else city.deputies_b)[:3],
            {
                "kind": ActivityKind.VISIT,
                "level": OrganiserLevel.GROUP,
                "group": city.group_a if i % 2 else city.group_b,
                "campaign": campaign,
                "date": day,
                "place": "某地",
                "topic": f"活动{offset}-{i}",
            },
        )
        p = services.problem_create(data={"text": f"问题{offset}-{i}", "activity": a, "deputy": None}, actor=actor)
        services.problem_forward(problem=p, unit=city.unit_a if i % 2 else city.unit_b, actor=actor)
        if offset + i < len(stations):
            services.assessment_save(
                station=stations[offset + i],
                year=day.year,
                assessed_on=day,
                results=[{"item": it, "status": "partly"} for it in StandardItem.objects.filter(is_active=True)],
                actor=actor,
            )


@pytest.mark.parametrize("name", PAGES)
def test_constant_queries(client, personas, city, name):
    client.force_login(personas["city"])
    # Seen once before the rows are written: a figure computed ahead (the statistics) is then stale at both
    # counts, as after any write, instead of missing at the first.
    queries(client, reverse(name))
    _rows(city, personas, 2, 0)
    small = queries(client, reverse(name))
    _rows(city, personas, 6, 2)
    large = queries(client, reverse(name))
    assert small == large, f"{name}: {small} queries with few rows, {large} with more"


def test_detail_pages_constant(client, personas, city):
    """An activity page does not grow with its participants or problems."""
    client.force_login(personas["city"])
    day = datetime.date.today()

    def make(deputies, problems):
        a = make_activity(
            personas["city"],
            deputies,
            {
                "kind": "visit",
                "level": "township",
                "region": city.township_a,
                "date": day,
                "place": "x",
                "topic": "t",
            },
        )
        for i in range(problems):
            services.problem_create(data={"text": f"p{i}", "activity": a}, actor=personas["city"])
        return a

    few = make(city.deputies_a[:1], 1)
    many = make(city.deputies_a + city.deputies_b, 5)
    with CaptureQueriesContext(connection) as a:
        client.get(few.get_absolute_url())
    with CaptureQueriesContext(connection) as b:
        client.get(many.get_absolute_url())
    assert len(a) == len(b)


def test_the_register_shows_each_activitys_own_counts(client, personas, city):
    """The counts are added for the page's activities only, and each row has its own."""
    client.force_login(personas["city"])
    _rows(city, personas, 2, 0)
    busy = make_activity(
        personas["city"],
        city.deputies_a[:4],
        {
            "kind": ActivityKind.VISIT,
            "level": OrganiserLevel.GROUP,
            "group": city.group_a,
            "date": datetime.date.today(),
            "place": "某地",
            "topic": "四人的活动",
        },
    )
    for i in range(2):
        services.problem_create(data={"text": f"问题{i}", "activity": busy, "deputy": None}, actor=personas["city"])
    html = client.get(reverse("activities:activity_list")).content.decode()
    cells = [
        c.split(">", 1)[1].split("<", 1)[0]
        for c in html.split("四人的活动", 1)[1].split("</tr>", 1)[0].split("<td")[1:]
    ]
    assert cells[-2:] == ["4", "2"]
    other = [
        c.split(">", 1)[1].split("<", 1)[0] for c in html.split("活动0-1", 1)[1].split("</tr>", 1)[0].split("<td")[1:]
    ]
    assert other[-2:] == ["3", "1"]
