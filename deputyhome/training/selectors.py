"""Scoped reads of training: plans, sessions, attendance, materials, coverage and the year's figures.

Who sees what:
- city scope (city officers, supervisors, leaders): everything;
- township officers: their township's plans and sessions, and the city's (read only); the
  attendance of their township's sessions and of their township's deputies anywhere;
- group leaders and liaison officers: the sessions their group's deputies were invited to,
  with those deputies' attendance (read only);
- deputies: the sessions they were invited to or signed in to, and their own attendance;
- handling-unit clerks and the administrators: nothing.

Who changes what: city officers every plan and session; township officers those of their
own township (`managed_session_list`, `managed_plan_list`).

The filters themselves are in `accounts.scopes` (`training_sessions_q`, `training_attendance_q`,
`training_plans_q`, `material_distributions_q`, `training_managed_q`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import Role, ScopeKind
from deputyhome.deputies.models import Deputy, GroupMembership, Mandate, active_on
from deputyhome.deputies.selectors import current_group_names
from deputyhome.organisation.selectors import home_region

from .choices import AttendanceStatus, OrganiserLevel
from .models import Attendance, Material, MaterialDistribution, TrainingPlan, TrainingSession
from .selectors_figures import (
    UncoveredByTownship,
    as_of,
    coverage_of,
    deputy_hours_list,
    deputy_training,
    hours_deputies,
    initial_training_coverage,
    name_townships,
    new_deputies,
    township_breakdown,
    training_stats,
    uncovered_new_deputies,
    with_hours,
    year_bounds,
)
from .selectors_scoped import Uncovered, scoped_coverage

if TYPE_CHECKING:
    from deputyhome.accounts.models import User
    from deputyhome.organisation.models import DeputyGroup, Region

# The figures live in selectors_figures; these names are read from here by the views and other apps.
__all__ = [
    "Uncovered",
    "UncoveredByTownship",
    "as_of",
    "deputy_hours_list",
    "deputy_training",
    "coverage_of",
    "hours_deputies",
    "initial_training_coverage",
    "name_townships",
    "new_deputies",
    "scoped_coverage",
    "township_breakdown",
    "training_stats",
    "uncovered_new_deputies",
    "with_hours",
    "year_bounds",
]


# Roles -------------------------------------------------------------------------------------------------


def may_see_training(user: User) -> bool:
    """Roles that may open training pages at all (everyone with deputy data: not unit clerks or admins)."""
    return user.scope_kind not in (ScopeKind.NONE, ScopeKind.UNIT)


def is_training_staff(user: User) -> bool:
    """Staff who see plans, materials and coverage: city officers, township officers, supervisors, leaders."""
    return user.scope_kind in (ScopeKind.CITY, ScopeKind.REGION)


def may_manage_training(user: User) -> bool:
    """Roles that organise training (within their own organiser level)."""
    return user.role in (Role.CITY_OFFICER, Role.TOWNSHIP_OFFICER)


def is_city_manager(user: User) -> bool:
    return user.role == Role.CITY_OFFICER


def _township_code(user: User) -> str | None:
    return user.region.code if user.region_id else None


def may_organise(user: User, level: str, region: Region | None) -> bool:
    """Whether `user` may run training organised at `level` by `region` (None for the city)."""
    if is_city_manager(user):
        return True
    if user.role != Role.TOWNSHIP_OFFICER or level != OrganiserLevel.TOWNSHIP or region is None:
        return False
    code = _township_code(user)
    return bool(code) and region.code.startswith(code)


def can_manage(user: User, obj: TrainingSession | TrainingPlan) -> bool:
    return may_organise(user, obj.level, obj.region if obj.region_id else None)


# Plans ------------------------------------------------------------------------------------------------


def plan_list(*, user: User) -> QuerySet[TrainingPlan]:
    return (
        TrainingPlan.objects.filter(scopes.training_plans_q(user))
        .select_related("region")
        .annotate(session_count=Count("sessions", distinct=True))
    )


def managed_plan_list(*, user: User) -> QuerySet[TrainingPlan]:
    return plan_list(user=user).filter(scopes.training_managed_q(user))


def plan_choices(*, user: User) -> QuerySet[TrainingPlan]:
    return TrainingPlan.objects.filter(scopes.training_managed_q(user)).order_by("-year", "title", "pk")


def plan_label(plan: TrainingPlan) -> str:
    """A plan as a choice: its year too, since every year's plan may carry the same title."""
    return f"{plan.year}年 {plan.title}"


