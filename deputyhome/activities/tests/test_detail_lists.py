"""An object's page that lists related rows at province scale shows them a page at a time: a campaign's township
themes and group topics (a province has a thousand townships, five thousand groups), a rule's postings (one per
station), each list with its own page parameter, and reads the same number of queries with few and many rows."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from deputyhome.activities import services
from deputyhome.activities.models import GroupTopic, RulePosting, TownshipTheme
from deputyhome.activities.views.base import PER_PAGE
from deputyhome.core.tests.reading import queries
from deputyhome.organisation.models import DeputyGroup, Region, Station
from deputyhome.testing import add_places

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(personas):
    day = datetime.date.today()
    data = {"slogan": "代表在行动", "start_on": day, "end_on": day, "main_theme": "乡村振兴"}
    return services.campaign_create(data=data, actor=personas["city"])


def _themes_and_topics(campaign) -> None:
    """A theme for every township and a topic for every group that has none yet (bulk)."""
    themed = TownshipTheme.objects.filter(campaign=campaign).values("region_id")
    TownshipTheme.objects.bulk_create(
        TownshipTheme(campaign=campaign, region=t, theme=f"{t.name}主题")
        for t in Region.objects.filter(code__regex=r"^\d{9}$").exclude(pk__in=themed)
    )
    topiced = GroupTopic.objects.filter(campaign=campaign).values("group_id")
    GroupTopic.objects.bulk_create(
        GroupTopic(campaign=campaign, group=g, topic=f"{g.name}小切口")
        for g in DeputyGroup.objects.exclude(pk__in=topiced)
    )


def test_a_campaigns_themes_and_topics_are_paged_each_on_its_own(login, personas, city, campaign):
    add_places(city, 70)  # 72 townships and groups
    _themes_and_topics(campaign)
    c = login(personas["city"])
    url = reverse("activities:campaign_detail", args=[campaign.pk])
    html = c.get(url).content.decode()
    assert "乡镇（街道）主题（72）" in html and "代表小组小切口（72）" in html
    assert html.count("主题</td>") == PER_PAGE and html.count("小切口</td>") == PER_PAGE
    assert "?topics_page=2" in html and "?themes_page=2" in html
    html = c.get(url, {"themes_page": 2, "topics_page": 1}).content.decode()
    assert html.count("主题</td>") == 72 - PER_PAGE and html.count("小切口</td>") == PER_PAGE
    assert "?themes_page=2&amp;topics_page=2" in html  # the topics' next page keeps the themes' page
    # a township officer sees every township's theme, and the topics of their own groups only
    html = login(personas["township"]).get(url).content.decode()
    assert "乡镇（街道）主题（72）" in html and "代表小组小切口（1）" in html


def test_a_rules_postings_are_paged(login, personas, city):
    actor = personas["city"]
    rule = services.rule_create(data={"title": "接待选民制度", "category": "duties"}, actor=actor)
    day = datetime.date.today()
    version = services.rule_version_create(
        rule=rule, data={"version": "v1", "text": "正文", "effective_on": day}, actor=actor
    )
    add_places(city, 70)
    stations = list(Station.objects.order_by("pk"))
    RulePosting.objects.bulk_create(RulePosting(station=s, version=version, posted_on=day) for s in stations[:60])
    c = login(actor)
    url = reverse("activities:rule_detail", args=[rule.pk])
    html = c.get(url).content.decode()
    assert "上墙情况（60）" in html and len(re.findall(r'<td data-label="上墙日期">', html)) == PER_PAGE
    assert f"尚未上墙现行版本的家站（{len(stations) - 60}）" in html
    html = c.get(url, {"page": 2}).content.decode()
    assert len(re.findall(r'<td data-label="上墙日期">', html)) == 10


def test_the_detail_pages_read_the_same_queries_at_two_sizes(login, personas, city, campaign):
    actor = personas["city"]
    rule = services.rule_create(data={"title": "学习制度", "category": "duties"}, actor=actor)
    day = datetime.date.today()
    version = services.rule_version_create(
        rule=rule, data={"version": "v1", "text": "正文", "effective_on": day}, actor=actor
    )
    c = login(actor)
    pages = [
        reverse("activities:campaign_detail", args=[campaign.pk]),
        reverse("activities:rule_detail", args=[rule.pk]),
    ]

    def grow(n: int, start: int) -> None:
        towns = Region.objects.bulk_create(
            Region(code=f"422801{start + i:03d}", name=f"增设{start + i}镇", kind="town", parent=city.city)
            for i in range(n)
        )
        homes = Station.objects.bulk_create(Station(kind="home", name=f"{t.name}之家", region=t) for t in towns)
        DeputyGroup.objects.bulk_create(DeputyGroup(name=f"{s.name}小组", station=s) for s in homes)
        RulePosting.objects.bulk_create(RulePosting(station=s, version=version, posted_on=day) for s in homes)
        _themes_and_topics(campaign)

    grow(60, 300)
    small = [queries(c, url) for url in pages]
    grow(120, 500)
    assert [queries(c, url) for url in pages] == small
