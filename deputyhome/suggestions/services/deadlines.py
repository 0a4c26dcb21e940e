"""The daily tick over the deadlines of suggestions (DESIGN rule 4), as functions the command calls.

Each day, and idempotently:

- due soon / overdue: the lead unit's clerks are reminded (催办); for overdue suggestions the
  deputy-work committee (city officers) and the supervisors too. Each reminder is also a step on
  the timeline, recorded once per key;
- co-units whose opinion to the lead unit is due soon or overdue are reminded;
- an evaluation window that has passed is recorded as "no answer" and the suggestion concludes
  (closed, or re-handled after a dissatisfied first round) through the suggestion services;
- B/C commitments whose follow-up date has come back to the lead unit, the committee and the
  supervisors, once per follow-up date, whatever year the suggestion is from.

"Due soon" means at most `Policy.due_soon_workdays` working days away, counted with the working-day
calendar: an adjusted workday (调休上班) counts, a holiday does not.

Idempotency: every reminder has a key ("due_soon:<suggestion>:<round>:<due date>", ...). The key is
the Notification key (one row per user, channel and key) and is kept in the timeline event's data,
so a second run on the same day, or a run on another host, sends nothing and records nothing new.
A changed due date (an extension, a re-handling round) is a new key and reminds again, and so does
every further week an overdue suggestion stays unanswered ("overdue:<...>:<due date>:<n>", n ≥ 1).
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.core import workdays

from .. import workflow
from ..choices import Action, AssignmentStatus, ReminderKind, State, UnitRole
from ..models import Assignment, Policy, Suggestion, SupervisionRecord
from ..selectors import suggestion_list
from . import course
from .evaluation import suggestion_record_no_evaluation

log = logging.getLogger(__name__)

# An overdue lead unit is reminded again every week (five working days) until it replies.
OVERDUE_REPEAT_WORKDAYS = 5

# States in which the lead unit still owes a reply, so its deadline runs.
DUE_STATES = (State.ASSIGNED, State.HANDLING, State.REHANDLING)


NO_EVALUATION = "no_evaluation"

# The lines of the summary, in the order the tick works.
REPORT_KINDS: list[tuple[str, str]] = [
    (NO_EVALUATION, "逾期未评价"),
    (ReminderKind.DUE_SOON, str(ReminderKind.DUE_SOON.label)),
    (ReminderKind.OVERDUE, str(ReminderKind.OVERDUE.label)),
    (ReminderKind.CO_DUE_SOON, str(ReminderKind.CO_DUE_SOON.label)),
    (ReminderKind.CO_OVERDUE, str(ReminderKind.CO_OVERDUE.label)),
    (ReminderKind.FOLLOW_UP, str(ReminderKind.FOLLOW_UP.label)),
]


@dataclass
class Reminder:
    """The outcome of one reminder. `sent` (new rows per channel) is filled in when the transaction commits."""

    kind: str
    suggestion_id: int
    key: str
    new: bool
    sent: Counter = field(default_factory=Counter)
    error: str = ""


@dataclass
class _Plan:
    key: str
    subject: str
    body: str
    link: str
    note: str
    data: dict[str, Any]
    batches: list[tuple[list[Any], bool]]  # (users, by SMS too)


# Dates -------------------------------------------------------------------------------------------------------


def overdue_wave(late_workdays: int) -> int:
    """Which repetition of the overdue reminder is due: 0 in the first week late, 1 in the second, ...

    An overdue suggestion is reminded again every `OVERDUE_REPEAT_WORKDAYS` working days until it is
    answered; each repetition has its own key, so it still goes out once whatever the number of runs.
    """
    return max(late_workdays - 1, 0) // OVERDUE_REPEAT_WORKDAYS


def due_soon_limit(today: datetime.date, congress: Any = None) -> datetime.date:
    """The first date that is not "due soon" on `today` for a suggestion of `congress` (None: the city's).

    A due date is due soon when at most N working days lie in (today, due], N from the congress's policy;
    the (N+1)th working day after today is the first date beyond that. One calendar query.
    """
    return workdays.add_workdays(today, course.policy_for(today, congress).due_soon_workdays + 1)


def _widest_due_soon_limit(today: datetime.date) -> datetime.date:
    """A date no congress's "due soon" reaches (the longest period of any policy in force or the default)."""
    longest = Policy.objects.filter(year__lte=today.year).aggregate(n=Max("due_soon_workdays"))["n"] or 0
    return workdays.add_workdays(today, max(longest, course.policy_for(today).due_soon_workdays) + 1)


def follow_up_due_q(today: datetime.date) -> Q:
    """Closed suggestions whose follow-up date has come and that nobody has followed up since.

    Followed up means a supervision record dated on or after the follow-up date; an earlier
    record does not count, since the commitment was not due yet.
    """
    checked = SupervisionRecord.objects.filter(suggestion=OuterRef("pk"), date__gte=OuterRef("follow_up_on"))
    return Q(state=State.CLOSED, follow_up_on__isnull=False, follow_up_on__lte=today) & ~Q(Exists(checked))


def follow_ups_due(*, user: User, today: datetime.date) -> QuerySet[Suggestion]:
    """B/C follow-ups that have come back, within the user's scope, oldest commitment first.

    Of any year; a suggestion leaves the list when a supervision record dated on or after its
    follow-up date is added (or a new follow-up date is set).
    """
    return suggestion_list(user=user).filter(follow_up_due_q(today)).order_by("follow_up_on", "year", "number", "pk")


# Who hears about it ------------------------------------------------------------------------------------------


def _users(**filters: Any) -> list[Any]:
    return list(User.objects.filter(is_active=True, **filters).select_related("unit", "deputy"))


def _clerks(unit_id: int | None) -> list[Any]:
    return _users(role=Role.UNIT_CLERK, unit_id=unit_id) if unit_id else []


def _staff(s: Suggestion) -> list[Any]:
    """The desk of the suggestion's congress: the city's officers, or the township's."""
    return course.staff_users(s)


def _supervisors(s: Suggestion) -> list[Any]:
    """The city's supervisors follow the city congress's suggestions (a township's are its own work)."""
    return [] if course.is_township_work(s) else _users(role=Role.SUPERVISOR)


def _lead(s: Suggestion) -> Assignment | None:
    return s.assignments.filter(status=AssignmentStatus.ACTIVE, role=UnitRole.LEAD).select_related("unit").first()


def _unit_batch(s: Suggestion, unit: Any, note_parts: list[str]) -> list[tuple[list[Any], bool]]:
    """The unit's clerks, by SMS too; a unit without clerk accounts falls back to the committee."""
    clerks = _clerks(unit.pk if unit else None)
    if clerks:
        note_parts.append(str(unit))
        return [(clerks, True)]
    note_parts.append(f"代工委（{unit or '主办单位'}无经办人账号）")
    return [(_staff(s), False)]


def _label(s: Suggestion) -> str:
    return f"{s.year}年{s.number_label}“{s.title}”"


def _date(d: datetime.date) -> str:
    return f"{d:%Y-%m-%d}"


# Planning one reminder ---------------------------------------------------------------------------------------


def _plan(s: Suggestion, kind: str, today: datetime.date, assignment: Assignment | None) -> _Plan:
    """What to say and to whom; ValidationError when the kind does not apply (any more)."""
    if kind in (ReminderKind.DUE_SOON, ReminderKind.OVERDUE):
        return _plan_lead(s, kind, today)
    if kind in (ReminderKind.CO_DUE_SOON, ReminderKind.CO_OVERDUE):
        if assignment is None:
            raise ValidationError("协办催办须指明协办单位。")
        return _plan_co(s, kind, today, assignment)
    if kind == ReminderKind.FOLLOW_UP:
        return _plan_follow_up(s, today)
    raise ValidationError(f"未知的催办类型：{kind}")


def _check_window(kind: str, due: datetime.date | None, today: datetime.date, congress: Any = None) -> None:
    if due is None:
        raise ValidationError("没有期限，无需催办。")
    if kind in (ReminderKind.OVERDUE, ReminderKind.CO_OVERDUE):
        if not due < today:
            raise ValidationError(f"期限{_date(due)}尚未届满。")
    elif not today <= due < due_soon_limit(today, congress):
        raise ValidationError(f"期限{_date(due)}不在临期提醒范围内。")


def _plan_lead(s: Suggestion, kind: str, today: datetime.date) -> _Plan:
    if s.state not in DUE_STATES:
        raise ValidationError(f"建议处于“{State(s.state).label}”状态，无需催办答复。")
    _check_window(kind, s.due_on, today, s.congress)
    due = s.due_on
    lead = _lead(s)
    unit = lead.unit if lead else None
    told: list[str] = []
    batches = _unit_batch(s, unit, told)
    if kind == ReminderKind.DUE_SOON:
        left = workdays.workdays_between(today, due)
        when = "今天到期" if left == 0 else f"还有{left}个工作日"
        subject = f"临期催办：{_label(s)}办理期限{_date(due)}，{when}"
        note = f"临期催办：办理期限{_date(due)}，{when}"
    else:
        late = workdays.workdays_between(due, today)
        wave = overdue_wave(late)
        when = f"已逾期{late}个工作日" if late > 0 else "已超过办理期限"
        again = f"（第{wave + 1}次）" if wave else ""
        subject = f"逾期催办{again}：{_label(s)}办理期限{_date(due)}，{when}"
        note = f"逾期催办{again}：办理期限{_date(due)}，{when}"
        batches += [(_staff(s), False), (_supervisors(s), False)]
        told += ["代工委", "督办人员"]
    round_text = "（重新办理）" if s.round > 1 else ""
    body = (
        f"主办单位：{unit or '—'}\n办理期限：{_date(due)}{round_text}\n当前状态：{State(s.state).label}\n"
        "请按期与代表沟通联系并答复。本提醒由系统按办理期限自动发送。"
    )
    key = f"{kind}:{s.pk}:{s.round}:{due.isoformat()}"
    if kind == ReminderKind.OVERDUE and (wave := overdue_wave(workdays.workdays_between(due, today))):
        key += f":{wave}"
    return _Plan(
        key=key,
        subject=subject,
        body=body,
        link=s.get_absolute_url(),
        note=f"{note}；已提醒{'、'.join(told)}",
        data={"kind": str(kind), "due_on": due.isoformat(), "unit": unit.pk if unit else None},
        batches=batches,
    )


def _plan_co(s: Suggestion, kind: str, today: datetime.date, assignment: Assignment) -> _Plan:
    if s.state not in DUE_STATES:
        raise ValidationError(f"建议处于“{State(s.state).label}”状态，无需催办协办意见。")
    a = s.assignments.select_related("unit").filter(pk=assignment.pk).first()
    if a is None or a.role != UnitRole.CO or a.status != AssignmentStatus.ACTIVE:
        raise ValidationError("该协办单位已不在承办中。")
    if a.opinion_on is not None:
        raise ValidationError(f"{a.unit}已提出协办意见。")
    _check_window(kind, a.opinion_due_on, today, s.congress)
    due = a.opinion_due_on
    lead = _lead(s)
    told: list[str] = []
    batches = _unit_batch(s, a.unit, told)
    if kind == ReminderKind.CO_DUE_SOON:
        left = workdays.workdays_between(today, due)
        when = "今天到期" if left == 0 else f"还有{left}个工作日"
        subject = f"协办催办：{_label(s)}请于{_date(due)}前向主办单位提出协办意见（{when}）"
    else:
        when = "已逾期"
        subject = f"协办催办：{_label(s)}协办意见期限{_date(due)}已过，请尽快向主办单位提出"
    body = f"协办单位：{a.unit}\n主办单位：{lead.unit if lead else '—'}\n协办意见期限：{_date(due)}\n本提醒由系统自动发送。"
    return _Plan(
        key=f"{kind}:{s.pk}:{a.pk}:{due.isoformat()}",
        subject=subject,
        body=body,
        link=s.get_absolute_url(),
        note=f"{ReminderKind(kind).label}：{a.unit}，协办意见期限{_date(due)}，{when}；已提醒{'、'.join(told)}",
        data={"kind": str(kind), "due_on": due.isoformat(), "unit": a.unit_id, "assignment": a.pk},
        batches=batches,
    )


def _plan_follow_up(s: Suggestion, today: datetime.date) -> _Plan:
    if not Suggestion.objects.filter(pk=s.pk).filter(follow_up_due_q(today)).exists():
        raise ValidationError("该建议没有到期的跟踪落实。")
    lead = _lead(s)
    unit = lead.unit if lead else None
    told: list[str] = []
    batches = _unit_batch(s, unit, told) + [(_staff(s), False), (_supervisors(s), False)]
    told += ["代工委", "督办人员"]
    result = f"（{s.result_class}）" if s.result_class_id else ""
    return _Plan(
        key=f"follow_up:{s.pk}:{s.follow_up_on.isoformat()}",
        subject=f"跟踪落实到期：{_label(s)}{result}承诺于{_date(s.follow_up_on)}落实，请报告落实情况",
        body=(
            f"主办单位：{unit or '—'}\n办理结果：{s.result_class or '—'}\n跟踪落实日期：{_date(s.follow_up_on)}\n"
            "请主办单位报告落实情况，督办人员跟踪督办。"
        ),
        link=s.get_absolute_url(),
        note=f"跟踪落实到期（{_date(s.follow_up_on)}）；已提醒{'、'.join(told)}",
        data={"kind": ReminderKind.FOLLOW_UP.value, "follow_up_on": s.follow_up_on.isoformat()},
        batches=batches,
    )


def _send(reminder: Reminder, plan: _Plan) -> None:
    """Runs on commit: deliver on every channel; a failure is logged and kept on the reminder."""
    from deputyhome.notifications.services import deliver

    try:
        for users, sms in plan.batches:
            reminder.sent.update(
                deliver(users=users, subject=plan.subject, body=plan.body, link=plan.link, key=plan.key, sms=sms)
            )
    except Exception as exc:
        log.exception("sending reminder %s failed", reminder.key)
        reminder.error = str(exc) or type(exc).__name__


# The services ------------------------------------------------------------------------------------------------


def suggestion_remind(
    *,
    suggestion: Suggestion,
    kind: str,
    actor: Any = None,
    assignment: Assignment | None = None,
    today: datetime.date | None = None,
) -> Reminder:
    """Remind (催办) the lead unit (due soon / overdue) or a co-unit (its opinion due soon / overdue).

    One transaction: lock, check the workflow table (REMIND; `actor=None` is the system) and that
    the deadline really is due soon or overdue (ValidationError if not), record the timeline step
    and its audit row the first time for this key only, and send on commit. Sending is idempotent
    by key, so calling again sends only to users who have not had it yet.
    """
    today = today or timezone.localdate()
    kind = ReminderKind(kind)
    if kind == ReminderKind.FOLLOW_UP:
        return follow_up_remind(suggestion=suggestion, today=today)
    with transaction.atomic():
        s = course.lock(suggestion)
        to = workflow.transition(s.state, Action.REMIND, course.actor_roles(actor, s))
        plan = _plan(s, kind, today, assignment)
        new = not s.events.filter(action=Action.REMIND, data__key=plan.key).exists()
        if new:
            course.record_step(s, Action.REMIND, actor, note=plan.note, data={"key": plan.key, **plan.data}, to=to)
        reminder = Reminder(kind=kind, suggestion_id=s.pk, key=plan.key, new=new)
        transaction.on_commit(partial(_send, reminder, plan))
    return reminder


def follow_up_remind(*, suggestion: Suggestion, today: datetime.date | None = None) -> Reminder:
    """A B/C commitment's follow-up date has come: tell the lead unit, the committee and the supervisors.

    Once per follow-up date. No timeline step: the suggestion is closed and the workflow table has
    no reminder on a closed suggestion; the Notification rows are the record, and the supervisor's
    follow-up (a supervision record) is what appears on the timeline.
    """
    from deputyhome.notifications.models import Notification

    today = today or timezone.localdate()
    with transaction.atomic():
        s = Suggestion.objects.select_related("result_class").get(pk=suggestion.pk)
        plan = _plan_follow_up(s, today)
        new = not Notification.objects.filter(key=plan.key).exists()
        reminder = Reminder(kind=ReminderKind.FOLLOW_UP, suggestion_id=s.pk, key=plan.key, new=new)
        transaction.on_commit(partial(_send, reminder, plan))
    return reminder


# The tick ----------------------------------------------------------------------------------------------------


@dataclass
class TickReport:
    """What one run found and did, per kind. Sending counts are complete once the run's transactions committed."""

    today: datetime.date
    found: Counter = field(default_factory=Counter)
    new: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    failures: list[tuple[str, int, str]] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)

    @property
    def sent(self) -> Counter:
        total: Counter = Counter()
        for r in self.reminders:
            total.update(r.sent)
        return total

    @property
    def errors(self) -> list[tuple[str, int, str]]:
        return self.failures + [(r.kind, r.suggestion_id, r.error) for r in self.reminders if r.error]

    def summary(self) -> str:
        lines = [f"suggestions_tick {self.today.isoformat()}"]
        for kind, label in REPORT_KINDS:
            line = f"  {kind:<14}{label}：{self.found[kind]} 件，新 {self.new[kind]} 件"
            if self.skipped[kind]:
                line += f"，跳过 {self.skipped[kind]} 件"
            lines.append(line)
        sent = self.sent
        lines.append(
            f"  notifications 新通知：站内 {sent['in_app']} 条，邮件 {sent['email']} 封，短信 {sent['sms']} 条"
        )
        lines.append(f"  errors        出错：{len(self.errors)} 件")
        lines += [f"    {kind} suggestion {pk}: {message}" for kind, pk, message in self.errors]
        return "\n".join(lines)


