"""The city-wide activity statistics (page and API) come from a snapshot computed ahead (`activities.precomputed`),
computed again after an audited write (an activity recorded, its attendance changed, a problem handled, a
suggestion evaluated); every filter and the drill-down read it; scoped users' figures are counted live, their own."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from deputyhome.activities import precomputed, selectors, services
from deputyhome.activities.choices import ActivityKind, Attendance, OrganiserLevel
from deputyhome.activities.selectors.tallies import year_tallies
from deputyhome.core.tests.reading import read
from deputyhome.figures.models import FigureSnapshot

from .conftest import close_rated, make_activity
from .test_stats import figures as figures  # noqa: F401, PLC0414 - activities and problems in both townships
from .test_stats import year as year  # noqa: F401, PLC0414

pytestmark = pytest.mark.django_db
API = "activities_api:stats_activities"
TABLE_FIGURES = ("activities", "deputies", "problems_found", "to_suggestions", "forwarded", "closed_on_spot")


def _view(client, **params):
    page = read(client, reverse("activities:stats"), params)
    return page.response, page.sql


def _table(rows) -> list[tuple]:
    return [(row["label"], *(row[k] for k in TABLE_FIGURES)) for row in rows]


def test_the_city_page_is_served_from_the_snapshot_until_a_service_write(client, personas, city, figures):  # noqa: F811
    year = figures
    client.force_login(personas["city"])
    first, computed = _view(client)
    again, served = _view(client)
    assert "数据计算于" in again.content.decode()
    assert again.context["stats"] == selectors.activity_stats(user=personas["city"], year=year)
    # Served: no query reads an activity, an attendance row or a problem; none counts.
    assert not any("activities_" in sql for sql in served) and len(served) < len(computed)
    assert not any("COUNT(" in sql for sql in served if "notifications_" not in sql)
    assert FigureSnapshot.objects.filter(name=precomputed.STATS, key=str(year)).count() == 1
    before = again.context["stats"]

    # An activity recorded through the service, with a deputy present who was at no activity this year.
    newcomer = city.deputies_a[3]
    made = make_activity(
        personas["city"],
        [newcomer],
        {
            "kind": ActivityKind.FORUM,
            "level": OrganiserLevel.COMMITTEE,
            "date": datetime.date.today(),
            "place": "市人大",
            "topic": "座谈",
        },
    )
    after, _sql = _view(client)
    assert after.context["stats"]["activities"] == before["activities"] + 1
    assert after.context["stats"]["deputies_taking_part"] == before["deputies_taking_part"] + 1

    # Their attendance recorded as absent instead: they no longer count.
    services.activity_update(
        activity=made, data={}, participants=[(newcomer, Attendance.ABSENT)], actor=personas["city"]
    )
    absent, _sql = _view(client)
    assert absent.context["stats"]["deputies_taking_part"] == before["deputies_taking_part"]
    assert absent.context["stats"] == selectors.activity_stats(user=personas["city"], year=year)


def test_a_problem_handled_and_a_suggestion_evaluated_make_it_stale(client, personas, city, activity):
    from deputyhome.suggestions.choices import Satisfaction

    client.force_login(personas["supervisor"])
    problem = services.problem_create(
        data={"text": "路灯", "activity": activity, "deputy": city.deputies_a[0]}, actor=personas["city"]
    )
    assert _view(client)[0].context["stats"]["funnel"]["open"] == 1
    suggestion = services.problem_to_suggestion(problem=problem, actor=personas["city"])
    funnel = _view(client)[0].context["stats"]["funnel"]
    assert (funnel["open"], funnel["to_suggestions"], funnel["suggestions_closed_satisfied"]) == (0, 1, 0)
    # The suggestion closed and rated satisfied, with the audit row the suggestions app's services write: a
    # source of the figure, so the snapshot is stale.
    from deputyhome.audit.services import record

    close_rated(suggestion, city.deputies_a[0], Satisfaction.SATISFIED)
    record(actor=personas["city"], action="evaluation.create", obj=suggestion)
    assert _view(client)[0].context["stats"]["funnel"]["suggestions_closed_satisfied"] == 1


def test_every_city_wide_reader_shares_it_and_the_api_says_when(client, personas, figures):  # noqa: F811
    client.force_login(personas["city"])
    page = _view(client)[0].context["stats"]
    for role in ("supervisor", "leader"):
        client.force_login(personas[role])
        body = client.get(reverse(API), {"year": figures}).json()
        assert body["computed_at"] and {k: body[k] for k in page} == page
    assert FigureSnapshot.objects.filter(name=precomputed.STATS).count() == 1


@pytest.mark.parametrize("persona", ["township", "township_b", "group", "deputy"])
def test_scoped_readers_are_counted_live_and_see_only_their_own(client, personas, figures, persona):  # noqa: F811
    """A township officer never sees another township's figures, even with the city's snapshot there."""
    client.force_login(personas["city"])
    _view(client)
    client.force_login(personas[persona])
    response, sql = _view(client)
    user = personas[persona]
    assert response.context["stats"] == selectors.activity_stats(user=user, year=figures)
    assert response.context["figures"] is None and "数据计算于" not in response.content.decode()
    assert not any("figures_figuresnapshot" in q for q in sql)
    assert client.get(reverse(API), {"year": figures}).json()["computed_at"] is None
    assert FigureSnapshot.objects.filter(name=precomputed.STATS).count() == 1  # the city's only
    if persona == "township":
        stats = response.context["stats"]
        assert (stats["activities"], stats["problems_found"], stats["deputies_taking_part"]) == (1, 4, 3)
        assert "白杨坪镇" not in response.content.decode().split('id="by-region"', 1)[1]
    if persona == "township_b":
        assert response.context["stats"]["problems_found"] == 1
        assert "六角亭街道" not in response.content.decode().split('id="by-region"', 1)[1]


def test_every_filter_reads_the_snapshot_and_matches_the_live_figures(client, personas, city, figures):  # noqa: F811
    """Each year, each level of the drill-down (the city, a township) and each page of the tables: the same rows
    as counted live; below the townships (a village) counted live for that village."""
    user = personas["city"]
    client.force_login(user)
    for shown in (figures, figures - 1):
        response, _sql = _view(client, year=shown)
        live = year_tallies(user=user, year=shown)
        assert response.context["stats"] == selectors.activity_stats(user=user, year=shown, tallies=live)
        assert _table(response.context["by_campaign"]) == _table(selectors.stats_by_campaign(user=user, year=shown))
        stations = selectors.stats_by_station(user=user, year=shown)
        assert _table(response.context["stations"].object_list) == _table(stations)
    for within in (city.city, city.township_a, city.township_b):
        response, served = _view(client, year=figures, region=within.pk)
        rows = selectors.stats_by_region(user=user, year=figures, within=within)["rows"]
        assert _table(response.context["regions"].object_list) == _table(rows) and rows
        assert not any("activities_" in sql for sql in served)
    city_rows = _view(client, year=figures)[0].context["regions"].object_list
    assert [(r["label"], r["activities"], r["problems_found"]) for r in city_rows] == [
        ("六角亭街道", 1, 4),
        ("白杨坪镇", 1, 1),
    ]
    # Below the townships: the village's own activities, counted live (its township's are not in it).
    village, counted = _view(client, year=figures, region=city.village_b.pk)
    assert _table(village.context["regions"].object_list) == []
    assert any("activities_activity" in sql and "422801101001" in sql for sql in counted)
    assert village.context["trail"] == [city.city, city.township_b]


def test_refresh_warms_this_year_and_last():
    call_command("refresh_figures")
    keys = set(FigureSnapshot.objects.filter(name=precomputed.STATS).values_list("key", flat=True))
    year = selectors.today().year
    assert keys == {str(year), str(year - 1)}
