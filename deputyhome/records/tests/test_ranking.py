"""The points list ranked in SQL (records.ranking) agrees with the points scored in Python (records.points): the
same order, totals and ranks, with fractional points, hours, caps and deductions, on every page."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

from deputyhome.figures.models import FigureSnapshot
from deputyhome.motions.models import SessionAttendance
from deputyhome.records import precomputed, ranking, selectors, services
from deputyhome.records.figures import duty_figures, figures_of
from deputyhome.records.periods import Period
from deputyhome.testing import add_deputies
from deputyhome.training.choices import AttendanceStatus, SessionKind
from deputyhome.training.models import Attendance, TrainingSession

from .conftest import YEAR, make_held_report


def _python_ranking(user, **filters) -> list[tuple[int, D, int]]:
    _scheme, rows = selectors.points_rows(selectors.PointsQuery(year=YEAR, **filters), user=user)
    return [(r.deputy.pk, r.card.total, r.rank) for r in rows]


def _sql_ranking(user, per_page: int = 7, **filters) -> list[tuple[int, D, int]]:
    _scheme, ranked = selectors.points_page_rows(selectors.PointsQuery(year=YEAR, **filters), user=user)
    out = []
    for start in range(0, ranked.count(), per_page):
        for row in ranked[start : start + per_page]:
            out.append((row.deputy.pk, row.card.total, row.rank))
    return out


def test_sql_ranking_agrees_with_the_python_points(city, personas, session, monkeypatch):
    add_deputies(20, congress=city.city_congress, group=city.group_b, region=city.township_b)
    officer = personas["city"]
    scheme = services.points_scheme_for_year(year=YEAR)
    services.points_scheme_update(
        scheme=scheme,
        items={
            "training_hour": {"points": "0.35", "cap": "1.2"},  # 1.5 h × 0.35 = 0.525 → 0.53; 4.5 h capped
            "session_attended": {"points": "2.5"},
            "unexcused_absence": {"points": "1.25"},
        },
        actor=officer,
    )
    deputies = list(city.deputies_a) + list(city.deputies_b)
    short, long = (
        TrainingSession.objects.create(title=t, kind=SessionKind.SPECIAL, date=datetime.date(YEAR, m, 1), hours=D(h))
        for t, m, h in (("短", 3, "1.5"), ("长", 5, "4.5"))
    )
    Attendance.objects.create(session=short, deputy=deputies[0], status=AttendanceStatus.PRESENT)
    Attendance.objects.create(session=long, deputy=deputies[1], status=AttendanceStatus.PRESENT)
    Attendance.objects.create(session=long, deputy=deputies[2], status=AttendanceStatus.ABSENT)
    SessionAttendance.objects.create(session=session, deputy=deputies[3], status="absent")
    SessionAttendance.objects.create(session=session, deputy=deputies[4], status="excused")
    make_held_report(deputies[5], city.station_a, datetime.date(YEAR, 6, 1), officer, voters=30)

    python = _python_ranking(officer)
    assert len(python) == 28
    assert len({total for _pk, total, _rank in python}) >= 6  # the data gives distinct totals, and ties
    assert _sql_ranking(officer) == python
    # The totals the database ranks by are the cards' totals (a cap, a fraction, a deduction).
    _scheme, ranked = selectors.points_page_rows(selectors.PointsQuery(year=YEAR), user=officer)
    held = selectors.record_deputies(user=officer).filter(ranking.held_mandate_in(ranked.cumulative))
    in_sql = ranking.ranked_page(deputies=held, period=ranked.cumulative, specs=ranked.specs, offset=0, limit=99)
    assert [(pk, total) for pk, total, _rank in in_sql] == [(pk, total) for pk, total, _rank in python]
    assert {pk: t for pk, t, _r in in_sql}[deputies[1].pk] == D("3.70")  # 2.5 + 1.58 capped at 1.2
    assert {pk: t for pk, t, _r in in_sql}[deputies[0].pk] == D("3.03")  # 2.5 + 0.525 → 0.53
    assert _sql_ranking(officer, quarter=2) == _python_ranking(officer, quarter=2)
    assert _sql_ranking(officer, township=city.township_a) == _python_ranking(officer, township=city.township_a)
    # The city's users read the ranking computed ahead; a filter ranks its deputies again among themselves.
    assert ranked.figures is not None
    assert _sql_ranking(officer, name="王1") == _python_ranking(officer, name="王1") != []
    assert _sql_ranking(officer, quarter=2, group=city.group_b) == _python_ranking(
        officer, quarter=2, group=city.group_b
    )
    # A township officer's list ranks their own township's deputies only.
    township = _sql_ranking(personas["township"])
    assert {pk for pk, _t, _r in township} == {d.pk for d in city.deputies_a}
    assert township == _python_ranking(personas["township"])
    # The list's own figures (one query) are the record's for everything the list shows and scores.
    shown = ("sessions_attended", "training_hours", "activities", "receptions", "opinions_handled")
    shown += ("suggestions_led", "suggestions_cosigned", "reports_held", "unexcused_absences")
    ids = [d.pk for d in deputies]
    for period in (ranked.cumulative, Period.for_quarter(YEAR, 2)):
        full, light = duty_figures(deputy_ids=ids, period=period), ranking.points_figures(ids, period)
        for pk in ids:
            assert [getattr(figures_of(light, pk), n) for n in shown] == [
                getattr(figures_of(full, pk), n) for n in shown
            ], pk
    assert figures_of(ranking.points_figures(ids, ranked.cumulative), deputies[1].pk).training_hours == D("4.5")
    # A scope's list is read from its snapshot with its rows' figures: the record's, for everything the list shows.
    scoped = selectors.points_page_rows(selectors.PointsQuery(year=YEAR, quarter=2), user=personas["township"])[1][0:99]
    assert scoped[0].period_card is not None
    figures = {
        r.deputy.pk: r.figures
        for r in selectors.points_rows(selectors.PointsQuery(year=YEAR), user=personas["township"])[1]
    }
    for row in scoped:
        assert [getattr(row.figures, n) for n in shown] == [getattr(figures[row.deputy.pk], n) for n in shown]
    assert [r.card.total for r in scoped] == [total for _pk, total, _rank in _python_ranking(personas["township"])]
    # A scope too large to score in Python is ranked in SQL when its snapshot is computed, the same way.
    FigureSnapshot.objects.all().delete()
    monkeypatch.setattr(precomputed, "SCORE_IN_PYTHON", 3)
    assert _sql_ranking(personas["township"]) == township
    assert _sql_ranking(personas["township"], quarter=2) == _python_ranking(personas["township"], quarter=2)
