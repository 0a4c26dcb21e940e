"""Scoped reads of duty records, duty points and reports to voters.

Whose record a user may open is `accounts.scopes.deputies_q`: a deputy their own, a group
leader or liaison officer their group, a township officer their township, city officers,
supervisors and leaders everyone; handling-unit clerks and the administrators nobody.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import Role, ScopeKind
from deputyhome.core.crud import get_in_scope
from deputyhome.deputies.models import Deputy, GroupMembership, Mandate, active_on
from deputyhome.motions.choices import AttendanceStatus
from deputyhome.motions.models import SessionAttendance
from deputyhome.organisation.models import DeputyGroup, Region, Session, Station
from deputyhome.suggestions.models import CoSigner, Suggestion

from . import points, ranking, services, sources
from .figures import DutyFigures, Period, duty_figures, expected_sessions, figures_of
from .models import VoterReport
from .points_list import PointsRow, RankedPoints, ScopePoints, SnapshotPoints, period_memberships

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from deputyhome.accounts.models import User

RECORD_SCOPES = frozenset({ScopeKind.CITY, ScopeKind.REGION, ScopeKind.GROUP, ScopeKind.SELF})
# Who organises reports to voters: the committee, township staff, and a group's leader or liaison officer.
REPORT_EDITORS = frozenset({Role.CITY_OFFICER, Role.TOWNSHIP_OFFICER, Role.GROUP_LEADER, Role.LIAISON_OFFICER})


def can_view_records(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.scope_kind in RECORD_SCOPES)


def can_view_points_list(user: User | AnonymousUser) -> bool:
    """The published list is for staff; a deputy sees their own points on their record."""
    return bool(user.is_authenticated and user.scope_kind in (ScopeKind.CITY, ScopeKind.REGION, ScopeKind.GROUP))


def can_edit_scheme(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.role == Role.CITY_OFFICER)


def can_edit_reports(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.role in REPORT_EDITORS)


def can_record_attendance(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.role in (Role.CITY_OFFICER, Role.TOWNSHIP_OFFICER))


def record_deputies(*, user: User) -> QuerySet[Deputy]:
    """Deputies whose record the user may open."""
    if not can_view_records(user):
        return Deputy.objects.none()
    return Deputy.objects.filter(scopes.deputies_q(user)).select_related("region")


def may_open_record(*, user: User, deputy: Deputy) -> bool:
    """Whether `user` may open `deputy`'s duty record: the record page's own test, for links to it (one query)."""
    return record_deputies(user=user).filter(pk=deputy.pk).exists()


def deputy_in_scope(*, user: User, pk: Any) -> Deputy:
    """The deputy whose record `user` may open; otherwise 404, an existing deputy's refusal audited."""
    return get_in_scope(record_deputies, user, pk)


def terms_of(*, deputy: Deputy) -> list[Mandate]:
    """The deputy's mandates, newest first: each is a term (届) a record can cover."""
    return list(deputy.mandates.select_related("congress").order_by("-start_date", "congress__level"))


def _current_group(deputy_id: int, on: datetime.date) -> DeputyGroup | None:
    m = (
        GroupMembership.objects.filter(active_on(on), deputy_id=deputy_id)
        .select_related("group__station")
        .order_by("-start_date")
        .first()
    )
    return m.group if m else None


@dataclass
class YearPoints:
    year: int
    scheme: Any
    card: points.Card


@dataclass
class DutyRecord:
    """One deputy's record for one period, with the lists behind the figures."""

    deputy: Deputy
    period: Period
    figures: DutyFigures
    group: DeputyGroup | None
    sessions: list[dict[str, Any]] = field(default_factory=list)
    suggestions_led: list[Suggestion] = field(default_factory=list)
    suggestions_cosigned: list[Suggestion] = field(default_factory=list)
    reports: list[VoterReport] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    receptions: list[dict[str, Any]] = field(default_factory=list)
    trainings: list[dict[str, Any]] = field(default_factory=list)
    household_contacts: list[dict[str, Any]] = field(default_factory=list)
    year_points: list[YearPoints] = field(default_factory=list)

    @property
    def total_points(self) -> Decimal:
        return sum((y.card.total for y in self.year_points), Decimal(0))

    @property
    def total_points_display(self) -> str:
        return points.fmt_points(self.total_points)


