"""The demo's activities part: the article's figures through the statistics API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deputyhome.activities.choices import ProblemStatus
from deputyhome.activities.models import Campaign, Problem, Referral, StationAssessment, TownshipTheme


@pytest.fixture(scope="module")
def demo(shared_demo, django_db_blocker):
    with shared_demo.loaded(django_db_blocker):
        yield shared_demo.result


@pytest.fixture
def city_user(demo, db):
    from deputyhome.accounts.models import User

    return User.objects.get(username="city")


def test_api_reports_the_article(client, city_user, demo):
    from deputyhome.activities import selectors

    client.force_login(city_user)
    year = selectors.today().year
    data = client.get(reverse("activities_api:stats_activities"), {"year": year}).json()
    assert data["research_reports"] == 3
    assert data["review_opinions"] == 2
    assert data["problems_found"] == 241
    assert data["suggestions_formed"] == 171
    assert data["activities"] >= 200
    assert 80 <= data["stations_meeting_standard"] < 97
    assert data["stations_assessed"] == 97


def test_counts_in_chinese(demo, db):
    assert demo.counts["发现问题"] == 241
    assert demo.counts["形成意见建议并转交"] == 171
    assert demo.counts["调研报告"] == 3 and demo.counts["审议意见"] == 2


def test_campaign_and_themes(demo, db):
    campaign = Campaign.objects.get(slogan="察民情、聚民智、惠民生")
    themes = dict(TownshipTheme.objects.filter(campaign=campaign).values_list("region__name", "theme"))
    assert themes["金子坝街道"] == "基层治理暨优化营商环境"
    assert themes["新塘乡"] == "人居环境整治"
    assert themes["大峡谷风景区管理处"] == "姚家坪水利枢纽工程移民搬迁安置"
    assert len(themes) == 19
    topics = set(campaign.group_topics.filter(group__name__startswith="六角亭街道").values_list("topic", flat=True))
    assert {"老城文旅振兴", "农村人居环境提升"} <= topics


def test_problems_consistent(demo, db):
    assert Problem.objects.filter(status=ProblemStatus.FORWARDED, referral__isnull=True).count() == 0
    assert Problem.objects.filter(status=ProblemStatus.SUGGESTION, suggestion__isnull=True).count() == 0
    # (the opinions demo adds referrals of its own, not tied to a problem)
    assert Referral.objects.filter(problem__isnull=False).count() == 171 - demo.counts["形成建议"]
    assert Problem.objects.filter(status=ProblemStatus.FORWARDED).count() == 171 - demo.counts["形成建议"]
    assert Problem.objects.filter(status__in=[ProblemStatus.OPEN, ProblemStatus.CLOSED]).count() == 70
    # a problem is never dated after today, nor before its activity
    for p in Problem.objects.select_related("activity"):
        assert p.activity is None or p.date >= p.activity.date


def test_linked_to_existing_suggestions_only(demo, db):
    """Problems that "became suggestions" point at the suggestions demo's own suggestions; none are added."""
    from deputyhome.suggestions.models import Suggestion

    linked = Problem.objects.filter(status=ProblemStatus.SUGGESTION)
    if Suggestion.objects.exists():
        assert linked.exists()
        assert demo.counts["形成建议"] == linked.count()
    else:
        assert not linked.exists()


def test_some_stations_fall_short_on_specific_items(demo, db):
    failing = StationAssessment.objects.filter(passed=False)
    assert 1 <= failing.count() <= 10
    for a in failing:
        assert a.results.exclude(status="met").exists()


def test_unit_clerk_sees_own_referrals_only(client, demo, db):
    from deputyhome.accounts.models import User

    clerk = User.objects.get(username="unit")
    client.force_login(clerk)
    page = client.get(reverse("activities:referral_list"))
    assert page.status_code == 200
    mine = Referral.objects.filter(unit_id=clerk.unit_id).count()
    assert mine > 0
    assert f"共 {mine} 条" in page.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "activities:activity_list",
        "activities:problem_list",
        "activities:assessment_overview",
        "activities:stats",
        "activities:campaign_list",
        "activities:rule_list",
        "activities:assessment_list",
        "activities:referral_list",
    ],
)
def test_pages_on_the_demo(client, city_user, name):
    client.force_login(city_user)
    assert client.get(reverse(name)).status_code == 200
