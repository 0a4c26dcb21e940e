"""Where a user may look: one Q filter per kind of object, used only by selectors.

A view never filters by scope itself; it asks a selector, and the selector asks here.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from .choices import ScopeKind

NOTHING = Q(pk__in=[])


def today() -> datetime.date:
    return timezone.localdate()


def _anchor_region_code(user) -> str | None:
    return user.region.code if user.region_id else None


def deputies_q(user) -> Q:
    """Deputies the user may see."""
    from deputyhome.deputies.models import active_on

    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    if kind == ScopeKind.REGION and (code := _anchor_region_code(user)):
        return Q(region__code__startswith=code)
    if kind == ScopeKind.GROUP and user.group_id:
        return Q(pk__in=_member_ids(user.group_id, active_on(today())))
    if kind == ScopeKind.SELF and user.deputy_id:
        return Q(pk=user.deputy_id)
    return NOTHING


def _member_ids(group_id: int, when: Q):
    from deputyhome.deputies.models import GroupMembership

    return GroupMembership.objects.filter(when, group_id=group_id).values("deputy_id")


def groups_q(user) -> Q:
    from deputyhome.deputies.models import GroupMembership, active_on

    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    if kind == ScopeKind.REGION and (code := _anchor_region_code(user)):
        return Q(station__region__code__startswith=code)
    if kind == ScopeKind.GROUP and user.group_id:
        return Q(pk=user.group_id)
    if kind == ScopeKind.SELF and user.deputy_id:
        return Q(pk__in=GroupMembership.objects.filter(active_on(today()), deputy_id=user.deputy_id).values("group_id"))
    return NOTHING


def stations_q(user) -> Q:
    from deputyhome.organisation.models import DeputyGroup

    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    if kind == ScopeKind.REGION and (code := _anchor_region_code(user)):
        return Q(region__code__startswith=code)
    if kind in (ScopeKind.GROUP, ScopeKind.SELF):
        return Q(pk__in=DeputyGroup.objects.filter(groups_q(user)).values("station_id"))
    return NOTHING


def regions_q(user) -> Q:
    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    if kind == ScopeKind.REGION and (code := _anchor_region_code(user)):
        return Q(code__startswith=code)
    return NOTHING


def units_q(user) -> Q:
    """Handling units are public names to staff and deputies; a unit clerk sees only their own unit."""
    kind = user.scope_kind
    if kind in (ScopeKind.CITY, ScopeKind.REGION, ScopeKind.GROUP, ScopeKind.SELF):
        return Q()
    if kind == ScopeKind.UNIT and user.unit_id:
        return Q(pk=user.unit_id)
    return NOTHING


def congresses_q(user) -> Q:
    """Congresses and their sessions are public facts for everyone doing deputy work."""
    if user.scope_kind == ScopeKind.NONE:
        return NOTHING
    return Q()
