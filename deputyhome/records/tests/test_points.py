"""Duty points: scoring, the scheme service and form, and the must-show recomputation."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from deputyhome.audit.models import AuditEvent
from deputyhome.motions.choices import AttendanceStatus
from deputyhome.motions.models import SessionAttendance
from deputyhome.records import points, selectors, services
from deputyhome.records.choices import PointsRule
from deputyhome.records.figures import DutyFigures
from deputyhome.records.models import PointsScheme

from .conftest import YEAR

D = Decimal


def test_score_multiplies_caps_and_deducts():
    items = (
        points.ItemSpec(PointsRule.TRAINING_HOUR, "培训", D(1), D(20)),
        points.ItemSpec(PointsRule.SUGGESTION_LED, "领衔建议", D(5)),
        points.ItemSpec(PointsRule.UNEXCUSED_ABSENCE, "缺席", D(5), None, True),
    )
    f = DutyFigures(deputy_id=1, training_hours=D("25.5"), suggestions_led=2, sessions_absent=1)
    card = points.score(f, items)
    assert [line.earned for line in card.lines] == [D(20), D(10), D(-5)]
    assert card.total == D(25)
    assert (card.earned, card.deducted) == (D(30), D(5))
    assert card.line(PointsRule.TRAINING_HOUR).capped
    assert card.line(PointsRule.TRAINING_HOUR).explanation == "25.5学时 × 1分 = 25.5分，上限20分，计20分"
    assert card.line(PointsRule.SUGGESTION_LED).explanation == "2件 × 5分 = 10分"
    assert card.line(PointsRule.UNEXCUSED_ABSENCE).explanation == "1次 × 5分 = 扣5分"


def test_the_scorer_scores_as_score_and_shares_a_card_between_equal_counts():
    score = points.Scorer(points.DEFAULT_ITEMS)
    first = DutyFigures(deputy_id=1, sessions_expected=1, training_hours=D("2.5"), receptions=9)
    first.count_attended()
    same = DutyFigures(deputy_id=2, sessions_expected=1, training_hours=D("2.5"), receptions=9)
    same.count_attended()
    other = DutyFigures(deputy_id=3, sessions_expected=1, training_hours=D("2.5"), receptions=9, sessions_absent=1)
    other.count_attended()
    assert score(first) == points.score(first, points.DEFAULT_ITEMS)
    assert score(same) is score(first)
    assert score(other) == points.score(other, points.DEFAULT_ITEMS) != score(first)
    assert (score(first).total, score(other).total) == (D("36.5"), D("21.5"))


def test_the_default_scheme_scores_each_item_and_caps_it():
    """The scheme a year starts with: a deputy under every cap earns count × points, one over them the caps."""
    counted = ("training_hours", "activities", "receptions", "opinions_handled", "suggestions_led")
    counted += ("suggestions_cosigned", "reports_held")
    some = DutyFigures(
        deputy_id=1,
        sessions_attended=1,
        sessions_absent=1,
        **dict(zip(counted, (D("3.5"), 2, 3, 4, 1, 2, 1), strict=True)),
    )
    card = points.score(some, points.DEFAULT_ITEMS)
    assert [line.earned for line in card.lines] == [10, D("3.5"), 6, 9, 4, 5, 4, 10, -5]
    assert not any(line.capped for line in card.lines)
    assert card.line(PointsRule.REPORT_TO_VOTERS).explanation == "1次 × 10分 = 10分"  # at its cap, not over it
    many = DutyFigures(
        deputy_id=2, sessions_attended=1, **dict(zip(counted, (D("40"), 20, 20, 20, 10, 10, 2), strict=True))
    )
    card = points.score(many, points.DEFAULT_ITEMS)
    assert [line.earned for line in card.lines] == [10, 20, 30, 24, 10, 20, 10, 10, 0]
    assert card.total == D(134)
    assert card.line(PointsRule.REPORT_TO_VOTERS).explanation == "2次 × 10分 = 20分，上限10分，计10分"


def test_ranked_orders_equal_totals_by_township_code_then_name():
    scope = [(1, "B", "王一"), (2, "A", "王二"), (3, "A", "李三"), (4, "B", "赵四")]
    totals = {1: D(10), 2: D(10), 3: D(10), 4: D(12)}
    assert points.ranked(scope, totals) == [(4, D(12), 1), (3, D(10), 2), (2, D(10), 2), (1, D(10), 2)]


def test_describe():
    assert points.describe(points.DEFAULT_ITEMS[1]) == "参加履职培训每学时1分，上限20分"
    assert points.describe(points.DEFAULT_ITEMS[-1]) == "无故缺席会议、培训或活动每次扣5分"


def test_default_scheme_is_created_once_and_audited(db):
    scheme = services.points_scheme_for_year(year=YEAR)
    assert [i.rule for i in scheme.items.all()] == [s.rule for s in points.DEFAULT_ITEMS]
    assert services.points_scheme_for_year(year=YEAR).pk == scheme.pk
    assert AuditEvent.objects.filter(action="points_scheme.create").count() == 1


def _items(scheme, **changes):
    data = {
        i.rule: {"label": i.label, "points": i.points, "cap": i.cap, "is_deduction": i.is_deduction}
        for i in scheme.items.all()
    }
    for rule, values in changes.items():
        data[rule].update(values)
    return data


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"points": "abc"}, "应为数字"),
        ({"points": "-1"}, "应在0到1000之间"),
        ({"points": "1.234"}, "最多保留两位小数"),
        ({"cap": "x"}, "应为数字"),
    ],
)
def test_scheme_update_refuses_bad_values_and_writes_nothing(db, personas, values, message):
    scheme = services.points_scheme_for_year(year=YEAR)
    with pytest.raises(ValidationError, match=message):
        services.points_scheme_update(
            scheme=scheme, items=_items(scheme, session_attended=values), actor=personas["city"]
        )
    assert scheme.items.get(rule="session_attended").points == D(10)
    assert not AuditEvent.objects.filter(action="points_scheme.update").exists()


def test_unknown_rule_is_refused(db, personas):
    scheme = services.points_scheme_for_year(year=YEAR)
    with pytest.raises(ValidationError, match="未知的积分项"):
        services.points_scheme_update(scheme=scheme, items={"bogus": {"points": 1}}, actor=personas["city"])


def test_must_show_changing_the_scheme_recomputes_every_deputys_points(city, personas, session, login, held_report):
    """Must show: change an item's points through the form → every deputy's total changes by
    count × (new − old), and each breakdown line shows count × points."""
    # Everyone attended the session (presumed); one was absent; one reported to voters.
    absent = city.deputies_b[1]
    SessionAttendance.objects.create(session=session, deputy=absent, status=AttendanceStatus.ABSENT)
    reporter = city.deputies_a[0]
    held_report(reporter, city.station_a, datetime.date(YEAR, 6, 1), personas["city"], voters=30, votes=(30, 0, 0))
    city_officer = personas["city"]
    _scheme, before = selectors.points_rows(selectors.PointsQuery(year=YEAR), user=city_officer)
    before_totals = {r.deputy.pk: r.card.total for r in before}
    assert len(before_totals) == 8
    assert before_totals[absent.pk] == D(-5)  # 0 sessions attended, one unexcused absence
    assert before_totals[reporter.pk] == D(20)  # 10 for the session, 10 for the report
    assert before_totals[city.deputies_a[1].pk] == D(10)

    # A city officer changes "session attended" from 10 to 12 points on the scheme page.
    client = login(city_officer)
    scheme = services.points_scheme_for_year(year=YEAR)
    form = {}
    for item in scheme.items.all():
        form[f"label_{item.rule}"] = item.label
        form[f"points_{item.rule}"] = str(item.points)
        form[f"cap_{item.rule}"] = "" if item.cap is None else str(item.cap)
        if item.is_deduction:
            form[f"deduction_{item.rule}"] = "on"
    form["points_session_attended"] = "12"
    form["points_unexcused_absence"] = "8"
    response = client.post(f"/records/points/scheme/?year={YEAR}", form)
    assert response.status_code == 302, response.content.decode()

    _scheme, after = selectors.points_rows(selectors.PointsQuery(year=YEAR), user=city_officer)
    for row in after:
        attended = row.figures.sessions_attended
        absences = row.figures.unexcused_absences
        assert row.card.total == before_totals[row.deputy.pk] + 2 * attended - 3 * absences
        line = row.card.line(PointsRule.SESSION_ATTENDED)
        assert line.explanation == f"{attended}次 × 12分 = {12 * attended}分"
    assert {r.deputy.pk: r.card.total for r in after}[absent.pk] == D(-8)

    # The deputy's record page shows the new breakdown, with the reason for each line.
    page = client.get(f"/records/deputies/{reporter.pk}/?year={YEAR}").content.decode()
    assert "1次 × 12分 = 12分" in page
    assert "1次 × 10分 = 10分" in page  # the report to voters, unchanged
    event = AuditEvent.objects.get(action="points_scheme.update")
    assert event.changes["session_attended"][0]["points"] == "10.00"
    assert event.changes["session_attended"][1]["points"] == "12"


def test_scheme_form_shows_errors_in_chinese_and_keeps_the_scheme(city, personas, login):
    client = login(personas["city"])
    scheme = services.points_scheme_for_year(year=YEAR)
    form = {f"label_{i.rule}": i.label for i in scheme.items.all()}
    form.update({f"points_{i.rule}": str(i.points) for i in scheme.items.all()})
    form["points_training_hour"] = "一小时"
    response = client.post(f"/records/points/scheme/?year={YEAR}", form)
    assert response.status_code == 400
    assert "“参加履职培训（按学时）”的分值请填写数字。" in response.content.decode()
    assert PointsScheme.objects.get(year=YEAR).items.get(rule="training_hour").points == D(1)


@pytest.mark.parametrize("persona", ["township", "group", "deputy", "supervisor", "leader", "unit", "sysadmin"])
def test_only_city_officers_edit_the_scheme(personas, login, persona):
    assert login(personas[persona]).get(f"/records/points/scheme/?year={YEAR}").status_code == 403
