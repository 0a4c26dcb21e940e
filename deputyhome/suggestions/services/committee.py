"""The committee's part: screening (return or register with a number) and assignment to the
handling units; key supervision and the supervisors' records.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from deputyhome.core import workdays
from deputyhome.organisation.models import HandlingUnit

from .. import workflow
from ..choices import Action, AssignmentStatus, UnitRole
from ..models import (
    Assignment,
    Category,
    RegisterCounter,
    Suggestion,
    SupervisionRecord,
)
from .course import (
    actor_roles,
    check_version,
    deputy_users,
    local_today,
    lock,
    lock_for_step,
    notify,
    policy_for,
    record_step,
    require,
    unit_users,
    units_serving,
)
from .lists import categories_for


@transaction.atomic
def suggestion_return(*, suggestion: Suggestion, reason: str, note: str, actor: Any) -> Suggestion:
    s = lock(suggestion)
    require(bool(reason), "请选择退回理由。")
    s.return_reason, s.return_note = reason, note
    record_step(
        s,
        Action.RETURN,
        actor,
        note=f"{s.get_return_reason_display()}。{note}".strip("。") + "。",
        data={"reason": reason},
    )
    notify(deputy_users(s), f"您的建议被退回：{s.title}", s)
    return s


def _next_number(s: Suggestion) -> int:
    scope = f"session:{s.session_id}" if s.session_id else f"recess:{s.congress_id}:{s.year}"
    counter, _ = RegisterCounter.objects.select_for_update().get_or_create(scope=scope)
    counter.last += 1
    counter.save()
    return counter.last


@transaction.atomic
def suggestion_register(*, suggestion: Suggestion, category: Category, actor: Any) -> Suggestion:
    """Accept at screening: a number without gaps in its session (or recess year), a category, the register."""
    s = lock_for_step(suggestion, Action.REGISTER, actor)
    require(category is not None, "请选择建议分类。")
    require(
        categories_for(s.congress).filter(pk=category.pk).exists(),
        f"“{category}”不是{s.congress or '本级人大'}在用的建议分类（通用分类或本级人大自设的分类）。",
    )
    s.number = _next_number(s)
    s.category = category
    s.registered_on = local_today()
    record_step(s, Action.REGISTER, actor, note=f"立案为{s.number_label}，分类：{category}", data={"number": s.number})
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
    version: int | None = None,
) -> Suggestion:
    """Assign to a lead unit (and co-units). `version`: the suggestion's version the form was shown with."""
    s = lock(suggestion)
    check_version(s, version)
    workflow.transition(s.state, Action.ASSIGN, actor_roles(actor, s))
    co_units = [u for u in co_units if u.pk != lead_unit.pk]
    serving = set(
        units_serving(s.congress).filter(pk__in=[u.pk for u in (lead_unit, *co_units)]).values_list("pk", flat=True)
    )
    foreign = [u.name for u in (lead_unit, *co_units) if u.pk not in serving]
    require(not foreign, f"{'、'.join(foreign)}不是{s.congress or '本级人大'}的承办单位，不能交办。")
    today = local_today()
    policy = policy_for(today, s.congress)
    s.assignments.filter(status=AssignmentStatus.ACTIVE).update(status=AssignmentStatus.REPLACED)
    assigned = {
        "suggestion": s,
        "assigned_on": today,
        "return_by": workdays.add_workdays(today, policy.unit_return_workdays),
    }
    Assignment.objects.create(unit=lead_unit, role=UnitRole.LEAD, **assigned)
    opinion_due_on = workdays.due_after_months(today, policy.co_opinion_months)
    for unit in co_units:
        Assignment.objects.create(unit=unit, role=UnitRole.CO, opinion_due_on=opinion_due_on, **assigned)
    months = policy.complex_handling_months if is_complex else policy.handling_months
    s.is_complex = is_complex
    s.requirements = requirements
    s.assigned_on = today
    s.due_on = workdays.due_after_months(today, months)
    co_names = "、".join(u.name for u in co_units)
    record_step(
        s,
        Action.ASSIGN,
        actor,
        note=f"主办：{lead_unit}" + (f"；协办：{co_names}" if co_names else "") + f"；办理期限：{s.due_on:%Y-%m-%d}",
        data={"lead": lead_unit.pk, "co": [u.pk for u in co_units], "due_on": s.due_on.isoformat()},
    )
    notify(unit_users([lead_unit.pk, *[u.pk for u in co_units]]), f"新交办的代表建议：{s.title}", s)
    return s


@transaction.atomic
def suggestion_mark_key(*, suggestion: Suggestion, leader: str, actor: Any, note: str = "") -> Suggestion:
    s = lock(suggestion)
    require(bool(leader.strip()), "请填写督办领导。")
    s.is_key, s.key_leader = True, leader.strip()
    record_step(s, Action.MARK_KEY, actor, note=f"列为重点督办，督办领导：{s.key_leader}。{note}".strip())
    return s


@transaction.atomic
def supervision_record_add(
    *, suggestion: Suggestion, method: str, date: datetime.date, findings: str, follow_up: str, actor: Any
) -> SupervisionRecord:
    s = lock_for_step(suggestion, Action.SUPERVISE, actor)
    require(bool(findings.strip()), "请填写督办情况。")
    require(date <= local_today(), "督办日期不能晚于今天。")
    rec = SupervisionRecord.objects.create(
        suggestion=s, method=method, date=date, findings=findings, follow_up=follow_up, recorded_by=actor
    )
    record_step(s, Action.SUPERVISE, actor, note=f"{rec.get_method_display()}：{findings}")
    return rec
