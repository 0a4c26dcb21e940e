"""The rules of congress meetings: which sessions (人代会会议), delegations (代表团) and motions (议案) a user works
with. Part of `scopes`, which re-exports every rule here; selectors use them through `scopes`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from deputyhome.core.models import active_on

from .choices import ScopeKind
from .scope_base import NOTHING, _anchor_region_code, _member_ids, _model_at, ancestor_codes, today

if TYPE_CHECKING:
    from .models import User


def _own_and_members(user: User):
    """The deputies a group-scoped or self-scoped user works for: their own deputy record, and for a group
    leader or liaison officer the group's current members (a subquery of deputy ids, or a list)."""
    if user.scope_kind == ScopeKind.GROUP and user.group_id:
        members = _member_ids(user.group_id, active_on(today()))
        if not user.deputy_id:
            return members
        # A UNION of the two id lists, not "member OR own" over the deputies: PostgreSQL can only answer
        # that OR by scanning every deputy, and then every mandate or membership joined to them.
        own = _model_at("deputy")._default_manager.filter(pk=user.deputy_id).values("pk")
        return members.order_by().union(own.order_by())
    return [user.deputy_id] if user.deputy_id else []


def sessions_q(user: User) -> Q:
    """Sessions of congresses (人代会会议) the user works with.

    City-wide users: all. A township officer: the sessions of the congresses over their township (the
    city's; the prefecture's and the province's where those congresses name their region) and of the
    congresses in it (their township's own). Group leaders, liaison officers and deputies: the sessions of
    the congresses in which they, or their group's current members, hold a mandate. Unit clerks and the
    administrators: none.
    """
    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    if kind == ScopeKind.REGION and (code := _anchor_region_code(user)):
        return Q(congress__region__code__in=ancestor_codes(code)) | Q(congress__region__code__startswith=code)
    if kind in (ScopeKind.GROUP, ScopeKind.SELF):
        mandates = _model_at("deputy__mandates")._default_manager
        return Q(congress_id__in=mandates.filter(deputy_id__in=_own_and_members(user)).values("congress_id"))
    return NOTHING


def delegations_q(user: User) -> Q:
    """Delegations (代表团) at a session, and so their members.

    City-wide users: all. A township officer: the delegations of their township (a city congress's
    delegations are one per township-level unit). Group leaders, liaison officers and deputies: the
    delegations they, or their group's current members, belong to (at any date).
    """
    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    if kind == ScopeKind.REGION and (code := _anchor_region_code(user)):
        return Q(region__code__startswith=code)
    if kind in (ScopeKind.GROUP, ScopeKind.SELF):
        members = _model_at("deputy__delegation_memberships")._default_manager
        return Q(pk__in=members.filter(deputy_id__in=_own_and_members(user)).values("delegation_id"))
    return NOTHING


def own_motions_q(user: User) -> Q:
    """Motions the user's deputy leads or signs (the lead is a signer too).

    Crosses the signers (many per motion): callers keep one row each (`pk__in`)."""
    if not user.deputy_id:
        return NOTHING
    return Q(signers__deputy_id=user.deputy_id)


def motions_q(user: User) -> Q:
    """Motions (议案) the user may see; drafts aside (`motions.selectors.motion_list`).

    City-wide users: all. A township officer: those of their township (`Motion.region`: the lead deputy's
    or the delegation's township), and those they sign as a deputy. Group leaders, liaison officers and
    deputies: those they lead or sign. Unit clerks and the administrators: none (motions are not assigned
    to units; a motion converted to a suggestion reaches them as that suggestion).
    """
    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    if kind == ScopeKind.REGION and (code := _anchor_region_code(user)):
        return Q(region__code__startswith=code) | own_motions_q(user)
    if kind in (ScopeKind.GROUP, ScopeKind.SELF):
        return own_motions_q(user)
    return NOTHING
