"""Delegations at a session: members right at their boundary dates, no overlaps, one head at a time; and a
suggestion submitted while the congress sits is linked to the session by itself."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from deputyhome.audit.models import AuditEvent
from deputyhome.motions import selectors, services
from deputyhome.motions.choices import DelegationRole
from deputyhome.motions.models import DelegationMember
from deputyhome.suggestions import services as suggestion_services

from .conftest import at

pytestmark = pytest.mark.django_db

JAN = lambda day: datetime.date(2026, 1, day)  # noqa: E731


@pytest.fixture
def delegations(cg):
    city = cg.personas["city"]
    a = services.delegation_create(
        data={"session": cg.session, "name": "六角亭街道代表团", "region": cg.city.township_a}, actor=city
    )
    b = services.delegation_create(
        data={"session": cg.session, "name": "白杨坪镇代表团", "region": cg.city.township_b}, actor=city
    )
    return a, b


def _members(delegation, day):
    return set(selectors.members_on(delegation=delegation, on=day).values_list("deputy_id", flat=True))


def _seat_two_days(delegation, deputy, actor):
    """Seat `deputy` in `delegation` from 8 to 9 January, both days included."""
    return services.delegation_member_add(
        data={
            "delegation": delegation,
            "deputy": deputy,
            "role": DelegationRole.MEMBER,
            "start_date": JAN(8),
            "end_date": JAN(9),
        },
        actor=actor,
    )


def test_membership_is_right_at_its_boundary_dates(cg, delegations):
    a, b = delegations
    city = cg.personas["city"]
    moved = cg.city.deputies_a[2]
    member = _seat_two_days(a, moved, city)
    services.delegation_member_add(
        data={"delegation": b, "deputy": moved, "role": DelegationRole.MEMBER, "start_date": JAN(10)}, actor=city
    )
    assert moved.pk not in _members(a, JAN(7))
    assert moved.pk in _members(a, JAN(8))  # the first day counts
    assert moved.pk in _members(a, JAN(9))  # and the last
    assert moved.pk not in _members(a, JAN(10))
    assert moved.pk not in _members(b, JAN(9))
    assert moved.pk in _members(b, JAN(10))
    assert AuditEvent.objects.filter(action="delegationmember.create", object_id=str(member.pk)).exists()


def test_overlapping_memberships_and_two_heads_are_refused(cg, delegations):
    a, b = delegations
    city = cg.personas["city"]
    deputy, other = cg.city.deputies_a[2], cg.city.deputies_a[3]
    services.delegation_member_add(
        data={"delegation": a, "deputy": deputy, "role": DelegationRole.HEAD, "start_date": JAN(8)}, actor=city
    )
    before = DelegationMember.objects.count()
    with pytest.raises(ValidationError, match="已是六角亭街道代表团的成员"):
        services.delegation_member_add(
            data={"delegation": b, "deputy": deputy, "role": DelegationRole.MEMBER, "start_date": JAN(9)}, actor=city
        )
    with pytest.raises(ValidationError, match="已有团长"):
        services.delegation_member_add(
            data={"delegation": a, "deputy": other, "role": DelegationRole.HEAD, "start_date": JAN(10)}, actor=city
        )
    outsider = cg.city.deputies_b[0]
    outsider.mandates.filter(congress=cg.city.city_congress).delete()
    with pytest.raises(ValidationError, match="不是恩施市第十一届人民代表大会的代表"):
        services.delegation_member_add(
            data={"delegation": b, "deputy": outsider, "role": DelegationRole.MEMBER, "start_date": JAN(8)}, actor=city
        )
    assert DelegationMember.objects.count() == before


def test_the_delegation_page_answers_for_a_date(cg, delegations, client):
    a, _ = delegations
    city = cg.personas["city"]
    moved = cg.city.deputies_a[2]
    _seat_two_days(a, moved, city)
    client.force_login(city)
    url = reverse("motions:delegation_detail", args=[a.pk])
    assert moved.name in client.get(url, {"on": "2026-01-09"}).content.decode()
    assert moved.name not in client.get(url, {"on": "2026-01-10"}).content.decode()


def test_a_suggestion_submitted_during_the_session_is_linked_to_it(cg):
    deputy = cg.city.deputies_a[1]
    user = cg.users[deputy.pk]
    with at(9):
        s = suggestion_services.suggestion_create(
            author=deputy, data={"title": "关于增设公交站点的建议", "proposals": "增设站点"}, actor=user
        )
        s = suggestion_services.suggestion_submit(suggestion=s, actor=user)
    assert s.session == cg.session and s.year == 2026
    assert s.events.get(action="submit").note == "会议期间提出"
    with at(20):  # after the session: in recess
        r = suggestion_services.suggestion_create(
            author=deputy, data={"title": "闭会期间", "proposals": "x"}, actor=user
        )
        r = suggestion_services.suggestion_submit(suggestion=r, actor=user)
    assert r.session is None
    # A township deputy (no city mandate) is linked to their township congress's session.
    township_only = cg.city.deputies_b[2]
    township_only.mandates.filter(congress=cg.city.city_congress).delete()
    with at(9):
        t = suggestion_services.suggestion_create(
            author=township_only, data={"title": "乡镇人大会议期间", "proposals": "x"}, actor=cg.users[township_only.pk]
        )
        t = suggestion_services.suggestion_submit(suggestion=t, actor=cg.users[township_only.pk])
    assert t.session == cg.township_session
