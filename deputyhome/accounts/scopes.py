"""Where a user may look: one Q filter per kind of object, used only by selectors.

A view never filters by scope itself; it asks a selector, and the selector asks here.

accounts stands below the apps whose rows these filters select (organisation, deputies, training...),
so it imports none of them: a filter is a field path, and where it needs a subquery of another app's
model it reaches that model through the user's relations (`_model_at`), never by import.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from deputyhome.core.models import active_on

from . import congress_scopes, scope_keys, session_scopes
from .choices import Role, ScopeKind
from .scope_base import (
    CITY_LEVEL,
    NOTHING,
    TOWNSHIP_LEVEL,
    _anchor_region_code,
    _member_ids,
    _model_at,
    _of_deputy,
    ancestor_codes,
    today,
)

if TYPE_CHECKING:
    from .models import User

# The rules of a congress's staff live in their own module; here, like every other scope rule. Also `today` and
# `ancestor_codes`, which the rules share (`scope_base`).
congress_staff_q = congress_scopes.congress_staff_q
is_congress_staff = congress_scopes.is_congress_staff
motions_managed_q = congress_scopes.motions_managed_q
suggestions_managed_q = congress_scopes.suggestions_managed_q
units_managed_q = congress_scopes.units_managed_q
congress_settings_q = congress_scopes.congress_settings_q
congress_settings_visible_q = congress_scopes.congress_settings_visible_q
figures_congress_q = congress_scopes.figures_congress_q
entry_congresses_q = congress_scopes.entry_congresses_q
categories_q = congress_scopes.categories_q
scope_key, scope_user = scope_keys.scope_key, scope_keys.scope_user
# Congress sessions, delegations and motions: their own module too.
sessions_q, delegations_q = session_scopes.sessions_q, session_scopes.delegations_q
motions_q, own_motions_q = session_scopes.motions_q, session_scopes.own_motions_q


def _city_or_township_q(user, *codes: str) -> Q | None:
    """How most rules begin: the city's users see every row (`Q()`), a township officer the rows whose
    region code at one of the field paths `codes` lies within their region. None for anyone else (a
    township officer without a region too): the caller's own rule follows."""
    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    if kind == ScopeKind.REGION and (code := _anchor_region_code(user)):
        return reduce(or_, (Q(**{f"{path}__startswith": code}) for path in codes))
    return None


def sees_everyone(user) -> bool:
    """Whether the user's scope is every row (the city's users): a figure computed ahead for all serves them."""
    return bool(user.is_authenticated and user.scope_kind == ScopeKind.CITY)


def deputies_q(user) -> Q:
    """Deputies the user may see."""
    if (cond := _city_or_township_q(user, "region__code")) is not None:
        return cond
    kind = user.scope_kind
    if kind == ScopeKind.GROUP and user.group_id:
        return Q(pk__in=_member_ids(user.group_id, active_on(today())))
    if kind == ScopeKind.SELF and user.deputy_id:
        return Q(pk=user.deputy_id)
    return NOTHING


def groups_q(user) -> Q:
    if (cond := _city_or_township_q(user, "station__region__code")) is not None:
        return cond
    kind = user.scope_kind
    if kind == ScopeKind.GROUP and user.group_id:
        return Q(pk=user.group_id)
    if kind == ScopeKind.SELF and user.deputy_id:
        memberships = _model_at("group__memberships")._default_manager
        return Q(pk__in=memberships.filter(active_on(today()), deputy_id=user.deputy_id).values("group_id"))
    return NOTHING


def stations_q(user) -> Q:
    if (cond := _city_or_township_q(user, "region__code")) is not None:
        return cond
    if user.scope_kind in (ScopeKind.GROUP, ScopeKind.SELF):
        return Q(pk__in=_model_at("group")._default_manager.filter(groups_q(user)).values("station_id"))
    return NOTHING


def regions_q(user) -> Q:
    cond = _city_or_township_q(user, "code")
    return NOTHING if cond is None else cond