def duty_summary(*, deputy: Deputy, period: Period, today: datetime.date, actor: Any = None) -> DutyRecord:
    """The record's figures and the points of each year in the period, without the lists behind them (a deputy's
    home page)."""
    figures = figures_of(duty_figures(deputy_ids=[deputy.pk], period=period), deputy.pk)
    rec = DutyRecord(
        deputy=deputy,
        period=period,
        figures=figures,
        group=_current_group(deputy.pk, min(period.end, today)),
    )
    years = list(range(period.start.year, period.end.year + 1))
    for year in years:
        scheme = services.points_scheme_for_year(year=year, actor=actor)
        if len(years) == 1:
            year_figures = figures
        else:
            # A term spans years, each scored by its own year's scheme.
            part = Period(
                max(period.start, datetime.date(year, 1, 1)),
                min(period.end, datetime.date(year, 12, 31)),
                f"{year}年",
                year,
            )
            year_figures = figures_of(duty_figures(deputy_ids=[deputy.pk], period=part), deputy.pk)
        rec.year_points.append(YearPoints(year, scheme, points.score(year_figures, services.item_specs(scheme))))
    return rec


def deputy_record(*, deputy: Deputy, period: Period, today: datetime.date, actor: Any = None) -> DutyRecord:
    """The full record: figures, the lists behind them, and the points of each year in the period. A list is read
    only when the figures say it has rows (each figure counts the same rows as its list, or more)."""
    rec = duty_summary(deputy=deputy, period=period, today=today, actor=actor)
    f = rec.figures
    exceptions = {}
    if f.sessions_excused or f.sessions_absent:
        exceptions = {
            a.session_id: a
            for a in SessionAttendance.objects.filter(
                deputy=deputy,
                session__start_date__range=(period.start, period.end),
                status__in=[AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT],
            )
        }
    sessions = expected_sessions([deputy.pk], period) if f.sessions_expected else Session.objects.none()
    for session in sessions.select_related("congress").distinct().order_by("start_date"):
        exception = exceptions.get(session.pk)
        rec.sessions.append(
            {
                "session": session,
                "status": exception.get_status_display() if exception else "出席",
                "reason": exception.reason if exception else "",
                "present": exception is None,
            }
        )
    start, end = period.aware_bounds()
    in_period = Q(submitted_at__gte=start, submitted_at__lt=end)
    # The lists show the number, title, state and result: not the texts, which are long.
    base = (
        Suggestion.objects.exclude(state="draft")
        .select_related("result_class")
        .defer("situation", "reasons", "proposals")
    )
    if f.suggestions_submitted:
        rec.suggestions_led = list(base.filter(in_period, author=deputy).order_by("submitted_at"))
    if f.suggestions_cosigned:
        cosigned = CoSigner.objects.filter(deputy=deputy, confirmed_at__isnull=False).values("suggestion_id")
        rec.suggestions_cosigned = list(
            base.filter(in_period, pk__in=cosigned, number__isnull=False)
            .select_related("author")
            .order_by("submitted_at")
        )
    if f.reports_listed:
        rec.reports = list(
            VoterReport.objects.filter(deputy=deputy, date__range=(period.start, period.end))
            .select_related("station")
            .order_by("date")
        )
    if f.activities_listed:
        rec.activities = sources.activity_list(deputy.pk, period)
    if f.receptions:
        rec.receptions = sources.reception_list(deputy.pk, period)
    if f.training_listed:
        rec.trainings = sources.training_list(deputy.pk, period)
    if f.household_contacts:
        rec.household_contacts = sources.pairing_contact_list(deputy.pk, period)
    return rec


# The points list ----------------------------------------------------------------------------------------


def scope_place(user: User) -> str:
    """Where the user's lists are of, for their headings: their township, their group, or the city."""
    from deputyhome.organisation.selectors import home_region

    if user.scope_kind == ScopeKind.REGION and user.region_id:
        return user.region.name
    if user.scope_kind == ScopeKind.GROUP and user.group_id:
        return user.group.name
    city = home_region()
    return city.name if city else ""


def township_choices(*, user: User) -> QuerySet[Region]:
    return (
        Region.objects.filter(scopes.regions_q(user), code__regex=r"^\d{9}$").select_related("parent").order_by("code")
    )


def group_choices(*, user: User) -> QuerySet[DeputyGroup]:
    return (
        DeputyGroup.objects.filter(scopes.groups_q(user))
        .select_related("station__region")
        .order_by("station__region__code", "name")
    )


@dataclass(frozen=True)
class PointsQuery:
    """What the points list (履职积分公示) asks for: a year, or its running total to a quarter's end, narrowed by
    township, group or name; `today` stands in for the date in tests."""

    year: int
    quarter: int | None = None
    township: Region | None = None
    group: DeputyGroup | None = None
    name: str = ""
    today: datetime.date | None = None

    @property
    def cumulative(self) -> Period:
        return Period.running(self.year, self.quarter)

    @property
    def on(self) -> datetime.date:
        """The day whose group memberships count: the period's end, or today while it runs."""
        return min(self.cumulative.end, self.today or scopes.today())

    @property
    def filtered(self) -> bool:
        return self.township is not None or self.group is not None or bool(self.name.strip())