# Sessions ---------------------------------------------------------------------------------------------


def _count(status: str | None = None, **extra: Any) -> Count:
    cond = Q(**extra)
    if status is not None:
        cond &= Q(attendances__status=status)
    return Count("attendances", filter=cond, distinct=True)


def session_list(*, user: User) -> QuerySet[TrainingSession]:
    """Sessions in scope with their attendance counts (one query, whatever the page length).

    The counts are of all the session's rows, as the organiser sees them; the attendance
    grid itself is narrowed to the rows the user may read.
    """
    qs = (
        TrainingSession.objects.filter(scopes.training_sessions_q(user))
        .select_related("region", "plan")
        .annotate(
            invited_count=_count(attendances__invited=True),
            walk_in_count=_count(attendances__invited=False),
            present_count=_count(AttendanceStatus.PRESENT),
            excused_count=_count(AttendanceStatus.EXCUSED),
            absent_count=_count(AttendanceStatus.ABSENT),
        )
    )
    if user.deputy_id:
        mine = Attendance.objects.filter(session=OuterRef("pk"), deputy_id=user.deputy_id)
        qs = qs.annotate(my_status=Subquery(mine.values("status")[:1]))
    return qs


def session_register(*, user: User) -> QuerySet[TrainingSession]:
    """Sessions in scope for the register, without counts: counting all the attendance rows of every
    session (500,000 in a province) to show 25 sessions is what `add_counts` avoids."""
    return TrainingSession.objects.filter(scopes.training_sessions_q(user)).select_related("region", "plan")


def add_counts(sessions: list[TrainingSession], *, user: User) -> None:
    """The attendance counts of these sessions (a page of the register) as `session_list` gives them, and the
    user's own status, in one grouped query (two for a deputy)."""
    ids = [s.pk for s in sessions]
    counts = {
        row["session_id"]: row
        # No order: the rows' default order (by session and deputy) would join both tables for nothing.
        for row in Attendance.objects.filter(session_id__in=ids)
        .order_by()
        .values("session_id")
        .annotate(
            invited_count=Count("pk", filter=Q(invited=True)),
            walk_in_count=Count("pk", filter=Q(invited=False)),
            present_count=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
            excused_count=Count("pk", filter=Q(status=AttendanceStatus.EXCUSED)),
            absent_count=Count("pk", filter=Q(status=AttendanceStatus.ABSENT)),
        )
    }
    mine: dict[int, str] = {}
    if user.deputy_id and ids:
        mine = dict(
            Attendance.objects.filter(session_id__in=ids, deputy_id=user.deputy_id).values_list("session_id", "status")
        )
    for s in sessions:
        row = counts.get(s.pk, {})
        for name in ("invited_count", "walk_in_count", "present_count", "excused_count", "absent_count"):
            setattr(s, name, row.get(name, 0))
        s.my_status = mine.get(s.pk)


def managed_session_list(*, user: User) -> QuerySet[TrainingSession]:
    return (
        TrainingSession.objects.filter(scopes.training_sessions_q(user))
        .filter(scopes.training_managed_q(user))
        .select_related("region")
    )


def session_choices(*, user: User) -> QuerySet[TrainingSession]:
    return (
        TrainingSession.objects.filter(scopes.training_managed_q(user))
        .only("id", "title", "date")
        .order_by("-date", "-pk")
    )


def session_label(session: TrainingSession) -> str:
    """A session as a choice: its date too, since a township repeats a title from year to year."""
    return f"{session.date:%Y-%m-%d} {session.title}"


# What a row of a session's attendance shows: the deputy's name and township, the status, the sign-in.
ATTENDANCE_ROW = (
    "invited",
    "status",
    "excuse_reason",
    "signed_in_at",
    "signin_way",
    "deputy__name",
    "deputy__region__name",
    "deputy__region__code",
)


def attendance_of(*, user: User, session: TrainingSession) -> QuerySet[Attendance]:
    """The session's attendance rows the user may read, with what a row shows of each deputy (their township; their
    current group through `group_names`)."""
    return (
        Attendance.objects.filter(scopes.training_attendance_q(user), session=session)
        .select_related("deputy__region")
        .only(*ATTENDANCE_ROW)
        .order_by("deputy__region__code", "deputy__name", "id")
    )