def units_q(user) -> Q:
    """Handling units are public names to staff and deputies; a unit clerk sees only their own unit.

    A township officer sees the units of the congresses over their township (the city's departments, and
    units without a region, which are the city's) and those of their own township, not other townships'
    offices and village committees.
    """
    kind = user.scope_kind
    if kind == ScopeKind.REGION and (code := _anchor_region_code(user)):
        return Q(region__isnull=True) | Q(region__code__in=ancestor_codes(code)) | Q(region__code__startswith=code)
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
    """Rows whose `field` is a station the user may see (`stations_q`): reception schedules and records,
    assessments, rules posted. For required foreign keys (`_pointing_at`)."""
    return _pointing_at(field, _model_at("group__station"), stations_q(user))


def about_deputies_q(user: User, field: str = "deputy") -> Q:
    """Rows whose `field` is a deputy the user may see (`deputies_q`): pairings, stories, attendance. For required
    foreign keys (`_pointing_at`)."""
    return _pointing_at(field, _model_at("deputy"), deputies_q(user))


def _pointing_at(field: str, model: Any, cond: Q) -> Q:
    """Rows whose `field` is one of `model`'s rows that meet `cond`, by a semi-join; for a user who sees every row
    (the city's), no condition at all: a semi-join over every station or deputy of the province made the database
    join the whole table before it cut a page (the province's pairings took 390 ms, decision 114). Every row of a
    required foreign key points at one; a row without one would show for the city only."""
    if cond == Q():
        return cond
    return Q(**{f"{field}__in": model._default_manager.filter(cond).values("pk")})


def _scoped_or_own_deputy_q(user: User, field: str = "deputy") -> Q:
    """`about_deputies_q`, plus the user's own deputy record: a group leader is a deputy too, and
    keeps seeing their own rows whether or not they are a current member of the group they lead."""
    if not user.deputy_id:
        return about_deputies_q(user, field)
    # One IN over a UNION, not "IN (...) OR = own": the OR kept the database from using the index on the
    # deputy and read every row of the table (every attendance row of the province for one group).
    deputies = _model_at("deputy")._default_manager
    own = deputies.filter(pk=user.deputy_id).order_by().values("pk")
    ids = deputies.filter(deputies_q(user)).order_by().values("pk").union(own)
    return Q(**{f"{field}__in": ids})


# Voter opinions --------------------------------------------------------------------------------------------


def opinions_q(user: User) -> Q:
    """Voter opinions (社情民意).

    A township officer sees those of their township by the opinion's own `region` (the township
    of its station, or of its deputy when it was left on a deputy's page), not by the station:
    so not `at_stations_q`. A group leader or liaison officer sees those left at their group's
    station or addressed to a deputy of their group; a deputy those addressed to them and those
    left at the stations of their current groups.
    """
    if (cond := _city_or_township_q(user, "region__code")) is not None:
        return cond
    kind = user.scope_kind
    opinions = _model_at("deputy__opinions")._base_manager
    if kind == ScopeKind.GROUP and user.group_id:
        by_deputy = opinions.filter(about_deputies_q(user))
    elif kind == ScopeKind.SELF and user.deputy_id:
        by_deputy = opinions.filter(deputy_id=user.deputy_id)
    else:
        return NOTHING
    # One IN over a union of the two id lists, each read through its index: "station IN (...) OR deputy IN
    # (...)" read all the province's opinions for one group (decision 84).
    at_station = opinions.filter(at_stations_q(user)).order_by().values("pk")
    return Q(pk__in=at_station.union(by_deputy.order_by().values("pk")))


# Training --------------------------------------------------------------------------------------------------


def training_attendance_q(user: User) -> Q:
    """Attendance rows at training sessions (点名册).

    A township officer reads the rows of their township's sessions and the rows of their
    township's deputies at any session (the city's included); group leaders, liaison officers
    and deputies the rows of the deputies they may see, and their own.
    """
    if (cond := _city_or_township_q(user, "session__region__code", "deputy__region__code")) is not None:
        return cond
    if user.scope_kind in (ScopeKind.GROUP, ScopeKind.SELF):
        return _scoped_or_own_deputy_q(user)
    return NOTHING


