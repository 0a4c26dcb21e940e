"""The daily tick over deadlines, driven through time across the 2026 Spring Festival and into 2027.

Calendar facts (checked in core/tests/test_workdays.py against chinese_calendar 1.11.0): Saturday
2026-02-14 and Saturday 2026-02-28 are adjusted workdays; 2026-02-15 to 2026-02-23 are rest days.
The default policy reminds 10 working days before a deadline. 2027 is not in the package: Monday to
Friday count, with a warning.
"""

from __future__ import annotations

import datetime
import logging

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from deputyhome.audit.models import AuditEvent
from deputyhome.notifications.choices import Channel
from deputyhome.notifications.models import Notification
from deputyhome.notifications.services import outbox as sms_outbox
from deputyhome.suggestions import services as sv
from deputyhome.suggestions.choices import Action, ReminderKind, State
from deputyhome.suggestions.models import Evaluation, Event, Policy
from deputyhome.suggestions.services import deadlines
from deputyhome.suggestions.services.deadlines import follow_ups_due, run_tick, suggestion_remind
from deputyhome.suggestions.workflow import IllegalTransition
from deputyhome.testing import reply_to

pytestmark = [pytest.mark.django_db, pytest.mark.urls("deputyhome.notifications.tests.urls")]

TZ = datetime.timezone(datetime.timedelta(hours=8))
D = datetime.date


def at(day: datetime.date, hour: int = 7):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, 30, tzinfo=TZ), tick=False)


@pytest.fixture
def tick(django_capture_on_commit_callbacks):
    """Run the tick on a day, as the 07:30 timer would, with the notifications sent on commit."""

    def _tick(day: datetime.date):
        with at(day), django_capture_on_commit_callbacks(execute=True):
            report = run_tick()
        return report

    return _tick


@pytest.fixture
def contacts(people, city):
    """E-mail addresses for the clerks, staff and supervisor; the unit's phone for SMS."""
    for name in ("unit", "unit_b", "city", "supervisor"):
        people[name].email = f"{name}@example.cn"
        people[name].save()
    city.unit_a.phone = "13900001111"
    city.unit_a.save()
    city.unit_b.phone = "13900002222"
    city.unit_b.save()
    return people


def make_assigned(people, city, categories, *, day: datetime.date, title: str = "关于改造西门社区老旧管网的建议"):
    """A recess suggestion by the deputy persona, registered and assigned on `day` to unit A (lead) and B (co)."""
    cats, _ = categories
    deputy, staff = people["deputy"], people["city"]
    with at(day, 10):
        s = sv.suggestion_create(author=deputy.deputy, data={"title": title, "proposals": "纳入改造计划"}, actor=deputy)
        sv.suggestion_submit(suggestion=s, actor=deputy)
        sv.suggestion_register(suggestion=s, category=cats["城乡建设与管理"], actor=staff)
        sv.suggestion_assign(suggestion=s, lead_unit=city.unit_a, co_units=[city.unit_b], actor=staff)
    s.refresh_from_db()
    return s


def reply_and_accept(s, people, classes, *, day: datetime.date, code: str = "A", follow_up_on=None):
    unit, staff = people["unit"], people["city"]
    with at(day, 10):
        sv.suggestion_receive(suggestion=s, actor=unit)
        if not s.assignments.get(role="co").opinion_on:
            sv.suggestion_co_opinion(suggestion=s, opinion="同意", actor=people["unit_b"])
        sv.suggestion_consult(suggestion=s, date=day, way="phone", notes="电话沟通", actor=unit)
        reply_to(
            s, unit, classes[code], text="已列入计划", publishable=True, follow_up_on=follow_up_on, accepted_by=staff
        )
    s.refresh_from_db()
    return s


def inbox(user, key_prefix: str = "") -> list[Notification]:
    qs = Notification.objects.filter(user=user, channel=Channel.IN_APP, key__startswith=key_prefix)
    return list(qs.order_by("id"))


def reminders(s) -> list[Event]:
    return list(s.events.filter(action=Action.REMIND).order_by("id"))


def totals():
    return Notification.objects.count(), Event.objects.count(), AuditEvent.objects.count(), len(mail.outbox)


# --- Deadlines and due-soon windows in working days --------------------------------------------------------


