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

from django.db.models import Prefetch, Q, QuerySet

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import Role, ScopeKind
from deputyhome.core.crud import get_in_scope
from deputyhome.deputies.models import Deputy, GroupMembership, Mandate, active_on
from deputyhome.motions.choices import AttendanceStatus
from deputyhome.motions.models import SessionAttendance
from deputyhome.organisation.models import DeputyGroup, Region, Station
from deputyhome.suggestions.models import CoSigner, Suggestion

from . import points, precomputed, ranking, services, sources
from .figures import DutyFigures, Period, duty_figures, expected_sessions, figures_of
from .models import VoterReport

if TYPE_CHECKING:
    from deputyhome.accounts.models import User

RECORD_SCOPES = frozenset({ScopeKind.CITY, ScopeKind.REGION, ScopeKind.GROUP, ScopeKind.SELF})
# Who organises reports to voters: the committee, township staff, and a group's leader or liaison officer.
REPORT_EDITORS = frozenset({Role.CITY_OFFICER, Role.TOWNSHIP_OFFICER, Role.GROUP_LEADER, Role.LIAISON_OFFICER})


def can_view_records(user) -> bool:
    return bool(user.is_authenticated and user.scope_kind in RECORD_SCOPES)


def can_view_points_list(user) -> bool:
    """The published list is for staff; a deputy sees their own points on their record."""
    return bool(user.is_authenticated and user.scope_kind in (ScopeKind.CITY, ScopeKind.REGION, ScopeKind.GROUP))


def can_edit_scheme(user) -> bool:
    return bool(user.is_authenticated and user.role == Role.CITY_OFFICER)


def can_edit_reports(user) -> bool:
    return bool(user.is_authenticated and user.role in REPORT_EDITORS)


def can_record_attendance(user) -> bool:
    return bool(user.is_authenticated and user.role in (Role.CITY_OFFICER, Role.TOWNSHIP_OFFICER))


def record_deputies(*, user) -> QuerySet[Deputy]:
    """Deputies whose record the user may open."""
    if not can_view_records(user):
        return Deputy.objects.none()
    return Deputy.objects.filter(scopes.deputies_q(user)).select_related("region")


def may_open_record(*, user: User, deputy: Deputy) -> bool:
    """Whether `user` may open `deputy`'s duty record: the record page's own test, for links to it (one query)."""
    return record_deputies(user=user).filter(pk=deputy.pk).exists()


def deputy_in_scope(*, user, pk: Any) -> Deputy:
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
    year_points: list[YearPoints] = field(default_factory=list)

    @property
    def total_points(self) -> Decimal:
        return sum((y.card.total for y in self.year_points), Decimal(0))

    @property
    def total_points_display(self) -> str:
        return points.fmt_points(self.total_points)


def deputy_record(*, deputy: Deputy, period: Period, today: datetime.date, actor: Any = None) -> DutyRecord:
    """The full record: figures, the lists behind them, and the points of each year in the period."""
    figures = figures_of(duty_figures(deputy_ids=[deputy.pk], period=period), deputy.pk)
    rec = DutyRecord(
        deputy=deputy,
        period=period,
        figures=figures,
        group=_current_group(deputy.pk, min(period.end, today)),
    )
    exceptions = {
        a.session_id: a
        for a in SessionAttendance.objects.filter(
            deputy=deputy,
            session__start_date__range=(period.start, period.end),
            status__in=[AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT],
        )
    }
    for session in expected_sessions([deputy.pk], period).select_related("congress").distinct().order_by("start_date"):
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
    rec.suggestions_led = list(base.filter(in_period, author=deputy).order_by("submitted_at"))
    cosigned = CoSigner.objects.filter(deputy=deputy, confirmed_at__isnull=False).values("suggestion_id")
    rec.suggestions_cosigned = list(
        base.filter(in_period, pk__in=cosigned, number__isnull=False).select_related("author").order_by("submitted_at")
    )
    rec.reports = list(
        VoterReport.objects.filter(deputy=deputy, date__range=(period.start, period.end))
        .select_related("station")
        .order_by("date")
    )
    rec.activities = sources.activity_list(deputy.pk, period)
    rec.receptions = sources.reception_list(deputy.pk, period)
    rec.trainings = sources.training_list(deputy.pk, period)
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


# The points list ----------------------------------------------------------------------------------------


@dataclass
class PointsRow:
    deputy: Deputy
    group: DeputyGroup | None
    figures: DutyFigures
    card: points.Card  # the running total to the end of the period
    period_card: points.Card | None  # the quarter's own points, when a quarter is chosen
    rank: int = 0


def township_choices(*, user) -> QuerySet[Region]:
    return (
        Region.objects.filter(scopes.regions_q(user), code__regex=r"^\d{9}$").select_related("parent").order_by("code")
    )


def group_choices(*, user) -> QuerySet[DeputyGroup]:
    return (
        DeputyGroup.objects.filter(scopes.groups_q(user))
        .select_related("station__region")
        .order_by("station__region__code", "name")
    )