def group_names(rows: Iterable[Attendance]) -> dict[int, str]:
    """{deputy id: the name of their current group} for the deputies of attendance `rows` (one query)."""
    return current_group_names(deputy_ids={a.deputy_id for a in rows}, on=scopes.today())


def my_attendance(*, user: User, on: datetime.date) -> QuerySet[Attendance]:
    """The deputy's own invitations to sessions on `on` (for the sign-in page)."""
    if not user.deputy_id:
        return Attendance.objects.none()
    return Attendance.objects.filter(deputy_id=user.deputy_id, session__date=on).select_related("session__region")


def invite_candidates(
    *,
    user: User,
    township: Region | None = None,
    group: DeputyGroup | None = None,
    level: str | None = None,
    new_only: bool = False,
    search: str = "",
    on: datetime.date | None = None,
) -> QuerySet[Deputy]:
    """Deputies in the user's scope with a mandate in force on `on`, narrowed by the invite page's criteria."""
    on = on or scopes.today()
    mandates = Mandate.objects.filter(active_on(on))
    if level:
        mandates = mandates.filter(congress__level=level)
    qs = Deputy.objects.filter(scopes.deputies_q(user), pk__in=mandates.values("deputy_id"))
    if township is not None:
        qs = qs.filter(region__code__startswith=township.code)
    if group is not None:
        qs = qs.filter(pk__in=GroupMembership.objects.filter(active_on(on), group=group).values("deputy_id"))
    if new_only:
        qs = qs.filter(pk__in=new_deputies(user=user, on=on).values("pk"))
    if search.strip():
        qs = qs.filter(name__icontains=search.strip())
    return qs.select_related("region").order_by("region__code", "name", "id")


# Materials --------------------------------------------------------------------------------------------


def material_list(*, user: User) -> QuerySet[Material]:
    if not is_training_staff(user):
        return Material.objects.none()
    return Material.objects.annotate(
        copies=Coalesce(Sum("distributions__quantity", filter=Q(distributions__in=_distributions(user))), 0),
    )


def material_choices(*, user: User) -> QuerySet[Material]:
    """The materials a distribution may hand out (search-as-you-type past 100: the list grows year by year)."""
    return Material.objects.order_by("title") if is_training_staff(user) else Material.objects.none()


def register_choices() -> None:
    """The plans, sessions and materials a search-as-you-type field of a training form searches
    (core.widgets.SearchSelect): those the user organises (plans, sessions) or may hand out."""
    from deputyhome.core.registry import ChoiceSource
    from deputyhome.core.registry import register_choices as register

    register(
        "training_plan",
        ChoiceSource(plan_choices, search=("title",), label=plan_label, placeholder="输入方案名称搜索"),
    )
    register(
        "training_session",
        ChoiceSource(
            session_choices,
            search=("title",),
            label=session_label,
            placeholder="输入培训名称搜索",
        ),
    )
    register(
        "material",
        ChoiceSource(material_choices, search=("title",), placeholder="输入资料名称搜索"),
    )


def _distributions(user: User) -> QuerySet[MaterialDistribution]:
    return MaterialDistribution.objects.filter(scopes.material_distributions_q(user))


def distribution_list(*, user: User) -> QuerySet[MaterialDistribution]:
    return _distributions(user).select_related("material", "deputy__region", "session")


def managed_distribution_list(*, user: User) -> QuerySet[MaterialDistribution]:
    """Distributions the user may delete: the city's officers all; a township's those in its scope
    that were not handed out at a city session."""
    if is_city_manager(user):
        return distribution_list(user=user)
    if user.role == Role.TOWNSHIP_OFFICER:
        return distribution_list(user=user).exclude(session__level=OrganiserLevel.CITY)
    return MaterialDistribution.objects.none()


def committee_name(session: TrainingSession) -> str:
    """Whose sheet it is, for its printed heading: the city's standing committee, or the township's 人大."""
    if session.level == OrganiserLevel.TOWNSHIP and session.region_id:
        return f"{session.region.name}人大"
    city = home_region()
    return f"{city.name}人大常委会" if city else "人大常委会"
