"""The activity and problem forms at province scale: past 100 deputies (or activities) the participants, the deputy
and the activity are searched as you type (core.widgets.SearchSelect, kinds "deputy" and "activity"), never listed
whole; the searched id saves, an id outside the user's scope is refused in Chinese and writes nothing, and the edit
form and a refused form show the chosen deputies again."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputyhome.activities.choices import ActivityKind, OrganiserLevel
from deputyhome.activities.models import Activity, Problem
from deputyhome.core.tests.reading import queries
from deputyhome.core.tests.search_fields import OUT_OF_SCOPE, chosen, light, search_field, searched
from deputyhome.testing import add_deputies

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(city):
    """150 more deputies of township A's group (王0 … 王149): past 100 for the city's and township A's officers."""
    return add_deputies(150, congress=city.city_congress, group=city.group_a, region=city.township_a)


def _activities(city, actor, n: int) -> None:
    """`n` more of group A's activities (bulk), within the two years a problem may come from."""
    day = datetime.date.today()
    Activity.objects.bulk_create(
        [
            Activity(
                kind=ActivityKind.VISIT,
                level=OrganiserLevel.GROUP,
                region=city.township_a,
                group=city.group_a,
                date=day - datetime.timedelta(days=i % 600),
                place="西门社区",
                topic=f"走访{i}",
                created_by=actor,
            )
            for i in range(n)
        ]
    )


@pytest.mark.parametrize("who", ["city", "township"])
def test_the_activity_and_problem_forms_search_deputies_past_100(login, personas, many, activity, who):
    c = login(personas[who])
    for url in (
        reverse("activities:activity_create"),
        reverse("activities:activity_update", args=[activity.pk]),
    ):
        html = c.get(url).content.decode()
        light(html)
        for name in ("present", "excused", "absent"):
            assert search_field(html, name, "deputy"), (url, name)
    html = c.get(reverse("activities:problem_create") + f"?activity={activity.pk}").content.decode()
    light(html)
    assert search_field(html, "deputy", "deputy")
    assert re.search(r'<select name="activity"[^>]*>.*?selected', html, re.S)  # few activities: still a drop-down


def test_under_100_deputies_the_participants_stay_a_list(login, personas, city):
    html = login(personas["township"]).get(reverse("activities:activity_create")).content.decode()
    present = re.search(r'<select name="present"[^>]*multiple.*?</select>', html, re.S).group(0)
    assert all(d.name in present for d in city.deputies_a) and city.deputies_b[0].name not in present
    # Each named as the search names them: township, group and year of birth tell namesakes apart.
    d = city.deputies_a[0]
    assert f">{d.name}（六角亭街道 · {city.group_a.name} · {d.birth_date:%Y}年生）</option>" in present


def test_the_edit_form_shows_the_chosen_participants(login, personas, many, activity):
    html = login(personas["township"]).get(reverse("activities:activity_update", args=[activity.pk])).content.decode()
    for d in activity.participations.all():
        assert chosen(html, "present", d.deputy_id)
    assert activity.participations.get(deputy=activity.participations.first().deputy).deputy.name in html


def test_a_searched_deputy_saves(login, personas, city, many):
    c = login(personas["township"])
    found = searched(c, "deputy", "present", "王120")
    assert found == [many[120].pk]
    data = {"kind": "visit", "level": "township", "region": city.township_a.pk, "date": "2025-03-04", "place": "x"}
    response = c.post(
        reverse("activities:activity_create"), {**data, "topic": "搜索选人", "present": found, "absent": [many[7].pk]}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = Activity.objects.get(topic="搜索选人")
    assert dict(activity.participations.values_list("deputy_id", "attendance")) == {
        many[120].pk: "present",
        many[7].pk: "absent",
    }


def test_a_deputy_of_another_township_is_refused(login, personas, city, many):
    c = login(personas["township"])  # 六角亭街道
    assert searched(c, "deputy", "present", city.deputies_b[0].name) == []
    data = {"kind": "visit", "level": "township", "region": city.township_a.pk, "date": "2025-03-04", "place": "x"}
    response = c.post(
        reverse("activities:activity_create"),
        {**data, "topic": "越权", "present": [many[3].pk, city.deputies_b[0].pk]},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f"所选的“出席代表”{OUT_OF_SCOPE}" in html
    assert not Activity.objects.filter(topic="越权").exists()


def test_a_refused_form_shows_the_chosen_deputies_again(login, personas, city, many):
    c = login(personas["township"])
    response = c.post(
        reverse("activities:activity_create"),
        {"level": "township", "region": city.township_a.pk, "date": "2025-03-04", "place": "x", "topic": "缺类型",
         "present": [many[120].pk], "excused": [many[121].pk]},
    )  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert chosen(html, "present", many[120].pk) and chosen(html, "excused", many[121].pk)
    assert "王120" in html and not Activity.objects.filter(topic="缺类型").exists()


def test_past_100_activities_a_problem_searches_its_activity(login, personas, city, activity):
    _activities(city, personas["township"], 120)
    c = login(personas["township"])
    html = c.get(reverse("activities:problem_create") + f"?activity={activity.pk}").content.decode()
    light(html)
    assert search_field(html, "activity", "activity")
    assert chosen(html, "activity", activity.pk) and activity.topic in html
    found = searched(c, "activity", "activity", "走访119")
    assert len(found) == 1
    deputy = city.deputies_a[1]
    response = c.post(
        reverse("activities:problem_create"),
        {
            "text": "村道塌方。",
            "place": "西门",
            "activity": found[0],
            "deputy": deputy.pk,
            "date": datetime.date.today(),
        },
    )
    assert response.status_code == 302, re.findall(r'class="(?:bad|errorlist)[^>]*>(.*?)</', response.content.decode())
    problem = Problem.objects.get(text="村道塌方。")
    assert (problem.activity_id, problem.deputy_id) == (found[0], deputy.pk)


def test_an_activity_of_another_township_is_not_offered_nor_taken(login, personas, city, activity_b):
    _activities(city, personas["township"], 120)
    c = login(personas["township"])
    assert searched(c, "activity", "activity", activity_b.topic) == []
    response = c.post(
        reverse("activities:problem_create"),
        {"text": "越权问题。", "place": "x", "activity": activity_b.pk, "date": "2025-03-04"},
    )
    assert response.status_code == 400 and f"所选的“发现于活动”{OUT_OF_SCOPE}" in response.content.decode()
    assert not Problem.objects.filter(text="越权问题。").exists()


def test_the_form_pages_read_the_same_queries_at_two_sizes(login, personas, city, many, activity):
    c = login(personas["city"])
    urls = [
        reverse("activities:activity_create"),
        reverse("activities:activity_update", args=[activity.pk]),
        reverse("activities:problem_create") + f"?activity={activity.pk}",
    ]
    _activities(city, personas["city"], 110)
    small = [queries(c, url) for url in urls]
    add_deputies(150, congress=city.city_congress, group=city.group_b, region=city.township_b, serial=700)
    _activities(city, personas["city"], 150)
    assert [queries(c, url) for url in urls] == small


def test_the_three_attendance_fields_read_the_deputies_once(login, personas, many):
    c = login(personas["township"])
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(reverse("activities:activity_create")).status_code == 200
    assert sum('FROM "deputies_deputy"' in q["sql"] for q in ctx.captured_queries) == 1