def points_rows(
    *,
    user,
    year: int,
    quarter: int | None = None,
    township: Region | None = None,
    group: DeputyGroup | None = None,
    name: str = "",
    today: datetime.date | None = None,
    actor: Any = None,
) -> tuple[Any, list[PointsRow]]:
    """Every deputy in scope (and in the filters) with their points, ranked; a constant number of queries.

    With a quarter, the ranking is by the running total from 1 January to the quarter's end (the
    figure published each quarter), and each row also has the quarter's own points.
    """
    today = today or scopes.today()
    cumulative = Period.running(year, quarter)
    on = min(cumulative.end, today)
    deputies = _points_deputies(user, cumulative, on, township=township, group=group, name=name)
    deputies = deputies.prefetch_related(_period_memberships(on)).order_by("region__code", "name", "pk")
    deputy_list = list(deputies)
    scheme = services.points_scheme_for_year(year=year, actor=actor)
    specs = services.item_specs(scheme)
    ids = deputies.values("pk")
    totals = duty_figures(deputy_ids=ids, period=cumulative)
    quarter_figures = duty_figures(deputy_ids=ids, period=Period.for_quarter(year, quarter)) if quarter else None
    rows = []
    for d in deputy_list:
        figures = figures_of(totals, d.pk)
        rows.append(
            PointsRow(
                deputy=d,
                group=d.period_memberships[0].group if d.period_memberships else None,
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
    for row, rank in zip(rows, competition_ranks([r.card.total for r in rows]), strict=True):
        row.rank = rank
    return scheme, rows


def competition_ranks(totals: list[Decimal]) -> list[int]:
    """The ranks of totals in descending order: equal totals share a rank, the next rank skips (1, 2, 2, 4)."""
    ranks, previous, rank = [], None, 0
    for index, total in enumerate(totals, start=1):
        if total != previous:
            rank, previous = index, total
        ranks.append(rank)
    return ranks


def _points_deputies(
    user,
    cumulative: Period,
    on: datetime.date,
    *,
    township: Region | None,
    group: DeputyGroup | None,
    name: str,
    held: bool = True,
) -> QuerySet[Deputy]:
    """The deputies the points list ranks: in scope, with a mandate in the period (`held`: the ranking computed
    ahead holds only those already), in the filters."""
    deputies = record_deputies(user=user)
    if held:
        deputies = deputies.filter(ranking.held_mandate_in(cumulative))
    if township is not None:
        deputies = deputies.filter(region__code__startswith=township.code)
    if group is not None:
        deputies = deputies.filter(
            pk__in=GroupMembership.objects.filter(active_on(on), group=group).values("deputy_id")
        )
    if name.strip():
        deputies = deputies.filter(name__contains=name.strip())
    return deputies


def _period_memberships(on: datetime.date) -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=GroupMembership.objects.filter(active_on(on)).select_related("group"),
        to_attr="period_memberships",
    )


# Up to this many deputies (a township's, a group's) are scored in Python from one set of figures, which also fills
# the page; more are ranked in SQL (`ranking.ranked_page`), one query whose planning alone outweighs a hundred rows.
SCORE_IN_PYTHON = 3000


class RankedPoints:
    """The points list for a paginator, whatever the number of deputies: its length is the number of deputies in
    scope (read once, with what orders them), a page is the page's rows with their figures (`ranking.points_figures`,
    one query). A scope up to `SCORE_IN_PYTHON` deputies is scored from the figures of them all, read once; a larger
    one is ranked in SQL."""

    figures = None  # the snapshot when the ranking is read from one (`SnapshotPoints`)

    def __init__(self, *, deputies: QuerySet[Deputy], specs, year: int, quarter: int | None, on: datetime.date):
        self.deputies, self.specs, self.year, self.quarter, self.on = deputies, specs, year, quarter, on
        self.cumulative = Period.running(year, quarter)
        self._scope: list[tuple[int, str, str]] | None = None
        self._scored: tuple[list[tuple[int, Decimal, int]], dict[int, DutyFigures]] | None = None
        self._cards: dict[int, points.Card] = {}  # every deputy's card, when all were scored

    def _scope_ids(self) -> list[int]:
        if self._scope is None:
            self._scope = [
                (pk, code or "", name) for pk, code, name in self.deputies.values_list("pk", "region__code", "name")
            ]
        return [pk for pk, _code, _name in self._scope]

    def count(self) -> int:
        return len(self._scope_ids())

    def __len__(self) -> int:
        return self.count()

    def _score_all(self) -> tuple[list[tuple[int, Decimal, int]], dict[int, DutyFigures]]:
        """Every deputy in scope scored in Python, ordered and ranked as `ranking.ranked_page` does; their figures."""
        if self._scored is None:
            ids = self._scope_ids()
            found = ranking.points_figures(ids, self.cumulative)
            self._cards = {pk: points.score(figures_of(found, pk), self.specs) for pk in ids}
            totals = {pk: card.total for pk, card in self._cards.items()}
            order = [d[0] for d in sorted(self._scope or [], key=lambda d: (-totals[d[0]], d[1], d[2], d[0]))]
            ranks = competition_ranks([totals[pk] for pk in order])
            self._scored = [(pk, totals[pk], rank) for pk, rank in zip(order, ranks, strict=True)], found
        return self._scored

    def _ranked(self, offset: int, limit: int) -> list[tuple[int, Decimal, int]]:
        ids = self._scope_ids()
        if len(ids) <= SCORE_IN_PYTHON:
            return self._score_all()[0][offset : offset + limit]
        return ranking.ranked_page(
            deputies=self.deputies, ids=ids, period=self.cumulative, specs=self.specs, offset=offset, limit=limit
        )

    def _figures_of(self, ids: list[int]) -> dict[int, DutyFigures]:
        return self._scored[1] if self._scored is not None else ranking.points_figures(ids, self.cumulative)

    def __getitem__(self, index: slice) -> list[PointsRow]:
        if not isinstance(index, slice):
            raise TypeError("RankedPoints is read a page at a time")
        offset = index.start or 0
        ranked = self._ranked(offset, max(0, (index.stop if index.stop is not None else offset) - offset))
        ids = [pk for pk, _total, _rank in ranked]
        found = Deputy.objects.select_related("region").prefetch_related(_period_memberships(self.on)).in_bulk(ids)
        totals = self._figures_of(ids)
        quarter = ranking.points_figures(ids, Period.for_quarter(self.year, self.quarter)) if self.quarter else None
        rows = []
        for pk, _total, rank in ranked:
            d, figures = found[pk], figures_of(totals, pk)
            rows.append(
                PointsRow(
                    deputy=d,
                    group=d.period_memberships[0].group if d.period_memberships else None,
                    figures=figures,
                    card=self._cards.get(pk) or points.score(figures, self.specs),
                    period_card=points.score(figures_of(quarter, pk), self.specs) if quarter is not None else None,
                    rank=rank,
                )
            )
        return rows


class SnapshotPoints(RankedPoints):
    """The city-wide list read from the ranking computed ahead (`records.precomputed`); a filter keeps its own
    deputies (one query for their ids) in the ranking's order."""

    def __init__(self, *, selected: QuerySet[Deputy] | None, **kwargs: Any):
        super().__init__(**kwargs)
        self.selected = selected  # the filters' deputies, if any
        self._ranking: precomputed.Ranking | None = None

    @property
    def ranking(self) -> precomputed.Ranking:
        if self._ranking is None:
            self._ranking = precomputed.Ranking.load(self.year, self.quarter)
            if self.selected is not None:
                self._ranking = self._ranking.within(self.selected.values_list("pk", flat=True))
        return self._ranking

    @property
    def figures(self):  # type: ignore[override]
        return self.ranking.figures

    def count(self) -> int:
        return len(self.ranking)

    def _ranked(self, offset: int, limit: int) -> list[tuple[int, Decimal, int]]:
        return self.ranking.page(offset, limit)


def points_page_rows(
    *,
    user,
    year: int,
    quarter: int | None = None,
    township: Region | None = None,
    group: DeputyGroup | None = None,
    name: str = "",
    today: datetime.date | None = None,
    actor: Any = None,
) -> tuple[Any, RankedPoints]:
    """The points list as `points_rows` ranks it, for a paginator: ranked in SQL, a page of rows at a time."""
    today = today or scopes.today()
    cumulative = Period.running(year, quarter)
    on = min(cumulative.end, today)
    deputies = _points_deputies(user, cumulative, on, township=township, group=group, name=name)
    scheme = services.points_scheme_for_year(year=year, actor=actor)
    pages = {"deputies": deputies, "specs": services.item_specs(scheme), "year": year, "quarter": quarter, "on": on}
    if scopes.sees_everyone(user):
        # Every deputy is in the city's users' scope: the ranking computed ahead for everyone serves them.
        filtered = township is not None or group is not None or bool(name.strip())
        selected = _points_deputies(user, cumulative, on, township=township, group=group, name=name, held=False)
        return scheme, SnapshotPoints(selected=selected if filtered else None, **pages)
    return scheme, RankedPoints(**pages)


# Reports to voters --------------------------------------------------------------------------------------


def voter_report_list(*, user) -> QuerySet[VoterReport]:
    if not can_view_records(user):
        return VoterReport.objects.none()
    return VoterReport.objects.filter(
        deputy__in=Deputy.objects.filter(scopes.deputies_q(user)).values("pk")
    ).select_related("deputy__region", "station")


def report_station_choices(*, user) -> QuerySet[Station]:
    return (
        Station.objects.filter(scopes.stations_q(user))
        .select_related("region")
        .order_by("region__code", "kind", "name")
    )


def report_deputy_choices(*, user) -> QuerySet[Deputy]:
    """The deputies a report may be for, by name as the search answers them (the name's index reads the first
    hundred without sorting a province's deputies)."""
    return record_deputies(user=user).order_by("name", "region__code", "birth_date", "pk")
