"""Scoped reads of the organisation. Views get their querysets here and nowhere else."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Concat

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import Role
from deputyhome.core.models import active_on

from .choices import CongressLevel, RegionKind
from .models import Congress, DeputyGroup, HandlingUnit, Region, Session, Station

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from deputyhome.accounts.models import User


def city_only(user: User) -> bool:
    """Who keeps the organisation's registers (regions, stations, congresses ...): the committee's staff."""
    return user.role == Role.CITY_OFFICER


def region_list(*, user: User) -> QuerySet[Region]:
    return Region.objects.filter(scopes.regions_q(user)).select_related("parent")


def station_list(*, user: User) -> QuerySet[Station]:
    return (
        Station.objects.filter(scopes.stations_q(user))
        .select_related("region__parent")
        .annotate(group_count=Count("groups", distinct=True))
    )


def station_register(*, user: User) -> QuerySet[Station]:
    """The stations for the register, without group counts (`add_group_counts` counts the page's stations only)."""
    return Station.objects.filter(scopes.stations_q(user)).select_related("region__parent")


def add_group_counts(stations: list[Station]) -> None:
    """`group_count` of these stations as `station_list` gives it, in one grouped query."""
    counts = dict(
        Station.objects.filter(pk__in=[s.pk for s in stations]).annotate(n=Count("groups")).values_list("pk", "n")
    )
    for s in stations:
        s.group_count = counts.get(s.pk, 0)


def stations_under(*, user: User, region: Region) -> QuerySet[Station]:
    """The stations in scope within a region (its code is their region's code prefix), by code, without counts."""
    return (
        Station.objects.filter(scopes.stations_q(user), region__code__startswith=region.code)
        .select_related("region")
        .order_by("region__code", "kind", "name", "pk")
    )


def group_list(*, user: User) -> QuerySet[DeputyGroup]:
    today = scopes.today()
    return (
        DeputyGroup.objects.filter(scopes.groups_q(user))
        .select_related("station__region__parent")
        .annotate(member_count=Count("memberships", filter=active_on(today, "memberships__"), distinct=True))
        # by township, then by the group's number in natural order (第二 before 第十)
        .annotate(township_order=Concat("station__region__code", Value(" "), "sort_key"))
    )


def group_register(*, user: User) -> QuerySet[DeputyGroup]:
    """The groups for the register, without member counts (`add_member_counts` counts the page's groups only:
    counting every membership of a province before showing 25 groups is what this avoids). Its township
    order is the register's (`GroupRegister.order`): an annotation would keep its joins in the page count."""
    return DeputyGroup.objects.filter(scopes.groups_q(user)).select_related("station__region__parent")


def add_member_counts(groups: list[DeputyGroup]) -> None:
    """`member_count` of these groups as `group_list` gives it (members today), in one grouped query."""
    counts = dict(
        DeputyGroup.objects.filter(pk__in=[g.pk for g in groups])
        .annotate(n=Count("memberships", filter=active_on(scopes.today(), "memberships__"), distinct=True))
        .values_list("pk", "n")
    )
    for g in groups:
        g.member_count = counts.get(g.pk, 0)


def members_on(*, group: DeputyGroup, on: datetime.date) -> QuerySet:
    """The group's memberships in force on `on`, with their deputies (through the reverse relation:
    the membership model belongs to the deputies app, above this one)."""
    return group.memberships.filter(active_on(on)).select_related("deputy")


def unit_list(*, user: User) -> QuerySet[HandlingUnit]:
    return HandlingUnit.objects.filter(scopes.units_q(user)).select_related("region")


def units_managed(*, user: User) -> QuerySet[HandlingUnit]:
    """The units the user creates and edits: the city's officers the city's, a township congress's officer
    their township's offices and village committees (the city's they read)."""
    return unit_list(user=user).filter(scopes.units_managed_q(user))


def unit_region_choices(*, user: User) -> QuerySet[Region]:
    """The regions the user may keep a unit under: the city (the county-level unit) for the city's officers,
    their own township for a township congress's officer."""
    kinds = [RegionKind.CITY, RegionKind.COUNTY, RegionKind.TOWN, RegionKind.TOWNSHIP]
    return Region.objects.filter(scopes.units_managed_q(user, field=""), kind__in=kinds).order_by("code")


def township_congress_of(user: User | AnonymousUser) -> Congress | None:
    """The current township congress a township officer works for: the one seated in their township (towns
    and townships elect one; streets do not). None for anyone else. Asked by the menu, the desk, the figures
    and the page of one request: looked up once per request (kept on the user object)."""
    if not (user.is_authenticated and user.role == Role.TOWNSHIP_OFFICER and user.region_id):
        return None
    if not hasattr(user, "_township_congress"):
        current = Congress.objects.filter(level=CongressLevel.TOWNSHIP, is_current=True, region_id=user.region_id)
        user._township_congress = current.select_related("region").order_by("-term").first()
    return user._township_congress


def may_keep_units(user: User) -> bool:
    """Who keeps a register of units: the city's officers, and the officer of a township congress."""
    return user.role == Role.CITY_OFFICER or township_congress_of(user) is not None


def may_change_term(user: User, congress: Congress) -> bool:
    """Who runs a congress's 换届: the committee's staff, for the congresses they keep; a township's officer, for
    their own township's current congress (its presidium's staff change its term)."""
    if city_only(user):
        return True
    own = township_congress_of(user)
    return own is not None and own.pk == congress.pk


def congress_list(*, user: User) -> QuerySet[Congress]:
    return Congress.objects.filter(scopes.congresses_q(user)).select_related("region")


def add_congress_counts(congresses: list[Congress]) -> None:
    """`session_count` and `deputy_count` (active mandates) of these congresses, one grouped query each
    on their ids: counted over the page's congresses, not over every congress of the province."""
    page = Congress.objects.filter(pk__in=[c.pk for c in congresses])
    # Two queries, not one with both joins: sessions times mandates would multiply the rows to count.
    sessions = dict(page.annotate(n=Count("sessions")).values_list("pk", "n"))
    mandates = dict(page.annotate(n=Count("mandates", filter=Q(mandates__status="active"))).values_list("pk", "n"))
    for c in congresses:
        c.session_count = sessions.get(c.pk, 0)
        c.deputy_count = mandates.get(c.pk, 0)


def session_list(*, user: User) -> QuerySet[Session]:
    return Session.objects.filter(congress__in=Congress.objects.filter(scopes.congresses_q(user))).select_related(
        "congress"
    )


def townships(*, user: User) -> QuerySet[Region]:
    """Township-level units in the user's scope, for filters and the dashboard."""
    return region_list(user=user).filter(code__regex=r"^\d{9}$").order_by("code")


def home_region() -> Region | None:
    """The region of the committee this installation serves: its county-level unit (the city), the first by code.

    The regions above it (the province, the prefecture) are context for the congresses of those levels; the
    top of the tree is the installation's home only where no county-level unit exists.
    """
    home = Region.objects.filter(kind__in=[RegionKind.CITY, RegionKind.COUNTY]).order_by("code").first()
    return home or Region.objects.filter(parent__isnull=True).order_by("code").first()


def today() -> datetime.date:
    return scopes.today()


def group_choices(*, user: User) -> QuerySet[DeputyGroup]:
    """Groups in scope, for a choice field (a drop-down, or a search field past 100 groups)."""
    return DeputyGroup.objects.filter(scopes.groups_q(user)).only("id", "name").order_by("sort_key", "name")


def station_choices(*, user: User) -> QuerySet[Station]:
    """Stations in scope with their region, by township, kind and name: a choice field's, or a list of stations."""
    return (
        Station.objects.filter(scopes.stations_q(user))
        .select_related("region")
        .order_by("region__code", "kind", "name")
    )


def region_choices(*, user: User) -> QuerySet[Region]:
    """Regions of every level in scope (a region's parent, a station's or a congress's region), by code."""
    return region_list(user=user).order_by("code")


def active_unit_choices(*, user: User) -> QuerySet[HandlingUnit]:
    """The units in use that a matter may be sent to (a referral, an opinion's forward), in the user's scope."""
    return unit_list(user=user).filter(is_active=True).order_by("kind", "name")


def congress_choices(*, user: User) -> QuerySet[Congress]:
    """Congresses in scope, without counts, for a choice field."""
    return Congress.objects.filter(scopes.congresses_q(user)).select_related("region")


def current_congress_choices(*, user: User) -> QuerySet[Congress]:
    """The current congresses in scope (those a motion rule is kept for), by level and name."""
    return congress_choices(user=user).filter(is_current=True).order_by("level", "name", "pk")


def session_label(session: Session) -> str:
    """A session as a choice names its congress (its own name may not: 第一次会议)."""
    return session.name if session.congress.name in session.name else f"{session.congress.name} {session.name}"


def township_label(region: Region) -> str:
    """A township as a search result names its county too: two counties may each have a 城关镇."""
    return f"{region.name}（{region.parent.name}）" if region.parent_id else region.name


def register_choices() -> None:
    """The choices of the organisation that a search-as-you-type field searches (core.widgets.SearchSelect)."""
    from deputyhome.core.registry import ChoiceSource
    from deputyhome.core.registry import register_choices as register

    register(
        "township",
        ChoiceSource(
            townships,
            search=("name", "code", "parent__name"),
            label=township_label,
            placeholder="输入乡镇（街道）名称搜索",
        ),
    )
    register(
        "group",
        ChoiceSource(group_choices, search=("name", "station__name"), placeholder="输入小组名称搜索"),
    )
    register(
        "station",
        ChoiceSource(station_choices, search=("name", "region__name"), placeholder="输入家站名称搜索"),
    )
    register(
        "unit",
        ChoiceSource(lambda user: unit_list(user=user).order_by("name"), placeholder="输入单位名称搜索"),
    )
    # A region of any level, down to the villages (a region's parent, a station's or a congress's region):
    # named with its parent, as a township is.
    register(
        "region",
        ChoiceSource(
            region_choices,
            search=("name", "code", "parent__name"),
            label=township_label,
            placeholder="输入区域名称或代码搜索",
        ),
    )
    register(
        "active_unit",
        ChoiceSource(active_unit_choices, placeholder="输入单位名称搜索"),
    )
    register(
        "congress",
        ChoiceSource(congress_choices, search=("name", "region__name"), placeholder="输入人大名称搜索"),
    )
    register(
        "current_congress",
        ChoiceSource(
            current_congress_choices,
            search=("name", "region__name"),
            placeholder="输入人大名称搜索",
        ),
    )
