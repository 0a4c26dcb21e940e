"""Scopes: what lies outside the user's scope answers 404, in lists, details, forms and actions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.activities import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral_a(problem, personas, city):
    return services.problem_forward(problem=problem, unit=city.unit_a, actor=personas["township"])


@pytest.fixture
def referral_b(problem_b, personas, city):
    return services.problem_forward(problem=problem_b, unit=city.unit_b, actor=personas["township_b"])


@pytest.fixture
def clerk_b(city):
    return User.objects.create(username="clerk_b", role=Role.UNIT_CLERK, unit=city.unit_b, display_name="法院经办人")


def test_township_a_cannot_open_township_b(login, personas, activity_b, problem_b, referral_b):
    c = login(personas["township"])
    for url in (
        reverse("activities:activity_detail", args=[activity_b.pk]),
        reverse("activities:activity_update", args=[activity_b.pk]),
        reverse("activities:activity_delete", args=[activity_b.pk]),
        reverse("activities:output_create", args=[activity_b.pk]),
        reverse("activities:problem_detail", args=[problem_b.pk]),
        reverse("activities:problem_update", args=[problem_b.pk]),
        reverse("activities:problem_action", args=[problem_b.pk, "close"]),
        reverse("activities:referral_detail", args=[referral_b.pk]),
    ):
        assert c.get(url).status_code == 404, url
    # and a POST cannot act on it either
    assert c.post(reverse("activities:problem_action", args=[problem_b.pk, "close"]), {"note": "x"}).status_code == 404
    assert c.post(reverse("activities:activity_delete", args=[activity_b.pk])).status_code == 404


def test_township_lists_hold_only_their_own(
    login, personas, activity, activity_b, problem, problem_b, referral_a, referral_b
):
    c = login(personas["township"])
    activities = c.get(reverse("activities:activity_list")).content.decode()
    assert activity.topic in activities and activity_b.topic not in activities
    problems = c.get(reverse("activities:problem_list")).content.decode()
    assert "路灯" in problems and "茶园便道" not in problems
    referrals = c.get(reverse("activities:referral_list")).content.decode()
    assert referral_a.title in referrals and referral_b.title not in referrals


def test_city_sees_both(login, personas, activity, activity_b):
    page = login(personas["city"]).get(reverse("activities:activity_list")).content.decode()
    assert activity.topic in page and activity_b.topic in page


def test_unit_b_cannot_see_unit_a_referral(login, clerk_b, referral_a, referral_b):
    c = login(clerk_b)
    listing = c.get(reverse("activities:referral_list")).content.decode()
    assert referral_b.title in listing and referral_a.title not in listing
    assert c.get(reverse("activities:referral_detail", args=[referral_a.pk])).status_code == 404
    assert c.post(reverse("activities:referral_reply", args=[referral_a.pk]), {"text": "越权答复"}).status_code == 404
    referral_a.refresh_from_db()
    assert referral_a.status == "open" and referral_a.reply == ""
    # their own is theirs to answer
    assert c.post(reverse("activities:referral_reply", args=[referral_b.pk]), {"text": "已处理"}).status_code == 302


def test_unit_clerk_sees_no_problems_or_activities(login, personas, problem, activity):
    c = login(personas["unit"])
    assert c.get(reverse("activities:problem_detail", args=[problem.pk])).status_code == 403
    assert c.get(reverse("activities:activity_detail", args=[activity.pk])).status_code == 403
    assert not selectors.problem_list(user=personas["unit"]).exists()
    assert not selectors.activity_list(user=personas["unit"]).exists()


def test_group_leader_sees_group_activities_not_others(login, personas, activity, activity_b, problem, problem_b):
    user = personas["group"]
    assert set(selectors.activity_list(user=user)) == {activity}
    assert set(selectors.problem_list(user=user)) == {problem}
    assert login(user).get(reverse("activities:activity_detail", args=[activity_b.pk])).status_code == 404


def test_deputy_sees_what_they_took_part_in_and_raised(city, personas, activity, problem):
    deputy_user = personas["deputy"]  # deputies_a[3]: not among the activity's participants
    assert not selectors.activity_list(user=deputy_user).exists()
    raised = services.problem_create(
        data={"text": "本人反映的问题", "region": city.township_a, "deputy": deputy_user.deputy},
        actor=personas["township"],
    )
    assert set(selectors.problem_list(user=deputy_user)) == {raised}
    other = User.objects.create(username="d1", role=Role.DEPUTY, deputy=city.deputies_a[1])
    assert set(selectors.activity_list(user=other)) == {activity}


def test_admins_see_nothing(personas, activity, problem, referral_a):
    for who in ("sysadmin", "auditor"):
        user = personas[who]
        assert not selectors.activity_list(user=user).exists()
        assert not selectors.problem_list(user=user).exists()
        assert not selectors.referral_list(user=user).exists()
        assert not selectors.assessment_list(user=user).exists()


def test_township_b_officer_cannot_assess_township_a_station(login, personas, city):
    from deputyhome.activities.models import StandardItem, StationAssessment

    items = list(StandardItem.objects.filter(is_active=True))
    data = {"station": city.station_a.pk, "year": 2025, "assessed_on": "2025-06-01"}
    data.update({f"status_{i.pk}": "met" for i in items})
    response = login(personas["township_b"]).post(reverse("activities:assessment_create"), data)
    assert response.status_code == 400  # not a choice for them
    assert not StationAssessment.objects.exists()
