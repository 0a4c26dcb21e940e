"""The city-wide suggestion statistics (page and API) come from a snapshot computed ahead
(`supervision.precomputed`), recomputed after a suggestion moves or on another day; scoped users' are counted live."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputyhome.accounts.models import User
from deputyhome.figures.models import FigureSnapshot
from deputyhome.supervision import stats
from deputyhome.supervision.precomputed import SUGGESTION_STATS
from deputyhome.supervision.tests.conftest import TZ
from deputyhome.supervision.tests.test_stats import year as year  # noqa: F401, PLC0414 - the constructed year

D = datetime.date
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("deputyhome.supervision.tests.urls"),
    pytest.mark.usefixtures("june"),
]
API = "/api/v1/stats/suggestions"
FIGURES = ("received", "assigned", "replied", "overdue", "closed", "satisfied", "dissatisfied", "no_evaluation")


def opened(client, address, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address, params)
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def live(user, year=2026):
    data = stats.suggestion_stats(user=user, year=year)
    return {k: data[k] for k in FIGURES}


def test_the_city_page_is_served_from_the_snapshot_until_a_suggestion_moves(login, people, city, course, year):  # noqa: F811
    client = login(people["city"])
    page = reverse("supervision:stats")
    first, computed = opened(client, page, year=2026)
    again, served = opened(client, page, year=2026)
    assert served < computed and "数据计算于" in again.content.decode()
    assert {k: again.context["s"][k] for k in FIGURES} == live(people["city"])
    assert FigureSnapshot.objects.filter(name=SUGGESTION_STATS, key="city:2026").count() == 1

    closed_before = again.context["s"]["closed"]
    course.closed(city.unit_b, on=D(2026, 2, 1), result="satisfied")  # through the services, audited
    after, _n = opened(client, page, year=2026)
    assert after.context["s"]["closed"] == closed_before + 1
    assert {k: after.context["s"][k] for k in FIGURES} == live(people["city"])


def test_every_city_wide_reader_shares_it_and_the_api_says_when(login, people, year):  # noqa: F811
    opened(login(people["city"]), API, year=2026)
    for role in ("supervisor", "leader"):
        data, _n = opened(login(people[role]), API, year=2026)
        body = data.json()
        assert {k: body[k] for k in FIGURES} == live(people["city"])
        assert body["computed_at"] and body["scope"] == people[role].scope_kind
    assert FigureSnapshot.objects.filter(name=SUGGESTION_STATS).count() == 1


def test_scoped_readers_are_counted_live(login, people, year):  # noqa: F811
    response, _n = opened(login(people["township"]), API, year=2026)
    assert response.json()["computed_at"] is None
    page, _n = opened(login(people["township"]), reverse("supervision:stats"), year=2026)
    assert "数据计算于" not in page.content.decode()
    assert not FigureSnapshot.objects.filter(name=SUGGESTION_STATS).exists()
    # By township: one row for one township's officer, so not shown to them (the city's page has it).
    assert "<h2>按乡镇（街道）</h2>" not in page.content.decode()
    assert "主办单位超过20个时" in page.content.decode()  # the note speaks of the tables shown
    city_page = opened(login(people["city"]), reverse("supervision:stats"))[0].content.decode()
    assert "<h2>按乡镇（街道）</h2>" in city_page and "主办单位或乡镇（街道）超过20个时" in city_page


def test_another_day_recomputes_the_overdue_counts(login, people, city, course, year, june):  # noqa: F811
    course.assigned(city.unit_a, on=D(2026, 5, 20))  # due in three months: overdue by December
    client = login(people["leader"])
    june_overdue = opened(client, API, year=2026)[0].json()["overdue"]
    june.move_to(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=TZ))
    User.objects.filter(pk=people["leader"].pk).update(password_changed_at=timezone.now())
    body = opened(login(people["leader"]), API, year=2026)[0].json()
    assert body["overdue"] > june_overdue and body["overdue"] == live(people["city"])["overdue"]


def test_refresh_warms_this_year_and_last(year):  # noqa: F811
    call_command("refresh_figures")
    keys = set(FigureSnapshot.objects.filter(name=SUGGESTION_STATS).values_list("key", flat=True))
    assert keys == {"city:2026", "city:2025"}
