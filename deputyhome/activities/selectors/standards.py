"""Scoped reads of the station checklist, assessments, rules and campaigns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from deputyhome.accounts import scopes
from deputyhome.core.counting import count_of
from deputyhome.organisation.models import DeputyGroup, Region, Station
from deputyhome.organisation.selectors import station_choices

from ..models import (
    Activity,
    AssessmentResult,
    Campaign,
    GroupTopic,
    Rule,
    RulePosting,
    RuleVersion,
    StandardItem,
    StationAssessment,
    TownshipTheme,
)
from .activities import township_choices

if TYPE_CHECKING:
    from deputyhome.accounts.models import User

# Standards, assessments and rules -----------------------------------------------------------------------


def standard_item_list(*, user: User) -> QuerySet[StandardItem]:
    return StandardItem.objects.filter(scopes.deputy_work_q(user))


def active_items() -> list[StandardItem]:
    return list(StandardItem.objects.filter(is_active=True).order_by("order", "code"))


def assessment_list(*, user: User) -> QuerySet[StationAssessment]:
    short = AssessmentResult.objects.filter(assessment=OuterRef("pk")).exclude(status="met")
    return (
        StationAssessment.objects.filter(scopes.at_stations_q(user))
        .select_related("station__region__parent", "assessor")
        .annotate(short_count=count_of(short))
    )


@dataclass(frozen=True)
class StandardsYear:
    """The stations and the year's assessments an overview counts: the user's, or one township's of theirs."""

    stations: QuerySet[Station]
    assessed: QuerySet[StationAssessment]
    township: Region | None  # the township chosen, None for all the user's


def standards_year(*, user: User, year: int, township_id: int | None = None) -> StandardsYear:
    """The user's stations and their assessments of `year`; narrowed to the township `township_id` when it is one
    of the user's (another is not narrowed to: the caller says so, or shows the user's all)."""
    stations = station_choices(user=user)
    assessed = assessment_list(user=user).filter(year=year)
    township = None
    if township_id is not None:
        township = township_choices(user=user).filter(pk=township_id).first()
    if township is not None:
        stations = stations.filter(region__code__startswith=township.code)
        assessed = assessed.filter(station__region__code__startswith=township.code)
    return StandardsYear(stations, assessed, township)


def assessment_counts(assessed: QuerySet[StationAssessment]) -> dict[str, int]:
    """How many of these assessments there are, and how many passed and failed: one aggregate."""
    counts = assessed.order_by().aggregate(assessed=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
    return {**counts, "failed": counts["assessed"] - counts["passed"]}


def assessment_detail(*, user: User, pk: int) -> StationAssessment:
    results = AssessmentResult.objects.select_related("item").prefetch_related("photos")
    return assessment_list(user=user).prefetch_related(Prefetch("results", queryset=results)).get(pk=pk)


def shortfall_list(*, user: User) -> QuerySet[AssessmentResult]:
    """Items a station did not fully meet, for the overview of who falls short on what."""
    return (
        AssessmentResult.objects.filter(scopes.at_stations_q(user, "assessment__station"))
        .exclude(status="met")
        .select_related("assessment__station__region__parent", "item")
    )


def assessment_years(*, user: User) -> list[int]:
    return sorted(set(assessment_list(user=user).values_list("year", flat=True)), reverse=True)


def rule_list(*, user: User) -> QuerySet[Rule]:
    posted = RulePosting.objects.filter(scopes.at_stations_q(user), version__rule=OuterRef("pk"))
    return Rule.objects.filter(scopes.deputy_work_q(user)).annotate(
        version_count=count_of(RuleVersion.objects.filter(rule=OuterRef("pk"))),
        station_count=count_of(posted, Count("station", distinct=True)),
        latest_effective=Subquery(
            RuleVersion.objects.filter(rule=OuterRef("pk")).order_by("-effective_on", "-id").values("effective_on")[:1]
        ),
    )


def rule_versions(*, rule: Rule) -> QuerySet[RuleVersion]:
    return rule.versions.order_by("-effective_on", "-id")


def posting_list(*, user: User) -> QuerySet[RulePosting]:
    return RulePosting.objects.filter(scopes.at_stations_q(user)).select_related("station__region", "version__rule")


# Campaigns ---------------------------------------------------------------------------------------------


def campaign_list(*, user: User) -> QuerySet[Campaign]:
    """Campaigns are the city's: everyone doing deputy work sees them."""
    return Campaign.objects.filter(scopes.deputy_work_q(user)).annotate(
        theme_count=count_of(TownshipTheme.objects.filter(campaign=OuterRef("pk"))),
        activity_count=count_of(Activity.objects.filter(scopes.activities_q(user), campaign=OuterRef("pk"))),
    )


def campaign_themes(*, campaign: Campaign) -> QuerySet[TownshipTheme]:
    return campaign.township_themes.select_related("region").order_by("region__code")


def campaign_topics(*, campaign: Campaign, user: User) -> QuerySet[GroupTopic]:
    return (
        campaign.group_topics.filter(group__in=DeputyGroup.objects.filter(scopes.groups_q(user)))
        .select_related("group__station__region__parent")
        .order_by("group__station__region__code", "group__name")
    )


def campaign_choices(*, user: User) -> QuerySet[Campaign]:
    """The campaigns an activity may belong to, newest first: without the list's counts (a choice shows none)."""
    return Campaign.objects.filter(scopes.deputy_work_q(user)).order_by("-start_on", "-pk")
