"""Attendance at a session (出席、请假、缺席) and leave: a deputy asks for leave before or during the session, the
session's staff approve or refuse it, and record attendance a delegation at a time. Each write is one
transaction with one audit row; a refused write writes nothing.

Who may have a row: a member of one of the session's delegations on the session's dates, or a deputy holding
a mandate of the session's congress over them (a township congress seats no delegations)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from deputyhome.audit.services import record
from deputyhome.deputies.models import Deputy, Mandate
from deputyhome.organisation.models import Session

from ..choices import AttendanceStatus, LeaveState
from ..models import Delegation, DelegationMember, SessionAttendance
from .course import may_act_for

REASON_MAX = 200


def _during(session: Session, prefix: str = "") -> Q:
    """Rows whose dated period meets the session's dates (both ends inclusive, an open end open)."""
    return Q(**{f"{prefix}start_date__lte": session.end_date}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": session.start_date})
    )


def members_during(session: Session, delegation: Delegation | None = None) -> Any:
    """Deputy ids of the members of the session's delegations (or of one) on any day of the session."""
    qs = DelegationMember.objects.filter(_during(session), delegation__session=session)
    if delegation is not None:
        qs = qs.filter(delegation=delegation)
    return qs.values("deputy_id")


def eligible_ids(session: Session, deputy_ids: Iterable[int]) -> set[int]:
    """Those of `deputy_ids` who may have an attendance row at `session` (two queries)."""
    ids = list(deputy_ids)
    seated = set(members_during(session).filter(deputy_id__in=ids).values_list("deputy_id", flat=True))
    sitting = Mandate.objects.filter(_during(session), congress_id=session.congress_id, deputy_id__in=ids)
    return seated | set(sitting.values_list("deputy_id", flat=True))


def may_record(user: Any, session: Session) -> bool:
    """The session's staff (its congress's secretariat) record attendance and decide on leave."""
    return may_act_for(user, session.congress)


def _label(status: str) -> str:
    return str(AttendanceStatus(status).label) if status else "未登记"


def _today() -> datetime.date:
    return timezone.localdate()


# The deputy's request for leave ---------------------------------------------------------------------------


@transaction.atomic
def session_leave_request(*, session: Session, deputy: Deputy, reason: str, actor: Any) -> SessionAttendance:
    """A deputy asks for leave from `session` (请假), before it opens or while it sits, with a reason. A refused
    request may be made again; a pending or approved one may not."""
    if actor is None or actor.deputy_id != deputy.pk:
        raise ValidationError("只能由代表本人提出请假申请。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写请假事由。"})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"请假事由不能超过{REASON_MAX}字。"})
    session = Session.objects.select_for_update().get(pk=session.pk)
    if _today() > session.end_date:
        raise ValidationError(f"{session.name}已于{session.end_date:%Y年%m月%d日}闭幕，不能再请假。")
    if deputy.pk not in eligible_ids(session, [deputy.pk]):
        raise ValidationError(f"{deputy.name}不是{session.name}的代表，无需请假。")
    row = SessionAttendance.objects.filter(session=session, deputy=deputy).first()
    if row is not None and row.leave_state == LeaveState.PENDING:
        raise ValidationError("您已提出请假申请，正在等待审批。")
    if row is not None and row.leave_state == LeaveState.APPROVED and row.status == AttendanceStatus.EXCUSED:
        raise ValidationError("您的请假已获批准，无需再次申请。")
    before = row.leave_state if row is not None else ""
    if row is None:
        row = SessionAttendance(session=session, deputy=deputy)
    row.reason, row.leave_state, row.leave_requested_at = reason, LeaveState.PENDING, timezone.now()
    row.leave_decided_by, row.leave_decided_at, row.leave_refusal = None, None, ""
    row.save()
    record(
        actor=actor,
        action="session_attendance.leave_request",
        obj=row,
        changes={"leave_state": [before, LeaveState.PENDING], "reason": [None, reason]},
    )
    return row


@transaction.atomic
def session_leave_decide(
    *, attendance: SessionAttendance, approve: bool, refusal: str = "", actor: Any
) -> SessionAttendance:
    """The session's staff approve a pending request for leave (the deputy is then 请假) or refuse it with a
    reason (the deputy is expected to attend); the deputy is told once the decision commits."""
    row = SessionAttendance.objects.select_for_update().get(pk=attendance.pk)
    session = Session.objects.select_related("congress__region").get(pk=row.session_id)
    if not may_record(actor, session):
        raise ValidationError("只有本次会议的工作人员可以审批请假。")
    if row.leave_state != LeaveState.PENDING:
        raise ValidationError("该请假申请已经处理，请刷新页面。")
    refusal = (refusal or "").strip()
    if not approve and not refusal:
        raise ValidationError({"refusal": "不予批准时须填写理由。"})
    if len(refusal) > REASON_MAX:
        raise ValidationError({"refusal": f"理由不能超过{REASON_MAX}字。"})
    before = {"leave_state": row.leave_state, "status": row.status}
    row.leave_state = LeaveState.APPROVED if approve else LeaveState.REFUSED
    row.leave_decided_by, row.leave_decided_at = actor, timezone.now()
    row.leave_refusal = "" if approve else refusal
    if approve:
        row.status = AttendanceStatus.EXCUSED
    row.save()
    changes = {k: [before[k], getattr(row, k)] for k in before if before[k] != getattr(row, k)}
    if refusal:
        changes["leave_refusal"] = [None, refusal]
    record(actor=actor, action="session_attendance.leave_decide", obj=row, changes=changes)
    _tell_deputy(row, session, approve)
    return row


