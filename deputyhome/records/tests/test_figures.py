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
from deputyhome.suggestions.models import CoSigner, Suggestion

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


def test_a_list_of_ids_reads_the_statement_built_once_with_the_same_figures(city, personas, session, monkeypatch):
    """A list of ids binds the statement built once (records.prepared) to its deputies and period: the figures are
    those the querysets built for them give, at the edges of the period (timestamps in the site's time zone)."""
    from deputyhome.records import figures, prepared
    from deputyhome.records.tests.conftest import TZ, make_suggestion

    a0, a1, a2, b0 = city.deputies_a[0], city.deputies_a[1], city.deputies_a[2], city.deputies_b[0]
    SessionAttendance.objects.create(session=session, deputy=a1, status=AttendanceStatus.ABSENT)
    creator = personas["city"]
    for number, moment in enumerate(
        (
            datetime.datetime(YEAR - 1, 12, 31, 23, 59, tzinfo=TZ),  # last year
            datetime.datetime(YEAR, 1, 1, 0, 0, tzinfo=TZ),  # this year's first minute
            datetime.datetime(YEAR, 3, 31, 23, 59, tzinfo=TZ),  # the first quarter's last
            datetime.datetime(YEAR, 12, 31, 23, 59, tzinfo=TZ),
        ),
        start=1,
    ):
        s = make_suggestion(a0, creator, number=number, session=session)
        Suggestion.objects.filter(pk=s.pk).update(submitted_at=moment)
        CoSigner.objects.create(suggestion=s, deputy=a2, confirmed_at=moment)
    VoterReport.objects.create(
        deputy=b0, station=city.station_b, date=datetime.date(YEAR, 3, 31), status="held", created_by=creator
    )
    built = []
    monkeypatch.setattr(prepared, "_STATEMENTS", {})
    monkeypatch.setattr(figures, "_prepared", lambda real=figures._prepared: built.append(1) or real())
    ids = [a0.pk, a1.pk, a2.pk, b0.pk]
    periods = [
        Period.for_year(YEAR),
        Period.for_quarter(YEAR, 1),
        Period.for_quarter(YEAR, 2),
        Period.for_year(YEAR - 1),
    ]
    for period in periods:
        listed = duty_figures(deputy_ids=ids, period=period)
        built_now = duty_figures(deputy_ids=Deputy.objects.filter(pk__in=ids), period=period)
        assert listed == built_now, period.label
        assert duty_figures(deputy_ids=[a0.pk], period=period).get(a0.pk) == built_now.get(a0.pk)
    assert len(built) == 1  # built once, bound four times
    assert duty_figures(deputy_ids=[], period=periods[0]) == {}
    year, first = duty_figures(deputy_ids=ids, period=periods[0]), duty_figures(deputy_ids=ids, period=periods[1])
    assert (year[a0.pk].suggestions_led, first[a0.pk].suggestions_led, year[a2.pk].suggestions_cosigned) == (3, 2, 3)
    assert (year[a1.pk].sessions_absent, year[b0.pk].reports_held, first[b0.pk].reports_held) == (1, 1, 1)
