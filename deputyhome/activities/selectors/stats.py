"""The year's activity figures and their breakdowns by township, station and campaign."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Left, Length

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
    deputies = _present(user, year).values("deputy_id").distinct().count()
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


def _key(expr: str | Any) -> Any:
    return F(expr) if isinstance(expr, str) else expr


def _present(user, year: int, code: str = ""):
    """Who was present at the year's activities in the user's scope (organised within region `code` if given).

    The year and the region are read through the participation's own join to its activity: the city's
    users have no scope to add, and a semi-join on the year's activities besides would join them twice."""
    people = Participation.objects.filter(attendance=Attendance.PRESENT, activity__date__year=year)
    if code:
        people = people.filter(activity__region__code__startswith=code)
    if scope := scopes.activities_q(user):
        people = people.filter(activity__in=Activity.objects.filter(scope))
    return people


def _breakdown(
    user, year: int, activity_key, problem_key, people_key=None, code: str = "", stations: list[int] | None = None
) -> dict[Any, dict[str, int]]:
    """The year's figures grouped by a key: a field path, or an expression (a region code prefix); the
    participation rows are keyed through their activity (`people_key`, by default `activity__<activity_key>`).
    `code` narrows activities and problems alike (both have a `region`) to a region, `stations` to those
    of the activities at these stations."""
    inside = Q(region__code__startswith=code) if code else Q()
    at = {} if stations is None else {"station_id__in": stations}
    activities = Activity.objects.filter(scopes.activities_q(user), inside, date__year=year, **at)
    keyed: dict[Any, dict[str, int]] = {}
    for row in activities.order_by().annotate(key=_key(activity_key)).values("key").annotate(n=Count("pk")):
        keyed.setdefault(row["key"], {})["activities"] = row["n"]
    people = (
        _present(user, year, code)
        .filter(**{f"activity__{k}": v for k, v in at.items()})
        .order_by()
        .annotate(key=_key(people_key or f"activity__{activity_key}"))
        .values("key")
        .annotate(n=Count("deputy", distinct=True))
    )
    for row in people:
        keyed.setdefault(row["key"], {})["deputies"] = row["n"]
    problems = (
        Problem.objects.filter(scopes.problems_q(user), inside, date__year=year)
        .filter(**{f"activity__{k}": v for k, v in at.items()})
        .order_by()
        .annotate(key=_key(problem_key))
        .values("key")
        .annotate(**_outcome_counts())
    )
    for row in problems:
        keyed.setdefault(row["key"], {}).update({k: row[k] for k in _outcome_counts()})
    return keyed


# Region codes by level: province 2 digits, prefecture 4, county 6, township 9; the drill-down stops at townships.
CODE_LENGTHS = (2, 4, 6, 9)


def stats_level(*, user, region_pk: Any = None) -> Region | None:
    """The region whose parts the by-region table shows: `region_pk` if the user's scope holds it (None if not:
    the caller refuses), otherwise the user's top region (the city; the province at province scale; a township
    officer's township) when there is one."""
    regions = Region.objects.filter(scopes.regions_q(user))
    if region_pk is not None:
        return regions.filter(pk=region_pk).first()
    top = list(regions.annotate(n=Length("code")).order_by("n", "code")[:2])
    if len(top) == 2 and len(top[0].code) == len(top[1].code):
        return None
    return top[0] if top else None


def stats_by_region(*, user, year: int, within: Region | None) -> dict[str, Any]:
    """The year's figures by the parts of `within` one level down (its prefectures, counties or townships;
    a township stays whole), in grouped queries on the region code's prefix: {"rows", "within", "trail"}.
    A row of activities registered at `within` itself is labelled as organised at that level. Each row has
    `code` and `drill` (the region's pk when it has a level below to open)."""
    base = len(within.code) if within else 0
    length = next((n for n in CODE_LENGTHS if n > base), CODE_LENGTHS[-1])
    keyed = _breakdown(
        user,
        year,
        Left("region__code", length),
        Left("region__code", length),
        people_key=Left("activity__region__code", length),
        code=within.code if within else "",
    )
    regions = {r.code: r for r in Region.objects.filter(code__in=[k for k in keyed if k]).order_by("code")}
    labels: dict[Any, str] = {}
    for code, r in regions.items():
        if r.parent_id is None:
            labels[code] = f"{r.name}（市人大常委会组织）"
        elif len(code) < length:
            labels[code] = f"{r.name}（本级组织）"
        else:
            labels[code] = r.name
    rows = [row for row in _rows(keyed, labels) if any(row[k] for k in ("activities", "problems_found"))]
    for row in rows:
        region = regions[row["key"]]
        row["code"] = region.code
        row["drill"] = region.pk if len(region.code) == length and length < CODE_LENGTHS[-1] else None
    trail = []
    if within:
        above = [within.code[:n] for n in CODE_LENGTHS if n < len(within.code)]
        trail = list(Region.objects.filter(scopes.regions_q(user), code__in=above).order_by("code"))
    return {"rows": rows, "within": within, "trail": trail}


def stats_by_township(*, user, year: int) -> list[dict[str, Any]]:
    keyed = _breakdown(user, year, "region_id", "region_id")
    labels: dict[Any, str] = {
        r.pk: (f"{r.name}（市人大常委会组织）" if r.parent_id is None else r.name)
        for r in Region.objects.filter(pk__in=[k for k in keyed if k is not None]).order_by("code")
    }
    return [row for row in _rows(keyed, labels) if any(row[k] for k in ("activities", "problems_found"))]


def stats_by_station(*, user, year: int) -> list[dict[str, Any]]:
    keyed = _breakdown(user, year, "station_id", "activity__station_id")
    labels = dict(
        Station.objects.filter(pk__in=[k for k in keyed if k is not None])
        .order_by("region__code", "kind")
        .values_list("pk", "name")
    )
    return _rows(keyed, labels)


def stats_station_page(*, user, year: int, number: Any, per_page: int) -> Page:
    """One page of the by-station table (the stations with an activity, or a problem found at one, in the year
    and the user's scope, by region code), whose rows are the figures of the page's stations only: the stations'
    ids and names in one ordered query (a few thousand at most, cut into pages here: a count and a page in SQL
    would each scan the year's activities in scope again), then three grouped queries on the page's stations,
    not on every station."""
    activities = Activity.objects.filter(scopes.activities_q(user), date__year=year)
    problems = Problem.objects.filter(scopes.problems_q(user), date__year=year)
    stations = (
        Station.objects.filter(
            Q(pk__in=activities.values("station_id")) | Q(pk__in=problems.values("activity__station_id"))
        )
        .order_by("region__code", "kind", "pk")
        .values_list("pk", "name")
    )
    page = Paginator(list(stations), per_page).get_page(number)
    labels = dict(page.object_list)
    keyed = _breakdown(user, year, "station_id", "activity__station_id", stations=list(labels)) if labels else {}
    page.object_list = _rows(keyed, labels)
    return page


def stats_by_campaign(*, user, year: int) -> list[dict[str, Any]]:
    keyed = _breakdown(user, year, "campaign_id", "activity__campaign_id")
    labels: dict[Any, str] = {c.pk: str(c) for c in Campaign.objects.filter(pk__in=[k for k in keyed if k])}
    if None in keyed:
        labels[None] = "未纳入代表行动"
    return _rows(keyed, labels)
