"""Deadlines of a suggestion's course across the 2026 Spring Festival, travelling in time through the services.

The calendar facts (checked in deputyhome/core/tests/test_workdays.py against chinese_calendar 1.11.0):
Saturday 2026-02-14 and Saturday 2026-02-28 are adjusted working days (调休上班); Sunday 02-15 to
Monday 02-23 are rest days. The default policy: a unit may send a wrong assignment back within
7 working days, replies are due 3 months after assignment (6 when complex), co-units answer within
1 month, re-handling gets 1 month, deputies have 20 working days to evaluate.
"""

from __future__ import annotations

import datetime
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from deputyhome.core import workdays
from deputyhome.core.calendar_services import calendar_override_clear, calendar_override_set
from deputyhome.suggestions import services as sv
from deputyhome.suggestions.choices import Action, AssignmentStatus, State, UnitRole
from deputyhome.suggestions.models import Suggestion
from deputyhome.testing import reply_to

TZ = datetime.timezone(datetime.timedelta(hours=8))
FESTIVAL = [date(2026, 2, 15) + timedelta(days=i) for i in range(9)]  # 02-15 .. 02-23


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ), tick=False)


def working_days(first: date, last: date) -> list[date]:
    """The working days in [first, last], one by one."""
    return [
        first + timedelta(days=i) for i in range((last - first).days + 1) if workdays.is_workday(first + timedelta(i))
    ]


@pytest.fixture
def assigned_on(city, people, categories):
    """`assigned_on(day, **assign_kwargs)`: a suggestion drafted and registered a few days earlier, assigned on `day`."""
    cats, _ = categories
    deputy, staff = people["deputy"], people["city"]

    def _make(day: date, title: str = "关于改善龙凤镇饮水条件的建议", **kwargs) -> Suggestion:
        with at(day - timedelta(days=3)):
            s = sv.suggestion_create(author=deputy.deputy, data={"title": title, "proposals": "改造水厂"}, actor=deputy)
            sv.suggestion_submit(suggestion=s, actor=deputy)
            sv.suggestion_register(suggestion=s, category=cats["农业农村"], actor=staff)
        with at(day):
            kwargs.setdefault("lead_unit", city.unit_a)
            sv.suggestion_assign(suggestion=s, actor=staff, **kwargs)
        s.refresh_from_db()
        return s

    return _make


def lead(s: Suggestion):
    return s.assignments.get(role=UnitRole.LEAD, status__in=[AssignmentStatus.ACTIVE, AssignmentStatus.RETURNED])


# The unit's return window -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_calendar_facts_this_module_relies_on():
    assert workdays.is_workday(date(2026, 2, 14)) and date(2026, 2, 14).weekday() == 5
    assert workdays.is_workday(date(2026, 2, 28)) and date(2026, 2, 28).weekday() == 5
    assert not any(workdays.is_workday(d) for d in FESTIVAL)
    assert workdays.is_workday(date(2026, 2, 24))


@pytest.mark.django_db
def test_return_window_of_7_working_days_from_friday_06_02_ends_after_the_festival(assigned_on, people, city, client):
    first = assigned_on(date(2026, 2, 6), co_units=[city.unit_b])
    second = assigned_on(date(2026, 2, 6), title="关于龙凤镇集镇污水处理的建议")
    # Mon 02-09 .. Fri 02-13, the adjusted Saturday 02-14, then nothing until Tuesday 02-24.
    window = working_days(date(2026, 2, 7), date(2026, 2, 24))
    assert window == [
        date(2026, 2, 9),
        date(2026, 2, 10),
        date(2026, 2, 11),
        date(2026, 2, 12),
        date(2026, 2, 13),
        date(2026, 2, 14),
        date(2026, 2, 24),
    ]
    for s in (first, second):
        assert lead(s).return_by == date(2026, 2, 24) == workdays.add_workdays(date(2026, 2, 6), 7)
    co = first.assignments.get(role=UnitRole.CO)
    assert co.return_by == date(2026, 2, 24)

    unit = people["unit"]
    client.force_login(unit)
    # In the middle of the holiday the window is still open, and the page offers the step.
    with at(date(2026, 2, 20)):
        assert 'id="step-unit_return"' in client.get(first.get_absolute_url()).content.decode()
    # The last allowed day: the return goes through.
    with at(date(2026, 2, 24), hour=17):
        assert 'id="step-unit_return"' in client.get(first.get_absolute_url()).content.decode()
        sv.suggestion_unit_return(suggestion=first, reason="属自然资源部门职责", actor=unit)
    first.refresh_from_db()
    assert first.state == State.REGISTERED and first.due_on is None
    assert lead(first).status == AssignmentStatus.RETURNED and lead(first).returned_on == date(2026, 2, 24)
    assert first.events.last().action == Action.UNIT_RETURN

    # One day later it is refused, in Chinese, and nothing is written.
    events = second.events.count()
    with at(date(2026, 2, 25), hour=9):
        assert 'id="step-unit_return"' not in client.get(second.get_absolute_url()).content.decode()
        with pytest.raises(ValidationError) as caught:
            sv.suggestion_unit_return(suggestion=second, reason="属自然资源部门职责", actor=unit)
    assert caught.value.messages == ["已超过申请退回期限（2026-02-24），请与代工委联系。"]
    second.refresh_from_db()
    assert second.state == State.ASSIGNED and second.events.count() == events
    assert lead(second).status == AssignmentStatus.ACTIVE


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("last_day", "too_late"),
    [(date(2026, 2, 28), date(2026, 3, 1)), (date(2026, 2, 28), date(2026, 3, 2))],
    ids=["sunday-after", "monday-after"],
)
def test_a_window_ending_on_the_adjusted_saturday(assigned_on, people, last_day, too_late):
    """From Thursday 02-12, the 7th working day is the adjusted Saturday 02-28: open that day, closed after."""
    ok = assigned_on(date(2026, 2, 12))
    late = assigned_on(date(2026, 2, 12), title="第二件")
    assert lead(ok).return_by == last_day
    with at(last_day):
        sv.suggestion_unit_return(suggestion=ok, reason="交办有误", actor=people["unit"])
    with at(too_late), pytest.raises(ValidationError, match="已超过申请退回期限（2026-02-28）"):
        sv.suggestion_unit_return(suggestion=late, reason="交办有误", actor=people["unit"])
    ok.refresh_from_db()
    late.refresh_from_db()
    assert (ok.state, late.state) == (State.REGISTERED, State.ASSIGNED)


