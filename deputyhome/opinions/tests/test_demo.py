"""The demo's voter contact: schedules for every station, receptions, opinions in every state,
the article's model deputies with their pairings and published stories."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.db.models import Count, F, Sum

from deputyhome.accounts.models import User
from deputyhome.demo.builder import build_demo
from deputyhome.opinions import selectors
from deputyhome.opinions.choices import OpinionStatus
from deputyhome.opinions.models import ModelStory, Opinion, Pairing, Reception, ReceptionSlot
from deputyhome.organisation.models import Station

TODAY = datetime.date(2026, 11, 20)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    # The city with its activities (the problems opinions become) and voter contact: what these tests read.
    with django_db_blocker.unblock(), transaction.atomic():
        result = build_demo(today=TODAY, features=("activities", "opinions"))
        yield result
        transaction.set_rollback(True)


pytestmark = pytest.mark.usefixtures("demo")


def test_every_station_has_a_schedule_and_receptions(db):
    stations = Station.objects.count()
    assert ReceptionSlot.objects.filter(weekday__isnull=False).values("station").distinct().count() == stations
    assert Reception.objects.filter(date__year=2026).values("station").distinct().count() == stations
    assert not Reception.objects.filter(date__gte=TODAY).exists()
    assert ReceptionSlot.objects.filter(date__isnull=False, date__gte=TODAY).exists()


def test_the_counts_the_rows_keep_agree_with_the_rows_written_in_bulk(db):
    assert not Reception.objects.annotate(n=Count("opinions")).exclude(opinion_count=F("n")).exists()
    assert not Pairing.objects.annotate(n=Count("contacts")).exclude(contact_count=F("n")).exists()
    assert (
        Reception.objects.filter(opinion_count__gt=0).exists() and Pairing.objects.filter(contact_count__gt=0).exists()
    )


def test_opinions_in_every_state(db):
    counts = dict(Opinion.objects.values_list("status").annotate(n=Count("id")))
    assert sum(counts.values()) >= 300
    for status in (
        OpinionStatus.NEW,
        OpinionStatus.REPLIED,
        OpinionStatus.FORWARDED,
        OpinionStatus.MERGED,
        OpinionStatus.PROBLEM,
    ):
        assert counts.get(status, 0) > 0, status
    forwarded = Opinion.objects.filter(status=OpinionStatus.FORWARDED)
    assert not forwarded.filter(referral__isnull=True).exists()
    assert forwarded.filter(referral__status="replied").exists() and forwarded.filter(referral__status="open").exists()
    assert not Opinion.objects.filter(status=OpinionStatus.MERGED, duplicate_of__isnull=True).exists()
    assert not Opinion.objects.filter(status=OpinionStatus.PROBLEM, problem__isnull=True).exists()
    assert Opinion.objects.filter(reception__isnull=False).exists()
    assert not Opinion.objects.filter(received_on__gte=TODAY).exists()


def test_linking_opinions_to_problems_leaves_the_articles_figures(db):
    from deputyhome.activities.models import Problem
    from deputyhome.activities.selectors import activity_stats

    city = User.objects.get(username="city")
    stats = activity_stats(user=city, year=2026)
    assert Problem.objects.filter(date__year=2026).count() == stats["problems_found"] == 241
    assert stats["opinions_received"] == selectors.opinions_count(user=city, year=2026) == Opinion.objects.count()


def test_the_demo_logins_have_work(db):
    township, deputy = User.objects.get(username="township"), User.objects.get(username="deputy")
    assert selectors.opinion_list(user=township).filter(status=OpinionStatus.NEW).exists()
    assert selectors.opinion_list(user=deputy).filter(deputy=deputy.deputy, status=OpinionStatus.NEW).exists()


def test_model_deputies_of_the_article(db):
    jiang = Pairing.objects.filter(deputy__name="蒋子祥").aggregate(n=Count("id"), people=Sum("members"))
    assert jiang == {"n": 496, "people": 1438}
    for name in ("蒋子祥", "谢海艳", "何启华"):
        story = ModelStory.objects.get(deputy__name=name)
        assert story.is_published and story.figures
    he = ModelStory.objects.get(deputy__name="何启华")
    assert ["调解成功率", "98%以上"] in he.figures and ["群众满意率", "100%"] in he.figures
    assert ModelStory.objects.get(deputy__name="谢海艳").deputy.gender == "F"