def _guarded(report: TickReport, kind: str, pk: int, work: Callable[[], Any]) -> Any:
    """Run one item; a failure is logged and counted, and the run goes on with the next one."""
    report.found[kind] += 1
    try:
        result = work()
    except (ValidationError, workflow.IllegalTransition) as exc:
        # The suggestion moved on between the query and the lock (another host, a user): nothing to do.
        report.skipped[kind] += 1
        log.info("suggestions_tick: %s skipped for suggestion %s: %s", kind, pk, exc)
        return None
    except Exception as exc:
        report.failures.append((kind, pk, str(exc) or type(exc).__name__))
        log.exception("suggestions_tick: %s failed for suggestion %s", kind, pk)
        return None
    if isinstance(result, Reminder):
        report.reminders.append(result)
        if result.new:
            report.new[kind] += 1
    else:
        report.new[kind] += 1
    return result


def run_tick(*, today: datetime.date | None = None) -> TickReport:
    """One run over every deadline; see the module docstring. Safe to repeat and to run on any host."""
    today = today or timezone.localdate()
    report = TickReport(today=today)

    # Evaluations first: a re-handled suggestion then gets its new deadline checked below.
    waiting = Suggestion.objects.filter(state=State.AWAITING_EVALUATION, evaluation_due_on__lt=today)
    for s in list(waiting.order_by("evaluation_due_on", "pk")):
        _guarded(report, NO_EVALUATION, s.pk, partial(suggestion_record_no_evaluation, suggestion=s))

    # Candidates up to the widest limit; the limit of each suggestion's own congress decides.
    limit = _widest_due_soon_limit(today)
    limits: dict[int | None, datetime.date] = {}

    def soon(s: Suggestion, due: datetime.date) -> bool:
        if s.congress_id not in limits:
            limits[s.congress_id] = due_soon_limit(today, s.congress)
        return due < limits[s.congress_id]

    due = Suggestion.objects.filter(state__in=DUE_STATES, due_on__isnull=False, due_on__lt=limit)
    for s in list(due.select_related("congress").order_by("due_on", "pk")):
        if not soon(s, s.due_on):
            continue
        kind = ReminderKind.OVERDUE if s.due_on < today else ReminderKind.DUE_SOON
        _guarded(report, kind, s.pk, partial(suggestion_remind, suggestion=s, kind=kind, today=today))

    co = Assignment.objects.filter(
        role=UnitRole.CO,
        status=AssignmentStatus.ACTIVE,
        opinion_on__isnull=True,
        opinion_due_on__isnull=False,
        opinion_due_on__lt=limit,
        suggestion__state__in=DUE_STATES,
    ).select_related("suggestion__congress")
    for a in list(co.order_by("opinion_due_on", "pk")):
        if not soon(a.suggestion, a.opinion_due_on):
            continue
        kind = ReminderKind.CO_OVERDUE if a.opinion_due_on < today else ReminderKind.CO_DUE_SOON
        _guarded(
            report,
            kind,
            a.suggestion_id,
            partial(suggestion_remind, suggestion=a.suggestion, kind=kind, assignment=a, today=today),
        )

    for s in list(Suggestion.objects.filter(follow_up_due_q(today)).order_by("follow_up_on", "pk")):
        _guarded(report, ReminderKind.FOLLOW_UP, s.pk, partial(follow_up_remind, suggestion=s, today=today))

    return report