def test_deadlines_of_a_january_assignment_cross_the_festival(city, people, categories):
    s = make_assigned(people, city, categories, day=D(2026, 1, 20))
    assert s.due_on == D(2026, 4, 20)  # three months, a Monday
    co = s.assignments.get(role="co")
    assert co.opinion_due_on == D(2026, 2, 24)  # one month is 02-20, inside the festival: the next working day
    lead = s.assignments.get(role="lead")
    assert lead.return_by == D(2026, 1, 29)  # seven working days


def test_co_unit_due_soon_counts_working_days_across_the_festival(city, people, categories, tick):
    s = make_assigned(people, city, categories, day=D(2026, 1, 20))
    court = people["unit_b"]
    # From Monday 02-02, (02-02, 02-24] holds 11 working days: not yet due soon.
    report = tick(D(2026, 2, 2))
    assert report.found[ReminderKind.CO_DUE_SOON] == 0
    assert inbox(court) == []
    # From Tuesday 02-03 it holds 10: 02-04..06, 02-09..13, the adjusted Saturday 02-14 and 02-24.
    # Counting the festival's weekdays would give 16, and leaving out 02-14 would flag 02-02 already.
    report = tick(D(2026, 2, 3))
    assert report.found[ReminderKind.CO_DUE_SOON] == 1 and report.new[ReminderKind.CO_DUE_SOON] == 1
    [note] = inbox(court)
    assert note.subject.startswith("协办催办：2026年第1号“关于改造西门社区老旧管网的建议”")
    assert "2026-02-24" in note.subject and "还有10个工作日" in note.subject
    assert note.link == s.get_absolute_url()
    assert inbox(people["unit"]) == []  # the lead unit's deadline (04-20) is far away
    [event] = reminders(s)
    assert event.actor is None and event.actor_label == "系统"
    assert event.from_state == event.to_state == State.ASSIGNED
    assert "市人民法院" in event.note and event.data["kind"] == "co_due_soon"


def test_lead_deadline_in_the_festival_due_soon_then_overdue(city, people, categories, contacts, tick):
    # A policy with a one-month handling period puts the lead unit's deadline in the festival too.
    Policy.objects.create(year=2026, handling_months=1)
    s = make_assigned(people, city, categories, day=D(2026, 1, 20))
    assert s.due_on == D(2026, 2, 24)
    unit, staff, supervisor = people["unit"], people["city"], people["supervisor"]

    assert tick(D(2026, 2, 2)).found[ReminderKind.DUE_SOON] == 0
    report = tick(D(2026, 2, 3))
    assert report.new[ReminderKind.DUE_SOON] == 1
    [note] = inbox(unit, "due_soon:")
    assert note.key == f"due_soon:{s.pk}:1:2026-02-24"
    assert "还有10个工作日" in note.subject
    assert inbox(staff) == [] and inbox(supervisor) == []  # due soon: only the unit

    # Every day up to the deadline, holidays included, the same reminder is already out.
    for day in (D(2026, 2, 4), D(2026, 2, 14), D(2026, 2, 16), D(2026, 2, 23), D(2026, 2, 24)):
        report = tick(day)
        assert report.found[ReminderKind.DUE_SOON] == 1 and report.new[ReminderKind.DUE_SOON] == 0, day
    assert len(inbox(unit, "due_soon:")) == 1
    assert len(reminders(s)) == 2  # lead and co-unit, once each

    report = tick(D(2026, 2, 25))
    assert report.new[ReminderKind.OVERDUE] == 1 and report.new[ReminderKind.CO_OVERDUE] == 1
    for user in (unit, staff, supervisor):
        [note] = inbox(user, "overdue:")
        assert note.subject.startswith("逾期催办：") and "已逾期1个工作日" in note.subject
    assert [n.subject[:5] for n in inbox(people["unit_b"])] == ["协办催办：", "协办催办："]
    overdue = reminders(s)[-2]
    assert overdue.data["key"] == f"overdue:{s.pk}:1:2026-02-24"
    assert "代工委" in overdue.note and "督办人员" in overdue.note
    assert AuditEvent.objects.filter(action="suggestion.remind", object_id=str(s.pk)).count() == 4


def test_running_twice_sends_and_records_nothing_new(city, people, categories, contacts, tick):
    Policy.objects.create(year=2026, handling_months=1)
    make_assigned(people, city, categories, day=D(2026, 1, 20))
    first = tick(D(2026, 2, 25))
    assert sum(first.new.values()) == 2 and first.sent["in_app"] > 0
    before = totals()
    second = tick(D(2026, 2, 25))
    assert totals() == before
    assert sum(second.new.values()) == 0 and sum(second.sent.values()) == 0
    assert second.found == first.found
    # The next day the reminders are still out: nothing again.
    assert sum(tick(D(2026, 2, 26)).sent.values()) == 0
    assert totals() == before


