"""Suggestion statistics and their API on a constructed year: figures, definitions, scope, queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.conftest import PASSWORD
from deputyhome.suggestions import services as sv
from deputyhome.supervision.stats import parse_year, suggestion_stats
from deputyhome.supervision.tests.conftest import (
    Course,
    at,
    make_categories,
    make_people,
    make_session,
    stats_queries,
)

D = datetime.date
URL = "/api/v1/stats/suggestions"
JUNE = D(2026, 6, 1)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("june")]


@pytest.fixture(name="people")
def _people(personas, city):
    return make_people(personas, city)


@pytest.fixture(name="course")
def _course(city, people, db):
    return Course(city, people, make_categories(), make_session(city))


@pytest.fixture
def year(course, city, people):
    """Seven suggestions received in 2026 (plus a draft, a withdrawn draft and one of 2025).

    s1 session, unit A, replied on time, satisfied, closed
    s2 session, unit A, no reply, overdue since 2026-04-20
    s3 recess, submitted, then withdrawn by its author (still received)
    s4 recess, returned at screening (still received)
    s6 session, unit B, a deputy of township B, replied late (class B), basically satisfied, closed
    s7 session, unit A with unit B as co-unit, dissatisfied twice, closed
    s8 recess, unit A, replied on time, no evaluation in time, closed
    """
    deputy_b = city.deputies_b[0]
    user_b = User(username="deputy_b", role=Role.DEPUTY, deputy=deputy_b)
    user_b.set_password(PASSWORD)
    user_b.save()
    s = {}
    s[1] = course.closed(city.unit_a, on=D(2026, 1, 20), result="satisfied")
    s[2] = course.assigned(city.unit_a, on=D(2026, 1, 20))
    s[3] = course.submitted(on=D(2026, 3, 2), in_session=False)
    with at(D(2026, 3, 3)):
        sv.suggestion_withdraw(suggestion=s[3], actor=people["deputy"])
    s[4] = course.submitted(on=D(2026, 3, 2), in_session=False)
    with at(D(2026, 3, 3)):
        sv.suggestion_return(suggestion=s[4], reason="personal", note="", actor=people["city"])
    s[6] = course.closed(
        city.unit_b, on=D(2026, 1, 20), author=deputy_b, code="B", result="basic", reply_on=D(2026, 5, 6)
    )
    s[7] = course.closed(city.unit_a, on=D(2026, 1, 20), co_units=[city.unit_b], result="dissatisfied")
    s[7] = course.reply(s[7], on=D(2026, 2, 10))
    s[7] = course.review(s[7], on=D(2026, 2, 11))
    s[7] = course.evaluate(s[7], on=D(2026, 2, 12), result="dissatisfied")
    s[8] = course.assigned(city.unit_a, on=D(2026, 3, 2), in_session=False)
    s[8] = course.review(course.reply(s[8], on=D(2026, 3, 9)), on=D(2026, 3, 10))
    s[8] = course.silent(s[8], on=D(2026, 4, 10))
    course.draft(on=D(2026, 3, 5))
    withdrawn_draft = course.draft(on=D(2026, 3, 5))
    with at(D(2026, 3, 5)):
        sv.suggestion_withdraw(suggestion=withdrawn_draft, actor=people["deputy"])
    course.submitted(on=D(2025, 11, 3), in_session=False)
    for key in s:
        s[key].refresh_from_db()
    assert [s[k].state for k in (1, 2, 3, 4, 6, 7, 8)] == [
        "closed",
        "handling",
        "withdrawn",
        "returned",
        "closed",
        "closed",
        "closed",
    ]
    return s


COUNTS = (
    "received",
    "received_in_session",
    "received_in_recess",
    "registered",
    "assigned",
    "replied",
    "replied_on_time",
    "overdue",
    "closed",
    "satisfied",
    "basically_satisfied",
    "dissatisfied",
    "no_evaluation",
    "evaluated",
)


def counts(data):
    return {k: data[k] for k in COUNTS}


def test_city_figures(people, city, year):
    data = suggestion_stats(user=people["city"], year=2026, today=JUNE)
    assert counts(data) == {
        "received": 7,
        "received_in_session": 4,
        "received_in_recess": 3,
        "registered": 5,
        "assigned": 5,
        "replied": 4,
        "replied_on_time": 3,
        "overdue": 1,
        "closed": 4,
        "satisfied": 1,
        "basically_satisfied": 1,
        "dissatisfied": 1,
        "no_evaluation": 1,
        "evaluated": 4,
    }
    assert data["on_time_rate"] == 0.75
    assert data["satisfaction_rate"] == 0.5
    assert data["key"] == 0
    states = {row["state"]: row["count"] for row in data["by_state"]}
    assert "draft" not in states
    assert states == {
        "submitted": 0,
        "returned": 1,
        "registered": 0,
        "assigned": 0,
        "handling": 1,
        "replied": 0,
        "awaiting_evaluation": 0,
        "rehandling": 0,
        "closed": 4,
        "withdrawn": 1,
    }
    assert [(r["name"], r["count"]) for r in data["by_category"]] == [("城乡建设与管理", 5), ("未分类", 2)]
    assert [(r["name"], r["count"], r["replied"], r["overdue"], r["closed"]) for r in data["by_unit"]] == [
        (city.unit_a.name, 4, 3, 1, 3),
        (city.unit_b.name, 1, 1, 0, 1),
    ]
    assert [(r["name"], r["count"]) for r in data["by_township"]] == [("六角亭街道", 6), ("白杨坪镇", 1)]
    assert [(r["code"], r["count"]) for r in data["by_result_class"]] == [("A", 3), ("B", 1)]


def test_other_years_are_separate(people, year):
    data = suggestion_stats(user=people["city"], year=2025, today=JUNE)
    assert data["received"] == 1 and data["received_in_recess"] == 1 and data["registered"] == 0
    assert suggestion_stats(user=people["city"], year=2024, today=JUNE)["received"] == 0


def test_township_officer_sees_their_township(people, city, year):
    a = suggestion_stats(user=people["township"], year=2026, today=JUNE)
    assert a["received"] == 6 and a["replied"] == 3 and a["basically_satisfied"] == 0
    assert [r["name"] for r in a["by_township"]] == ["六角亭街道"]
    # 白杨坪镇 elects a congress: its officer's figures are that congress's, not the city congress's above
    # it (s6, a 白杨坪镇 deputy's suggestion to the city, is the city's figure).
    b = suggestion_stats(user=people["township_b"], year=2026, today=JUNE)
    assert (b["received"], b["replied"], b["by_unit"], b["by_congress"]) == (0, 0, [], [])


def test_unit_clerk_sees_what_was_assigned_to_their_unit(people, city, year):
    a = suggestion_stats(user=people["unit"], year=2026, today=JUNE)
    assert (a["received"], a["assigned"], a["replied"], a["overdue"]) == (4, 4, 3, 1)
    assert a["received_in_recess"] == 1
    b = suggestion_stats(user=people["unit_b"], year=2026, today=JUNE)
    # s6 as lead unit, s7 as co-unit
    assert (b["received"], b["replied"], b["dissatisfied"]) == (2, 2, 1)
    assert {r["name"]: r["count"] for r in b["by_unit"]} == {city.unit_a.name: 1, city.unit_b.name: 1}


def test_deputy_sees_their_own(people, year):
    data = suggestion_stats(user=people["deputy"], year=2026, today=JUNE)
    assert data["received"] == 6  # not the township-B deputy's


def test_administrators_count_nothing(people, year):
    assert suggestion_stats(user=people["sysadmin"], year=2026, today=JUNE)["received"] == 0


# The API ---------------------------------------------------------------------------------------------------


def test_url_name():
    assert reverse("reports:stats_suggestions") == URL


def test_api_answers_the_figures(login, people, year):
    response = login(people["city"]).get(URL, {"year": "2026"})
    assert response.status_code == 200
    data = response.json()
    assert data["year"] == 2026 and data["received"] == 7 and data["overdue"] == 1
    assert data["by_state"][0] == {"state": "submitted", "label": "已提交", "count": 0}


def test_api_defaults_to_this_year(login, people, year):
    assert login(people["city"]).get(URL).json()["year"] == 2026


def test_api_anonymous_gets_401_json(client, db):
    response = client.get(URL, {"year": "2026"})
    assert response.status_code == 401
    assert response.json() == {"error": "请先登录。"}


@pytest.mark.parametrize("bad", ["abcd", "1999", "20261", "26", "2026.0", "-2026"])
def test_api_bad_year_is_400_in_chinese(login, people, bad):
    response = login(people["city"]).get(URL, {"year": bad})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "年度参数无效" in response.json()["error"]


@pytest.mark.parametrize("persona", ["sysadmin", "auditor"])
def test_api_refuses_administrators(login, people, persona):
    response = login(people[persona]).get(URL)
    assert response.status_code == 403
    assert "无权" in response.json()["error"]


def test_api_only_get(login, people):
    assert login(people["city"]).post(URL).status_code == 405


def test_api_scoped_for_a_township_officer(login, people, year):
    assert login(people["township"]).get(URL, {"year": 2026}).json()["received"] == 6
    assert login(people["township_b"]).get(URL, {"year": 2026}).json()["received"] == 0


def test_parse_year():
    assert parse_year("2026") == 2026
    assert parse_year(" 2030 ") == 2030
    assert parse_year("", default=2020) == 2020
    assert parse_year(None, default=2020) == 2020
    assert parse_year("2101") is None
    assert parse_year("٢٠٢٦") is None  # digits, but not ASCII


@pytest.mark.parametrize("persona", ["city", "township", "unit"])
def test_queries_do_not_grow_with_data(people, city, course, year, persona):
    def grow():
        for _ in range(3):
            course.closed(city.unit_a, on=D(2026, 2, 2), result="basic")
            course.assigned(city.unit_b, on=D(2026, 2, 2), co_units=[city.unit_a], in_session=False)

    small, big, data = stats_queries(people, persona, grow)
    # Eight grouped queries (the final evaluations counted apart), after a scoped user's ids of the year; a
    # township officer's region and whether it elects a congress make eleven.
    assert big == small <= (8 if persona == "city" else 11)
    assert data["received"] > 6
