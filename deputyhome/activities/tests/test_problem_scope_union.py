"""A scoped user's problems are one IN over a union of id lists (decision 84): a township officer's those of their
township and those they entered elsewhere, a group leader's those of the group's activities and those its members
raised, a deputy's those they raised or entered. The rows are the rule's, the WHERE has no OR (which read every
problem of a province), and so are the referrals read through their problems."""

from __future__ import annotations

import pytest

from deputyhome.activities import selectors, services
from deputyhome.activities.models import Problem

pytestmark = pytest.mark.django_db


def _where(qs) -> str:
    return str(qs.query).split(" WHERE ", 1)[1]


def test_each_scoped_reader_gets_the_rules_rows_through_one_union(city, personas, activity, activity_b, problem_b):
    township, group, deputy = personas["township"], personas["group"], personas["deputy"]
    in_a = services.problem_create(data={"text": "甲镇问题", "region": city.township_a}, actor=personas["city"])
    entered_in_b = services.problem_create(data={"text": "代录乙镇", "region": city.township_b}, actor=township)
    of_activity = services.problem_create(data={"text": "活动中发现", "activity": activity}, actor=personas["city"])
    by_member = services.problem_create(
        data={"text": "组员反映", "region": city.township_b, "deputy": city.deputies_a[2]}, actor=personas["city"]
    )
    by_deputy = services.problem_create(
        data={"text": "本人反映", "region": city.township_b, "deputy": deputy.deputy}, actor=personas["township_b"]
    )
    rows = {user: set(selectors.problem_list(user=user)) for user in (township, group, deputy)}
    assert rows[township] == {in_a, entered_in_b, of_activity}
    assert rows[group] == {of_activity, by_member, by_deputy}  # the deputy persona is a member of group A
    assert rows[deputy] == {by_deputy}
    assert problem_b not in set().union(*rows.values())
    for user in (township, group, deputy):
        assert " OR " not in _where(selectors.problem_register(user=user)), user.username
        assert " UNION " in _where(Problem.objects.filter(pk__in=selectors.problem_list(user=user).values("pk")))


def test_referrals_read_through_their_problems_keep_their_rows(city, personas, problem, problem_b):
    mine = services.problem_forward(problem=problem, unit=city.unit_a, actor=personas["township"])
    theirs = services.problem_forward(problem=problem_b, unit=city.unit_b, actor=personas["township_b"])
    group = personas["group"]  # problem: found in group A's activity
    assert set(selectors.referral_list(user=group)) == {mine}
    assert theirs not in set(selectors.referral_list(user=personas["deputy"]))
