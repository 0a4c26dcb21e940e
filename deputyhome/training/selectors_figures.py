"""The training figures: new deputies and their initial-training coverage, hours per deputy, the year's statistics.

Counted in SQL over the user's scope (accounts.scopes), a fixed number of queries whatever the
data size. Re-exported by training.selectors, where the views and the other apps read them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from deputyhome.accounts import scopes
from deputyhome.core.counting import count_of
from deputyhome.deputies.models import Deputy, Mandate, active_on
from deputyhome.organisation.choices import CongressLevel

from .choices import AttendanceStatus, OrganiserLevel, PlanStatus, SessionKind
from .models import Attendance, MaterialDistribution, TrainingPlan, TrainingSession

if TYPE_CHECKING:
    from deputyhome.accounts.models import User

ZERO_HOURS = Decimal("0")
# Levels whose deputies this committee trains on taking office; province and prefecture
# deputies get their initial training from their own congress.
NEW_DEPUTY_LEVELS = (CongressLevel.CITY, CongressLevel.TOWNSHIP)
HOURS = DecimalField(max_digits=10, decimal_places=1)


# Coverage and hours -----------------------------------------------------------------------------------


def _trained_attendance(on: datetime.date) -> QuerySet:
    """Attendance rows that cover a deputy: present at an initial session held by `on` and on or after the start
    of a mandate in force on `on` in a current city or township congress."""
    return Attendance.objects.filter(
        active_on(on, "deputy__mandates__"),
        status=AttendanceStatus.PRESENT,
        session__kind=SessionKind.INITIAL,
        session__date__lte=on,
        session__date__gte=F("deputy__mandates__start_date"),
        deputy__mandates__congress__is_current=True,
        deputy__mandates__congress__level__in=NEW_DEPUTY_LEVELS,
    )


def _trained(on: datetime.date) -> Exists:
    """Whether the outer deputy is covered on `on`: a look-up of that deputy's attendance rows (index on deputy),
    so that a township's or a group's page reads its own deputies' rows, not every initial session's."""
    return Exists(_trained_attendance(on).filter(deputy_id=OuterRef("pk")))


def new_deputies(*, user: User, on: datetime.date | None = None) -> QuerySet[Deputy]:
    """New deputies of the current term in the user's scope, each annotated with `initial_trained`.

    A deputy is *new* (初任) on day `on` when they hold a mandate in force that day in a
    current (`is_current`) city- or township-level congress, and have never held a mandate
    in an earlier (not current) city- or township-level congress. So everyone elected at the
    last general election or by-elected since counts, and a re-elected deputy whose earlier
    term is on record does not. Province and prefecture deputies are trained by their own
    congress and are not counted.

    `new_since` is the start of the earliest such mandate; `initial_trained` is true when
    the deputy was present at an initial-training session (初任培训) held between
    `new_since` and `on`, at city or township level (a make-up session counts like any other).
    """
    on = on or scopes.today()
    # One grouped pass over the deputies in scope and their mandates (no subquery per deputy): the earliest
    # qualifying mandate and whether an earlier-term mandate exists. Trained: present at an initial session held
    # by `on` and on or after the start of a qualifying mandate (so on or after the earliest one), looked up per
    # deputy through the attendance index (a city-wide figure is computed ahead, see training.precomputed).
    return (
        Deputy.objects.filter(scopes.deputies_q(user))
        .annotate(
            new_since=Min("mandates__start_date", filter=_qualifying(on, "mandates__")),
            earlier_terms=Count("mandates", filter=_earlier_term("mandates__")),
        )
        .filter(new_since__isnull=False, earlier_terms=0)
        .annotate(initial_trained=_trained(on))
    )


def _qualifying(on: datetime.date, prefix: str = "") -> Q:
    """A mandate (at `prefix`) that makes its deputy new on `on`: in force, in a current city or township congress."""
    return Q(**{f"{prefix}congress__level__in": NEW_DEPUTY_LEVELS, f"{prefix}congress__is_current": True}) & active_on(
        on, prefix
    )


def _earlier_term(prefix: str = "") -> Q:
    """A mandate (at `prefix`) in an earlier city or township congress: its deputy is not new."""
    return Q(**{f"{prefix}congress__level__in": NEW_DEPUTY_LEVELS, f"{prefix}congress__is_current": False})


def uncovered_new_deputies(*, user: User, on: datetime.date | None = None) -> QuerySet[Deputy]:
    """New deputies without initial training (as `new_deputies`), with what the coverage page's list shows: name,
    township and `new_since` (their current group: `deputies.selectors.current_group_names`).

    Deputy by deputy (a look-up of each one's mandates and attendance) rather than `new_deputies`' grouped pass:
    the page reads the deputies of a township or two (`UncoveredByTownship`), and a grouped pass would have the
    planner walk every deputy in id order to group them.
    """
    on = on or scopes.today()
    mandates = Mandate.objects.filter(deputy=OuterRef("pk")).order_by()
    first = mandates.filter(_qualifying(on)).order_by("start_date").values("start_date")[:1]
    return (
        Deputy.objects.filter(scopes.deputies_q(user))
        .annotate(new_since=Subquery(first))
        .filter(new_since__isnull=False)
        .exclude(Exists(mandates.filter(_earlier_term())))
        .exclude(_trained(on))
        .select_related("region")
        .only("name", "region__name", "region__code")
        .order_by("region__code", "name", "id")
    )


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def coverage_of(townships: list[dict[str, Any]]) -> dict[str, Any]:
    """`initial_training_coverage` summed from `township_breakdown`'s rows (every new deputy is in one row,
    those without a township in the last), so that a page showing both counts them once."""
    new = sum(r["new_deputies"] for r in townships)
    covered = sum(r["covered"] for r in townships)
    return {"new_deputies": new, "covered": covered, "missing": new - covered, "ratio": _ratio(covered, new)}


def initial_training_coverage(*, user: User, on: datetime.date | None = None) -> dict[str, Any]:
    """{"new_deputies", "covered", "missing", "ratio"} for the user's scope on `on` (one query)."""
    agg = new_deputies(user=user, on=on).aggregate(new=Count("pk"), covered=Count("pk", filter=Q(initial_trained=True)))
    new, covered = agg["new"] or 0, agg["covered"] or 0
    return {"new_deputies": new, "covered": covered, "missing": new - covered, "ratio": _ratio(covered, new)}


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def as_of(year: int) -> datetime.date:
    """The day a year's figures are taken on: its last day, or today while it is still running."""
    return min(scopes.today(), year_bounds(year)[1])


