"""Scoped reads of standards, rules, campaigns, activities, problems and referrals, and their statistics.

Who sees what:
- city scope (city officers, supervisors, leaders): everything;
- a township officer: activities organised in their township (and below), its problems,
  referrals and stations;
- a group leader or liaison officer: their group's activities and the problems found in them;
- a deputy: activities they took part in and problems they raised;
- everyone also sees what they entered themselves;
- a handling-unit clerk: only the referrals sent to their unit;
- the three administrators: nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import ScopeKind
from deputyhome.accounts.scopes import NOTHING
from deputyhome.deputies.models import GroupMembership
from deputyhome.organisation.models import DeputyGroup, Region, Station

from .choices import Attendance, OutputKind, ProblemStatus, ReferralStatus
from .models import (
    Activity,
    AssessmentResult,
    Campaign,
    GroupTopic,
    Output,
    Participation,
    Problem,
    Referral,
    Rule,
    RulePosting,
    RuleVersion,
    StandardItem,
    StationAssessment,
    TownshipTheme,
)

# Scope filters -----------------------------------------------------------------------------------------


def _code(user) -> str | None:
    return user.region.code if user.region_id else None


def _group_members(group_id: int):
    return GroupMembership.objects.filter(group_id=group_id).values("deputy_id")


def activities_q(user) -> Q:
    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    if kind in (ScopeKind.NONE, ScopeKind.UNIT):
        return NOTHING
    own = Q(created_by_id=user.pk)
    if user.deputy_id:
        own |= Q(Exists(Participation.objects.filter(activity=OuterRef("pk"), deputy_id=user.deputy_id)))
    if kind == ScopeKind.REGION and (code := _code(user)):
        return Q(region__code__startswith=code) | own
    if kind == ScopeKind.GROUP and user.group_id:
        return Q(group_id=user.group_id) | own
    return own


def problems_q(user) -> Q:
    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    if kind in (ScopeKind.NONE, ScopeKind.UNIT):
        return NOTHING
    own = Q(created_by_id=user.pk)
    if user.deputy_id:
        own |= Q(deputy_id=user.deputy_id)
    if kind == ScopeKind.REGION and (code := _code(user)):
        return Q(region__code__startswith=code) | own
    if kind == ScopeKind.GROUP and user.group_id:
        return Q(activity__group_id=user.group_id) | Q(deputy_id__in=_group_members(user.group_id)) | own
    return own


def referrals_q(user) -> Q:
    kind = user.scope_kind
    if kind == ScopeKind.CITY:
        return Q()
    if kind == ScopeKind.NONE:
        return NOTHING
    if kind == ScopeKind.UNIT:
        return Q(unit_id=user.unit_id) if user.unit_id else NOTHING
    own = Q(created_by_id=user.pk)
    if kind == ScopeKind.REGION and (code := _code(user)):
        return Q(region__code__startswith=code) | own
    return Q(Exists(Problem.objects.filter(problems_q(user), referral_id=OuterRef("pk")))) | own


def _stations(user) -> QuerySet[Station]:
    return Station.objects.filter(scopes.stations_q(user))


# Standards, assessments and rules -----------------------------------------------------------------------


def standard_item_list(*, user) -> QuerySet[StandardItem]:
    if user.scope_kind in (ScopeKind.NONE, ScopeKind.UNIT):
        return StandardItem.objects.none()
    return StandardItem.objects.all()


def active_items() -> list[StandardItem]:
    return list(StandardItem.objects.filter(is_active=True).order_by("order", "code"))


def station_choices(*, user) -> QuerySet[Station]:
    return _stations(user).select_related("region").order_by("region__code", "kind", "name")


def assessment_list(*, user) -> QuerySet[StationAssessment]:
    if user.scope_kind in (ScopeKind.NONE, ScopeKind.UNIT):
        return StationAssessment.objects.none()
    short = AssessmentResult.objects.filter(assessment=OuterRef("pk")).exclude(status="met")
    return (
        StationAssessment.objects.filter(station__in=_stations(user))
        .select_related("station__region__parent", "assessor")
        .annotate(
            short_count=Coalesce(
                Subquery(
                    short.order_by().values("assessment").annotate(n=Count("pk")).values("n"),
                    output_field=IntegerField(),
                ),
                Value(0),
            )
        )
    )


def assessment_detail(*, user, pk: int) -> StationAssessment:
    results = AssessmentResult.objects.select_related("item").prefetch_related("photos")
    return assessment_list(user=user).prefetch_related(Prefetch("results", queryset=results)).get(pk=pk)


def shortfall_list(*, user) -> QuerySet[AssessmentResult]:
    """Items a station did not fully meet, for the overview of who falls short on what."""
    if user.scope_kind in (ScopeKind.NONE, ScopeKind.UNIT):
        return AssessmentResult.objects.none()
    return (
        AssessmentResult.objects.filter(assessment__station__in=_stations(user))
        .exclude(status="met")
        .select_related("assessment__station__region__parent", "item")
    )


def assessment_years(*, user) -> list[int]:
    return sorted(set(assessment_list(user=user).values_list("year", flat=True)), reverse=True)


def rule_list(*, user) -> QuerySet[Rule]:
    if user.scope_kind in (ScopeKind.NONE, ScopeKind.UNIT):
        return Rule.objects.none()
    posted = RulePosting.objects.filter(version__rule=OuterRef("pk"), station__in=_stations(user))
    return Rule.objects.annotate(
        version_count=Coalesce(
            Subquery(
                RuleVersion.objects.filter(rule=OuterRef("pk"))
                .order_by()
                .values("rule")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        station_count=Coalesce(
            Subquery(
                posted.order_by().values("version__rule").annotate(n=Count("station", distinct=True)).values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        latest_effective=Subquery(
            RuleVersion.objects.filter(rule=OuterRef("pk")).order_by("-effective_on", "-id").values("effective_on")[:1]
        ),
    )


def rule_versions(*, rule: Rule) -> QuerySet[RuleVersion]:
    return rule.versions.order_by("-effective_on", "-id")


def posting_list(*, user) -> QuerySet[RulePosting]:
    if user.scope_kind in (ScopeKind.NONE, ScopeKind.UNIT):
        return RulePosting.objects.none()
    return RulePosting.objects.filter(station__in=_stations(user)).select_related("station__region", "version__rule")


# Campaigns ---------------------------------------------------------------------------------------------


def campaign_list(*, user) -> QuerySet[Campaign]:
    """Campaigns are the city's: everyone doing deputy work sees them."""
    if user.scope_kind in (ScopeKind.NONE, ScopeKind.UNIT):
        return Campaign.objects.none()
    return Campaign.objects.annotate(
        theme_count=Coalesce(
            Subquery(
                TownshipTheme.objects.filter(campaign=OuterRef("pk"))
                .order_by()
                .values("campaign")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        activity_count=Coalesce(
            Subquery(
                Activity.objects.filter(activities_q(user), campaign=OuterRef("pk"))
                .order_by()
                .values("campaign")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    )


def campaign_themes(*, campaign: Campaign) -> QuerySet[TownshipTheme]:
    return campaign.township_themes.select_related("region").order_by("region__code")


def campaign_topics(*, campaign: Campaign, user) -> QuerySet[GroupTopic]:
    return (
        campaign.group_topics.filter(group__in=DeputyGroup.objects.filter(scopes.groups_q(user)))
        .select_related("group__station__region__parent")
        .order_by("group__station__region__code", "group__name")
    )


def campaign_choices(*, user) -> QuerySet[Campaign]:
    return campaign_list(user=user).order_by("-start_on")


# Activities --------------------------------------------------------------------------------------------


def _count_of(qs: QuerySet, key: str) -> Coalesce:
    return Coalesce(
        Subquery(qs.order_by().values(key).annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
        Value(0),
    )


def activity_list(*, user) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(activities_q(user))
        .select_related("region", "group", "station", "campaign")
        .annotate(
            present_count=_count_of(
                Participation.objects.filter(activity=OuterRef("pk"), attendance=Attendance.PRESENT), "activity"
            ),
            problem_count=_count_of(Problem.objects.filter(activity=OuterRef("pk")), "activity"),
        )
    )


def activity_detail(*, user, pk: int) -> Activity:
    return (
        activity_list(user=user)
        .select_related("created_by")
        .prefetch_related(
            Prefetch(
                "participations", queryset=Participation.objects.select_related("deputy").order_by("deputy__name")
            ),
            "photos",
            Prefetch("outputs", queryset=Output.objects.order_by("date", "id")),
        )
        .get(pk=pk)
    )


def activity_problems(*, user, activity: Activity) -> QuerySet[Problem]:
    return problem_list(user=user).filter(activity=activity)


def output_list(*, user) -> QuerySet[Output]:
    return Output.objects.filter(activity__in=Activity.objects.filter(activities_q(user))).select_related(
        "activity__region"
    )


def deputy_choices(*, user):
    """Deputies the user may list as participants or as the deputy who raised a problem."""
    from deputyhome.deputies.models import Deputy

    return Deputy.objects.filter(scopes.deputies_q(user)).select_related("region").order_by("region__code", "name")


def group_choices(*, user) -> QuerySet[DeputyGroup]:
    return DeputyGroup.objects.filter(scopes.groups_q(user)).select_related("station").order_by("name")


def township_choices(*, user) -> QuerySet[Region]:
    return Region.objects.filter(scopes.regions_q(user), code__regex=r"^\d{9}$").order_by("code")


# Problems and referrals -----------------------------------------------------------------------------------


def problem_list(*, user) -> QuerySet[Problem]:
    return Problem.objects.filter(problems_q(user)).select_related(
        "region", "deputy", "activity", "category", "referral__unit", "suggestion"
    )


def problem_detail(*, user, pk: int) -> Problem:
    return problem_list(user=user).select_related("created_by", "referral__replied_by").get(pk=pk)


def referral_list(*, user) -> QuerySet[Referral]:
    return Referral.objects.filter(referrals_q(user)).select_related("unit", "region", "created_by", "problem")


def referral_detail(*, user, pk: int) -> Referral:
    return referral_list(user=user).select_related("replied_by").get(pk=pk)


def suggestion_origin(*, user, suggestion) -> list[tuple[Problem, bool]]:
    """The problems a suggestion came from, each with whether the user may open it."""
    problems = list(
        Problem.objects.filter(suggestion=suggestion).select_related("activity", "deputy", "region").order_by("id")
    )
    if not problems:
        return []
    visible = set(
        Problem.objects.filter(problems_q(user), pk__in=[p.pk for p in problems]).values_list("pk", flat=True)
    )
    return [(p, p.pk in visible) for p in problems]


# Statistics --------------------------------------------------------------------------------------------


def _satisfied_q() -> Q:
    from deputyhome.suggestions.choices import Satisfaction, State
    from deputyhome.suggestions.models import Evaluation

    good = Evaluation.objects.filter(
        suggestion_id=OuterRef("suggestion_id"), result__in=[Satisfaction.SATISFIED, Satisfaction.BASIC]
    )
    return Q(status=ProblemStatus.SUGGESTION, suggestion__state=State.CLOSED) & Q(Exists(good))


def _problem_counts() -> dict[str, Any]:
    return {
        "problems_found": Count("pk"),
        "problems_open": Count("pk", filter=Q(status=ProblemStatus.OPEN)),
        "closed_on_spot": Count("pk", filter=Q(status=ProblemStatus.CLOSED)),
        "forwarded": Count("pk", filter=Q(status=ProblemStatus.FORWARDED)),
        "to_suggestions": Count("pk", filter=Q(status=ProblemStatus.SUGGESTION)),
        "referrals_replied": Count(
            "pk", filter=Q(status=ProblemStatus.FORWARDED, referral__status=ReferralStatus.REPLIED)
        ),
        "suggestions_closed_satisfied": Count("pk", filter=_satisfied_q()),
    }


def _opinions_count(*, user, year: int) -> int:
    """Voter opinions received in the year (the opinions app counts them in the user's scope)."""
    from deputyhome.opinions import selectors as opinion_selectors

    return int(opinion_selectors.opinions_count(user=user, year=year))


def activity_stats(*, user, year: int) -> dict[str, Any]:
    """The year's figures for the user's scope, in a fixed number of queries.

    `suggestions_formed` counts the problems that became suggestions or were forwarded to a
    unit (the article's "形成意见建议171件，已转交相关单位办理").
    """
    activities = Activity.objects.filter(activities_q(user), date__year=year)
    act = activities.aggregate(n=Count("pk"))
    deputies = (
        Participation.objects.filter(activity__in=activities, attendance=Attendance.PRESENT)
        .values("deputy_id")
        .distinct()
        .count()
    )
    outputs = Output.objects.filter(
        activity__in=Activity.objects.filter(activities_q(user)), date__year=year
    ).aggregate(
        research_reports=Count("pk", filter=Q(kind=OutputKind.RESEARCH_REPORT)),
        review_opinions=Count("pk", filter=Q(kind=OutputKind.REVIEW_OPINION)),
    )
    problems = Problem.objects.filter(problems_q(user), date__year=year).aggregate(**_problem_counts())
    assessments = StationAssessment.objects.filter(
        station__in=Station.objects.filter(scopes.stations_q(user)), year=year
    ).aggregate(assessed=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
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
        "opinions_received": _opinions_count(user=user, year=year),
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
    activities = Activity.objects.filter(activities_q(user), date__year=year)
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
        Problem.objects.filter(problems_q(user), date__year=year)
        .order_by()
        .values(problem_key)
        .annotate(
            problems_found=Count("pk"),
            to_suggestions=Count("pk", filter=Q(status=ProblemStatus.SUGGESTION)),
            forwarded=Count("pk", filter=Q(status=ProblemStatus.FORWARDED)),
            closed_on_spot=Count("pk", filter=Q(status=ProblemStatus.CLOSED)),
        )
    )
    for row in problems:
        keyed.setdefault(row[problem_key], {}).update(
            {k: row[k] for k in ("problems_found", "to_suggestions", "forwarded", "closed_on_spot")}
        )
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


def today() -> datetime.date:
    return scopes.today()
