"""The handling units' part and its review: receipt, a wrong assignment sent back, consultation,
co-unit opinions, extensions, the reply and the committee's review of it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from deputyhome.core import workdays

from .. import workflow
from ..choices import Action, AssignmentStatus, ExtensionStatus, ReviewStatus, State, UnitRole
from ..models import Assignment, Consultation, Extension, Reply, ResultClass, Suggestion
from .course import (
    actor_roles,
    attach,
    check_assignment,
    deputy_users,
    local_today,
    lock,
    lock_for_step,
    notify,
    policy_for,
    record_step,
    require,
    staff_users,
    unit_of,
    unit_users,
)


@transaction.atomic
def suggestion_receive(*, suggestion: Suggestion, actor: Any) -> Suggestion:
    s = lock_for_step(suggestion, Action.RECEIVE, actor)
    s.assignments.filter(status=AssignmentStatus.ACTIVE, role=UnitRole.LEAD).update(received_on=local_today())
    record_step(s, Action.RECEIVE, actor)
    return s


@transaction.atomic
def suggestion_unit_return(*, suggestion: Suggestion, reason: str, actor: Any) -> Suggestion:
    """The lead unit sends back a wrong assignment within the return window; staff assign again."""
    s = lock(suggestion)
    to = workflow.transition(s.state, Action.UNIT_RETURN, actor_roles(actor, s))
    require(bool(reason.strip()), "请说明退回理由。")
    lead = s.assignments.get(status=AssignmentStatus.ACTIVE, role=UnitRole.LEAD)
    require(
        lead.return_by is None or local_today() <= lead.return_by,
        f"已超过申请退回期限（{lead.return_by:%Y-%m-%d}），请与代工委联系。",
    )
    s.assignments.filter(status=AssignmentStatus.ACTIVE).update(status=AssignmentStatus.RETURNED)
    Assignment.objects.filter(pk=lead.pk).update(returned_on=local_today(), return_reason=reason)
    s.due_on = None
    record_step(s, Action.UNIT_RETURN, actor, note=reason, to=to)
    notify(staff_users(s), f"承办单位申请退回，请重新交办：{s.title}", s)
    return s


@transaction.atomic
def suggestion_consult(
    *, suggestion: Suggestion, date: datetime.date, way: str, notes: str, actor: Any
) -> Consultation:
    s = lock_for_step(suggestion, Action.CONSULT, actor)
    require(date <= local_today(), "沟通日期不能晚于今天。")
    require(s.assigned_on is None or date >= s.assigned_on, "沟通日期不能早于交办日期。")
    c = Consultation.objects.create(
        suggestion=s, unit=unit_of(actor), round=s.round, date=date, way=way, notes=notes, recorded_by=actor
    )
    record_step(s, Action.CONSULT, actor, note=f"{date:%Y-%m-%d} {c.get_way_display()}沟通：{notes}")
    return c


@transaction.atomic
def suggestion_waive_consultation(*, suggestion: Suggestion, note: str, actor: Any) -> Suggestion:
    s = lock(suggestion)
    s.consultation_waived = True
    record_step(s, Action.WAIVE_CONSULTATION, actor, note=note)
    return s


@transaction.atomic
def suggestion_co_opinion(*, suggestion: Suggestion, opinion: str, actor: Any) -> Assignment:
    s = lock_for_step(suggestion, Action.CO_OPINION, actor)
    require(bool(opinion.strip()), "请填写协办意见。")
    a = s.assignments.get(status=AssignmentStatus.ACTIVE, role=UnitRole.CO, unit_id=actor.unit_id)
    a.opinion, a.opinion_on = opinion, local_today()
    a.save()
    record_step(s, Action.CO_OPINION, actor, note=opinion)
    return a


@transaction.atomic
def suggestion_request_extension(*, suggestion: Suggestion, months: int, reason: str, actor: Any) -> Extension:
    s = lock_for_step(suggestion, Action.REQUEST_EXTENSION, actor)
    policy = policy_for(s.assigned_on or local_today(), s.congress)
    require(not s.extensions.filter(status=ExtensionStatus.PENDING).exists(), "已有待审批的延期申请。")
    used = sum(e.months for e in s.extensions.filter(status=ExtensionStatus.APPROVED))
    require(months >= 1, "延期至少1个月。")
    require(
        used + months <= policy.max_extension_months,
        f"延期合计不能超过{policy.max_extension_months}个月（已批准{used}个月）。",
    )
    require(bool(reason.strip()), "请说明延期理由。")
    e = Extension.objects.create(suggestion=s, unit=unit_of(actor), months=months, reason=reason, old_due_on=s.due_on)
    record_step(s, Action.REQUEST_EXTENSION, actor, note=f"申请延期{months}个月：{reason}")
    notify(staff_users(s), f"延期申请待审批：{s.title}", s)
    return e


@transaction.atomic
def suggestion_decide_extension(*, extension: Extension, approve: bool, note: str, actor: Any) -> Extension:
    s = lock_for_step(extension.suggestion, Action.DECIDE_EXTENSION, actor)
    e = Extension.objects.select_for_update().get(pk=extension.pk)
    require(e.status == ExtensionStatus.PENDING, "该延期申请已审批。")
    e.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
    e.decided_at, e.decision_note = timezone.now(), note
    if approve:
        e.new_due_on = workdays.due_after_months(s.due_on, e.months)
        s.due_on = e.new_due_on
    e.save()
    verdict = f"批准延期至{e.new_due_on:%Y-%m-%d}" if approve else "不批准延期"
    record_step(
        s,
        Action.DECIDE_EXTENSION,
        actor,
        note=f"{verdict}。{note}".strip("。") + "。",
        changes={"due_on": [str(e.old_due_on), str(s.due_on)]},
    )
    notify(unit_users([e.unit_id]), f"延期申请{'已批准' if approve else '未批准'}：{s.title}", s)
    return e


@transaction.atomic
def suggestion_reply(
    *,
    suggestion: Suggestion,
    text: str,
    result_class: ResultClass,
    publishable: bool,
    follow_up_on: datetime.date | None,
    actor: Any,
    files: Sequence[UploadedFile] = (),
    version: int | None = None,
) -> Reply:
    """The lead unit's reply. `version`: the assignment the form was shown under (`assignment_version`); a reply
    written before the suggestion was reassigned or sent back is refused, and nothing of it is written."""
    s = lock(suggestion)
    check_assignment(s, version)
    workflow.transition(s.state, Action.REPLY, actor_roles(actor, s))
    require(bool(text.strip()), "请填写答复内容。")
    waiting = s.assignments.filter(status=AssignmentStatus.ACTIVE, role=UnitRole.CO, opinion_on__isnull=True)
    names = "、".join(a.unit.name for a in waiting.select_related("unit"))
    require(not names, f"协办单位{names}尚未提出协办意见，暂不能答复。")
    consulted = s.consultations.filter(round=s.round).exists()
    require(consulted or s.consultation_waived, "答复前须先记录与代表的沟通联系（或经代工委同意免予面商）。")
    if result_class.needs_follow_up:
        require(follow_up_on is not None, f"{result_class.code}类答复须填写跟踪落实日期。")
        require(follow_up_on > local_today(), "跟踪落实日期应晚于今天。")
    reply = Reply.objects.create(
        suggestion=s,
        unit=unit_of(actor),
        round=s.round,
        text=text,
        result_class=result_class,
        publishable=publishable,
        follow_up_on=follow_up_on if result_class.needs_follow_up else None,
        submitted_on=local_today(),
    )
    attach(s, files, actor, reply=reply)
    s.replied_on = local_today()
    record_step(
        s,
        Action.REPLY,
        actor,
        note=f"第{s.round}轮答复，{result_class}"
        + ("" if s.due_on is None or s.replied_on <= s.due_on else "（逾期）"),
        data={"reply": reply.pk, "on_time": s.due_on is None or s.replied_on <= s.due_on},
    )
    notify(staff_users(s), f"答复待审核：{s.title}", s)
    return reply


@transaction.atomic
def suggestion_review_reply(*, suggestion: Suggestion, accept: bool, note: str, actor: Any) -> Suggestion:
    s = lock(suggestion)
    reply = s.replies.filter(round=s.round, review_status=ReviewStatus.PENDING).order_by("-id").first()
    if not accept:
        workflow.transition(s.state, Action.SEND_BACK_REPLY, actor_roles(actor, s))
        require(bool(note.strip()), "退回答复须说明理由。")
    if reply is not None and s.state == State.REPLIED:
        reply.review_status = ReviewStatus.ACCEPTED if accept else ReviewStatus.SENT_BACK
        reply.review_note = note
        reply.save()
    if accept:
        s.result_class = reply.result_class if reply else None
        s.publish_reply = bool(reply and reply.publishable)
        s.follow_up_on = reply.follow_up_on if reply else None
        s.evaluation_due_on = workdays.add_workdays(
            local_today(), policy_for(local_today(), s.congress).evaluation_workdays
        )
        record_step(s, Action.ACCEPT_REPLY, actor, note=note)
        notify(deputy_users(s), f"建议已答复，请评价：{s.title}", s)
    else:
        s.replied_on = None
        record_step(s, Action.SEND_BACK_REPLY, actor, note=note)
        notify(
            unit_users(
                s.assignments.filter(status=AssignmentStatus.ACTIVE, role=UnitRole.LEAD).values_list(
                    "unit_id", flat=True
                )
            ),
            f"答复被退回，请修改：{s.title}",
            s,
        )
    return s
