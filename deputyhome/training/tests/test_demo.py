"""The demo's training year, as in the article, and today's session a tester can sign in to."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.utils import timezone

from deputyhome.accounts.models import User
from deputyhome.training import selectors, services
from deputyhome.training.choices import AttendanceStatus, OrganiserLevel, PlanStatus, SessionKind
from deputyhome.training.models import Attendance, MaterialDistribution, TrainingPlan, TrainingSession

pytestmark = pytest.mark.usefixtures("demo")


def test_an_approved_city_plan_this_year(db):
    plan = TrainingPlan.objects.get(level=OrganiserLevel.CITY)
    assert plan.year == timezone.localdate().year and plan.status == PlanStatus.APPROVED
    assert plan.budget > 0 and plan.purpose and plan.content and plan.forms and plan.safeguards


def test_initial_training_at_both_levels_covers_every_new_deputy(db):
    initial = TrainingSession.objects.filter(kind=SessionKind.INITIAL)
    assert (
        initial.filter(level=OrganiserLevel.CITY).exists()
        and initial.filter(level=OrganiserLevel.TOWNSHIP).count() >= 10
    )
    city = User.objects.get(username="city")
    coverage = selectors.initial_training_coverage(user=city)
    assert coverage["new_deputies"] > 1200 and coverage["missing"] == 0 and coverage["ratio"] == 1.0
    # Some were excused from their first class and made it up later.
    assert Attendance.objects.filter(session__kind=SessionKind.INITIAL, status=AttendanceStatus.EXCUSED).exists()
    assert TrainingSession.objects.filter(kind=SessionKind.INITIAL, title__contains="补训").exists()


def test_exactly_three_special_topic_sessions_as_in_the_article(db):
    year = timezone.localdate().year
    titles = sorted(TrainingSession.objects.filter(kind=SessionKind.SPECIAL).values_list("title", flat=True))
    assert len(titles) == 3
    assert all(any(topic in t for t in titles) for topic in ("财政监督", "代表行动", "党代会精神"))
    assert selectors.training_stats(user=User.objects.get(username="city"), year=year)["special_topic_sessions"] == 3


def test_onsite_visit_meetings_and_a_lecture(db):
    onsite = TrainingSession.objects.get(kind=SessionKind.ONSITE)
    assert onsite.place == "白杨坪镇洞下槽村"
    assert TrainingSession.objects.filter(kind=SessionKind.MEETING).count() >= 3
    lecture = TrainingSession.objects.get(kind=SessionKind.LECTURE)
    assert "讨论" in lecture.description


def test_materials_handed_out(db):
    handbook = MaterialDistribution.objects.filter(material__title="《新时代人大代表履职手册》")
    assert (
        handbook.filter(deputy__isnull=False).count()
        == selectors.initial_training_coverage(user=User.objects.get(username="city"))["new_deputies"]
    )
    assert MaterialDistribution.objects.filter(material__title="《中国人大》", session__isnull=False).exists()


def test_the_rules_hold(db):
    today = timezone.localdate()
    assert not Attendance.objects.filter(status=AttendanceStatus.EXCUSED, excuse_reason="").exists()
    assert not Attendance.objects.filter(status=AttendanceStatus.PRESENT, signed_in_at__isnull=True).exists()
    assert not TrainingSession.objects.filter(date__gt=today).exists()
    assert not Attendance.objects.filter(status=AttendanceStatus.PENDING, session__date__lt=today).exists()
    assert list(TrainingSession.objects.filter(signin_open=True).values_list("date", flat=True)) == [today]
    for s in TrainingSession.objects.all():
        s.full_clean()


def test_today_sign_in_works_for_the_deputy_login_with_the_printed_code(db, demo):
    session = TrainingSession.objects.get(signin_open=True)
    assert f"今日培训签到码：{session.signin_code}" in demo
    deputy = User.objects.get(username="deputy")
    assert Attendance.objects.filter(session=session, deputy_id=deputy.deputy_id, status="pending").exists()
    code = re.search(r"今日培训签到码：(\d{6})", demo).group(1)
    with transaction.atomic():
        row = services.attendance_sign_in(code=code, user=deputy)
        assert row.session == session and row.status == "present" and row.invited
        transaction.set_rollback(True)