def test_reminders_go_by_email_and_sms(city, people, categories, contacts, tick):
    Policy.objects.create(year=2026, handling_months=1)
    s = make_assigned(people, city, categories, day=D(2026, 1, 20))
    sms_outbox.clear()
    report = tick(D(2026, 2, 25))
    overdue = [m for m in mail.outbox if m.subject.startswith("逾期催办")]
    assert sorted(m.to[0] for m in overdue) == ["city@example.cn", "supervisor@example.cn", "unit@example.cn"]
    assert s.get_absolute_url() in overdue[0].body and "主办单位：市住房和城乡建设局" in overdue[0].body
    # The test suite's SMS backend keeps the messages (the default one logs them, masked: notifications' tests).
    assert any(to == "13900001111" and text.startswith("逾期催办") for to, text in sms_outbox)  # the lead unit's
    assert any(to == "13900002222" and text.startswith("协办催办") for to, text in sms_outbox)  # the co-unit's
    assert Notification.objects.filter(channel=Channel.SMS, user=people["unit"]).count() == 1
    assert not Notification.objects.filter(channel=Channel.SMS, user=people["city"]).exists()  # staff: no SMS
    assert report.sent["email"] == 4 and report.sent["sms"] == 2


def test_a_unit_without_clerk_accounts_falls_back_to_the_committee(city, people, categories, tick):
    Policy.objects.create(year=2026, handling_months=1)
    s = make_assigned(people, city, categories, day=D(2026, 1, 20))
    people["unit"].is_active = False
    people["unit"].save()
    tick(D(2026, 2, 3))
    [note] = inbox(people["city"], "due_soon:")
    assert "临期催办" in note.subject
    assert "无经办人账号" in reminders(s)[0].note


# --- Evaluations that never come ---------------------------------------------------------------------------


def test_no_evaluation_after_twenty_working_days_closes(city, people, categories, tick):
    _, classes = categories
    s = make_assigned(people, city, categories, day=D(2026, 1, 20))
    reply_and_accept(s, people, classes, day=D(2026, 2, 6))
    # 20 working days from Friday 02-06: 02-09..14 (with the adjusted Saturday), 02-24..28, 03-02..06, 03-09..12.
    assert s.state == State.AWAITING_EVALUATION and s.evaluation_due_on == D(2026, 3, 12)

    assert tick(D(2026, 3, 12)).found[deadlines.NO_EVALUATION] == 0
    report = tick(D(2026, 3, 13))
    assert report.new[deadlines.NO_EVALUATION] == 1
    s.refresh_from_db()
    assert s.state == State.CLOSED and s.closed_on == D(2026, 3, 13)
    [ev] = Evaluation.objects.filter(suggestion=s)
    assert ev.no_response and ev.deputy_id == people["deputy"].deputy_id
    actions = list(s.events.values_list("action", flat=True))
    assert actions[-2:] == [Action.NO_EVALUATION, Action.CLOSE]
    assert "2026-03-12" in s.events.get(action=Action.NO_EVALUATION).note

    before = totals()
    assert tick(D(2026, 3, 13)).found[deadlines.NO_EVALUATION] == 0
    assert totals() == before


def test_replied_suggestions_are_not_reminded(city, people, categories, tick):
    _, classes = categories
    Policy.objects.create(year=2026, handling_months=1)
    s = make_assigned(people, city, categories, day=D(2026, 1, 20))
    reply_and_accept(s, people, classes, day=D(2026, 2, 3))
    report = tick(D(2026, 2, 25))
    assert report.found[ReminderKind.OVERDUE] == 0 and report.found[ReminderKind.CO_OVERDUE] == 0
    assert reminders(s) == []


# --- B/C follow-ups in a later year ------------------------------------------------------------------------


