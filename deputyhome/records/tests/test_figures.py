"""Duty figures computed from the data: sessions, suggestions, reports to voters; constant queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputyhome.deputies.models import Deputy
from deputyhome.motions.choices import AttendanceStatus
from deputyhome.motions.models import SessionAttendance
from deputyhome.records.choices import VoterReportStatus
from deputyhome.records.figures import Period, duty_figures, figures_of
from deputyhome.records.models import VoterReport
from deputyhome.suggestions.models import CoSigner

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def test_periods():
    assert Period.for_year(2026).start == datetime.date(2026, 1, 1)
    q3 = Period.for_quarter(2026, 3)
    assert (q3.start, q3.end, q3.label) == (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30), "2026年第三季度")
    running = Period.year_to_quarter_end(2026, 1)
    assert (running.start, running.end) == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert Period.for_quarter(2024, 1).end == datetime.date(2024, 3, 31)


def test_sessions_are_presumed_attended_except_recorded_absences(city, session):
    a0, a1, a2 = city.deputies_a[:3]
    SessionAttendance.objects.create(session=session, deputy=a1, status=AttendanceStatus.EXCUSED, reason="出差")
    SessionAttendance.objects.create(session=session, deputy=a2, status=AttendanceStatus.ABSENT)
    result = duty_figures(deputy_ids=[a0.pk, a1.pk, a2.pk], period=Period.for_year(YEAR))
    assert (result[a0.pk].sessions_expected, result[a0.pk].sessions_attended) == (1, 1)
    assert (result[a1.pk].sessions_attended, result[a1.pk].sessions_excused) == (0, 1)
    assert (result[a2.pk].sessions_attended, result[a2.pk].sessions_absent) == (0, 1)
    assert result[a2.pk].unexcused_absences == 1
    # Last year there was no session: nothing expected.
    assert figures_of(duty_figures(deputy_ids=[a0.pk], period=Period.for_year(YEAR - 1)), a0.pk).sessions_expected == 0


def test_a_deputy_without_a_mandate_on_the_opening_day_is_not_expected(city, session):
    from deputyhome.deputies.models import Mandate

    d = city.deputies_a[0]
    Mandate.objects.filter(deputy=d).update(start_date=datetime.date(YEAR, 2, 1))
    assert figures_of(duty_figures(deputy_ids=[d.pk], period=Period.for_year(YEAR)), d.pk).sessions_expected == 0


def test_suggestions_led_and_cosigned_count_only_registered_ones(city, personas, session, suggestion_factory):
    author, friend = city.deputies_a[0], city.deputies_a[1]
    creator = personas["city"]
    s1 = suggestion_factory(author, creator, number=1, session=session)
    suggestion_factory(author, creator, number=2, session=session)
    suggestion_factory(author, creator, state="returned")  # not admissible: submitted, not led
    suggestion_factory(author, creator, state="draft")  # never submitted
    CoSigner.objects.create(suggestion=s1, deputy=friend, confirmed_at=s1.submitted_at)
    s3 = suggestion_factory(author, creator, number=3, session=session)
    CoSigner.objects.create(suggestion=s3, deputy=friend)  # not confirmed
    result = duty_figures(deputy_ids=[author.pk, friend.pk], period=Period.for_year(YEAR))
    assert result[author.pk].suggestions_submitted == 4
    assert result[author.pk].suggestions_led == 3
    assert result[friend.pk].suggestions_cosigned == 1
    assert result[friend.pk].suggestions_led == 0


def test_results_and_satisfaction_of_led_suggestions(city, personas, session, suggestion_factory):
    from deputyhome.suggestions.models import Evaluation, ResultClass

    author = city.deputies_a[0]
    a = ResultClass.objects.get(code="A")
    s1 = suggestion_factory(author, personas["city"], number=1, session=session)
    s1.result_class = a
    s1.save(update_fields=["result_class"])
    for round_, result, day in ((1, "basic", datetime.date(YEAR, 5, 1)), (2, "satisfied", datetime.date(YEAR, 7, 1))):
        Evaluation.objects.create(
            suggestion=s1, deputy=author, round=round_, attitude="satisfied", result=result, evaluated_on=day
        )
    f = figures_of(duty_figures(deputy_ids=[author.pk], period=Period.for_year(YEAR)), author.pk)
    assert f.suggestion_results == {"A": 1}
    assert (f.suggestions_satisfied, f.suggestions_basically_satisfied) == (1, 0)  # the latest round counts


def test_voter_reports(city, personas, held_report):
    d = city.deputies_a[0]
    held_report(d, city.station_a, datetime.date(YEAR, 6, 1), personas["city"], voters=40, votes=(30, 8, 2))
    common = {"deputy": d, "station": city.station_a, "created_by": personas["city"]}
    VoterReport.objects.create(**common, date=datetime.date(YEAR, 12, 5), status=VoterReportStatus.PLANNED)
    VoterReport.objects.create(**common, date=datetime.date(YEAR, 3, 5), status=VoterReportStatus.CANCELLED)
    f = figures_of(duty_figures(deputy_ids=[d.pk], period=Period.for_year(YEAR)), d.pk)
    assert (f.reports_held, f.reports_planned, f.report_voters) == (1, 1, 40)
    assert f.report_satisfaction_rate == pytest.approx(38 / 40)


def test_count_for_each_rule(city):
    from deputyhome.records.choices import PointsRule
    from deputyhome.records.figures import DutyFigures

    f = DutyFigures(
        deputy_id=1, sessions_attended=1, training_hours=Decimal("7.5"), sessions_absent=1, training_absent=2
    )
    assert f.count_for(PointsRule.TRAINING_HOUR) == Decimal("7.5")
    assert f.count_for(PointsRule.UNEXCUSED_ABSENCE) == 3
    for rule in PointsRule:
        f.count_for(rule)  # every rule has a count


def test_query_count_does_not_grow_with_the_number_of_deputies(city, session):
    period = Period.for_year(YEAR)
    few = Deputy.objects.filter(pk=city.deputies_a[0].pk)
    with CaptureQueriesContext(connection) as few_queries:
        duty_figures(deputy_ids=few, period=period)
    with CaptureQueriesContext(connection) as all_queries:
        duty_figures(deputy_ids=Deputy.objects.all(), period=period)
    assert len(few_queries) == len(all_queries) <= 10