def points_rows(query: PointsQuery, *, user: User, actor: Any = None) -> tuple[Any, list[PointsRow]]:
    """Every deputy in scope (and in the filters) with their points, ranked; a constant number of queries.

    With a quarter, the ranking is by the running total from 1 January to the quarter's end (the
    figure published each quarter), and each row also has the quarter's own points.
    """
    year, quarter, on = query.year, query.quarter, query.on
    deputies = _points_deputies(user, query)
    deputies = deputies.prefetch_related(period_memberships(on)).order_by("region__code", "name", "pk")
    deputy_list = list(deputies)
    scheme = services.points_scheme_for_year(year=year, actor=actor)
    specs = services.item_specs(scheme)
    ids = deputies.values("pk")
    totals = duty_figures(deputy_ids=ids, period=query.cumulative)
    quarter_figures = duty_figures(deputy_ids=ids, period=Period.for_quarter(year, quarter)) if quarter else None
    rows = []
    for d in deputy_list:
        figures = figures_of(totals, d.pk)
        rows.append(
            PointsRow(
                deputy=d,
                group_name=d.period_memberships[0].group.name if d.period_memberships else "",
                figures=figures,
                card=points.score(figures, specs),
                period_card=points.score(figures_of(quarter_figures, d.pk), specs)
                if quarter_figures is not None
                else None,
            )
        )
    rows.sort(
        key=lambda r: (-r.card.total, r.deputy.region.code if r.deputy.region else "", r.deputy.name, r.deputy.pk)
    )
    for row, rank in zip(rows, points.competition_ranks([r.card.total for r in rows]), strict=True):
        row.rank = rank
    return scheme, rows


def _points_deputies(user: User, query: PointsQuery, *, held: bool = True) -> QuerySet[Deputy]:
    """The deputies the points list ranks: in scope, with a mandate in the period (`held`: the ranking computed
    ahead holds only those already), in the filters."""
    deputies = record_deputies(user=user)
    if held:
        deputies = deputies.filter(ranking.held_mandate_in(query.cumulative))
    if query.township is not None:
        deputies = deputies.filter(region__code__startswith=query.township.code)
    return narrowed(deputies, group=query.group, name=query.name, on=query.on)


def narrowed(
    deputies: QuerySet[Deputy],
    *,
    group: DeputyGroup | None,
    name: str,
    on: datetime.date,
    station: Station | None = None,
) -> QuerySet[Deputy]:
    """`deputies` narrowed to the members on `on` of `group` and of the groups based at `station`, and to names
    containing `name`, where given."""
    if group is not None:
        members = GroupMembership.objects.filter(active_on(on), group=group)
        deputies = deputies.filter(pk__in=members.values("deputy_id"))
    if station is not None:
        members = GroupMembership.objects.filter(active_on(on), group__station=station)
        deputies = deputies.filter(pk__in=members.values("deputy_id"))
    if name.strip():
        deputies = deputies.filter(name__contains=name.strip())
    return deputies


def points_page_rows(query: PointsQuery, *, user: User, actor: Any = None) -> tuple[Any, RankedPoints]:
    """The points list as `points_rows` ranks it, for a paginator, from the ranking computed ahead: the city's for
    the city's users (every deputy is in their scope), their own scope's for a township's or a group's."""
    scheme = services.points_scheme_for_year(year=query.year, actor=actor)
    pages = {
        "selected": _points_deputies(user, query, held=False) if query.filtered else None,
        "specs": services.item_specs(scheme),
        "year": query.year,
        "quarter": query.quarter,
        "on": query.on,
    }
    if scopes.sees_everyone(user):
        return scheme, SnapshotPoints(**pages)
    return scheme, ScopePoints(scope=scopes.scope_key(user), **pages)


# Reports to voters --------------------------------------------------------------------------------------


def voter_report_list(*, user: User) -> QuerySet[VoterReport]:
    if not can_view_records(user):
        return VoterReport.objects.none()
    return VoterReport.objects.filter(
        deputy__in=Deputy.objects.filter(scopes.deputies_q(user)).values("pk")
    ).select_related("deputy__region", "station")


def report_deputy_choices(*, user: User) -> QuerySet[Deputy]:
    """The deputies a report may be for, by name as the search answers them (the name's index reads the first
    hundred without sorting a province's deputies)."""
    return record_deputies(user=user).order_by("name", "region__code", "birth_date", "pk")
