"""Where a user may look: one Q filter per kind of object, used only by selectors.

A view never filters by scope itself; it asks a selector, and the selector asks here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from .choices import Role, ScopeKind

if TYPE_CHECKING:
    from .models import User

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


# Rows hanging off a station or a deputy -------------------------------------------------------------------


def at_stations_q(user: User, field: str = "station") -> Q:
    """Rows whose `field` is a station the user may see (`stations_q`): reception schedules and records.

    Rows without a station never match, even for the city: use it for required foreign keys.
    """
    from deputyhome.organisation.models import Station

    return Q(**{f"{field}__in": Station.objects.filter(stations_q(user)).values("pk")})


def about_deputies_q(user: User, field: str = "deputy") -> Q:
    """Rows whose `field` is a deputy the user may see (`deputies_q`): pairings, stories, attendance.

    Rows without a deputy never match, even for the city: use it for required foreign keys.
    """
    from deputyhome.deputies.models import Deputy

    return Q(**{f"{field}__in": Deputy.objects.filter(deputies_q(user)).values("pk")})


def _scoped_or_own_deputy_q(user: User, field: str = "deputy") -> Q:
    """`about_deputies_q`, plus the user's own deputy record: a group leader is a deputy too, and
    keeps seeing their own rows whether or not they are a current member of the group they lead."""
    cond = about_deputies_q(user, field)
    return cond | Q(**{f"{field}_id": user.deputy_id}) if user.deputy_id else cond


# Voter opinions --------------------------------------------------------------------------------------------


def opinions_q(user: User) -> Q:
    """Voter opinions (社情民意).

    A township officer sees those of their township by the opinion's own `region` (the township
    of its station, or of its deputy when it was left on a deputy's page), not by the station:
    so not `at_stations_q`. A group leader or liaison officer sees those left at their group's
    station or addressed to a deputy of their group; a deputy those addressed to them and those
    left at the stations of their current groups.
    """
    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    if kind == ScopeKind.REGION and (code := _anchor_region_code(user)):
        return Q(region__code__startswith=code)
    if kind == ScopeKind.GROUP and user.group_id:
        return at_stations_q(user) | about_deputies_q(user)
    if kind == ScopeKind.SELF and user.deputy_id:
        return Q(deputy_id=user.deputy_id) | at_stations_q(user)
    return NOTHING


# Training --------------------------------------------------------------------------------------------------


def training_attendance_q(user: User) -> Q:
    """Attendance rows at training sessions (点名册).

    A township officer reads the rows of their township's sessions and the rows of their
    township's deputies at any session (the city's included); group leaders, liaison officers
    and deputies the rows of the deputies they may see, and their own.
    """
    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    if kind == ScopeKind.REGION and (code := _anchor_region_code(user)):
        return Q(session__region__code__startswith=code) | Q(deputy__region__code__startswith=code)
    if kind in (ScopeKind.GROUP, ScopeKind.SELF):
        return _scoped_or_own_deputy_q(user)
    return NOTHING


def _city_or_township_training_q(code: str) -> Q:
    """Training organised by the city, or in the township with region code `code` (and below)."""
    from deputyhome.training.choices import OrganiserLevel

    return Q(level=OrganiserLevel.CITY) | Q(region__code__startswith=code)


def training_sessions_q(user: User) -> Q:
    """Training sessions.

    A township officer sees the city's sessions and their township's. Group leaders, liaison
    officers and deputies see only the sessions where they may read an attendance row
    (`training_attendance_q`): those their deputies, or they themselves, were invited to or
    signed in at.
    """
    from deputyhome.training.models import Attendance

    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    if kind == ScopeKind.REGION and (code := _anchor_region_code(user)):
        return _city_or_township_training_q(code)
    if kind in (ScopeKind.GROUP, ScopeKind.SELF):
        return Q(pk__in=Attendance.objects.filter(training_attendance_q(user)).values("session_id"))
    return NOTHING


def training_plans_q(user: User) -> Q:
    """Training plans: staff only. A township officer sees the city's plans and their township's."""
    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    if kind == ScopeKind.REGION and (code := _anchor_region_code(user)):
        return _city_or_township_training_q(code)
    return NOTHING


def training_managed_q(user: User) -> Q:
    """Training sessions and plans the user may change (not only see): the city's officers all of
    them, a township officer those organised at township level in their township.

    By role, not by scope kind: supervisors and leaders see the whole city but change nothing.
    `training.selectors.may_organise` is the same rule for one (possibly unsaved) object.
    """
    from deputyhome.training.choices import OrganiserLevel

    if user.is_superuser or user.role == Role.CITY_OFFICER:
        return Q()
    if user.role == Role.TOWNSHIP_OFFICER and (code := _anchor_region_code(user)):
        return Q(level=OrganiserLevel.TOWNSHIP, region__code__startswith=code)
    return NOTHING


def material_distributions_q(user: User) -> Q:
    """Hand-outs of training materials: staff only. A township officer sees those to their
    township's deputies and those at their township's sessions."""
    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    if kind == ScopeKind.REGION and (code := _anchor_region_code(user)):
        return Q(deputy__region__code__startswith=code) | Q(session__region__code__startswith=code)
    return NOTHING


# --- suggestions and opinions ---


def own_suggestions_q(user: User) -> Q:
    """Suggestions the user's deputy leads or co-signs.

    Crosses the co-signers (many per suggestion), so a suggestion can match more than once:
    callers keep one row each (`pk__in`, or `distinct()`).
    """
    if not user.deputy_id:
        return NOTHING
    return Q(author_id=user.deputy_id) | Q(cosigners__deputy_id=user.deputy_id)


def suggestions_q(user: User) -> Q:
    """Suggestions the user may see; drafts aside (`suggestions.selectors.suggestion_list`).

    The city sees all of them; a township officer those of their township, and their own as a
    deputy; a handling unit's clerk those ever assigned to their unit; anyone else their own
    (`own_suggestions_q`). Crosses co-signers and assignments: callers keep one row each.
    """
    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    if kind == ScopeKind.REGION and (code := _anchor_region_code(user)):
        return Q(region__code__startswith=code) | own_suggestions_q(user)
    if kind == ScopeKind.UNIT and user.unit_id:
        return Q(assignments__unit_id=user.unit_id)
    return own_suggestions_q(user)


def villages_q(user: User, station_codes: Iterable[str]) -> Q:
    """Villages and communities (12-digit region codes) the user works in.

    City and township officers: those in their region. Everyone else: those in the townships of
    their stations; `station_codes` are the region codes of the stations in `stations_q(user)`
    (a lazy query is read only here, and only then).
    """
    villages = Q(code__regex=r"^\d{12}$")
    if user.scope_kind in (ScopeKind.CITY, ScopeKind.REGION):
        return villages & regions_q(user)
    cond = NOTHING
    for code in sorted({code[:9] for code in station_codes}):
        cond |= Q(code__startswith=code)
    return villages & cond
