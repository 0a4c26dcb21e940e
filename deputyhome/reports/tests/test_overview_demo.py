"""The overview API on the full demo city (19 homes, 78 stations, 78 groups, 1,338 deputies)."""

from __future__ import annotations

import pytest
from django.db.models import Q

from deputyhome.accounts.models import User
from deputyhome.deputies.models import Deputy, Mandate, active_on
from deputyhome.reports.selectors import overview

from .conftest import OVERVIEW_QUERIES

URL = "/api/v1/stats/overview"
pytestmark = pytest.mark.usefixtures("demo_city")


def _get(client, username: str) -> dict:
    client.force_login(User.objects.get(username=username))
    response = client.get(URL)
    assert response.status_code == 200
    return response.json()


def test_city_officer_sees_the_article_figures(client, db, today):
    data = _get(client, "city")
    assert data["deputy_homes"] == 19
    assert data["liaison_stations"] == 78
    assert data["deputy_groups"] == 78
    assert data["deputies"] == 1338
    assert data["deputies_without_group"] == 0
    serving = Mandate.objects.filter(Q(status="active") & active_on(today)).count()
    assert sum(data["deputies_by_level"].values()) == serving
    assert all(n > 0 for n in data["deputies_by_level"].values())
    rows = data["by_township"]
    assert len(rows) == 19
    assert sum(r["homes"] for r in rows) == 19
    assert sum(r["stations"] for r in rows) == 78
    assert sum(r["groups"] for r in rows) == 78
    assert sum(r["deputies"] for r in rows) == 1338
    assert all(r["homes"] == 1 and r["stations"] >= 2 for r in rows)


def test_township_officer_sees_only_liujiaoting(client, db):
    data = _get(client, "township")
    expected = Deputy.objects.filter(region__name="六角亭街道").count()
    assert data["deputy_homes"] == 1
    assert data["liaison_stations"] == data["deputy_groups"] == 4
    assert data["deputies"] == expected > 0
    assert data["deputies_by_level"]["township"] == 0  # streets elect no township congress
    assert [(r["name"], r["deputies"]) for r in data["by_township"]] == [("六角亭街道", expected)]


def test_group_leader_sees_their_group(client, db):
    user = User.objects.get(username="group")
    data = _get(client, "group")
    assert data["deputy_groups"] == 1
    assert data["liaison_stations"] == 1
    assert data["deputies"] == user.group.memberships.count()


def test_unit_clerk_gets_zeros(client, db):
    data = _get(client, "unit")
    assert data["deputy_homes"] == data["liaison_stations"] == data["deputy_groups"] == data["deputies"] == 0
    assert data["by_township"] == []


def test_anonymous_gets_401(client, db):
    assert client.get(URL).status_code == 401


def test_query_count_is_the_same_as_for_the_small_city(db, django_assert_num_queries):
    user = User.objects.get(username="city")
    with django_assert_num_queries(OVERVIEW_QUERIES):
        overview(user=user)
