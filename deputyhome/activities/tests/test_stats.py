"""Statistics: the API's figures on constructed data, its errors, and a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputyhome.activities import selectors, services
from deputyhome.activities.choices import ActivityKind, OrganiserLevel, OutputKind

from .conftest import close_rated, make_activity

pytestmark = pytest.mark.django_db

URL = "activities_api:stats_activities"


@pytest.fixture
def year():
    return selectors.today().year


@pytest.fixture
def figures(city, personas, activity, activity_b, year):
    """In township A: a report and an opinion, four problems (closed, forwarded and replied, to a suggestion,
    open). In township B: one problem forwarded, not yet replied."""
    twp, twp_b = personas["township"], personas["township_b"]
    day = datetime.date.today()
    services.output_create(
        activity=activity, data={"kind": OutputKind.RESEARCH_REPORT, "title": "调研报告", "date": day}, actor=twp
    )
    services.output_create(
        activity=activity, data={"kind": OutputKind.REVIEW_OPINION, "title": "审议意见", "date": day}, actor=twp
    )

    def new(text, actor, act, deputy):
        return services.problem_create(data={"text": text, "activity": act, "deputy": deputy}, actor=actor)

    p1 = new("一", twp, activity, city.deputies_a[0])
    p2 = new("二", twp, activity, city.deputies_a[1])
    p3 = new("三", twp, activity, city.deputies_a[2])
    new("四", twp, activity, city.deputies_a[2])
    p5 = new("五", twp_b, activity_b, city.deputies_b[0])
    services.problem_close(problem=p1, note="当场解决", actor=twp)
    referral = services.problem_forward(problem=p2, unit=city.unit_a, actor=twp)
    services.referral_reply(referral=referral, text="已办", actor=personas["unit"])
    services.problem_to_suggestion(problem=p3, actor=twp)
    services.problem_forward(problem=p5, unit=city.unit_b, actor=twp_b)
    return year


def test_city_figures(client, personas, figures):
    client.force_login(personas["city"])
    data = client.get(reverse(URL), {"year": figures}).json()
    assert data["activities"] == 2
    assert data["deputies_taking_part"] == 5
    assert data["research_reports"] == 1 and data["review_opinions"] == 1
    assert data["problems_found"] == 5
    assert data["suggestions_formed"] == 3  # one suggestion + two forwarded
    assert data["funnel"] == {
        "problems_found": 5,
        "open": 1,
        "closed_on_spot": 1,
        "forwarded": 2,
        "referrals_replied": 1,
        "to_suggestions": 1,
        "suggestions_closed_satisfied": 0,
    }
    assert isinstance(data["opinions_received"], int)
    assert data["stations_meeting_standard"] == 0


def test_township_scope(client, personas, figures):
    client.force_login(personas["township"])
    data = client.get(reverse(URL), {"year": figures}).json()
    assert data["activities"] == 1 and data["problems_found"] == 4 and data["suggestions_formed"] == 2
    client.force_login(personas["township_b"])
    data = client.get(reverse(URL), {"year": figures}).json()
    assert data["activities"] == 1 and data["problems_found"] == 1 and data["research_reports"] == 0


def test_other_year_is_empty(client, personas, figures):
    client.force_login(personas["city"])
    data = client.get(reverse(URL), {"year": figures - 3}).json()
    assert data["activities"] == 0 and data["problems_found"] == 0


def test_stations_meeting_standard(client, personas, city, year):
    from deputyhome.activities.models import StandardItem

    def save(station, statuses):
        services.assessment_save(
            station=station,
            year=year,
            assessed_on=datetime.date(year, 1, 2),
            results=[
                {"item": i, "status": statuses.get(i.code, "met")} for i in StandardItem.objects.filter(is_active=True)
            ],
            actor=personas["city"],
        )

    save(city.station_a, {})
    save(city.station_b, {"WY-1": "not_met", "WY-2": "not_met", "WY-3": "not_met"})
    save(city.home_a, {"TY-1": "partly"})
    client.force_login(personas["city"])
    data = client.get(reverse(URL), {"year": year}).json()
    assert data["stations_meeting_standard"] == 2 and data["stations_assessed"] == 3
    client.force_login(personas["township_b"])
    assert client.get(reverse(URL), {"year": year}).json()["stations_meeting_standard"] == 0


def test_satisfied_suggestion_counts_at_the_end_of_the_funnel(personas, city, activity, year):
    from deputyhome.suggestions.choices import Satisfaction

    p = services.problem_create(
        data={"text": "x", "activity": activity, "deputy": city.deputies_a[0]}, actor=personas["city"]
    )
    s = services.problem_to_suggestion(problem=p, actor=personas["city"])
    close_rated(s, city.deputies_a[0], Satisfaction.BASIC)
    data = selectors.activity_stats(user=personas["city"], year=year)
    assert data["funnel"]["suggestions_closed_satisfied"] == 1


def test_anonymous_401_json(client):
    response = client.get(reverse(URL), {"year": 2025})
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"] == "请先登录。"


@pytest.mark.parametrize("bad", ["abc", "1999", "20255", "-1", "2101"])
def test_bad_year_400_in_chinese(client, personas, bad):
    client.force_login(personas["city"])
    response = client.get(reverse(URL), {"year": bad})
    assert response.status_code == 400
    assert "年度参数无效" in response.json()["error"]


def test_admin_refused(client, personas):
    client.force_login(personas["sysadmin"])
    assert client.get(reverse(URL), {"year": 2025}).status_code == 403


def test_default_year_is_this_year(client, personas, year):
    client.force_login(personas["city"])
    assert client.get(reverse(URL)).json()["year"] == year


def _make_activities(city, personas, n, day):
    for i in range(n):
        a = make_activity(
            personas["city"],
            (city.deputies_a if i % 2 else city.deputies_b)[:2],
            {
                "kind": ActivityKind.VISIT,
                "level": OrganiserLevel.GROUP,
                "group": city.group_a if i % 2 else city.group_b,
                "date": day,
                "place": "某地",
                "topic": f"活动{i}",
            },
        )
        services.problem_create(data={"text": f"问题{i}", "activity": a}, actor=personas["city"])


def test_stats_constant_queries(personas, city, year):
    day = datetime.date(year, 1, 1)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            for figures in (
                selectors.activity_stats,
                selectors.stats_by_township,
                selectors.stats_by_station,
                selectors.stats_by_campaign,
            ):
                figures(user=personas["township"], year=year)
        return len(captured)

    _make_activities(city, personas, 2, day)
    small = queries()
    _make_activities(city, personas, 8, day)
    assert queries() == small
