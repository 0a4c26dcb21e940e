"""Every step of a suggestion's course. Each service is one transaction that locks the
suggestion, asks the workflow table, writes, and adds a timeline event and an audit row.
Notifications go out on commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from deputyhome.accounts.choices import Role
from deputyhome.audit.services import record
from deputyhome.core import uploads, workdays
from deputyhome.deputies.models import Deputy
from deputyhome.organisation.models import HandlingUnit, Session

from . import workflow
from .choices import Action, ActorRole, AssignmentStatus, ExtensionStatus, ReviewStatus, Satisfaction, State, UnitRole
from .models import (
    Assignment,
    Attachment,
    Category,
    Consultation,
    CoSigner,
    Evaluation,
    Event,
    Extension,
    Policy,
    RegisterCounter,
    Reply,
    ResultClass,
    Suggestion,
)

MAX_ATTACHMENT_BYTES = uploads.MAX_DOCUMENT_BYTES
ALLOWED_EXTENSIONS = uploads.ATTACHMENT_EXTENSIONS


# Who is who on one suggestion -----------------------------------------------------------------------------


def actor_roles(user: Any, suggestion: Suggestion) -> set[str]:
    """The parts `user` plays on `suggestion`; None is the scheduler (SYSTEM)."""
    if user is None:
        return {ActorRole.SYSTEM}
    roles: set[str] = set()
    if user.deputy_id and user.deputy_id == suggestion.author_id:
        roles.add(ActorRole.AUTHOR)
    if user.deputy_id and any(c.deputy_id == user.deputy_id for c in suggestion.cosigners.all()):
        roles.add(ActorRole.COSIGNER)
    if user.role == Role.CITY_OFFICER:
        roles |= {ActorRole.STAFF, ActorRole.ENTRY}
    if user.role == Role.TOWNSHIP_OFFICER and suggestion.created_by_id == user.pk:
        roles.add(ActorRole.ENTRY)
    if user.role in (Role.SUPERVISOR, Role.LEADER):
        roles.add(ActorRole.SUPERVISOR)
    if user.role == Role.UNIT_CLERK and user.unit_id:
        for a in suggestion.assignments.all():
            if a.unit_id == user.unit_id and a.status == AssignmentStatus.ACTIVE:
                roles.add(ActorRole.LEAD_UNIT if a.role == UnitRole.LEAD else ActorRole.CO_UNIT)
    return roles


def allowed_actions(user: Any, suggestion: Suggestion) -> list[str]:
    return workflow.allowed_actions(suggestion.state, actor_roles(user, suggestion))


def policy_for(day: datetime.date) -> Policy:
    """The policy of the newest year at or before `day`; the defaults when none is configured."""
    return Policy.objects.filter(year__lte=day.year).order_by("-year").first() or Policy(year=day.year)


def _today() -> datetime.date:
    return timezone.localdate()


def _actor_label(user: Any) -> str:
    if user is None:
        return "系统"
    if user.role == Role.UNIT_CLERK and user.unit_id:
        return f"{user.unit}（{user}）"
    return str(user)


def _lock(suggestion: Suggestion) -> Suggestion:
    return Suggestion.objects.select_for_update().get(pk=suggestion.pk)


def _step(
    suggestion: Suggestion,
    action: str,
    actor: Any,
    *,
    note: str = "",
    data: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
    to: str | None = None,
) -> str:
    """Check the move (unless the caller already did and passes `to`), set the new state, and
    write the timeline event and the audit row."""
    before = suggestion.state
    after = to if to is not None else workflow.transition(before, action, actor_roles(actor, suggestion))
    suggestion.state = after
    suggestion.save()
    Event.objects.create(
        suggestion=suggestion,
        on=_today(),
        actor=actor,
        actor_label=_actor_label(actor),
        action=action,
        from_state=before,
        to_state=after,
        round=suggestion.round,
        note=note,
        data=data or {},
    )
    record(
        actor=actor or "system",
        action=f"suggestion.{action}",
        obj=suggestion,
        changes={"state": [before, after], **(changes or {})} if before != after else (changes or {}),
        detail=note[:500],
    )
    return after


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _unit_of(actor: Any) -> HandlingUnit:
    return HandlingUnit.objects.get(pk=actor.unit_id)


def _notify(users: Iterable[Any], subject: str, suggestion: Suggestion, key: str = "") -> None:
    from deputyhome.notifications.services import notify

    recipients = [u for u in users if u is not None]
    transaction.on_commit(
        lambda: notify(users=recipients, subject=subject, link=suggestion.get_absolute_url(), key=key)
    )


def _unit_users(unit_ids: Iterable[int]):
    from deputyhome.accounts.models import User

    return list(User.objects.filter(role=Role.UNIT_CLERK, unit_id__in=list(unit_ids), is_active=True))


def _deputy_users(suggestion: Suggestion):
    from deputyhome.accounts.models import User

    ids = [
        suggestion.author_id,
        *suggestion.cosigners.filter(confirmed_at__isnull=False).values_list("deputy_id", flat=True),
    ]
    return list(User.objects.filter(deputy_id__in=ids, is_active=True))


def _staff_users():
    from deputyhome.accounts.models import User

    return list(User.objects.filter(role=Role.CITY_OFFICER, is_active=True))


# Drafting and submission ----------------------------------------------------------------------------------


def _check_file(f: UploadedFile) -> None:
    """Type, size and content (a renamed file is refused): see core.uploads.check_attachment."""
    uploads.check_attachment(f)


def _attach(suggestion: Suggestion, files: Sequence[UploadedFile], actor: Any, reply: Reply | None = None) -> None:
    for f in files:
        _check_file(f)
    for f in files:
        Attachment.objects.create(
            suggestion=suggestion, reply=reply, file=f, name=f.name[:200], size=f.size, uploaded_by=actor
        )


def _set_cosigners(suggestion: Suggestion, cosigners: Iterable[Deputy], actor: Any) -> None:
    wanted = {d.pk for d in cosigners if d.pk != suggestion.author_id}
    suggestion.cosigners.exclude(deputy_id__in=wanted).delete()
    existing = set(suggestion.cosigners.values_list("deputy_id", flat=True))
    for deputy_id in wanted - existing:
        CoSigner.objects.create(suggestion=suggestion, deputy_id=deputy_id, confirmed_at=None)


CONTENT_FIELDS = ("title", "situation", "reasons", "proposals", "session")


@transaction.atomic
def suggestion_create(
    *,
    author: Deputy,
    data: dict[str, Any],
    actor: Any,
    cosigners: Iterable[Deputy] = (),
    files: Sequence[UploadedFile] = (),
) -> Suggestion:
    """A new draft, private to its author and to the officer who entered it."""
    fields = {k: v for k, v in data.items() if k in CONTENT_FIELDS}
    _require(bool((fields.get("title") or "").strip()), "请填写建议标题。")
    suggestion = Suggestion.objects.create(
        author=author, created_by=actor, year=_today().year, region=author.region, state=State.DRAFT, **fields
    )
    _set_cosigners(suggestion, cosigners, actor)
    _attach(suggestion, files, actor)
    Event.objects.create(
        suggestion=suggestion,
        on=_today(),
        actor=actor,
        actor_label=_actor_label(actor),
        action=Action.CREATE,
        to_state=State.DRAFT,
    )
    record(actor=actor, action="suggestion.create", obj=suggestion, changes={k: [None, v] for k, v in fields.items()})
    return suggestion


@transaction.atomic
def suggestion_update(
    *,
    suggestion: Suggestion,
    data: dict[str, Any],
    actor: Any,
    cosigners: Iterable[Deputy] | None = None,
    files: Sequence[UploadedFile] = (),
) -> Suggestion:
    s = _lock(suggestion)
    workflow.transition(s.state, Action.EDIT, actor_roles(actor, s))
    changes = {}
    for key, value in data.items():
        if key in CONTENT_FIELDS and getattr(s, key) != value:
            changes[key] = [str(getattr(s, key)), str(value)]
            setattr(s, key, value)
    if cosigners is not None:
        _set_cosigners(s, cosigners, actor)
    _attach(s, files, actor)
    s.save()
    record(actor=actor, action="suggestion.edit", obj=s, changes=changes)
    return s


@transaction.atomic
def suggestion_submit(*, suggestion: Suggestion, actor: Any) -> Suggestion:
    s = _lock(suggestion)
    _require(bool(s.proposals.strip()), "请填写“意见建议”后再提交。")
    s.submitted_at = timezone.now()
    s.year = _today().year if s.session_id is None else s.session.start_date.year
    s.region = s.author.region
    s.return_reason, s.return_note = "", ""
    _step(s, Action.SUBMIT, actor, note="会议期间提出" if s.session_id else "闭会期间提出")
    _notify(_staff_users(), f"新提交的代表建议：{s.title}", s)
    pending = s.cosigners.filter(confirmed_at__isnull=True).values_list("deputy_id", flat=True)
    from deputyhome.accounts.models import User

    _notify(User.objects.filter(deputy_id__in=list(pending)), f"请确认联名：{s.title}", s)
    return s


@transaction.atomic
def suggestion_confirm_cosign(*, suggestion: Suggestion, actor: Any) -> Suggestion:
    s = _lock(suggestion)
    workflow.transition(s.state, Action.CONFIRM_COSIGN, actor_roles(actor, s))
    row = s.cosigners.get(deputy_id=actor.deputy_id)
    _require(row.confirmed_at is None, "您已确认过联名。")
    row.confirmed_at = timezone.now()
    row.save()
    _step(s, Action.CONFIRM_COSIGN, actor, note=f"{row.deputy}确认联名", to=s.state)
    return s


@transaction.atomic
def suggestion_withdraw(*, suggestion: Suggestion, actor: Any, note: str = "") -> Suggestion:
    s = _lock(suggestion)
    _step(s, Action.WITHDRAW, actor, note=note)
    return s


# Screening and registration -------------------------------------------------------------------------------


@transaction.atomic
def suggestion_return(*, suggestion: Suggestion, reason: str, note: str, actor: Any) -> Suggestion:
    s = _lock(suggestion)
    _require(bool(reason), "请选择退回理由。")
    s.return_reason, s.return_note = reason, note
    _step(
        s,
        Action.RETURN,
        actor,
        note=f"{s.get_return_reason_display()}。{note}".strip("。") + "。",
        data={"reason": reason},
    )
    _notify(_deputy_users(s), f"您的建议被退回：{s.title}", s)
    return s


def _next_number(s: Suggestion) -> int:
    scope = f"session:{s.session_id}" if s.session_id else f"recess:{s.year}"
    counter, _ = RegisterCounter.objects.select_for_update().get_or_create(scope=scope)
    counter.last += 1
    counter.save()
    return counter.last


@transaction.atomic
def suggestion_register(*, suggestion: Suggestion, category: Category, actor: Any) -> Suggestion:
    """Accept at screening: a number without gaps in its session (or recess year), a category, the register."""
    s = _lock(suggestion)
    workflow.transition(s.state, Action.REGISTER, actor_roles(actor, s))
    _require(category is not None, "请选择建议分类。")
    s.number = _next_number(s)
    s.category = category
    s.registered_on = _today()
    _step(s, Action.REGISTER, actor, note=f"立案为{s.number_label}，分类：{category}", data={"number": s.number})
    return s


# Assignment ------------------------------------------------------------------------------------------------


@transaction.atomic
def suggestion_assign(
    *,
    suggestion: Suggestion,
    lead_unit: HandlingUnit,
    co_units: Iterable[HandlingUnit] = (),
    requirements: str = "",
    is_complex: bool = False,
    actor: Any,
) -> Suggestion:
    s = _lock(suggestion)
    workflow.transition(s.state, Action.ASSIGN, actor_roles(actor, s))
    co_units = [u for u in co_units if u.pk != lead_unit.pk]
    today = _today()
    policy = policy_for(today)
    s.assignments.filter(status=AssignmentStatus.ACTIVE).update(status=AssignmentStatus.REPLACED)
    Assignment.objects.create(
        suggestion=s,
        unit=lead_unit,
        role=UnitRole.LEAD,
        assigned_on=today,
        return_by=workdays.add_workdays(today, policy.unit_return_workdays),
    )
    for unit in co_units:
        Assignment.objects.create(
            suggestion=s,
            unit=unit,
            role=UnitRole.CO,
            assigned_on=today,
            return_by=workdays.add_workdays(today, policy.unit_return_workdays),
            opinion_due_on=workdays.due_after_months(today, policy.co_opinion_months),
        )
    months = policy.complex_handling_months if is_complex else policy.handling_months
    s.is_complex = is_complex
    s.requirements = requirements
    s.assigned_on = today
    s.due_on = workdays.due_after_months(today, months)
    co_names = "、".join(u.name for u in co_units)
    _step(
        s,
        Action.ASSIGN,
        actor,
        note=f"主办：{lead_unit}" + (f"；协办：{co_names}" if co_names else "") + f"；办理期限：{s.due_on:%Y-%m-%d}",
        data={"lead": lead_unit.pk, "co": [u.pk for u in co_units], "due_on": s.due_on.isoformat()},
    )
    _notify(_unit_users([lead_unit.pk, *[u.pk for u in co_units]]), f"新交办的代表建议：{s.title}", s)
    return s


@transaction.atomic
def suggestion_receive(*, suggestion: Suggestion, actor: Any) -> Suggestion:
    s = _lock(suggestion)
    workflow.transition(s.state, Action.RECEIVE, actor_roles(actor, s))
    s.assignments.filter(status=AssignmentStatus.ACTIVE, role=UnitRole.LEAD).update(received_on=_today())
    _step(s, Action.RECEIVE, actor)
    return s


@transaction.atomic
def suggestion_unit_return(*, suggestion: Suggestion, reason: str, actor: Any) -> Suggestion:
    """The lead unit sends back a wrong assignment within the return window; staff assign again."""
    s = _lock(suggestion)
    to = workflow.transition(s.state, Action.UNIT_RETURN, actor_roles(actor, s))
    _require(bool(reason.strip()), "请说明退回理由。")
    lead = s.assignments.get(status=AssignmentStatus.ACTIVE, role=UnitRole.LEAD)
    _require(
        lead.return_by is None or _today() <= lead.return_by,
        f"已超过申请退回期限（{lead.return_by:%Y-%m-%d}），请与代工委联系。",
    )
    s.assignments.filter(status=AssignmentStatus.ACTIVE).update(status=AssignmentStatus.RETURNED)
    Assignment.objects.filter(pk=lead.pk).update(returned_on=_today(), return_reason=reason)
    s.due_on = None
    _step(s, Action.UNIT_RETURN, actor, note=reason, to=to)
    _notify(_staff_users(), f"承办单位申请退回，请重新交办：{s.title}", s)
    return s


# Handling --------------------------------------------------------------------------------------------------


@transaction.atomic
def suggestion_consult(
    *, suggestion: Suggestion, date: datetime.date, way: str, notes: str, actor: Any
) -> Consultation:
    s = _lock(suggestion)
    workflow.transition(s.state, Action.CONSULT, actor_roles(actor, s))
    _require(date <= _today(), "沟通日期不能晚于今天。")
    _require(s.assigned_on is None or date >= s.assigned_on, "沟通日期不能早于交办日期。")
    c = Consultation.objects.create(
        suggestion=s, unit=_unit_of(actor), round=s.round, date=date, way=way, notes=notes, recorded_by=actor
    )
    _step(s, Action.CONSULT, actor, note=f"{date:%Y-%m-%d} {c.get_way_display()}沟通：{notes}")
    return c


@transaction.atomic
def suggestion_waive_consultation(*, suggestion: Suggestion, note: str, actor: Any) -> Suggestion:
    s = _lock(suggestion)
    s.consultation_waived = True
    _step(s, Action.WAIVE_CONSULTATION, actor, note=note)
    return s


@transaction.atomic
def suggestion_co_opinion(*, suggestion: Suggestion, opinion: str, actor: Any) -> Assignment:
    s = _lock(suggestion)
    workflow.transition(s.state, Action.CO_OPINION, actor_roles(actor, s))
    _require(bool(opinion.strip()), "请填写协办意见。")
    a = s.assignments.get(status=AssignmentStatus.ACTIVE, role=UnitRole.CO, unit_id=actor.unit_id)
    a.opinion, a.opinion_on = opinion, _today()
    a.save()
    _step(s, Action.CO_OPINION, actor, note=opinion)
    return a


@transaction.atomic
def suggestion_request_extension(*, suggestion: Suggestion, months: int, reason: str, actor: Any) -> Extension:
    s = _lock(suggestion)
    workflow.transition(s.state, Action.REQUEST_EXTENSION, actor_roles(actor, s))
    policy = policy_for(s.assigned_on or _today())
    _require(not s.extensions.filter(status=ExtensionStatus.PENDING).exists(), "已有待审批的延期申请。")
    used = sum(e.months for e in s.extensions.filter(status=ExtensionStatus.APPROVED))
    _require(months >= 1, "延期至少1个月。")
    _require(
        used + months <= policy.max_extension_months,
        f"延期合计不能超过{policy.max_extension_months}个月（已批准{used}个月）。",
    )
    _require(bool(reason.strip()), "请说明延期理由。")
    e = Extension.objects.create(suggestion=s, unit=_unit_of(actor), months=months, reason=reason, old_due_on=s.due_on)
    _step(s, Action.REQUEST_EXTENSION, actor, note=f"申请延期{months}个月：{reason}")
    _notify(_staff_users(), f"延期申请待审批：{s.title}", s)
    return e


@transaction.atomic
def suggestion_decide_extension(*, extension: Extension, approve: bool, note: str, actor: Any) -> Extension:
    s = _lock(extension.suggestion)
    workflow.transition(s.state, Action.DECIDE_EXTENSION, actor_roles(actor, s))
    e = Extension.objects.select_for_update().get(pk=extension.pk)
    _require(e.status == ExtensionStatus.PENDING, "该延期申请已审批。")
    e.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
    e.decided_at, e.decision_note = timezone.now(), note
    if approve:
        e.new_due_on = workdays.due_after_months(s.due_on, e.months)
        s.due_on = e.new_due_on
    e.save()
    verdict = f"批准延期至{e.new_due_on:%Y-%m-%d}" if approve else "不批准延期"
    _step(
        s,
        Action.DECIDE_EXTENSION,
        actor,
        note=f"{verdict}。{note}".strip("。") + "。",
        changes={"due_on": [str(e.old_due_on), str(s.due_on)]},
    )
    _notify(_unit_users([e.unit_id]), f"延期申请{'已批准' if approve else '未批准'}：{s.title}", s)
    return e


# Reply and review ------------------------------------------------------------------------------------------


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
) -> Reply:
    s = _lock(suggestion)
    workflow.transition(s.state, Action.REPLY, actor_roles(actor, s))
    _require(bool(text.strip()), "请填写答复内容。")
    consulted = s.consultations.filter(round=s.round).exists()
    _require(consulted or s.consultation_waived, "答复前须先记录与代表的沟通联系（或经代工委同意免予面商）。")
    if result_class.needs_follow_up:
        _require(follow_up_on is not None, f"{result_class.code}类答复须填写跟踪落实日期。")
        _require(follow_up_on > _today(), "跟踪落实日期应晚于今天。")
    reply = Reply.objects.create(
        suggestion=s,
        unit=_unit_of(actor),
        round=s.round,
        text=text,
        result_class=result_class,
        publishable=publishable,
        follow_up_on=follow_up_on if result_class.needs_follow_up else None,
        submitted_on=_today(),
    )
    _attach(s, files, actor, reply=reply)
    s.replied_on = _today()
    _step(
        s,
        Action.REPLY,
        actor,
        note=f"第{s.round}轮答复，{result_class}"
        + ("" if s.due_on is None or s.replied_on <= s.due_on else "（逾期）"),
        data={"reply": reply.pk, "on_time": s.due_on is None or s.replied_on <= s.due_on},
    )
    _notify(_staff_users(), f"答复待审核：{s.title}", s)
    return reply


@transaction.atomic
def suggestion_review_reply(*, suggestion: Suggestion, accept: bool, note: str, actor: Any) -> Suggestion:
    s = _lock(suggestion)
    reply = s.replies.filter(round=s.round, review_status=ReviewStatus.PENDING).order_by("-id").first()
    if not accept:
        workflow.transition(s.state, Action.SEND_BACK_REPLY, actor_roles(actor, s))
        _require(bool(note.strip()), "退回答复须说明理由。")
    if reply is not None and s.state == State.REPLIED:
        reply.review_status = ReviewStatus.ACCEPTED if accept else ReviewStatus.SENT_BACK
        reply.review_note = note
        reply.save()
    if accept:
        s.result_class = reply.result_class if reply else None
        s.publish_reply = bool(reply and reply.publishable)
        s.follow_up_on = reply.follow_up_on if reply else None
        s.evaluation_due_on = workdays.add_workdays(_today(), policy_for(_today()).evaluation_workdays)
        _step(s, Action.ACCEPT_REPLY, actor, note=note)
        _notify(_deputy_users(s), f"建议已答复，请评价：{s.title}", s)
    else:
        s.replied_on = None
        _step(s, Action.SEND_BACK_REPLY, actor, note=note)
        _notify(
            _unit_users(
                s.assignments.filter(status=AssignmentStatus.ACTIVE, role=UnitRole.LEAD).values_list(
                    "unit_id", flat=True
                )
            ),
            f"答复被退回，请修改：{s.title}",
            s,
        )
    return s


# Evaluation ------------------------------------------------------------------------------------------------


def _evaluators(s: Suggestion) -> list[int]:
    return [s.author_id, *s.cosigners.filter(confirmed_at__isnull=False).values_list("deputy_id", flat=True)]


def _conclude_if_complete(s: Suggestion, actor: Any) -> None:
    """Once every deputy has answered (or been recorded as not answering), close or re-handle."""
    answered = set(s.evaluations.filter(round=s.round).values_list("deputy_id", flat=True))
    if not set(_evaluators(s)) <= answered:
        return
    dissatisfied = s.evaluations.filter(round=s.round, result=Satisfaction.DISSATISFIED).exists()
    if dissatisfied and s.round == 1:
        today = _today()
        s.round = 2
        s.consultation_waived = False
        s.due_on = workdays.due_after_months(today, policy_for(today).rehandling_months)
        s.evaluation_due_on = None
        _step(s, Action.REHANDLE, None, note=f"代表不满意，转重新办理，期限{s.due_on:%Y-%m-%d}")
        lead_ids = s.assignments.filter(status=AssignmentStatus.ACTIVE, role=UnitRole.LEAD).values_list(
            "unit_id", flat=True
        )
        _notify(_unit_users(lead_ids), f"代表不满意，请重新办理：{s.title}", s)
    else:
        s.closed_on = _today()
        _step(s, Action.CLOSE, None, note="评价完成，办结")


@transaction.atomic
def suggestion_evaluate(*, suggestion: Suggestion, attitude: str, result: str, comment: str, actor: Any) -> Evaluation:
    s = _lock(suggestion)
    workflow.transition(s.state, Action.EVALUATE, actor_roles(actor, s))
    _require(actor.deputy_id in _evaluators(s), "只有领衔代表和已确认的联名代表可以评价。")
    _require(not s.evaluations.filter(round=s.round, deputy_id=actor.deputy_id).exists(), "您已评价过本轮答复。")
    _require(attitude in Satisfaction.values and result in Satisfaction.values, "请选择办理态度和办理结果的满意程度。")
    ev = Evaluation.objects.create(
        suggestion=s,
        deputy_id=actor.deputy_id,
        round=s.round,
        attitude=attitude,
        result=result,
        comment=comment,
        evaluated_on=_today(),
    )
    _step(
        s,
        Action.EVALUATE,
        actor,
        note=f"办理态度：{Satisfaction(attitude).label}；办理结果：{Satisfaction(result).label}。{comment}".strip(),
        data={"attitude": attitude, "result": result},
    )
    _conclude_if_complete(s, actor)
    return ev


@transaction.atomic
def suggestion_record_no_evaluation(*, suggestion: Suggestion) -> Suggestion:
    """The evaluation window passed: record who did not answer, visibly, and conclude."""
    s = _lock(suggestion)
    workflow.transition(s.state, Action.NO_EVALUATION, {ActorRole.SYSTEM})
    _require(
        s.evaluation_due_on is not None and _today() > s.evaluation_due_on,
        "评价期限未过，不能记为逾期未评价。",
    )
    answered = set(s.evaluations.filter(round=s.round).values_list("deputy_id", flat=True))
    missing = [d for d in _evaluators(s) if d not in answered]
    for deputy_id in missing:
        Evaluation.objects.create(
            suggestion=s, deputy_id=deputy_id, round=s.round, no_response=True, evaluated_on=_today()
        )
    names = "、".join(Deputy.objects.filter(pk__in=missing).values_list("name", flat=True))
    _step(s, Action.NO_EVALUATION, None, note=f"评价期限{s.evaluation_due_on:%Y-%m-%d}已过，{names}未评价")
    _conclude_if_complete(s, None)
    return s


# Supervision -----------------------------------------------------------------------------------------------


@transaction.atomic
def suggestion_mark_key(*, suggestion: Suggestion, leader: str, actor: Any, note: str = "") -> Suggestion:
    s = _lock(suggestion)
    _require(bool(leader.strip()), "请填写督办领导。")
    s.is_key, s.key_leader = True, leader.strip()
    _step(s, Action.MARK_KEY, actor, note=f"列为重点督办，督办领导：{s.key_leader}。{note}".strip())
    return s


@transaction.atomic
def supervision_record_add(
    *, suggestion: Suggestion, method: str, date: datetime.date, findings: str, follow_up: str, actor: Any
):
    from deputyhome.supervision.models import SupervisionRecord

    s = _lock(suggestion)
    workflow.transition(s.state, Action.SUPERVISE, actor_roles(actor, s))
    _require(bool(findings.strip()), "请填写督办情况。")
    _require(date <= _today(), "督办日期不能晚于今天。")
    rec = SupervisionRecord.objects.create(
        suggestion=s, method=method, date=date, findings=findings, follow_up=follow_up, recorded_by=actor
    )
    _step(s, Action.SUPERVISE, actor, note=f"{rec.get_method_display()}：{findings}")
    return rec


def sessions_open_for_submission() -> list[Session]:
    """Sessions a suggestion may be linked to: those of current congresses, newest first."""
    return list(
        Session.objects.filter(congress__is_current=True).select_related("congress").order_by("-start_date")[:20]
    )


@transaction.atomic
def default_lists_ensure(*, actor: Any) -> list[str]:
    """Add the default categories and result classes that are missing (DOMAIN.md); audited.

    A new database gets them from a data migration; this restores them where they were emptied
    (e.g. a test database after a flush) before the demo is built. Existing rows are left as edited.
    """
    from decimal import Decimal

    from .defaults import CATEGORIES, RESULT_CLASSES

    added: list[str] = []
    for order, name in enumerate(CATEGORIES, start=1):
        if Category.objects.get_or_create(name=name, defaults={"order": order})[1]:
            added.append(f"分类：{name}")
    for order, (code, label, follow, weight) in enumerate(RESULT_CLASSES, start=1):
        _, created = ResultClass.objects.get_or_create(
            code=code,
            defaults={"label": label, "needs_follow_up": follow, "score_weight": Decimal(weight), "order": order},
        )
        if created:
            added.append(f"办理结果：{code}类")
    if added:
        record(
            actor=actor,
            action="suggestion_settings.defaults",
            object_type="suggestions.category",
            changes={"added": added},
        )
    return added