def test_b_follow_up_comes_back_in_2027(city, people, categories, contacts, tick):
    _, classes = categories
    s = make_assigned(people, city, categories, day=D(2026, 1, 20))
    reply_and_accept(s, people, classes, day=D(2026, 3, 2), code="B", follow_up_on=D(2027, 3, 1))
    with at(D(2026, 3, 3), 10):
        sv.suggestion_evaluate(suggestion=s, attitude="satisfied", result="basic", comment="", actor=people["deputy"])
    s.refresh_from_db()
    assert s.state == State.CLOSED and s.follow_up_on == D(2027, 3, 1)
    supervisor = people["supervisor"]

    report = tick(D(2027, 2, 26))
    assert report.found[ReminderKind.FOLLOW_UP] == 0
    assert not follow_ups_due(user=supervisor, today=D(2027, 2, 26)).exists()

    report = tick(D(2027, 3, 1))
    assert report.new[ReminderKind.FOLLOW_UP] == 1
    for user in (people["unit"], people["city"], supervisor):
        [note] = inbox(user, "follow_up:")
        assert note.key == f"follow_up:{s.pk}:2027-03-01"
        assert note.subject.startswith("跟踪落实到期：2026年第1号") and "B类" in note.subject
    assert inbox(people["unit_b"], "follow_up:") == []  # the co-unit's part ended with the opinion
    assert reminders(s) == []  # a closed suggestion takes no reminder step
    assert any(m.subject.startswith("跟踪落实到期") and m.to == ["supervisor@example.cn"] for m in mail.outbox)

    before = totals()
    assert tick(D(2027, 3, 1)).new[ReminderKind.FOLLOW_UP] == 0
    assert tick(D(2027, 3, 8)).new[ReminderKind.FOLLOW_UP] == 0  # once per follow-up date
    assert totals() == before

    # The board lists it, in scope: the supervisor and the lead unit, not another township's officer.
    assert list(follow_ups_due(user=supervisor, today=D(2027, 3, 1))) == [s]
    assert list(follow_ups_due(user=people["unit"], today=D(2027, 3, 1))) == [s]
    assert not follow_ups_due(user=people["township_b"], today=D(2027, 3, 1)).exists()

    # A supervision record on or after the follow-up date takes it off the list.
    with at(D(2027, 3, 2), 10):
        sv.supervision_record_add(
            suggestion=s, method="site", date=D(2027, 3, 2), findings="已落实", follow_up="", actor=supervisor
        )
    assert not follow_ups_due(user=supervisor, today=D(2027, 3, 2)).exists()
    assert tick(D(2027, 3, 3)).found[ReminderKind.FOLLOW_UP] == 0


def _c_to_follow_up(city, people, categories):
    """A suggestion answered C on 2 March 2026 with its follow-up due on 1 September, evaluated on 3 March."""
    _, classes = categories
    s = make_assigned(people, city, categories, day=D(2026, 1, 20))
    reply_and_accept(s, people, classes, day=D(2026, 3, 2), code="C", follow_up_on=D(2026, 9, 1))
    with at(D(2026, 3, 3), 10):
        sv.suggestion_evaluate(suggestion=s, attitude="satisfied", result="basic", comment="", actor=people["deputy"])
    return s


def test_a_supervision_record_before_the_follow_up_date_does_not_count(city, people, categories):
    s = _c_to_follow_up(city, people, categories)
    with at(D(2026, 3, 3), 10):
        sv.supervision_record_add(
            suggestion=s, method="documents", date=D(2026, 3, 3), findings="查阅", follow_up="", actor=people["city"]
        )
    assert list(follow_ups_due(user=people["city"], today=D(2026, 9, 1))) == [s]


# --- Failures and the service on its own -------------------------------------------------------------------


def test_one_failing_suggestion_does_not_stop_the_run(city, people, categories, tick, monkeypatch, caplog):
    Policy.objects.create(year=2026, handling_months=1)
    bad = make_assigned(people, city, categories, day=D(2026, 1, 20), title="会出错的建议")
    good = make_assigned(people, city, categories, day=D(2026, 1, 20), title="正常的建议")
    real_lead = deadlines._lead

    def flaky_lead(s):
        if s.pk == bad.pk:
            raise RuntimeError("数据库里有一条坏数据")
        return real_lead(s)

    monkeypatch.setattr(deadlines, "_lead", flaky_lead)
    with caplog.at_level(logging.ERROR, logger="deputyhome.suggestions.services.deadlines"):
        report = tick(D(2026, 2, 25))
    assert [(k, pk) for k, pk, _ in report.errors] == [
        (ReminderKind.OVERDUE, bad.pk),
        (ReminderKind.CO_OVERDUE, bad.pk),
    ]
    assert report.new[ReminderKind.OVERDUE] == 1
    assert reminders(bad) == []  # its transaction was rolled back
    assert [e.data["kind"] for e in reminders(good)] == ["overdue", "co_overdue"]
    assert [n.subject for n in inbox(people["unit"], "overdue:")] == [
        "逾期催办：2026年第2号“正常的建议”办理期限2026-02-24，已逾期1个工作日"
    ]
    assert "failed for suggestion" in caplog.text and "出错：2 件" in report.summary()


