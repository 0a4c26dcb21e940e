"""A township forwards a matter of its suggestion up to a city unit (转请上级办理), the unit answers, or the
township withdraws the forward. The suggestion's own course does not move: each step is a timeline event
(from its state to the same state) with its audit row, and the people concerned hear of it on commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import Role
from deputyhome.core import workdays
from deputyhome.organisation.models import HandlingUnit

from .. import workflow
from ..choices import Action, ForwardStatus
from ..models import Forward, Suggestion
from .course import (
    actor_roles,
    attach,
    is_township_work,
    local_today,
    lock,
    notify,
    policy_for,
    record_step,
    require,
    staff_users,
    unit_users,
    units_serving,
)
from .lists import county_congress

NOT_TOWNSHIP = "这件建议由市人大常委会代工委受理，不能转请市级办理；需要市级单位办理的，请直接交办。"


def city_units_for(suggestion: Suggestion) -> QuerySet[HandlingUnit]:
    """The units a township's suggestion may be forwarded to: those serving the city congress over it."""
    region = suggestion.congress.region if suggestion.congress_id else None
    return units_serving(county_congress(region)).order_by("kind", "name")


def default_due_on(day: datetime.date) -> datetime.date:
    """A forward's default due date: the policy's handling period from the day it is forwarded."""
    return workdays.due_after_months(day, policy_for(day).handling_months)


def may_forward(user: Any, suggestion: Suggestion) -> bool:
    """Whether `user` may forward `suggestion` now: the staff of its township congress, in a forwardable state."""
    return (
        is_township_work(suggestion)
        and suggestion.state in workflow.FORWARDABLE_STATES
        and Action.FORWARD_UP in workflow.allowed_actions(suggestion.state, actor_roles(user, suggestion))
    )


def may_answer(user: Any, forward: Forward) -> bool:
    """The clerk of the city unit the matter was forwarded to, while it waits for the answer."""
    return bool(
        user.role == Role.UNIT_CLERK and user.unit_id == forward.unit_id and forward.status == ForwardStatus.PENDING
    )


def may_withdraw_forward(user: Any, forward: Forward) -> bool:
    """The staff of the suggestion's township congress, while the forward waits for the answer."""
    return forward.status == ForwardStatus.PENDING and scopes.is_congress_staff(user, forward.suggestion.congress)


def _city_officers() -> list[Any]:
    from deputyhome.accounts.models import User

    return list(User.objects.filter(role=Role.CITY_OFFICER, is_active=True))


def _lock_forward(forward: Forward) -> tuple[Suggestion, Forward]:
    """Lock the suggestion, then the forward (always in this order, like every step of the course)."""
    s = lock(forward.suggestion)
    return s, Forward.objects.select_for_update().select_related("unit").get(pk=forward.pk)


@transaction.atomic
def suggestion_forward_up(
    *, suggestion: Suggestion, unit: HandlingUnit, note: str, actor: Any, due_on: datetime.date | None = None
) -> Forward:
    """Forward a matter of a township congress's suggestion to a city unit, answer due by `due_on` (default: the
    policy's handling period from today). At most one pending forward per unit."""
    s = lock(suggestion)
    require(is_township_work(s), NOT_TOWNSHIP)
    if not scopes.is_congress_staff(actor, s.congress):
        raise PermissionDenied("只有受理这件建议的乡镇人大工作人员可以转请市级办理。")
    workflow.transition(s.state, Action.FORWARD_UP, actor_roles(actor, s))
    today = local_today()
    due_on = due_on or default_due_on(today)
    errors: dict[str, str] = {}
    if not city_units_for(s).filter(pk=unit.pk).exists():
        errors["unit"] = f"{unit}不是市级承办单位，请选择市直单位。"
    elif s.forwards.filter(unit=unit, status=ForwardStatus.PENDING).exists():
        errors["unit"] = f"已转请{unit}办理，尚待答复；请勿重复转办。"
    if due_on < today:
        errors["due_on"] = "答复期限不能早于今天。"
    if not note.strip():
        errors["note"] = "请写明请市级单位办理的事项。"
    if errors:
        raise ValidationError(errors)
    f = Forward.objects.create(
        suggestion=s, unit=unit, forwarded_by=actor, forwarded_on=today, due_on=due_on, note=note.strip()
    )
    record_step(
        s,
        Action.FORWARD_UP,
        actor,
        note=f"转请{unit}办理，答复期限：{due_on:%Y-%m-%d}。{f.note}",
        data={"forward": f.pk, "unit": unit.pk, "due_on": due_on.isoformat()},
        changes={"forward": f.pk, "unit": unit.name, "due_on": due_on.isoformat()},
        to=s.state,
    )
    subject = f"{s.congress}转请办理，请于{due_on:%Y-%m-%d}前答复：{s.title}"
    notify(unit_users([unit.pk]) + _city_officers(), subject, s)
    return f


@transaction.atomic
def forward_answer(*, forward: Forward, answer: str, actor: Any, files: Sequence[UploadedFile] = ()) -> Forward:
    """The city unit's answer to a forwarded matter, with its files (答复函); once only."""
    s, f = _lock_forward(forward)
    if not (actor.role == Role.UNIT_CLERK and actor.unit_id == f.unit_id):
        raise PermissionDenied("只有被转请办理的市级单位可以答复。")
    require(f.status == ForwardStatus.PENDING, f"这项转办{f.get_status_display()}，不能再答复。")
    require(bool(answer.strip()), "请填写答复内容。")
    today = local_today()
    f.status, f.answer, f.answered_on, f.answered_by = ForwardStatus.ANSWERED, answer.strip(), today, actor
    f.save()
    attach(s, files, actor, forward=f)
    late = "（逾期）" if today > f.due_on else ""
    record_step(
        s,
        Action.FORWARD_ANSWER,
        actor,
        note=f"{f.unit}答复转办事项{late}：{f.answer}",
        data={"forward": f.pk, "on_time": not late},
        changes={
            "forward": f.pk,
            "status": [ForwardStatus.PENDING, ForwardStatus.ANSWERED],
            **({"files": [u.name[:200] for u in files]} if files else {}),
        },
        to=s.state,
    )
    notify(staff_users(s) + _city_officers(), f"{f.unit}已答复转办事项：{s.title}", s)
    return f


@transaction.atomic
def forward_withdraw(*, forward: Forward, actor: Any, note: str = "") -> Forward:
    """The township's staff take back a forward that has not been answered."""
    s, f = _lock_forward(forward)
    if not scopes.is_congress_staff(actor, s.congress):
        raise PermissionDenied("只有受理这件建议的乡镇人大工作人员可以撤回转办。")
    require(f.status == ForwardStatus.PENDING, f"这项转办{f.get_status_display()}，不能撤回。")
    f.status, f.withdrawn_on = ForwardStatus.WITHDRAWN, local_today()
    f.save()
    record_step(
        s,
        Action.FORWARD_WITHDRAW,
        actor,
        note=f"撤回转请{f.unit}办理。{note.strip()}".strip(),
        data={"forward": f.pk},
        changes={"forward": f.pk, "status": [ForwardStatus.PENDING, ForwardStatus.WITHDRAWN]},
        to=s.state,
    )
    notify(unit_users([f.unit_id]) + _city_officers(), f"{s.congress}撤回转办：{s.title}", s)
    return f
