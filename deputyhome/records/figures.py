"""A deputy's duty record (履职档案) computed from the data, for many deputies at once.

`duty_figures(deputy_ids=..., period=...)` reads one grouped query per source, all in one statement, whatever
the number of deputies: congress sessions (presumed attendance less recorded exceptions),
training (training app), activities (activities app: participations), receptions, voter
opinions and paired households with their contacts (opinions app), suggestions led and co-signed (suggestions app)
and reports to voters (this app). A source whose app is not installed yet counts nothing.

Nothing here is stored: the record and the points built on it are always those of today's data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum

from deputyhome.motions.choices import AttendanceStatus
from deputyhome.motions.models import SessionAttendance
from deputyhome.organisation.models import Session
from deputyhome.suggestions.choices import Satisfaction
from deputyhome.suggestions.models import CoSigner, Evaluation, Suggestion

from . import prepared, sources
from .choices import PointsRule, VoterReportStatus
from .models import VoterReport
from .periods import Period

# The figure each points rule counts (a plain lookup: the points list scores every deputy in scope).
RULE_FIGURES = {
    PointsRule.SESSION_ATTENDED: "sessions_attended",
    PointsRule.TRAINING_HOUR: "training_hours",
    PointsRule.ACTIVITY_ATTENDED: "activities",
    PointsRule.RECEPTION: "receptions",
    PointsRule.OPINION_HANDLED: "opinions_handled",
    PointsRule.SUGGESTION_LED: "suggestions_led",
    PointsRule.SUGGESTION_COSIGNED: "suggestions_cosigned",
    PointsRule.REPORT_TO_VOTERS: "reports_held",
    PointsRule.HOUSEHOLD_CONTACT: "household_contacts",
    PointsRule.UNEXCUSED_ABSENCE: "unexcused_absences",
}


@dataclass
class DutyFigures:
    """Everything a duty record counts for one deputy in one period."""

    deputy_id: int
    sessions_expected: int = 0
    sessions_attended: int = 0
    sessions_excused: int = 0
    sessions_absent: int = 0
    training_sessions: int = 0
    training_hours: Decimal = Decimal(0)
    training_absent: int = 0
    activities: int = 0
    activities_absent: int = 0
    receptions: int = 0
    voters_received: int = 0
    opinions_handled: int = 0
    suggestions_submitted: int = 0
    suggestions_led: int = 0
    suggestions_cosigned: int = 0
    suggestion_results: dict[str, int] = field(default_factory=dict)  # result class code → led suggestions
    suggestions_satisfied: int = 0
    suggestions_basically_satisfied: int = 0
    suggestions_dissatisfied: int = 0
    reports_held: int = 0
    reports_planned: int = 0
    report_voters: int = 0
    report_votes_satisfied: int = 0
    report_votes_basically: int = 0
    report_votes_dissatisfied: int = 0
    # The rows a record page lists, of any status (a training invitation not yet signed, an activity on leave, a
    # report cancelled): a list with none is not read.
    training_listed: int = 0
    activities_listed: int = 0
    reports_listed: int = 0
    # 结对联系群众: the households paired at the period's end, the contacts logged in it and the households contacted.
    households_paired: int = 0
    household_contacts: int = 0
    households_contacted: int = 0

    @property
    def unexcused_absences(self) -> int:
        return self.sessions_absent + self.training_absent + self.activities_absent

    def count_for(self, rule: str) -> Decimal:
        """How many units of `rule` this record has (sessions, hours, activities, ...)."""
        return Decimal(getattr(self, RULE_FIGURES[rule]))

    @property
    def report_satisfaction_rate(self) -> float | None:
        votes = self.report_votes_satisfied + self.report_votes_basically + self.report_votes_dissatisfied
        return (self.report_votes_satisfied + self.report_votes_basically) / votes if votes else None

    def count_attended(self) -> None:
        """Sessions attended: those expected less those excused or missed (set once the three are read)."""
        self.sessions_attended = max(0, self.sessions_expected - self.sessions_excused - self.sessions_absent)


# The unit each rule counts in, for "3次 × 2分".
RULE_UNITS = {
    PointsRule.SESSION_ATTENDED: "次",
    PointsRule.TRAINING_HOUR: "学时",
    PointsRule.ACTIVITY_ATTENDED: "次",
    PointsRule.RECEPTION: "次",
    PointsRule.OPINION_HANDLED: "件",
    PointsRule.SUGGESTION_LED: "件",
    PointsRule.SUGGESTION_COSIGNED: "件",
    PointsRule.REPORT_TO_VOTERS: "次",
    PointsRule.HOUSEHOLD_CONTACT: "次",
    PointsRule.UNEXCUSED_ABSENCE: "次",
}

DeputyIds = Iterable[int] | QuerySet


def _ids(deputy_ids: DeputyIds) -> Any:
    # A queryset stays a subquery (no thousands of parameters); anything else becomes a list.
    if isinstance(deputy_ids, QuerySet):
        return deputy_ids.values("pk") if deputy_ids.query.values_select == () else deputy_ids
    return list(deputy_ids)


def duty_figures(*, deputy_ids: DeputyIds, period: Period) -> dict[int, DutyFigures]:
    """The duty figures of each deputy in `deputy_ids` for `period`, in one query whatever their number.

    Deputies with nothing to count are absent from the result: use `figures_of(result, pk)`.
    """
    ids = _ids(deputy_ids)
    if isinstance(ids, QuerySet):
        sql, params = _together(_grouped(ids, period))
    else:
        # A list of ids (a record, a page of a list): the statement built once, its inputs bound (`prepared`).
        sql, params = prepared.statement("duty_figures", _prepared)
        params = prepared.bind(params, ids=ids, period=period)
    out: dict[int, DutyFigures] = {}
    for alias, pk, group, values in _read(sql, params):
        if pk not in out:
            out[pk] = DutyFigures(deputy_id=pk)
        _APPLY[alias](out[pk], group, values)
    for f in out.values():
        f.count_attended()
    return out


def _grouped(ids: Any, period: Period) -> dict[str, tuple[QuerySet, bool, tuple[str, ...]]]:
    """{alias: (a grouped query by deputy, `did`, and by `grp` when the flag says so; its values' names)}: one
    per source, as the record counts them."""
    days = (period.start, period.end)
    submitted = submitted_suggestions(ids, period)
    registered = Q(number__isnull=False)
    held = Q(status=VoterReportStatus.HELD)
    return {
        "se": (sessions_expected_counts(ids, period), False, ("n",)),
        "sx": (
            SessionAttendance.objects.filter(
                deputy_id__in=ids,
                session__start_date__range=days,
                status__in=[AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT],
            )
            .values(did=F("deputy_id"), grp=F("status"))
            .annotate(n=Count("pk"))
            .order_by(),
            True,
            ("n",),
        ),
        "sg": (
            submitted.annotate(final=_final_result())
            .values(did=F("author_id"), grp=F("result_class__code"))
            .annotate(
                n=Count("pk"),
                registered=Count("pk", filter=registered),
                satisfied=Count("pk", filter=registered & Q(final=Satisfaction.SATISFIED)),
                basic=Count("pk", filter=registered & Q(final=Satisfaction.BASIC)),
                dissatisfied=Count("pk", filter=registered & Q(final=Satisfaction.DISSATISFIED)),
            )
            .order_by(),
            True,
            ("n", "registered", "satisfied", "basic", "dissatisfied"),
        ),
        "sc": (cosigned_counts(ids, period), False, ("n",)),
        "vr": (
            VoterReport.objects.filter(deputy_id__in=ids, date__range=days)
            .values(did=F("deputy_id"))
            .annotate(
                held=Count("pk", filter=held),
                planned=Count("pk", filter=Q(status=VoterReportStatus.PLANNED)),
                voters=Sum("voters_present", filter=held),
                satisfied=Sum("satisfied", filter=held),
                basic=Sum("basically_satisfied", filter=held),
                dissatisfied=Sum("dissatisfied", filter=held),
                listed=Count("pk"),
            )
            .order_by(),
            False,
            ("held", "planned", "voters", "satisfied", "basic", "dissatisfied", "listed"),
        ),
        "tr": (sources.training_counts(ids, period), False, ("sessions", "hours", "absent", "listed")),
        "ac": (sources.activity_counts(ids, period), False, ("present", "absent", "listed")),
        "re": (sources.reception_counts(ids, period), False, ("receptions", "voters")),
        "op": (sources.opinion_counts(ids, period), False, ("n",)),
        "pp": (sources.paired_counts(ids, period), False, ("n",)),
        "pc": (sources.pairing_contact_counts(ids, period), False, ("contacts", "households")),
    }


WIDTH = 7  # the most values a source gives (the reports to voters)


def _prepared() -> tuple[str, list[Any]]:
    return _together(_grouped(prepared.id_rows(prepared.IDS), prepared.OPEN))


def _together(grouped: dict[str, tuple[QuerySet, bool, tuple[str, ...]]]) -> tuple[str, list[Any]]:
    """Every source's grouped query one after another in one statement (UNION ALL, as `ranking.points_figures`): a
    round trip each was most of a record page's time."""
    parts, params = [], []
    for alias, (qs, by_group, names) in grouped.items():
        sql, source_params = qs.query.sql_with_params()
        # Typed blanks: PostgreSQL settles a union's column types two queries at a time, and two untyped NULLs
        # would make a text column that a later count cannot join.
        columns = [f"{alias}.did", f"{alias}.grp" if by_group else "CAST(NULL AS TEXT)"]
        columns += [f"{alias}.{name}" for name in names] + ["CAST(NULL AS NUMERIC)"] * (WIDTH - len(names))
        parts.append(f"SELECT '{alias}', {', '.join(columns)} FROM ({sql}) {alias}")  # noqa: S608 - our own SQL
        params.extend(source_params)
    return " UNION ALL ".join(parts), params


def _read(sql: str, params: list[Any]) -> list[tuple[str, int, Any, list]]:
    """The statement's rows as (alias, deputy id, group, values), the values as numbers (an integer, or a Decimal for
    hours)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(alias, int(pk), group, [_number(v) for v in values]) for alias, pk, group, *values in cursor]


def _number(value: Any) -> int | Decimal:
    """A count or a sum as read back: an integer when whole (PostgreSQL gives every column of the union as
    numeric), a Decimal otherwise (SQLite gives a sum of hours as a float: 5.5, or 0.30000000000000004)."""
    if value is None:
        return 0
    number = Decimal(str(round(value, 6))) if isinstance(value, float) else Decimal(value)
    return int(number) if number == number.to_integral_value() else number


def _sessions(f: DutyFigures, group: Any, values: list) -> None:
    f.sessions_expected = values[0]


def _exceptions(f: DutyFigures, status: Any, values: list) -> None:
    if status == AttendanceStatus.EXCUSED:
        f.sessions_excused = values[0]
    else:
        f.sessions_absent = values[0]


def _suggestions(f: DutyFigures, code: Any, values: list) -> None:
    n, registered, satisfied, basic, dissatisfied = values[:5]
    f.suggestions_submitted += n
    f.suggestions_led += registered
    f.suggestions_satisfied += satisfied
    f.suggestions_basically_satisfied += basic
    f.suggestions_dissatisfied += dissatisfied
    if code and registered:
        f.suggestion_results[code] = f.suggestion_results.get(code, 0) + registered


def _filler(*names: str):
    """A source's values set, in order, on these figures (keeping each figure's type: hours stay a Decimal)."""

    def fill(f: DutyFigures, group: Any, values: list) -> None:
        for name, value in zip(names, values, strict=False):
            setattr(f, name, type(getattr(f, name))(value))

    return fill


_APPLY = {
    "se": _sessions,
    "sx": _exceptions,
    "sg": _suggestions,
    "sc": _filler("suggestions_cosigned"),
    "vr": _filler(
        "reports_held",
        "reports_planned",
        "report_voters",
        "report_votes_satisfied",
        "report_votes_basically",
        "report_votes_dissatisfied",
        "reports_listed",
    ),
    "tr": _filler("training_sessions", "training_hours", "training_absent", "training_listed"),
    "ac": _filler("activities", "activities_absent", "activities_listed"),
    "re": _filler("receptions", "voters_received"),
    "op": _filler("opinions_handled"),
    "pp": _filler("households_paired"),
    "pc": _filler("household_contacts", "households_contacted"),
}


def figures_of(result: dict[int, DutyFigures], pk: int) -> DutyFigures:
    return result.get(pk) or DutyFigures(deputy_id=pk)


def expected_sessions(ids: Any, period: Period) -> QuerySet:
    """Sessions opening in the period of a congress in which one of the deputies then held a mandate.

    One filter() call, so that every mandate condition applies to the same joined mandate row;
    `congress__mandates__deputy_id` names the deputy.
    """
    return Session.objects.filter(
        Q(congress__mandates__end_date__isnull=True) | Q(congress__mandates__end_date__gte=F("start_date")),
        start_date__range=(period.start, period.end),
        congress__mandates__deputy_id__in=ids,
        congress__mandates__start_date__lte=F("start_date"),
    )


def sessions_expected_counts(ids: Any, period: Period) -> QuerySet:
    """The sessions each deputy (`did`) was expected at (`n`): those `expected_sessions` finds."""
    return (
        expected_sessions(ids, period)
        .values(did=F("congress__mandates__deputy_id"))
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )


def submitted_suggestions(ids: Any, period: Period) -> QuerySet[Suggestion]:
    """The suggestions the deputies submitted (as authors) in the period."""
    start, end = period.aware_bounds()
    return Suggestion.objects.filter(
        author_id__in=ids, submitted_at__gte=start, submitted_at__lt=end, submitted_at__isnull=False
    ).exclude(state="draft")


def cosigned_counts(ids: Any, period: Period) -> QuerySet:
    """The registered suggestions submitted in the period that each deputy (`did`) co-signed and confirmed (`n`)."""
    start, end = period.aware_bounds()
    return (
        CoSigner.objects.filter(
            deputy_id__in=ids,
            confirmed_at__isnull=False,
            suggestion__number__isnull=False,
            suggestion__submitted_at__gte=start,
            suggestion__submitted_at__lt=end,
        )
        .values(did=F("deputy_id"))
        .annotate(n=Count("pk"))
        .order_by()
    )


def _final_result(author_field: str = "author_id") -> Subquery:
    latest = Evaluation.objects.filter(suggestion=OuterRef("pk"), deputy=OuterRef(author_field)).order_by(
        "-round", "-id"
    )
    return Subquery(latest.values("result")[:1])
