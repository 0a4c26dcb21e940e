"""The secretariat's check and the presidium's decision (recorded by staff), and the committee's report."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from deputyhome.core import workdays
from deputyhome.suggestions.services import suggestion_create_converted

from ..choices import Decision, MotionAction, MotionKind, MotionState
from ..models import Motion
from .course import deadline_of, lock, notify, record_step, require, rules_for

if TYPE_CHECKING:
    from deputyhome.suggestions.models import Suggestion


def check_problems(motion: Motion, *, within_powers: bool, single_matter: bool, note: str = "") -> list[str]:
    """Why the motion cannot be received as a motion: too few confirmed signers, filed outside the session or
    after its deadline, not one matter, outside the congress's powers. Empty when it passes."""
    problems: list[str] = []
    session = motion.session
    if motion.kind == MotionKind.JOINT:
        minimum = rules_for(session.congress).min_signers
        confirmed = sum(1 for s in motion.signers.all() if s.counts)
        if confirmed < minimum:
            problems.append(
                f"联名代表人数不足：须{minimum}名以上代表联名（含领衔代表），经确认的联名代表只有{confirmed}人"
            )
    filed = motion.filed_at
    if filed is None or timezone.localtime(filed).date() < session.start_date or filed >= deadline_of(session):
        when = timezone.localtime(deadline_of(session)).strftime("%Y年%m月%d日 %H:%M")
        problems.append(f"提出时间不在会议期间或已过议案截止时间（{when}）")
    if not single_matter:
        problems.append("不符合一案一事的要求")
    if not within_powers:
        problems.append("所提事项不属于本级人民代表大会的职权范围" + (f"（{note.strip()}）" if note.strip() else ""))
    return problems


@transaction.atomic
def motion_check(
    *, motion: Motion, within_powers: bool, single_matter: bool = True, note: str = "", actor: Any
) -> Motion:
    """The secretariat checks the signers, the scope and the timing: the motion passes to the presidium, or is
    refused with the reasons, which the lead and the signers are told."""
    m = lock(motion)
    problems = check_problems(m, within_powers=within_powers, single_matter=single_matter, note=note)
    m.checked_on = timezone.localdate()
    m.refusal = "；".join(problems) + ("。" if problems else "")
    to = MotionState.REFUSED if problems else MotionState.ACCEPTED
    record_step(m, MotionAction.CHECK, actor, to=to, note=m.refusal or note, changes={"refusal": [None, m.refusal]})
    signers = [s.deputy_id for s in m.signers.all()]
    if problems:
        notify(signers, f"议案不予受理：{m.title}", m)
    return m


def report_due(decided_on: datetime.date, months: int) -> datetime.date:
    """The committee's report falls due `months` calendar months after the decision (the day clamped to the
    month's end), moved to the next working day when that is a rest day (docs/decisions.md, 11)."""
    return workdays.due_after_months(decided_on, months)


@transaction.atomic
def motion_decide(
    *,
    motion: Motion,
    decision: str,
    actor: Any,
    committee: str = "",
    note: str = "",
    decided_on: datetime.date | None = None,
) -> Motion:
    """Record the presidium's decision: on the agenda (referred to a special committee, its report due within
    the congress's period), not on the agenda (with the reason), or handled as a suggestion, which creates the
    suggestion through the suggestions services (the motion's text, its signers as confirmed co-signers)."""
    m = lock(motion)
    require(decision in Decision.values, "请选择主席团的决定。", "decision")
    today = timezone.localdate()
    on = decided_on or today
    require(on <= today, "决定日期不能晚于今天。", "decided_on")
    filed = timezone.localtime(m.filed_at).date() if m.filed_at else today
    require(on >= filed, f"决定日期不能早于议案提出的日期（{filed:%Y年%m月%d日}）。", "decided_on")
    m.decision, m.decided_on, m.decision_note = decision, on, note.strip()
    changes: dict[str, Any] = {"decision": [None, decision]}
    if decision == Decision.ON_AGENDA:
        require(bool(committee.strip()), "列入会议议程的议案须写明交付审议的专门委员会。", "committee")
        m.committee = committee.strip()
        m.report_due_on = report_due(on, rules_for(m.session.congress).review_months)
        changes["report_due_on"] = [None, m.report_due_on.isoformat()]
        to, text = MotionState.ON_AGENDA, f"交{m.committee}审议，审议结果报告期限{m.report_due_on:%Y年%m月%d日}"
    elif decision == Decision.NOT_ON_AGENDA:
        require(bool(m.decision_note), "不列入会议议程的议案须说明理由。", "note")
        to, text = MotionState.NOT_ON_AGENDA, m.decision_note
    else:
        to, text = MotionState.CONVERTED, "不作为议案，作为建议处理"
    note = "；".join(x for x in dict.fromkeys((text, m.decision_note)) if x)
    record_step(m, MotionAction.DECIDE, actor, to=to, note=note, changes=changes)
    if decision == Decision.CONVERTED:
        m.suggestion = _convert(m, actor)
        m.save(update_fields=["suggestion", "updated_at"])
    notify([s.deputy_id for s in m.signers.all()], f"主席团对议案作出决定（{Decision(decision).label}）：{m.title}", m)
    return m


def _convert(m: Motion, actor: Any) -> Suggestion:
    """The suggestion a motion becomes: its subject, grounds and solution; its confirmed co-signers."""
    signers = [s for s in m.signers.select_related("deputy") if s.counts and not s.is_lead]
    return suggestion_create_converted(
        author=m.lead,
        data={"title": m.title, "situation": m.grounds, "reasons": "", "proposals": m.plan},
        session=m.session,
        cosigners=[(s.deputy, s.confirmed_at) for s in signers],
        source=f"{m.session.name}第{m.number}号议案",
        actor=actor,
    )


@transaction.atomic
def motion_report(*, motion: Motion, reported_on: datetime.date, report: str, actor: Any) -> Motion:
    """The special committee's report on a motion put on the agenda, to be presented to the next session."""
    m = lock(motion)
    require(bool(report.strip()), "请填写审议结果报告的内容。", "report")
    require(m.decided_on is None or reported_on >= m.decided_on, "报告日期不能早于主席团决定的日期。", "reported_on")
    m.reported_on, m.report = reported_on, report.strip()
    late = m.report_due_on is not None and reported_on > m.report_due_on
    note = f"{m.committee}报告审议结果" + ("（超过报告期限）" if late else "")
    record_step(m, MotionAction.REPORT, actor, note=note, changes={"reported_on": [None, reported_on.isoformat()]})
    return m