# Due dates in months -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reply_due_date_on_a_festival_day_moves_to_the_next_working_day(assigned_on):
    # 2025-11-17 + 3 months = Tuesday 2026-02-17, in the festival → Tuesday 02-24.
    s = assigned_on(date(2025, 11, 17))
    assert workdays.add_months(date(2025, 11, 17), 3) == date(2026, 2, 17) in FESTIVAL
    assert s.assigned_on == date(2025, 11, 17) and s.due_on == date(2026, 2, 24)
    assert "办理期限：2026-02-24" in s.events.last().note
    assert s.events.last().data["due_on"] == "2026-02-24"


@pytest.mark.django_db
def test_a_complex_suggestion_gets_six_months_and_the_same_move(assigned_on):
    s = assigned_on(date(2025, 8, 18), is_complex=True)  # + 6 months = Wednesday 2026-02-18, a rest day
    assert s.is_complex and s.due_on == date(2026, 2, 24)


@pytest.mark.django_db
def test_the_co_units_month_crosses_the_festival_but_the_reply_date_does_not(assigned_on, city):
    s = assigned_on(date(2026, 1, 16), co_units=[city.unit_b])  # Friday
    co = s.assignments.get(role=UnitRole.CO)
    assert co.opinion_due_on == date(2026, 2, 24)  # 02-16 is a rest day
    assert s.due_on == date(2026, 4, 16)  # a Thursday: stays


@pytest.mark.django_db
def test_the_re_handling_month_crosses_the_festival_and_a_reply_on_its_last_day_is_on_time(
    assigned_on, people, categories
):
    _, classes = categories
    deputy, staff, unit = people["deputy"], people["city"], people["unit"]
    s = assigned_on(date(2026, 1, 5))
    with at(date(2026, 1, 12)):
        sv.suggestion_receive(suggestion=s, actor=unit)
        sv.suggestion_consult(suggestion=s, date=date(2026, 1, 12), way="in_person", notes="面商", actor=unit)
        reply_to(s, unit, classes["A"], text="已列入计划", accepted_by=staff)
    with at(date(2026, 1, 20)):  # + 1 month = Friday 02-20, in the festival
        sv.suggestion_evaluate(suggestion=s, attitude="basic", result="dissatisfied", comment="未落实", actor=deputy)
    s.refresh_from_db()
    assert s.state == State.REHANDLING and s.round == 2
    assert s.due_on == date(2026, 2, 24)
    assert "转重新办理，期限2026-02-24" in s.events.last().note
    with at(date(2026, 2, 24), hour=16):
        sv.suggestion_consult(suggestion=s, date=date(2026, 2, 24), way="site", notes="现场查看", actor=unit)
        reply_to(s, unit, classes["A"], text="已完成改造")
    reply = s.events.filter(action=Action.REPLY, round=2).get()
    assert reply.data["on_time"] is True and "逾期" not in reply.note


@pytest.mark.django_db
def test_a_reply_one_working_day_late_is_marked_late(assigned_on, people, categories):
    _, classes = categories
    unit = people["unit"]
    s = assigned_on(date(2025, 11, 17))  # due 02-24 (see above)
    with at(date(2026, 2, 25)):
        sv.suggestion_receive(suggestion=s, actor=unit)
        sv.suggestion_consult(suggestion=s, date=date(2026, 2, 25), way="phone", notes="电话", actor=unit)
        reply_to(s, unit, classes["A"])
    event = s.events.get(action=Action.REPLY)
    assert event.data["on_time"] is False and event.note.endswith("（逾期）")


