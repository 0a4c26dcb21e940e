"""Writes for problems found by deputies and the fast lane (referrals to a handling unit)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.audit.services import apply_changes, record
from deputyhome.core import workdays
from deputyhome.core.services import model_delete
from deputyhome.notifications.services import notify
from deputyhome.organisation.models import HandlingUnit, Region

from .. import permissions
from ..choices import OrganiserLevel, ProblemStatus, ReferralStatus
from ..models import (
    Activity,
    Problem,
    Referral,
)
from .base import _covers, _require, _text, _today, _township_of

if TYPE_CHECKING:
    from deputyhome.suggestions.models import Suggestion

REFERRAL_WORKDAYS = 15


# Referrals (the fast lane) ----------------------------------------------------------------------------


def _notify_unit(referral: Referral) -> None:
    def send() -> None:
        users = list(User.objects.filter(role=Role.UNIT_CLERK, unit_id=referral.unit_id, is_active=True))
        notify(users=users, subject=f"新的转交事项：{referral.title}", link=referral.get_absolute_url())

    transaction.on_commit(send)


def _default_due(today: datetime.date) -> datetime.date:
    # A year no calendar package covers counts Monday to Friday (core.workdays): nothing to fall back from.
    return workdays.add_workdays(today, REFERRAL_WORKDAYS)


def _create_referral(
    *, unit: HandlingUnit, title: str, content: str, actor: Any, due_on: datetime.date | None, region: Region | None
) -> Referral:
    _require(unit is not None, "请选择承办单位。")
    _require(unit.is_active, f"承办单位“{unit}”已停用，请选择其他单位。")
    title, content = _text(title), _text(content)
    _require(bool(title), "请填写转交事项的标题。")
    _require(bool(content), "请填写转交事项的具体内容。")
    _require(len(title) <= 200, "转交事项的标题不能超过200字。")
    today = _today()
    _require(due_on is None or due_on >= today, "办理期限不能早于今天。")
    if region is None and permissions.is_township(actor):
        region = actor.region
    referral = Referral.objects.create(
        unit=unit,
        title=title,
        content=content,
        region=_township_of(region) or region,
        created_by=actor,
        due_on=due_on or _default_due(today),
    )
    record(
        actor=actor,
        action="referral.create",
        obj=referral,
        changes={"unit": [None, unit], "title": [None, title], "due_on": [None, referral.due_on]},
    )
    _notify_unit(referral)
    return referral


@transaction.atomic
def referral_create(
    *,
    unit: HandlingUnit,
    title: str,
    content: str,
    actor: Any,
    due_on: datetime.date | None = None,
    region: Region | None = None,
) -> Referral:
    """Send a small matter straight to a handling unit (转交办理)."""
    _require(actor is not None and permissions.sees_business(actor), "您的角色不能转交事项。")
    return _create_referral(unit=unit, title=title, content=content, actor=actor, due_on=due_on, region=region)


@transaction.atomic
def referral_reply(*, referral: Referral, text: str, actor: Any) -> Referral:
    """The handling unit answers a referral; only a clerk of that unit may, and only once."""
    _require(
        permissions.is_unit_clerk(actor) and actor.unit_id == referral.unit_id,
        "只有承办单位经办人可以答复转交给本单位的事项。",
    )
    text = _text(text)
    _require(bool(text), "请填写答复内容。")
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    _require(locked.status == ReferralStatus.OPEN, "该事项已答复，不能重复答复。")
    locked.status, locked.reply, locked.replied_on, locked.replied_by = (
        ReferralStatus.REPLIED,
        text,
        _today(),
        actor,
    )
    locked.save()
    record(
        actor=actor,
        action="referral.reply",
        obj=locked,
        changes={"status": [ReferralStatus.OPEN, ReferralStatus.REPLIED], "reply": [None, text]},
    )
    return locked


# Problems ----------------------------------------------------------------------------------------------

PROBLEM_FIELDS = ("text", "place", "category", "deputy", "activity", "region", "date")


def _problem_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {k: data.get(k) for k in PROBLEM_FIELDS}
    fields["text"], fields["place"] = _text(fields["text"]), _text(fields["place"])
    _require(bool(fields["text"]), "请填写问题描述。")
    _require(len(fields["place"]) <= 200, "地点不能超过200字。")
    fields["date"] = fields["date"] or _today()
    _require(fields["date"] <= _today(), "发现日期不能晚于今天。")
    activity: Activity | None = fields["activity"]
    if activity is not None:
        _require(fields["date"] >= activity.date, "发现日期不能早于活动日期。")
    region = fields["region"]
    if region is None and activity is not None and activity.level != OrganiserLevel.COMMITTEE:
        region = activity.region
    if region is None and fields["deputy"] is not None:
        region = fields["deputy"].region
    if region is None and activity is not None:
        region = activity.region
    _require(region is not None, "请选择问题所属的乡镇（街道）。")
    fields["region"] = _township_of(region) or region
    return fields


@transaction.atomic
def problem_create(*, data: dict[str, Any], actor: Any) -> Problem:
    """Register a problem found by deputies (see the module docstring for `data`)."""
    _require(actor is not None and permissions.sees_business(actor), "您的角色不能登记问题。")
    fields = _problem_fields(data)
    problem = Problem.objects.create(**fields, created_by=actor)
    record(actor=actor, action="problem.create", obj=problem, changes={k: [None, v] for k, v in fields.items()})
    return problem


def _lock_open(problem: Problem, actor: Any, *, own_deputy: bool = False) -> Problem:
    """The open problem, locked; officers act within their scope, and (with `own_deputy`) the deputy who
    raised it may act on it too."""
    mine = own_deputy and actor is not None and bool(actor.deputy_id) and actor.deputy_id == problem.deputy_id
    _require(mine or permissions.may_handle_problems(actor), "只有市、乡两级人大工作人员可以处理问题。")
    locked = (
        Problem.objects.select_for_update(of=("self",))
        .select_related("region", "deputy", "activity")
        .get(pk=problem.pk)
    )
    _require(mine or _covers(actor, locked.region), "该问题不在您的管辖范围内。")
    _require(locked.status == ProblemStatus.OPEN, f"该问题已处理（{locked.get_status_display()}），不能重复处理。")
    return locked


@transaction.atomic
def problem_update(*, problem: Problem, data: dict[str, Any], actor: Any) -> Problem:
    """Correct an open problem's details."""
    locked = Problem.objects.select_for_update().get(pk=problem.pk)
    _require(locked.status == ProblemStatus.OPEN, "问题已处理，不能再修改。")
    fields = _problem_fields({**{k: getattr(locked, k) for k in PROBLEM_FIELDS}, **data})
    changes = apply_changes(locked, fields)
    locked.save()
    record(actor=actor, action="problem.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def problem_delete(*, problem: Problem, actor: Any) -> None:
    _require(problem.status == ProblemStatus.OPEN, "问题已处理，不能删除。")
    model_delete(instance=problem, actor=actor)


@transaction.atomic
def problem_close(*, problem: Problem, note: str, actor: Any) -> Problem:
    """The problem was solved on the spot (当场解决)."""
    note = _text(note)
    _require(bool(note), "请填写处理说明：问题是如何当场解决的。")
    locked = _lock_open(problem, actor)
    _handled(locked, ProblemStatus.CLOSED, actor, "problem.close", closing_note=note)
    return locked


def _handled(
    problem: Problem, status: str, actor: Any, action: str, also: dict[str, list[Any]] | None = None, **fields: Any
) -> None:
    """An open problem ends one of the three ways: its new status and `fields`, handled today, and the
    audit row (with `also`, changes beyond the problem's own fields)."""
    for name, value in fields.items():
        setattr(problem, name, value)
    problem.status, problem.handled_on = status, _today()
    problem.save()
    changes = {"status": [ProblemStatus.OPEN, status], **{name: [None, value] for name, value in fields.items()}}
    record(actor=actor, action=action, obj=problem, changes={**changes, **(also or {})})


def _short(text: str, n: int = 40) -> str:
    first = text.replace("\r", "").split("\n")[0].strip().rstrip("。；;，,")
    return first if len(first) <= n else f"{first[:n]}…"


@transaction.atomic
def problem_forward(
    *, problem: Problem, unit: HandlingUnit, actor: Any, due_on: datetime.date | None = None
) -> Referral:
    """Send an open problem to a unit as a small matter (the fast lane)."""
    locked = _lock_open(problem, actor)
    content = locked.text + (f"\n地点：{locked.place}" if locked.place else "")
    if locked.deputy_id:
        content += f"\n提出代表：{locked.deputy.name}"
    referral = _create_referral(
        unit=unit, title=_short(locked.text), content=content, actor=actor, due_on=due_on, region=locked.region
    )
    _handled(locked, ProblemStatus.FORWARDED, actor, "problem.forward", {"unit": [None, unit]}, referral=referral)
    return referral


@transaction.atomic
def problem_to_suggestion(*, problem: Problem, actor: Any) -> Suggestion:
    """Turn an open problem into a draft suggestion by its deputy, entered by the actor."""
    from deputyhome.suggestions.services import suggestion_create

    locked = _lock_open(problem, actor, own_deputy=True)
    _require(locked.deputy_id is not None, "该问题没有提出代表，不能形成建议：请先在问题中填写提出代表。")
    d = locked.date
    where = f"在{locked.place}" if locked.place else ""
    during = f"开展“{locked.activity.topic}”活动时发现" if locked.activity_id else "开展代表活动时发现"
    situation = f"{d.year}年{d.month}月{d.day}日{where}{during}。"
    suggestion = suggestion_create(
        author=locked.deputy,
        data={"title": f"关于{_short(locked.text, 30)}的建议", "situation": situation, "reasons": locked.text},
        actor=actor,
    )
    _handled(locked, ProblemStatus.SUGGESTION, actor, "problem.to_suggestion", suggestion=suggestion)
    return suggestion
