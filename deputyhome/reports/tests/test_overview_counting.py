"""The overview counts each serving deputy once per township and per level, in one grouped pass: a deputy
with two seats and two memberships in force is one deputy, in a group, and one at each level held."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputyhome.deputies.models import GroupMembership, Mandate
from deputyhome.reports.selectors import overview

pytestmark = pytest.mark.django_db


def _double(city):
    """Deputy B0 (already in both congresses) gets a second membership in force, in group A."""
    deputy = city.deputies_b[0]
    GroupMembership.objects.create(deputy=deputy, group=city.group_a, start_date=datetime.date(2022, 1, 1))
    assert Mandate.objects.filter(deputy=deputy).count() == 2
    return deputy


@pytest.mark.parametrize("persona", ["city", "township_b"])
def test_two_seats_and_two_memberships_are_one_deputy(personas, city, persona):
    _double(city)
    data = overview(user=personas[persona])
    rows = {row["name"]: row["deputies"] for row in data["by_township"]}
    assert rows["白杨坪镇"] == 4
    assert data["deputies_without_group"] == 0
    assert data["deputies_by_level"]["township"] == 1
    assert data["deputies_by_level"]["city"] == (8 if persona == "city" else 4)
    assert data["deputies"] == (8 if persona == "city" else 4)


def test_a_deputy_whose_only_membership_ended_is_without_group_in_their_township(personas, city, today):
    GroupMembership.objects.filter(deputy=city.deputies_b[2]).update(end_date=today - datetime.timedelta(days=1))
    _double(city)
    data = overview(user=personas["city"])
    assert data["deputies_without_group"] == 1
    assert data["deputies"] == 8


def test_the_city_counts_its_deputies_without_distinct(personas, city):
    # COUNT(DISTINCT) over a join sorted every deputy of a province (spilling to disk) to count them.
    with CaptureQueriesContext(connection) as ctx:
        overview(user=personas["city"])
    deputy_queries = [q["sql"] for q in ctx.captured_queries if 'FROM "deputies_deputy"' in q["sql"]]
    assert deputy_queries
    assert not any("COUNT(DISTINCT" in sql for sql in deputy_queries)
    assert not any('JOIN "deputies_groupmembership"' in sql for sql in deputy_queries)