# The evaluation window -----------------------------------------------------------------------------------------


def _answered_on_6_february(assigned_on, people, categories) -> Suggestion:
    """Assigned on 26 January; received, consulted, replied and the reply accepted on Friday 6 February."""
    _, classes = categories
    unit = people["unit"]
    s = assigned_on(date(2026, 1, 26))
    with at(date(2026, 2, 6)):
        sv.suggestion_receive(suggestion=s, actor=unit)
        sv.suggestion_consult(suggestion=s, date=date(2026, 2, 6), way="phone", notes="电话沟通", actor=unit)
        reply_to(s, unit, classes["A"], text="已解决", publishable=True, accepted_by=people["city"])
    s.refresh_from_db()
    return s


@pytest.mark.django_db
def test_the_evaluation_window_of_20_working_days_across_the_festival(assigned_on, people, categories):
    s = _answered_on_6_february(assigned_on, people, categories)
    assert s.state == State.AWAITING_EVALUATION
    assert s.evaluation_due_on == date(2026, 3, 12)
    counted = working_days(date(2026, 2, 7), date(2026, 3, 12))
    assert len(counted) == 20 and workdays.workdays_between(date(2026, 2, 6), date(2026, 3, 12)) == 20
    assert date(2026, 2, 14) in counted and date(2026, 2, 28) in counted  # the adjusted Saturdays count
    assert not set(FESTIVAL) & set(counted)
    # With Monday-to-Friday counting it would have ended on 03-06; the festival adds four working days net.
    assert (s.evaluation_due_on - date(2026, 2, 6)).days == 34

    # The window passes without an answer: the scheduler records it and the suggestion closes.
    with at(date(2026, 3, 13)):
        sv.suggestion_record_no_evaluation(suggestion=s)
    s.refresh_from_db()
    assert s.state == State.CLOSED and s.closed_on == date(2026, 3, 13)
    note = s.events.get(action=Action.NO_EVALUATION).note
    assert note.startswith("评价期限2026-03-12已过") and people["deputy"].deputy.name in note
    assert s.evaluations.get().no_response


# Overrides of the calendar --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_holiday_override_moves_the_return_window_and_the_due_date(assigned_on, people):
    staff, unit = people["city"], people["unit"]
    before = assigned_on(date(2026, 2, 6), title="改办前")
    assert lead(before).return_by == date(2026, 2, 24)

    # The city gives Tuesday 02-24 off as well (a local arrangement, entered by an administrator).
    calendar_override_set(date=date(2026, 2, 24), is_workday=False, note="本地春节延休", actor=staff)
    after = assigned_on(date(2026, 2, 6), title="改办后")
    assert lead(after).return_by == date(2026, 2, 25)
    with at(date(2026, 2, 25)):
        sv.suggestion_unit_return(suggestion=after, reason="交办有误", actor=unit)
    after.refresh_from_db()
    assert after.state == State.REGISTERED

    # A deadline already given stays as it was given.
    before.refresh_from_db()
    assert lead(before).return_by == date(2026, 2, 24)

    # 2025-11-24 + 3 months = Tuesday 02-24, now a rest day → Wednesday 02-25.
    assert assigned_on(date(2025, 11, 24), title="三个月").due_on == date(2026, 2, 25)

    # A Saturday declared a working day: 01-18 + 3 months = Saturday 04-18, which now counts.
    assert assigned_on(date(2026, 1, 18), title="周六前").due_on == date(2026, 4, 20)
    calendar_override_set(date=date(2026, 4, 18), is_workday=True, note="调休上班", actor=staff)
    assert assigned_on(date(2026, 1, 18), title="周六后").due_on == date(2026, 4, 18)

    # Clearing the override brings the official calendar back.
    assert calendar_override_clear(date=date(2026, 2, 24), actor=staff)
    assert lead(assigned_on(date(2026, 2, 6), title="恢复后")).return_by == date(2026, 2, 24)


@pytest.mark.django_db
def test_an_override_changes_the_evaluation_window(assigned_on, people, categories):
    calendar_override_set(date=date(2026, 2, 14), is_workday=False, note="取消调休", actor=people["city"])
    s = _answered_on_6_february(assigned_on, people, categories)
    assert s.evaluation_due_on == date(2026, 3, 13)  # one working day fewer before the festival


@pytest.mark.django_db
def test_the_unit_inbox_and_the_page_follow_the_travelled_day(assigned_on, people, client):
    """On the page and in the inbox, the due date 02-24 is shown, and shown as overdue from 02-25."""
    s = assigned_on(date(2025, 11, 17))
    client.force_login(people["unit"])
    with at(date(2026, 2, 24)):
        html = client.get(s.get_absolute_url()).content.decode()
        assert "2026年2月24日" in html and "已逾期" not in html
        inbox = client.get(reverse("suggestions:inbox")).content.decode()
        assert s.title in inbox
    with at(date(2026, 2, 25)):
        html = client.get(s.get_absolute_url()).content.decode()
        assert "2026年2月24日" in html and "已逾期" in html