def _tell_deputy(row: SessionAttendance, session: Session, approved: bool) -> None:
    from deputyhome.accounts.models import User
    from deputyhome.notifications.services import notify

    users = list(User.objects.filter(deputy_id=row.deputy_id, is_active=True))
    if not users:
        return
    subject = f"您对{session.name}的请假申请" + ("已获批准" if approved else f"未获批准：{row.leave_refusal}")
    link = row.get_absolute_url()
    transaction.on_commit(lambda: notify(users=users, subject=subject[:200], link=link))


# The staff's record --------------------------------------------------------------------------------------


@transaction.atomic
def session_attendance_record(
    *,
    session: Session,
    entries: Sequence[tuple[Deputy, str]],
    reasons: Mapping[int, str] | None = None,
    delegation: Delegation | None = None,
    actor: Any,
) -> int:
    """The staff record attendance in one go: `entries` are (deputy, status); `reasons` (by deputy id) give the
    reason of a leave not asked for through the system. With `delegation`, every deputy must be its member
    during the session; without, one who may attend the session at all. One bad entry refuses the lot with
    messages naming the deputies. Recording 请假 approves the leave. Returns how many rows changed; one audit
    row lists the changes."""
    # Lock without joins (PostgreSQL will not lock the nullable side of an outer join), then read with them.
    Session.objects.select_for_update().filter(pk=session.pk).order_by().first()
    session = Session.objects.select_related("congress__region").get(pk=session.pk)
    if not may_record(actor, session):
        raise ValidationError("只有本次会议的工作人员可以登记出席情况。")
    if delegation is not None and delegation.session_id != session.pk:
        raise ValidationError(f"{delegation.name}不是{session.name}的代表团。")
    if _today() < session.start_date:
        raise ValidationError(f"{session.name}尚未开幕（{session.start_date:%Y年%m月%d日}开幕），不能登记出席情况。")
    reasons = reasons or {}
    ids = [d.pk for d, _ in entries]
    if delegation is not None:
        allowed = set(members_during(session, delegation).filter(deputy_id__in=ids).values_list("deputy_id", flat=True))
        outsider = f"不是{delegation.name}在会议期间的成员，不能在此登记。"
    else:
        allowed = eligible_ids(session, ids)
        outsider = f"不是{session.name}的代表，不能登记出席情况。"
    # Row locks only, in a fixed order: no joins (PostgreSQL will not lock the nullable side of an outer join).
    rows = {
        r.deputy_id: r
        for r in SessionAttendance.objects.select_for_update()
        .filter(session=session, deputy_id__in=ids)
        .order_by("deputy_id")
    }
    errors: list[str] = []
    seen: set[int] = set()
    for deputy, status in entries:
        reason = (reasons.get(deputy.pk) or "").strip()
        existing = rows.get(deputy.pk)
        if deputy.pk in seen:
            errors.append(f"{deputy.name}：重复登记。")
        elif deputy.pk not in allowed:
            errors.append(f"{deputy.name}{outsider}")
        elif status not in AttendanceStatus.values:
            errors.append(f"{deputy.name}：出席情况“{status}”无效，请选择出席、请假或缺席。")
        elif status == AttendanceStatus.EXCUSED and not (reason or (existing.reason if existing else "")):
            errors.append(f"{deputy.name}：请假须填写请假事由。")
        elif len(reason) > REASON_MAX:
            errors.append(f"{deputy.name}：请假事由不能超过{REASON_MAX}字。")
        seen.add(deputy.pk)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    changes: dict[str, list[str]] = {}
    for deputy, status in entries:
        row = rows.get(deputy.pk) or SessionAttendance(session=session, deputy=deputy)
        reason = (reasons.get(deputy.pk) or "").strip()
        before = row.status
        if status == AttendanceStatus.EXCUSED:
            new_reason = reason or row.reason
            if before == status and new_reason == row.reason:
                continue
            row.reason = new_reason
            if row.leave_state != LeaveState.APPROVED:
                row.leave_state, row.leave_decided_by, row.leave_decided_at = LeaveState.APPROVED, actor, now
                row.leave_refusal = ""
        elif before == status:
            continue
        row.status, row.recorded_by, row.recorded_at = status, actor, now
        row.save()
        key = f"{deputy.name}（{deputy.pk}）"
        changes[key] = [
            _label(before),
            _label(status) + (f"：{row.reason}" if status == AttendanceStatus.EXCUSED else ""),
        ]
    if changes:
        record(actor=actor, action="session_attendance.record", obj=delegation or session, changes=changes)
    return len(changes)
