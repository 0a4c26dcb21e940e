"""A group leader's sessions and delegations: those of their group's current members and of their own deputy,
read as a UNION of the two id lists (an OR over the deputies made PostgreSQL scan every deputy)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputyhome.accounts import scopes
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.models import Congress, Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(city):
    day = datetime.date(2026, 1, 10)
    other = Congress.objects.create(
        level=CongressLevel.TOWNSHIP, term=19, name="另一镇人民代表大会", region=city.village_a, start_date=day
    )
    return {
        name: Session.objects.create(congress=congress, number=1, name=name, start_date=day, end_date=day)
        for name, congress in (("市", city.city_congress), ("白杨坪镇", city.township_congress_b), ("另一镇", other))
    }


def _visible(user) -> set[str]:
    return set(Session.objects.filter(scopes.sessions_q(user)).values_list("name", flat=True))


def test_the_members_and_the_leaders_own_deputy(personas, city, sessions):
    leader = personas["group"]
    # Their own deputy sits in township B's congress as well, and is no member of their group (A).
    leader.deputy = city.deputies_b[0]
    leader.save()
    assert _visible(leader) == {"市", "白杨坪镇"}
    with CaptureQueriesContext(connection) as ctx:
        list(Session.objects.filter(scopes.sessions_q(leader)))
    assert "UNION" in ctx.captured_queries[0]["sql"]


def test_the_members_alone_without_a_deputy(personas, city, sessions):
    leader = personas["group"]
    leader.deputy = None
    leader.save()
    assert _visible(leader) == {"市"}


def test_a_member_who_left_no_longer_counts(personas, city, sessions, today):
    from deputyhome.deputies.models import GroupMembership

    leader = personas["group"]
    leader.deputy = None
    leader.save()
    # Group A's members all sit in the city congress only; B0 (township B too) joined and left group A.
    GroupMembership.objects.create(
        deputy=city.deputies_b[0],
        group=city.group_a,
        start_date=datetime.date(2022, 1, 1),
        end_date=today - datetime.timedelta(days=1),
    )
    assert _visible(leader) == {"市"}
    GroupMembership.objects.filter(deputy=city.deputies_b[0], group=city.group_a).update(end_date=None)
    assert _visible(leader) == {"市", "白杨坪镇"}
