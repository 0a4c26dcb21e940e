"""Scoped reads of deputies. Every list runs a fixed number of queries whatever its length."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from deputyhome.accounts import scopes

from .models import Deputy, GroupMembership, Mandate, active_on

if TYPE_CHECKING:
    from deputyhome.accounts.models import User
    from deputyhome.organisation.models import DeputyGroup


def current_posts(on: datetime.date, *, station_related: str = "group__station") -> tuple[Prefetch, Prefetch]:
    """Prefetches of a deputy's mandates (`current_mandates`) and memberships (`current_memberships`) on `on`."""
    return (
        Prefetch(
            "mandates",
            queryset=Mandate.objects.filter(active_on(on)).select_related("congress"),
            to_attr="current_mandates",
        ),
        Prefetch(
            "memberships",
            queryset=GroupMembership.objects.filter(active_on(on)).select_related(station_related),
            to_attr="current_memberships",
        ),
    )


def current_group_names(*, deputy_ids: Iterable[int], on: datetime.date) -> dict[int, str]:
    """{deputy id: the name of their group on `on`} for the deputies given (not scoped: the caller's ids come from a
    scoped read), in one query of two columns. A deputy in two groups that day gets the first in the groups' order,
    as `current_posts`' `current_memberships[0]`; a deputy in none is left out."""
    rows = GroupMembership.objects.filter(active_on(on), deputy_id__in=list(deputy_ids)).values_list(
        "deputy_id", "group__name"
    )
    names: dict[int, str] = {}
    for deputy_id, name in rows:
        names.setdefault(deputy_id, name)
    return names


def deputy_list(*, user: User, on: datetime.date | None = None) -> QuerySet[Deputy]:
    """Deputies in scope, with their current mandates and current membership prefetched."""
    on = on or scopes.today()
    return Deputy.objects.filter(scopes.deputies_q(user)).select_related("region").prefetch_related(*current_posts(on))


def deputy_label(d: Deputy) -> str:
    """A deputy as the pickers show them: 张三（六角亭街道 · 第一代表小组 · 1975年生）, to tell namesakes apart
    (the group when `current_memberships` was prefetched)."""
    groups = [m.group.name for m in getattr(d, "current_memberships", [])]
    parts = [d.region.name if d.region_id else "", *groups[:1], f"{d.birth_date:%Y}年生" if d.birth_date else ""]
    return f"{d.name}（{' · '.join(p for p in parts if p)}）"


def deputy_choices(*, user: User) -> QuerySet[Deputy]:
    """The deputies a form of this user may pick (search-as-you-type past 100: a province has 100,000), by name."""
    return deputy_list(user=user).order_by("name", "region__code", "birth_date", "pk")


def register_choices() -> None:
    """The deputies a search-as-you-type field searches (core.widgets.SearchSelect, kind "deputy"): the user's
    scope, by name."""
    from deputyhome.core.registry import ChoiceSource
    from deputyhome.core.registry import register_choices as register

    register(
        "deputy",
        ChoiceSource(
            deputy_choices,
            search=("name",),
            label=deputy_label,
            placeholder="输入代表姓名搜索",
        ),
    )


def deputy_detail(*, user: User, pk: int) -> Deputy:
    """One deputy in scope, or Deputy.DoesNotExist (which views turn into a 404)."""
    return deputy_list(user=user).get(pk=pk)


def mandates_of(*, deputy: Deputy) -> QuerySet[Mandate]:
    return deputy.mandates.select_related("congress").order_by("-start_date")


def memberships_of(*, deputy: Deputy) -> QuerySet[GroupMembership]:
    return deputy.memberships.select_related("group__station").order_by("-start_date")


def members_on(*, group: DeputyGroup, on: datetime.date) -> QuerySet[GroupMembership]:
    """Memberships of `group` in force on `on`; a membership counts on its first and last day."""
    return GroupMembership.objects.filter(active_on(on), group=group).select_related("deputy")


def mandate_list(*, user: User) -> QuerySet[Mandate]:
    return Mandate.objects.filter(deputy__in=Deputy.objects.filter(scopes.deputies_q(user))).select_related(
        "deputy", "congress"
    )


def membership_list(*, user: User) -> QuerySet[GroupMembership]:
    return GroupMembership.objects.filter(deputy__in=Deputy.objects.filter(scopes.deputies_q(user))).select_related(
        "deputy", "group__station"
    )
