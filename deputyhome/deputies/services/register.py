"""The register's writes: deputies, their mandates and their group memberships, each with its audit row."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.accounts.selectors import holders
from deputyhome.core.services import model_create, model_delete, model_update
from deputyhome.notifications.services import notify
from deputyhome.organisation.models import DeputyGroup

from ..choices import MandateStatus
from ..models import Deputy, GroupMembership, Mandate, active_on
from .phone_changes import phone_changes_record


def _current_group(deputy: Deputy, on: datetime.date | None = None) -> DeputyGroup | None:
    membership = (
        GroupMembership.objects.filter(active_on(on or timezone.localdate()), deputy=deputy)
        .select_related("group__station__region__parent")
        .order_by("-start_date", "-id")
        .first()
    )
    return membership.group if membership else None


def _sync_region(deputy: Deputy) -> None:
    """A deputy's region follows the township of their current group's station."""
    group = _current_group(deputy)
    if group is None:
        return
    township = group.station.region.township
    if township is not None and deputy.region_id != township.pk:
        Deputy.objects.filter(pk=deputy.pk).update(region=township)
        deputy.region = township


def deputy_create(*, data: dict[str, Any], actor: Any) -> Deputy:
    return model_create(model=Deputy, data=data, actor=actor)


@transaction.atomic
def deputy_update(*, deputy: Deputy, data: dict[str, Any], actor: Any) -> Deputy:
    """Change a deputy's particulars; a changed phone is told to the old number (`phone_changes`)."""
    before = Deputy.objects.filter(pk=deputy.pk).values_list("phone", flat=True).first() or ""
    updated = model_update(instance=deputy, data=data, actor=actor)
    phone_changes_record([(updated, before, updated.phone)], actor=actor)
    return updated


def deputy_delete(*, deputy: Deputy, actor: Any) -> None:
    model_delete(instance=deputy, actor=actor)


def mandate_create(*, data: dict[str, Any], actor: Any) -> Mandate:
    return model_create(model=Mandate, data=data, actor=actor)


@transaction.atomic
def mandate_update(*, mandate: Mandate, data: dict[str, Any], actor: Any) -> Mandate:
    """Change a mandate. Ended (resigned, recalled, moved away, deceased...), its deputy leaves their group on its
    last day if they hold no other seat after it, as at 换届 (`term_change`)."""
    if data.get("status") == MandateStatus.ENDED and not (data.get("end_date") or mandate.end_date):
        raise ValidationError({"end_date": "终止代表资格须填写任期终止日期。"})
    was_held = mandate.status == MandateStatus.ACTIVE
    mandate = model_update(instance=mandate, data=data, actor=actor)
    last_day = mandate.end_date
    if not was_held or mandate.status != MandateStatus.ENDED or last_day is None:
        return mandate  # only the ending itself: an ended mandate edited later moves nobody
    if seats_after(last_day).filter(deputy=mandate.deputy_id).exists():
        return mandate
    for membership in memberships_past(last_day, deputy=mandate.deputy):
        model_update(instance=membership, data={"end_date": last_day}, actor=actor)
    if User.objects.filter(deputy=mandate.deputy_id).exists():
        ask_account_review(
            accounts=1,
            why=f"{mandate.deputy.name}的代表资格于{last_day:%Y-%m-%d}终止（{mandate.get_end_reason_display()}），"
            "不再担任人大代表",
            key=f"mandate_ended:{mandate.pk}",
        )
    return mandate


def ask_account_review(*, accounts: int, why: str, key: str) -> None:
    """Tell the system administrators (who keep the accounts, 三员分立) that `accounts` logins belong to deputies who
    no longer sit, with a link to the list of them that disables them on confirmation (停用离任代表账号)."""
    notify(
        users=holders(Role.SYSTEM_ADMIN),
        subject=f"{accounts}个账号的代表本人已离任，请复核",
        body=f"{why}。请核对名单后一并停用代表、组长的账号（联络员账号请在用户管理中按“代表本人已离任”筛选后逐一复核）。",
        link=reverse("accounts:former_deputies"),
        key=key,
    )


def memberships_past(last_day: datetime.date, *, deputy: Deputy | None = None) -> QuerySet[GroupMembership]:
    """The group memberships that run past `last_day` (begun by then), of `deputy` if given."""
    running = GroupMembership.objects.filter(start_date__lte=last_day).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=last_day)
    )
    return (running.filter(deputy=deputy) if deputy is not None else running).order_by("pk")


def seats_after(last_day: datetime.date) -> QuerySet[Mandate]:
    """Active mandates that run past `last_day`."""
    return Mandate.objects.filter(status=MandateStatus.ACTIVE).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=last_day)
    )


def mandate_delete(*, mandate: Mandate, actor: Any) -> None:
    model_delete(instance=mandate, actor=actor)


@transaction.atomic
def membership_create(*, data: dict[str, Any], actor: Any) -> GroupMembership:
    """Add a deputy to a group. Overlapping memberships of the same deputy are refused."""
    deputy: Deputy = data["deputy"]
    Deputy.objects.select_for_update().get(pk=deputy.pk)
    start: datetime.date = data["start_date"]
    end: datetime.date | None = data.get("end_date")
    overlapping = GroupMembership.objects.filter(deputy=deputy, start_date__lte=end or datetime.date.max).exclude(
        end_date__lt=start
    )
    if overlapping.exists():
        raise ValidationError("该代表在这段时间已属于其他小组：请先为原小组填写退出日期。")
    membership = model_create(model=GroupMembership, data=data, actor=actor)
    _sync_region(deputy)
    return membership


@transaction.atomic
def membership_update(*, membership: GroupMembership, data: dict[str, Any], actor: Any) -> GroupMembership:
    membership = model_update(instance=membership, data=data, actor=actor)
    _sync_region(membership.deputy)
    return membership


def membership_delete(*, membership: GroupMembership, actor: Any) -> None:
    model_delete(instance=membership, actor=actor)


@transaction.atomic
def deputies_resync_region(*, group: DeputyGroup) -> None:
    """After a group moves station, its current members follow it to the new township."""
    for deputy in Deputy.objects.filter(
        pk__in=group.memberships.filter(active_on(timezone.localdate())).values("deputy")
    ):
        _sync_region(deputy)