def test_remind_service_checks_the_state_the_deadline_and_the_actor(
    city, people, categories, django_capture_on_commit_callbacks
):
    _, classes = categories
    Policy.objects.create(year=2026, handling_months=1)
    s = make_assigned(people, city, categories, day=D(2026, 1, 20))
    with at(D(2026, 2, 10)):
        with pytest.raises(ValidationError, match="尚未届满"):
            suggestion_remind(suggestion=s, kind=ReminderKind.OVERDUE)
        with pytest.raises(IllegalTransition):
            suggestion_remind(suggestion=s, kind=ReminderKind.DUE_SOON, actor=people["deputy"])
        with pytest.raises(ValidationError, match="协办单位"):
            suggestion_remind(suggestion=s, kind=ReminderKind.CO_DUE_SOON)
        with django_capture_on_commit_callbacks(execute=True):
            r = suggestion_remind(suggestion=s, kind=ReminderKind.DUE_SOON, actor=people["city"])
    assert r.new and r.sent["in_app"] == 1
    [event] = reminders(s)
    assert event.actor == people["city"]
    reply_and_accept(s, people, classes, day=D(2026, 2, 11))
    with at(D(2026, 2, 25)), pytest.raises(ValidationError, match="无需催办"):
        suggestion_remind(suggestion=s, kind=ReminderKind.OVERDUE)


def test_an_extension_is_a_new_deadline_and_reminds_again(city, people, categories, tick):
    Policy.objects.create(year=2026, handling_months=1)
    s = make_assigned(people, city, categories, day=D(2026, 1, 20))
    tick(D(2026, 2, 3))
    with at(D(2026, 2, 5), 10):
        sv.suggestion_receive(suggestion=s, actor=people["unit"])
        e = sv.suggestion_request_extension(suggestion=s, months=1, reason="需要调研", actor=people["unit"])
        sv.suggestion_decide_extension(extension=e, approve=True, note="", actor=people["city"])
    s.refresh_from_db()
    assert s.due_on == D(2026, 3, 24)
    tick(D(2026, 3, 10))
    keys = [n.key for n in inbox(people["unit"], "due_soon:")]
    assert keys == [f"due_soon:{s.pk}:1:2026-02-24", f"due_soon:{s.pk}:1:2026-03-24"]


def test_an_unanswered_overdue_suggestion_is_reminded_again_every_week(city, people, categories, contacts, tick):
    """Once on the first working day late, then again after 5 and 10 more working days, never twice a week."""
    from deputyhome.core.workdays import add_workdays

    Policy.objects.create(year=2026, handling_months=1)
    s = make_assigned(people, city, categories, day=D(2026, 1, 20))
    due = s.due_on
    unit, staff, supervisor = people["unit"], people["city"], people["supervisor"]

    def lead_reminders() -> list[Event]:
        return [e for e in reminders(s) if e.data["kind"] == "overdue"]

    for late in range(1, 12):
        tick(add_workdays(due, late))
        tick(add_workdays(due, late))  # a second run the same day adds nothing
        expected = 1 + (late - 1) // deadlines.OVERDUE_REPEAT_WORKDAYS
        assert len(lead_reminders()) == expected, late
        for user in (unit, staff, supervisor):
            assert len(inbox(user, "overdue:")) == expected, (late, user)
    subjects = [n.subject for n in inbox(unit, "overdue:")]
    assert subjects[0].startswith("逾期催办：") and "已逾期1个工作日" in subjects[0]
    assert subjects[1].startswith("逾期催办（第2次）：") and "已逾期6个工作日" in subjects[1]
    assert subjects[2].startswith("逾期催办（第3次）：") and "已逾期11个工作日" in subjects[2]
    assert [e.data["key"] for e in lead_reminders()] == [
        f"overdue:{s.pk}:1:{due.isoformat()}",
        f"overdue:{s.pk}:1:{due.isoformat()}:1",
        f"overdue:{s.pk}:1:{due.isoformat()}:2",
    ]

    # Answered: no further reminder, however late.
    _, classes = categories
    reply_and_accept(s, people, classes, day=add_workdays(due, 12))
    tick(add_workdays(due, 16))
    assert len(lead_reminders()) == 3


