"""The year's activity figures and their breakdowns by township, station and campaign."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from deputyhome.accounts import scopes
from deputyhome.organisation.models import Region, Station

from ..choices import Attendance, OutputKind, ProblemStatus, ReferralStatus
from ..models import Activity, Campaign, Output, Participation, Problem, StationAssessment

# Statistics --------------------------------------------------------------------------------------------


def _satisfied_q() -> Q:
    from deputyhome.suggestions.choices import Satisfaction, State
    from deputyhome.suggestions.models import Evaluation

    good = Evaluation.objects.filter(
        suggestion_id=OuterRef("suggestion_id"), result__in=[Satisfaction.SATISFIED, Satisfaction.BASIC]
    )
    return Q(status=ProblemStatus.SUGGESTION, suggestion__state=State.CLOSED) & Q(Exists(good))


def _outcome_counts() -> dict[str, Any]:
    """How many problems were found, and how many of them ended each of the three ways."""
    return {
        "problems_found": Count("pk"),
        "to_suggestions": Count("pk", filter=Q(status=ProblemStatus.SUGGESTION)),
        "forwarded": Count("pk", filter=Q(status=ProblemStatus.FORWARDED)),
        "closed_on_spot": Count("pk", filter=Q(status=ProblemStatus.CLOSED)),
    }


def _problem_counts() -> dict[str, Any]:
    return {
        **_outcome_counts(),
        "problems_open": Count("pk", filter=Q(status=ProblemStatus.OPEN)),
        "referrals_replied": Count(
            "pk", filter=Q(status=ProblemStatus.FORWARDED, referral__status=ReferralStatus.REPLIED)
        ),
        "suggestions_closed_satisfied": Count("pk", filter=_satisfied_q()),
    }


# Figures of the year that apps above this one count for the statistics page and API, by key (the
# voter opinions received, "opinions_received"): they register here when Django is ready, since
# this app may not import them. Each is called as `count(user=..., year=...)`.
EXTRA_FIGURES: dict[str, Callable[..., int]] = {}


def register_figure(key: str, count: Callable[..., int]) -> None:
    EXTRA_FIGURES[key] = count


def activity_stats(*, user, year: int) -> dict[str, Any]:
    """The year's figures for the user's scope, in a fixed number of queries.

    `suggestions_formed` counts the problems that became suggestions or were forwarded to a
    unit (the article's "形成意见建议171件，已转交相关单位办理").
    """
    activities = Activity.objects.filter(scopes.activities_q(user), date__year=year)
    act = activities.aggregate(n=Count("pk"))
    deputies = (
        Participation.objects.filter(activity__in=activities, attendance=Attendance.PRESENT)
        .values("deputy_id")
        .distinct()
        .count()
    )
    outputs = Output.objects.filter(
        activity__in=Activity.objects.filter(scopes.activities_q(user)), date__year=year
    ).aggregate(
        research_reports=Count("pk", filter=Q(kind=OutputKind.RESEARCH_REPORT)),
        review_opinions=Count("pk", filter=Q(kind=OutputKind.REVIEW_OPINION)),
    )
    problems = Problem.objects.filter(scopes.problems_q(user), date__year=year).aggregate(**_problem_counts())
    assessments = StationAssessment.objects.filter(scopes.at_stations_q(user), year=year).aggregate(
        assessed=Count("pk"), passed=Count("pk", filter=Q(passed=True))
    )
    return {
        "year": year,
        "activities": act["n"],
        "deputies_taking_part": deputies,
        "research_reports": outputs["research_reports"],
        "review_opinions": outputs["review_opinions"],
        "problems_found": problems["problems_found"],
        "suggestions_formed": problems["to_suggestions"] + problems["forwarded"],
        "problems_to_suggestions": problems["to_suggestions"],
        "problems_forwarded": problems["forwarded"],
        "funnel": {
            "problems_found": problems["problems_found"],
            "open": problems["problems_open"],
            "closed_on_spot": problems["closed_on_spot"],
            "forwarded": problems["forwarded"],
            "referrals_replied": problems["referrals_replied"],
            "to_suggestions": problems["to_suggestions"],
            "suggestions_closed_satisfied": problems["suggestions_closed_satisfied"],
        },
        **{key: int(count(user=user, year=year)) for key, count in EXTRA_FIGURES.items()},
        "stations_assessed": assessments["assessed"],
        "stations_meeting_standard": assessments["passed"],
    }


def _rows(keyed: dict[Any, dict[str, int]], labels: dict[Any, str]) -> list[dict[str, Any]]:
    out = []
    for key, label in labels.items():
        figures = keyed.get(key, {})
        row = {"key": key, "label": label}
        for name in ("activities", "deputies", "problems_found", "to_suggestions", "forwarded", "closed_on_spot"):
            row[name] = figures.get(name, 0)
        row["formed"] = row["to_suggestions"] + row["forwarded"]
        out.append(row)
    return out


def _breakdown(user, year: int, activity_key: str, problem_key: str) -> dict[Any, dict[str, int]]:
    activities = Activity.objects.filter(scopes.activities_q(user), date__year=year)
    keyed: dict[Any, dict[str, int]] = {}
    for row in activities.order_by().values(activity_key).annotate(n=Count("pk")):
        keyed.setdefault(row[activity_key], {})["activities"] = row["n"]
    people = (
        Participation.objects.filter(activity__in=activities, attendance=Attendance.PRESENT)
        .order_by()
        .values(f"activity__{activity_key}")
        .annotate(n=Count("deputy", distinct=True))
    )
    for row in people:
        keyed.setdefault(row[f"activity__{activity_key}"], {})["deputies"] = row["n"]
    problems = (
        Problem.objects.filter(scopes.problems_q(user), date__year=year)
        .order_by()
        .values(problem_key)
        .annotate(**_outcome_counts())
    )
    for row in problems:
        keyed.setdefault(row[problem_key], {}).update({k: row[k] for k in _outcome_counts()})
    return keyed


def stats_by_township(*, user, year: int) -> list[dict[str, Any]]:
    keyed = _breakdown(user, year, "region_id", "region_id")
    labels: dict[Any, str] = {
        r.pk: (f"{r.name}（市人大常委会组织）" if r.parent_id is None else r.name)
        for r in Region.objects.filter(pk__in=[k for k in keyed if k is not None]).order_by("code")
    }
    return [row for row in _rows(keyed, labels) if any(row[k] for k in ("activities", "problems_found"))]


def stats_by_station(*, user, year: int) -> list[dict[str, Any]]:
    keyed = _breakdown(user, year, "station_id", "activity__station_id")
    labels = {
        s.pk: s.name
        for s in Station.objects.filter(pk__in=[k for k in keyed if k is not None]).order_by("region__code", "kind")
    }
    return _rows(keyed, labels)


def stats_by_campaign(*, user, year: int) -> list[dict[str, Any]]:
    keyed = _breakdown(user, year, "campaign_id", "activity__campaign_id")
    labels: dict[Any, str] = {c.pk: str(c) for c in Campaign.objects.filter(pk__in=[k for k in keyed if k])}
    if None in keyed:
        labels[None] = "未纳入代表行动"
    return _rows(keyed, labels)
