"""Delegations (代表团) at a session and their dated members, each write with its audit row."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from deputyhome.audit.services import record
from deputyhome.core.services import model_create, model_update
from deputyhome.deputies.models import Deputy, Mandate
from deputyhome.organisation.choices import CongressLevel

from ..choices import DelegationRole
from ..models import Delegation, DelegationMember


def delegation_create(*, data: dict[str, Any], actor: Any) -> Delegation:
    """A delegation of a session; a township congress seats none (its deputies are ticked on one sheet)."""
    session = data.get("session")
    if session is not None and session.congress.level == CongressLevel.TOWNSHIP:
        raise ValidationError("乡镇人民代表大会不设代表团：出席情况请在会议页面“登记出席情况”中逐人登记。")
    return model_create(model=Delegation, data=data, actor=actor)


def delegation_update(*, delegation: Delegation, data: dict[str, Any], actor: Any) -> Delegation:
    return model_update(instance=delegation, data=data, actor=actor)


def _overlapping(qs: QuerySet, start: datetime.date, end: datetime.date | None) -> QuerySet:
    """Rows of `qs` whose period meets [start, end] (both inclusive, an open end open)."""
    return qs.filter(start_date__lte=end or datetime.date.max).exclude(end_date__lt=start)


def _check_member(delegation: Delegation, data: dict[str, Any], exclude: int | None = None) -> None:
    deputy: Deputy = data["deputy"]
    start, end = data["start_date"], data.get("end_date")
    if end is not None and end < start:
        raise ValidationError({"end_date": "退出日期不能早于加入日期。"})
    session = delegation.session
    if not Mandate.objects.filter(deputy=deputy, congress_id=session.congress_id).exists():
        raise ValidationError({"deputy": f"{deputy.name}不是{session.congress.name}的代表。"})
    others = DelegationMember.objects.filter(delegation__session=session, deputy=deputy).exclude(pk=exclude)
    clash = _overlapping(others, start, end).select_related("delegation").first()
    if clash is not None:
        raise ValidationError(
            f"{deputy.name}在这段时间已是{clash.delegation.name}的成员：请先为原来的成员资格填写退出日期。"
        )
    if data.get("role") == DelegationRole.HEAD:
        heads = DelegationMember.objects.filter(delegation=delegation, role=DelegationRole.HEAD).exclude(pk=exclude)
        head = _overlapping(heads, start, end).select_related("deputy").first()
        if head is not None:
            raise ValidationError({"role": f"{delegation.name}在这段时间已有团长{head.deputy.name}。"})


@transaction.atomic
def delegation_member_add(*, data: dict[str, Any], actor: Any) -> DelegationMember:
    """Add a deputy of the session's congress to a delegation; overlapping memberships at the same session and
    two heads at once are refused."""
    delegation: Delegation = Delegation.objects.select_for_update().get(pk=data["delegation"].pk)
    _check_member(delegation, data)
    return model_create(model=DelegationMember, data=data, actor=actor)


@transaction.atomic
def delegation_member_update(*, member: DelegationMember, data: dict[str, Any], actor: Any) -> DelegationMember:
    """Change a membership's role or dates (e.g. the day a deputy left the delegation)."""
    Delegation.objects.select_for_update().get(pk=member.delegation_id)
    merged = {
        "deputy": member.deputy,
        "role": data.get("role", member.role),
        "start_date": data.get("start_date", member.start_date),
        "end_date": data.get("end_date", member.end_date),
    }
    _check_member(member.delegation, merged, exclude=member.pk)
    return model_update(instance=member, data=data, actor=actor)


@transaction.atomic
def delegation_members_add(
    *, delegation: Delegation, deputies: Sequence[Deputy], start_date: datetime.date, head: Deputy | None, actor: Any
) -> int:
    """Seat many deputies at once (a delegation formed at the session's opening), the head among them; one audit
    row for the lot. Each is checked as `delegation_member_add` checks one."""
    rows = []
    for deputy in deputies:
        role = DelegationRole.HEAD if head is not None and deputy.pk == head.pk else DelegationRole.MEMBER
        data = {"delegation": delegation, "deputy": deputy, "role": role, "start_date": start_date}
        _check_member(delegation, data)
        rows.append(DelegationMember(**data))
    DelegationMember.objects.bulk_create(rows)
    record(
        actor=actor,
        action="delegation.members_add",
        obj=delegation,
        changes={"members": [None, len(rows)], "head": [None, head.name if head else ""]},
    )
    return len(rows)