def test_a_deadline_first_looked_at_on_its_last_day_is_due_today_not_overdue(city, people, categories, tick):
    Policy.objects.create(year=2026, handling_months=1)
    s = make_assigned(people, city, categories, day=D(2026, 1, 20))
    assert s.due_on == s.assignments.get(role="co").opinion_due_on == D(2026, 2, 24)
    report = tick(D(2026, 2, 24))
    assert report.new[ReminderKind.DUE_SOON] == 1 and report.new[ReminderKind.CO_DUE_SOON] == 1
    assert report.found[ReminderKind.OVERDUE] == report.found[ReminderKind.CO_OVERDUE] == 0
    [lead] = inbox(people["unit"], "due_soon:")
    assert "今天到期" in lead.subject
    [co] = inbox(people["unit_b"], "co_due_soon:")
    assert "今天到期" in co.subject
    assert inbox(people["city"], "overdue:") == [] and inbox(people["supervisor"], "overdue:") == []
    # Nor may staff remind it as overdue by hand on that day.
    with at(D(2026, 2, 24)), pytest.raises(ValidationError, match="尚未届满"):
        suggestion_remind(suggestion=s, kind=ReminderKind.OVERDUE, actor=people["city"])


def test_a_re_handled_suggestion_is_reminded_when_its_new_deadline_passes(city, people, categories, tick):
    _, classes = categories
    s = make_assigned(people, city, categories, day=D(2026, 1, 20))
    reply_and_accept(s, people, classes, day=D(2026, 3, 2))
    with at(D(2026, 3, 3), 10):
        sv.suggestion_evaluate(
            suggestion=s, attitude="basic", result="dissatisfied", comment="未落实", actor=people["deputy"]
        )
    s.refresh_from_db()
    assert s.state == State.REHANDLING and s.round == 2 and s.due_on == D(2026, 4, 3)
    report = tick(D(2026, 4, 7))  # 04-04 to 04-06 are the Qingming holiday: one working day late
    assert report.new[ReminderKind.OVERDUE] == 1
    [note] = inbox(people["unit"], "overdue:")
    assert note.key == f"overdue:{s.pk}:2:2026-04-03" and "已逾期1个工作日" in note.subject


def test_a_supervision_record_on_the_follow_up_date_itself_counts(city, people, categories):
    s = _c_to_follow_up(city, people, categories)
    assert list(follow_ups_due(user=people["city"], today=D(2026, 9, 1))) == [s]
    with at(D(2026, 9, 1), 10):
        sv.supervision_record_add(
            suggestion=s, method="site", date=D(2026, 9, 1), findings="已落实", follow_up="", actor=people["supervisor"]
        )
    assert not follow_ups_due(user=people["city"], today=D(2026, 9, 1)).exists()


def test_extensions_add_up_to_the_policy_maximum_and_a_refused_one_does_not_count(city, people, categories):
    s = make_assigned(people, city, categories, day=D(2026, 1, 20))
    assert s.due_on == D(2026, 4, 20)
    unit, staff = people["unit"], people["city"]
    with at(D(2026, 3, 2), 10):
        sv.suggestion_receive(suggestion=s, actor=unit)
        with pytest.raises(ValidationError, match="延期至少1个月"):
            sv.suggestion_request_extension(suggestion=s, months=0, reason="需要调研", actor=unit)
        refused = sv.suggestion_request_extension(suggestion=s, months=2, reason="需要调研", actor=unit)
        sv.suggestion_decide_extension(extension=refused, approve=False, note="理由不足", actor=staff)
        whole = sv.suggestion_request_extension(suggestion=s, months=3, reason="需协调资金", actor=unit)
        sv.suggestion_decide_extension(extension=whole, approve=True, note="", actor=staff)
        with pytest.raises(ValidationError, match=r"延期合计不能超过3个月（已批准3个月）"):
            sv.suggestion_request_extension(suggestion=s, months=1, reason="仍需时间", actor=unit)
    s.refresh_from_db()
    assert s.due_on == D(2026, 7, 20)


def test_the_extension_limit_is_the_policy_of_the_year_of_assignment(city, people, categories):
    Policy.objects.create(year=2026, max_extension_months=1)
    Policy.objects.create(year=2027, max_extension_months=3)
    s = make_assigned(people, city, categories, day=D(2026, 12, 1))
    with at(D(2027, 1, 5), 10):
        sv.suggestion_receive(suggestion=s, actor=people["unit"])
        with pytest.raises(ValidationError, match="延期合计不能超过1个月"):
            sv.suggestion_request_extension(suggestion=s, months=2, reason="需要调研", actor=people["unit"])