def _city_or_township_training_q(code: str) -> Q:
    """Training organised by the city, or in the township with region code `code` (and below)."""
    return Q(level=CITY_LEVEL) | Q(region__code__startswith=code)


def training_sessions_q(user: User) -> Q:
    """Training sessions.

    A township officer sees the city's sessions and their township's. Group leaders, liaison
    officers and deputies see only the sessions where they may read an attendance row
    (`training_attendance_q`): those their deputies, or they themselves, were invited to or
    signed in at.
    """
    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    if kind == ScopeKind.REGION and (code := _anchor_region_code(user)):
        return _city_or_township_training_q(code)
    if kind in (ScopeKind.GROUP, ScopeKind.SELF):
        attendance = _model_at("deputy__training_attendances")._default_manager
        return Q(pk__in=attendance.filter(training_attendance_q(user)).values("session_id"))
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
    if user.role == Role.CITY_OFFICER:
        return Q()
    if user.role == Role.TOWNSHIP_OFFICER and (code := _anchor_region_code(user)):
        return Q(level=TOWNSHIP_LEVEL, region__code__startswith=code)
    return NOTHING


def material_distributions_q(user: User) -> Q:
    """Hand-outs of training materials: staff only. A township officer sees those to their
    township's deputies and those at their township's sessions."""
    cond = _city_or_township_q(user, "deputy__region__code", "session__region__code")
    return NOTHING if cond is None else cond


# --- activities ---


def deputy_work_q(user: User) -> Q:
    """What the city shares with everyone doing deputy work (the station checklist, rules, campaigns):
    all of it, except for handling-unit clerks (who see referrals only) and the three administrators."""
    if user.scope_kind in (ScopeKind.NONE, ScopeKind.UNIT):
        return NOTHING
    return Q()


def activities_q(user: User) -> Q:
    """Deputies' activities (by the organising `region`, the `group`, the participants).

    A township officer sees those organised in their township (and below), a group leader or
    liaison officer their group's, a deputy those they took part in; everyone also sees those
    they entered. Handling-unit clerks and administrators see none.
    """
    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    if kind in (ScopeKind.NONE, ScopeKind.UNIT):
        return NOTHING
    # One IN over a union of id lists, each read through its index: "region OR entered by me OR I took part"
    # read every activity of the province (decision 84).
    activity = _model_at("deputy__activity_participations__activity")
    ids = [activity.objects.filter(created_by_id=user.pk).order_by().values("pk")]
    if user.deputy_id:
        ids.append(_of_deputy(user.deputy_id, "activity_participations__activity").order_by())
    if kind == ScopeKind.REGION and (code := _anchor_region_code(user)):
        ids.append(activity.objects.filter(region__code__startswith=code).order_by().values("pk"))
    elif kind == ScopeKind.GROUP and user.group_id:
        ids.append(activity.objects.filter(group_id=user.group_id).order_by().values("pk"))
    return Q(pk__in=ids[0].union(*ids[1:])) if len(ids) > 1 else Q(pk__in=ids[0])


def problems_q(user: User, prefix: str = "") -> Q:
    """Problems found by deputies; `prefix` ("problem__") reads them from a row that has one.

    A township officer sees those of their township, a group leader or liaison officer those found
    in their group's activities or raised by anyone who was ever a member, a deputy those they
    raised; everyone also sees those they entered.
    """
    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    if kind in (ScopeKind.NONE, ScopeKind.UNIT):
        return NOTHING
    # One IN over a union of id lists, each read through its index: "in my township OR entered by me" read every
    # problem of the province (decision 84).
    problems = _model_at("deputy__problems").objects.order_by()
    ids = [problems.filter(created_by_id=user.pk).values("pk")]
    if user.deputy_id:
        ids.append(problems.filter(deputy_id=user.deputy_id).values("pk"))
    if kind == ScopeKind.REGION and (code := _anchor_region_code(user)):
        ids.append(problems.filter(region__code__startswith=code).values("pk"))
    elif kind == ScopeKind.GROUP and user.group_id:
        ids.append(problems.filter(activity__group_id=user.group_id).values("pk"))
        ids.append(problems.filter(deputy_id__in=_member_ids(user.group_id, Q())).values("pk"))
    return Q(**{f"{prefix}pk__in": ids[0].union(*ids[1:]) if len(ids) > 1 else ids[0]})