def _in_year(year: int, prefix: str = "") -> Q:
    first, last = year_bounds(year)
    return Q(**{f"{prefix}date__gte": first, f"{prefix}date__lte": last})


def township_breakdown(*, user: User, year: int) -> list[dict[str, Any]]:
    """Per township (of the deputies in scope): deputies, new deputies, covered, missing, coverage, hours.

    Four grouped queries, whatever the number of townships.
    """
    on = as_of(year)
    in_force = Mandate.objects.filter(active_on(on)).values("deputy_id")
    deputies = (
        Deputy.objects.filter(scopes.deputies_q(user), pk__in=in_force)
        .values("region_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    new = new_deputies(user=user, on=on)
    coverage = (
        Deputy.objects.filter(pk__in=new.values("pk"))
        .values("region_id")
        .annotate(new=Count("pk"), covered=Count("pk", filter=Q(_trained(on))))
        .order_by()
    )
    rows: dict[Any, dict[str, Any]] = {}

    def row(region_id: int | None) -> dict:
        return rows.setdefault(region_id, empty_township_row(region_id))

    for r in deputies:
        row(r["region_id"])["deputies"] = r["n"]
    for r in coverage:
        row(r["region_id"]).update(new_deputies=r["new"], covered=r["covered"])
    add_township_hours(rows, user=user, year=year)
    out = name_townships([derive_township_figures(r) for r in rows.values()])
    return sorted(out, key=lambda r: r["code"])


def empty_township_row(region_id: Any) -> dict[str, Any]:
    """A `township_breakdown` row before its counts."""
    return {
        "region_id": region_id,
        "name": "",
        "code": "",
        "deputies": 0,
        "new_deputies": 0,
        "covered": 0,
        "hours": ZERO_HOURS,
        "person_times": 0,
        "deputies_trained": 0,
    }


def add_township_hours(rows: dict[Any, dict[str, Any]], *, user: User, year: int) -> None:
    """Add to township rows (by region id; a township missing is added) the year's hours, person-times and deputies
    trained of the deputies in scope: one grouped query of the attendance at the year's sessions."""
    hours = (
        Attendance.objects.filter(
            _in_year(year, "session__"),
            deputy__in=Deputy.objects.filter(scopes.deputies_q(user)),
            status=AttendanceStatus.PRESENT,
        )
        .values("deputy__region_id")
        .annotate(hours=Sum("session__hours"), person_times=Count("pk"), trained=Count("deputy", distinct=True))
        .order_by()
    )
    for r in hours:
        region_id = r["deputy__region_id"]
        rows.setdefault(region_id, empty_township_row(region_id)).update(
            hours=r["hours"] or ZERO_HOURS, person_times=r["person_times"], deputies_trained=r["trained"]
        )


def derive_township_figures(r: dict[str, Any]) -> dict[str, Any]:
    """A township row's `missing`, `ratio` and `hours_per_deputy` from its counts (the row, changed)."""
    r["missing"] = r["new_deputies"] - r["covered"]
    r["ratio"] = _ratio(r["covered"], r["new_deputies"])
    r["hours_per_deputy"] = (r["hours"] / r["deputies"]).quantize(Decimal("0.1")) if r["deputies"] else ZERO_HOURS
    return r


def name_townships(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Township rows with their `name` and `code` (one query; the rows without a township are 未划定乡镇, last)."""
    from deputyhome.organisation.models import Region

    names = {r.pk: r for r in Region.objects.filter(pk__in=[r["region_id"] for r in rows if r["region_id"]])}
    for r in rows:
        region = names.get(r["region_id"])
        r["name"] = region.name if region else "未划定乡镇"
        r["code"] = region.code if region else "999999999"
    return rows


class UncoveredByTownship:
    """The uncovered new deputies in scope as a sequence for a Paginator, in the order of `uncovered_new_deputies`
    (township code, name, id), read a slice at a time through the township rows' `missing` counts (in code order):
    a page asks only for the deputies of the townships it falls in, so no query walks every new deputy in scope."""

    def __init__(self, *, user: User, on: datetime.date, townships: list[dict[str, Any]]) -> None:
        self.user, self.on = user, on
        self.townships = [(r["region_id"], r["missing"]) for r in townships if r["missing"] > 0]
        self.total = sum(missing for _, missing in self.townships)

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: slice) -> list[Deputy]:
        start, stop = index.start or 0, self.total if index.stop is None else index.stop
        regions: list[Any] = []
        skip = before = 0
        for region_id, missing in self.townships:
            if before + missing > start and before < stop:
                if not regions:
                    skip = start - before
                regions.append(region_id)
            before += missing
        if not regions:
            return []
        where = Q(region_id__in=[r for r in regions if r is not None])
        if None in regions:
            where |= Q(region_id__isnull=True)
        # In the townships' order as given (the same as by code, the row without a township last), so that the
        # planner sorts these few townships' deputies rather than walk every township in code order to find them.
        order = Case(
            *(When(region_id=r, then=Value(i)) for i, r in enumerate(regions) if r is not None),
            default=Value(len(regions)),
        )
        deputies = uncovered_new_deputies(user=self.user, on=self.on).filter(where).order_by(order, "name", "id")
        return list(deputies[skip : skip + stop - start])


def _hours_of(qs: QuerySet) -> Coalesce:
    return Coalesce(
        Subquery(qs.values("deputy").annotate(v=Sum("session__hours")).values("v")[:1], output_field=HOURS),
        Value(ZERO_HOURS),
        output_field=HOURS,
    )


def hours_deputies(*, user: User, year: int) -> QuerySet[Deputy]:
    """Deputies in scope with a mandate in force in the year: the rows of the hours page, whose figures are read
    for one page of them at a time (`deputy_training`)."""
    in_force = Mandate.objects.filter(active_on(as_of(year))).values("deputy_id")
    return Deputy.objects.filter(scopes.deputies_q(user), pk__in=in_force).select_related("region")


def deputy_hours_list(*, user: User, year: int) -> QuerySet[Deputy]:
    """`hours_deputies` with the year's training figures (`with_hours`)."""
    return with_hours(hours_deputies(user=user, year=year), year=year)


def with_hours(deputies: QuerySet[Deputy], *, year: int) -> QuerySet[Deputy]:
    """`deputies` annotated with the year's training figures, to sort by (`training_sessions`, `training_hours`,
    `training_excused`, `training_absent`): every row's figures are counted, so for a township's deputies, not a
    province's."""
    first, last = year_bounds(year)
    in_year = Attendance.objects.filter(
        deputy=OuterRef("pk"), session__date__gte=first, session__date__lte=last
    ).order_by()
    present = in_year.filter(status=AttendanceStatus.PRESENT)
    return deputies.annotate(
        training_sessions=count_of(present),
        training_hours=_hours_of(present),
        training_excused=count_of(in_year.filter(status=AttendanceStatus.EXCUSED)),
        training_absent=count_of(in_year.filter(status=AttendanceStatus.ABSENT)),
    )


# For the duty-record, points and annual-report code ---------------------------------------------------------


def deputy_training(*, deputy_ids: Iterable[int] | QuerySet, year: int) -> dict[int, dict[str, Any]]:
    """Each deputy's training in `year`, in one query: {deputy_id: {"sessions": n, "hours": Decimal,
    "absent_unexcused": n, "excused": n}}.

    `sessions` and `hours` count sessions the deputy was present at (hours are the sessions'
    hours); `absent_unexcused` counts sessions marked absent (缺席, without leave); `excused`
    those with leave (请假). Invitations not yet settled (未签到) count in none of them. Every
    requested deputy is in the answer, with zeros if they had no training. Not scoped: the
    caller passes deputy ids it got from a scoped selector, or a queryset of deputies (then
    its ids are read first: two queries).
    """
    if isinstance(deputy_ids, QuerySet) and not deputy_ids.query.values_select:
        deputy_ids = deputy_ids.values_list("pk", flat=True)
    ids = list(deputy_ids)
    found = year_training(Q(deputy_id__in=ids), year=year)
    return {pk: found.get(pk, dict(NO_TRAINING)) for pk in ids}


NO_TRAINING = {"sessions": 0, "hours": ZERO_HOURS, "absent_unexcused": 0, "excused": 0}


def year_training(deputies: Q, *, year: int) -> dict[int, dict[str, Any]]:
    """`deputy_training`'s figures of the deputies `deputies` selects among the attendance rows (a `deputy_id__in`),
    in one grouped query; those with no attendance in the year are absent."""
    first, last = year_bounds(year)
    present = Q(status=AttendanceStatus.PRESENT)
    rows = (
        Attendance.objects.filter(deputies, session__date__gte=first, session__date__lte=last)
        .values("deputy_id")
        .annotate(
            sessions=Count("pk", filter=present),
            hours=Sum("session__hours", filter=present),
            absent_unexcused=Count("pk", filter=Q(status=AttendanceStatus.ABSENT)),
            excused=Count("pk", filter=Q(status=AttendanceStatus.EXCUSED)),
        )
        .order_by()
    )
    return {
        r["deputy_id"]: {
            "sessions": r["sessions"],
            "hours": r["hours"] or ZERO_HOURS,
            "absent_unexcused": r["absent_unexcused"],
            "excused": r["excused"],
        }
        for r in rows
    }


def training_stats(*, user: User, year: int, coverage: dict[str, Any] | None = None) -> dict[str, Any]:
    """The year's training figures for the user's scope, in six queries whatever the data size.

    - `sessions_total`, `sessions_by_kind` {kind: n, every kind present}, `sessions_by_level`
      {city, township}, `special_topic_sessions`, `session_hours` (sum of the sessions' hours):
      over the sessions the user may see that were held in the year;
    - `attendance` {invited, walk_ins, present, excused, absent, pending}: attendance rows the
      user may read at those sessions; `hours_total` (学时合计: hours summed over every
      present deputy, i.e. person-hours) and `deputies_trained` (distinct deputies present);
    - `initial_training_coverage` {new_deputies, covered, missing, ratio}: as of the year's
      end (or today), see `new_deputies`;
    - `plans` {total, approved}, `budget_approved` (元, approved plans of the year);
    - `materials_distributed` (copies handed out in the year).

    `coverage`, when the caller has it already (`coverage_of` the township breakdown), is used as given.
    """
    on = as_of(year)
    sessions = TrainingSession.objects.filter(scopes.training_sessions_q(user)).filter(_in_year(year))
    # Grouped counts summed here rather than a filtered count per kind and level: the same rows, a shorter query
    # (a dozen FILTER clauses cost more to build and plan than a scoped year's sessions take to count).
    by_kind = dict.fromkeys(SessionKind.values, 0)
    by_level = dict.fromkeys(OrganiserLevel.values, 0)
    sessions_total, session_hours = 0, ZERO_HOURS
    for r in sessions.values("kind", "level").annotate(n=Count("pk"), hours=Sum("hours")).order_by():
        sessions_total += r["n"]
        session_hours += r["hours"] or ZERO_HOURS
        for counted, value in ((by_kind, r["kind"]), (by_level, r["level"])):
            if value in counted:
                counted[value] += r["n"]
    # Per status: its rows, the walk-ins among them, the hours of the sessions and the deputies. A deputy counts once
    # among those present however many sessions they were at (COUNT DISTINCT within the one status).
    present = AttendanceStatus.PRESENT
    counts = dict.fromkeys(AttendanceStatus.values, 0)
    walk_ins = 0
    hours, trained = ZERO_HOURS, 0
    att = (
        Attendance.objects.filter(scopes.training_attendance_q(user), session__in=sessions)
        .values("status")
        .annotate(
            n=Count("pk"),
            walk_ins=Count("pk", filter=Q(invited=False)),
            hours=Sum("session__hours"),
            deputies=Count("deputy", distinct=True),
        )
        .order_by()
    )
    for r in att:
        counts[r["status"]] = counts.get(r["status"], 0) + r["n"]
        walk_ins += r["walk_ins"]
        if r["status"] == present:
            hours, trained = r["hours"] or ZERO_HOURS, r["deputies"]
    total = sum(counts.values())
    plans = TrainingPlan.objects.filter(scopes.training_plans_q(user), year=year).aggregate(
        total=Count("pk"),
        approved=Count("pk", filter=Q(status=PlanStatus.APPROVED)),
        budget=Sum("budget", filter=Q(status=PlanStatus.APPROVED)),
    )
    copies = (
        MaterialDistribution.objects.filter(scopes.material_distributions_q(user))
        .filter(_in_year(year))
        .aggregate(n=Sum("quantity"))["n"]
        or 0
    )
    return {
        "year": year,
        "as_of": on,
        "sessions_total": sessions_total,
        "sessions_by_kind": by_kind,
        "sessions_by_level": {
            OrganiserLevel.CITY.value: by_level[OrganiserLevel.CITY],
            OrganiserLevel.TOWNSHIP.value: by_level[OrganiserLevel.TOWNSHIP],
        },
        "special_topic_sessions": by_kind[SessionKind.SPECIAL],
        "session_hours": session_hours,
        "attendance": {
            "invited": total - walk_ins,
            "walk_ins": walk_ins,
            **{k: counts[k] for k in ("present", "excused", "absent", "pending")},
        },
        "hours_total": hours,
        "deputies_trained": trained,
        "initial_training_coverage": coverage if coverage is not None else initial_training_coverage(user=user, on=on),
        "plans": {"total": plans["total"], "approved": plans["approved"]},
        "budget_approved": plans["budget"] or Decimal("0"),
        "materials_distributed": copies,
    }
