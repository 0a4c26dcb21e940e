"""The rules of a congress's staff: what the city committee's officers and a township congress's officer act
on and keep as their own (suggestions, motions, handling units, settings). Part of `scopes`, which re-exports
every function here; selectors use them through `scopes`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from .choices import Role, ScopeKind
from .scope_base import NOTHING, TOWNSHIP_LEVEL, ancestor_codes

if TYPE_CHECKING:
    from .models import User


def entry_congresses_q(user: User) -> Q:
    """Congresses an officer may enter a deputy's suggestion for (of those current): every one for the city's users,
    for a township officer those over their township and those in it."""
    if user.scope_kind == ScopeKind.CITY:
        return Q()
    if user.scope_kind == ScopeKind.REGION and user.region_id:
        code = user.region.code
        return Q(region__code__in=ancestor_codes(code)) | Q(region__code__startswith=code)
    return NOTHING


def congress_staff_q(user: User, path: str = "congress") -> Q:
    """Rows of the congresses the user works for as staff (not only sees): the city committee's officers
    the congresses above the townships, a township officer their township's congress. `path` leads from
    the row to its congress. By role, like `training_managed_q`; `is_congress_staff` is the same rule for
    one congress. A row without a congress belongs to the city's."""
    if user.role == Role.CITY_OFFICER:
        return ~Q(**{f"{path}__level": TOWNSHIP_LEVEL})
    if user.role == Role.TOWNSHIP_OFFICER and user.region_id:
        return Q(**{f"{path}__level": TOWNSHIP_LEVEL, f"{path}__region__code__startswith": user.region.code})
    return NOTHING


def is_congress_staff(user: User, congress: Any) -> bool:
    """Whether `user` is the staff of `congress` (None: the city's): its secretariat for motions, its desk
    for suggestions. The city committee reads a township congress's work but does not act on it."""
    if congress is not None and congress.level == TOWNSHIP_LEVEL:
        return bool(
            user.role == Role.TOWNSHIP_OFFICER
            and user.region_id
            and congress.region_id
            and congress.region.code.startswith(user.region.code)
        )
    return user.role == Role.CITY_OFFICER


def motions_managed_q(user: User) -> Q:
    """Motions the user checks and decides on as their congress's staff (`congress_staff_q`)."""
    return congress_staff_q(user, "session__congress")


def suggestions_managed_q(user: User) -> Q:
    """Suggestions the user screens, registers, assigns and reviews as their congress's staff."""
    return congress_staff_q(user)


# The units and the settings each congress keeps for itself: the city committee's officers the city's (the
# units of the city or without a region; the settings rows without a region, the defaults of every congress),
# a township officer their township's. By role, like `congress_staff_q`; whether the township elects a
# congress at all (a street does not) the pages check with `organisation.selectors.township_congress_of`.
COUNTY_CODE = r"^\d{1,6}$"  # a region code of the county level or above


def units_managed_q(user, field: str = "region") -> Q:
    """Handling units the user creates and edits, by the path `field` to their region ("" for regions
    themselves: the regions the user may give a unit)."""
    pre = f"{field}__" if field else ""
    if user.role == Role.CITY_OFFICER:
        county = Q(**{f"{pre}code__regex": COUNTY_CODE})
        return county | Q(**{f"{field}__isnull": True}) if field else county
    if user.role == Role.TOWNSHIP_OFFICER and user.region_id:
        return Q(**{f"{pre}pk": user.region_id})
    return NOTHING


def congress_settings_q(user, field: str = "region") -> Q:
    """Settings rows (suggestion categories, periods) the user keeps: the city's officers the rows without a
    region (common to every congress), a township officer the rows of their township's congress."""
    if user.role == Role.CITY_OFFICER:
        return Q(**{f"{field}__isnull": True})
    if user.role == Role.TOWNSHIP_OFFICER and user.region_id:
        return Q(**{field: user.region_id})
    return NOTHING


def congress_settings_visible_q(user, field: str = "region") -> Q:
    """Settings rows the user reads: the city's officers every congress's, a township officer the common
    rows and their own."""
    if user.role == Role.CITY_OFFICER:
        return Q()
    if user.role == Role.TOWNSHIP_OFFICER and user.region_id:
        return Q(**{f"{field}__isnull": True}) | Q(**{field: user.region_id})
    return NOTHING


def categories_q(user, field: str = "region") -> Q:
    """The suggestion categories a user files and filters by: a township officer those of the settings they read
    (`congress_settings_visible_q`: the common ones and their township's own, not another township's list); everyone
    else with business data every congress's (a deputy's or a unit's suggestions may be any congress's)."""
    if user.role == Role.TOWNSHIP_OFFICER:
        return congress_settings_visible_q(user, field)
    return Q() if user.scope_kind != ScopeKind.NONE else NOTHING


def figures_congress_q(user: User, path: str = "congress", *, has_congress: bool = True) -> Q | None:
    """Whose figures head the user's statistics (`path`: the row's congress): the city's for city-wide users, a
    township officer's own where their township elects one (`has_congress`); else None (the whole scope)."""
    if user.scope_kind == ScopeKind.CITY:
        return ~Q(**{f"{path}__level": TOWNSHIP_LEVEL})
    if user.role == Role.TOWNSHIP_OFFICER and has_congress and user.region_id:
        return congress_staff_q(user, path)
    return None