def referrals_q(user: User) -> Q:
    """Fast-lane referrals: a unit clerk sees those sent to their unit, a township officer those of
    their township; others those whose problem they may see. Everyone also sees those they sent."""
    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    if kind == ScopeKind.NONE:
        return NOTHING
    if kind == ScopeKind.UNIT:
        return Q(unit_id=user.unit_id) if user.unit_id else NOTHING
    own = Q(created_by_id=user.pk)
    if kind == ScopeKind.REGION and (code := _anchor_region_code(user)):
        return Q(region__code__startswith=code) | own
    return problems_q(user, "problem__") | own


# --- suggestions and opinions ---


def own_suggestions_q(user: User) -> Q:
    """Suggestions the user's deputy leads or co-signs: one IN over a union of the two id lists, each read
    through its index ("author = X OR cosigner = X" across the join read every suggestion of the province)."""
    ids = _own_suggestion_ids(user)
    return Q(pk__in=ids[0].union(ids[1])) if ids else NOTHING


def _own_suggestion_ids(user: User) -> list:
    """The ids of the suggestions the user's deputy leads, and of those they co-sign ([] without a deputy)."""
    if not user.deputy_id:
        return []
    led = _model_at("deputy__suggestions")._base_manager.filter(author_id=user.deputy_id).order_by().values("pk")
    signed = _model_at("deputy__cosigned")._base_manager.filter(deputy_id=user.deputy_id).order_by()
    return [led, signed.values("suggestion_id")]


def suggestions_q(user: User, forwarded: bool = True) -> Q:
    """Suggestions the user may see; drafts aside (`suggestions.selectors.suggestion_list`).

    The city sees all of them; a township officer those of their township, and their own as a
    deputy; a handling unit's clerk those ever assigned or forwarded (转请办理) to their unit; anyone else
    their own (`own_suggestions_q`). Each rule is a semi-join (`pk__in`), so a suggestion matches once.
    `forwarded=False` leaves the forwarded out: a unit's statistics count the work assigned to it.
    """
    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    # One IN over a union of id lists, each read through its index: an OR across two joins read every
    # suggestion of the province for one unit or township (decision 84).
    suggestions = _model_at("deputy__suggestions")._base_manager
    if kind == ScopeKind.REGION and (code := _anchor_region_code(user)):
        in_region = suggestions.filter(region__code__startswith=code).order_by().values("pk")
        return Q(pk__in=in_region.union(*_own_suggestion_ids(user)))
    if kind == ScopeKind.UNIT and user.unit_id:
        rows = ("unit__assignments", "unit__forwards")[: 2 if forwarded else 1]
        ids = [_model_at(r)._base_manager.filter(unit_id=user.unit_id).order_by().values("suggestion_id") for r in rows]
        return Q(pk__in=ids[0].union(*ids[1:]))
    return own_suggestions_q(user)


def historical_suggestions_q(user: User) -> Q:
    """Suggestions of past terms (历史建议, the imported ledgers): all for the city's users; for a unit's clerk those
    their unit led or helped with, and the public ones; the public ones for everyone else with business data.

    Crosses the co-units (many per suggestion): callers keep one row each (`pk__in`)."""
    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    if kind == ScopeKind.UNIT and user.unit_id:
        return Q(lead_unit_id=user.unit_id) | Q(co_units=user.unit_id) | Q(is_public=True)
    return NOTHING if kind == ScopeKind.NONE else Q(is_public=True)


def forwards_q(user: User) -> Q:
    """Forwards to city units among the suggestions the user sees: a unit's clerk only their unit's."""
    if user.scope_kind == ScopeKind.UNIT:
        return Q(unit_id=user.unit_id) if user.unit_id else NOTHING
    return NOTHING if user.scope_kind == ScopeKind.NONE else Q()


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
