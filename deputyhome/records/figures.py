"""A deputy's duty record (履职档案) computed from the data, for many deputies at once.

`duty_figures(deputy_ids=..., period=...)` runs one grouped query per source, whatever the
number of deputies: congress sessions (presumed attendance less recorded exceptions),
training (training app), activities (activities app: participations), receptions and voter
opinions (opinions app), suggestions led and co-signed (suggestions app) and reports to
voters (this app). A source whose app is not installed yet counts nothing.

Nothing here is stored: the record and the points built on it are always those of today's data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum

from deputyhome.motions.choices import AttendanceStatus
from deputyhome.motions.models import SessionAttendance
from deputyhome.organisation.models import Session
from deputyhome.suggestions.choices import Satisfaction
from deputyhome.suggestions.models import CoSigner, Evaluation, Suggestion

from . import sources
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
    PointsRule.UNEXCUSED_ABSENCE: "次",
}

DeputyIds = Iterable[int] | QuerySet


def _ids(deputy_ids: DeputyIds) -> Any:
    # A queryset stays a subquery (no thousands of parameters); anything else becomes a list.
    if isinstance(deputy_ids, QuerySet):
        return deputy_ids.values("pk") if deputy_ids.query.values_select == () else deputy_ids
    return list(deputy_ids)


def duty_figures(*, deputy_ids: DeputyIds, period: Period) -> dict[int, DutyFigures]:
    """The duty figures of each deputy in `deputy_ids` for `period`; a constant number of queries.

    Deputies with nothing to count are absent from the result: use `figures_of(result, pk)`.
    """
    ids = _ids(deputy_ids)
    out: dict[int, DutyFigures] = {}

    def rec(pk: int) -> DutyFigures:
        if pk not in out:
            out[pk] = DutyFigures(deputy_id=pk)
        return out[pk]

    _sessions(ids, period, rec)
    _suggestions(ids, period, rec)
    _voter_reports(ids, period, rec)
    for source, names in _SOURCES:
        for pk, values in source(ids, period).items():
            _fill(rec(pk), values, names)
    return out


# The figures the other apps' counts fill in: {figure: the source's name for it}.
_SOURCES = (
    (
        sources.training_by_deputy,
        {"training_sessions": "sessions", "training_hours": "hours", "training_absent": "absent"},
    ),
    (sources.activities_by_deputy, {"activities": "present", "activities_absent": "absent"}),
    (
        sources.receptions_by_deputy,
        {"receptions": "receptions", "voters_received": "voters", "opinions_handled": "opinions"},
    ),
)


def _fill(figures: DutyFigures, row: dict[str, Any], names: dict[str, str]) -> None:
    """Set each figure from its value in the row, nothing counting as 0, keeping the figure's type (hours: Decimal)."""
    for name, key in names.items():
        setattr(figures, name, type(getattr(figures, name))(row.get(key) or 0))


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


def _sessions(ids: Any, period: Period, rec) -> None:
    expected = (
        expected_sessions(ids, period)
        .values("congress__mandates__deputy_id")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    for row in expected:
        figures = rec(row["congress__mandates__deputy_id"])
        figures.sessions_expected = figures.sessions_attended = row["n"]
    exceptions = (
        SessionAttendance.objects.filter(
            deputy_id__in=ids,
            session__start_date__range=(period.start, period.end),
            status__in=[AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT],
        )
        .values("deputy_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in exceptions:
        figures = rec(row["deputy_id"])
        if row["status"] == AttendanceStatus.EXCUSED:
            figures.sessions_excused = row["n"]
        else:
            figures.sessions_absent = row["n"]
        figures.sessions_attended = max(
            0, figures.sessions_expected - figures.sessions_excused - figures.sessions_absent
        )


def _final_result(author_field: str = "author_id") -> Subquery:
    latest = Evaluation.objects.filter(suggestion=OuterRef("pk"), deputy=OuterRef(author_field)).order_by(
        "-round", "-id"
    )
    return Subquery(latest.values("result")[:1])


def _suggestions(ids: Any, period: Period, rec) -> None:
    start, end = period.aware_bounds()
    submitted = Suggestion.objects.filter(
        author_id__in=ids, submitted_at__gte=start, submitted_at__lt=end, submitted_at__isnull=False
    ).exclude(state="draft")
    rows = (
        submitted.annotate(final=_final_result())
        .values("author_id", "result_class__code")
        .annotate(
            n=Count("pk"),
            registered=Count("pk", filter=Q(number__isnull=False)),
            satisfied=Count("pk", filter=Q(number__isnull=False, final=Satisfaction.SATISFIED)),
            basic=Count("pk", filter=Q(number__isnull=False, final=Satisfaction.BASIC)),
            dissatisfied=Count("pk", filter=Q(number__isnull=False, final=Satisfaction.DISSATISFIED)),
        )
        .order_by()
    )
    for row in rows:
        figures = rec(row["author_id"])
        figures.suggestions_submitted += row["n"]
        figures.suggestions_led += row["registered"]
        figures.suggestions_satisfied += row["satisfied"]
        figures.suggestions_basically_satisfied += row["basic"]
        figures.suggestions_dissatisfied += row["dissatisfied"]
        if row["result_class__code"] and row["registered"]:
            code = row["result_class__code"]
            figures.suggestion_results[code] = figures.suggestion_results.get(code, 0) + row["registered"]
    cosigned = (
        CoSigner.objects.filter(
            deputy_id__in=ids,
            confirmed_at__isnull=False,
            suggestion__number__isnull=False,
            suggestion__submitted_at__gte=start,
            suggestion__submitted_at__lt=end,
        )
        .values("deputy_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in cosigned:
        rec(row["deputy_id"]).suggestions_cosigned = row["n"]


def _voter_reports(ids: Any, period: Period, rec) -> None:
    held = Q(status=VoterReportStatus.HELD)
    rows = (
        VoterReport.objects.filter(deputy_id__in=ids, date__range=(period.start, period.end))
        .values("deputy_id")
        .annotate(
            held=Count("pk", filter=held),
            planned=Count("pk", filter=Q(status=VoterReportStatus.PLANNED)),
            voters=Sum("voters_present", filter=held),
            satisfied=Sum("satisfied", filter=held),
            basic=Sum("basically_satisfied", filter=held),
            dissatisfied=Sum("dissatisfied", filter=held),
        )
        .order_by()
    )
    for row in rows:
        _fill(rec(row["deputy_id"]), row, _REPORT_FIGURES)


_REPORT_FIGURES = {
    "reports_held": "held",
    "reports_planned": "planned",
    "report_voters": "voters",
    "report_votes_satisfied": "satisfied",
    "report_votes_basically": "basic",
    "report_votes_dissatisfied": "dissatisfied",
}
