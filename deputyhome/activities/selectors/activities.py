"""Scoped reads of activities, their outputs, problems and referrals, and the choices in their forms."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Prefetch, Q, QuerySet

from deputyhome.accounts import scopes
from deputyhome.core.counting import count_by, count_of
from deputyhome.deputies import selectors as deputy_selectors
from deputyhome.deputies.models import GroupMembership, active_on
from deputyhome.organisation.models import DeputyGroup, Region
from deputyhome.suggestions import selectors as suggestion_selectors

from ..choices import Attendance
from ..models import Activity, Output, Participation, Problem, Referral

if TYPE_CHECKING:
    from deputyhome.accounts.models import User
    from deputyhome.deputies.models import Deputy
    from deputyhome.suggestions.models import Suggestion

# Activities --------------------------------------------------------------------------------------------


def activity_list(*, user: User) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(scopes.activities_q(user))
        .select_related("region", "group", "station", "campaign")
        .annotate(
            present_count=count_of(
                Participation.objects.filter(activity=OuterRef("pk"), attendance=Attendance.PRESENT)
            ),
            problem_count=count_of(Problem.objects.filter(activity=OuterRef("pk"))),
        )
    )


def activity_register(*, user: User) -> QuerySet[Activity]:
    """The activities for the register, without counts (`add_activity_counts` counts the page's activities only,
    so that neither the paginator's count nor the page's query computes them for every activity)."""
    return Activity.objects.filter(scopes.activities_q(user)).select_related("region", "group", "station", "campaign")


def add_activity_counts(activities: list[Activity]) -> None:
    """`present_count` and `problem_count` of these activities as `activity_list` gives them: two grouped queries."""
    ids = [a.pk for a in activities]
    present = count_by(Participation.objects.filter(activity_id__in=ids, attendance=Attendance.PRESENT), "activity_id")
    problems = count_by(Problem.objects.filter(activity_id__in=ids), "activity_id")
    for a in activities:
        a.present_count = present.get(a.pk, 0)
        a.problem_count = problems.get(a.pk, 0)


RECENT_DAYS = 730  # a problem is entered against an activity of the last two years


def activity_choices(*, user: User, keep: int | None = None) -> QuerySet[Activity]:
    """The activities a problem may come from (kind "activity", searched as you type: a province holds hundreds of
    thousands): the user's, of the last two years, newest first; and `keep`, the one a problem being edited already
    comes from, however old (within the user's scope), so that saving the problem does not drop it."""
    since = scopes.today() - datetime.timedelta(days=RECENT_DAYS)
    recent = Q(date__gte=since) | Q(pk=keep) if keep else Q(date__gte=since)
    return Activity.objects.filter(scopes.activities_q(user), recent).order_by("-date", "-pk")


def activity_choice_label(activity: Activity) -> str:
    return f"{activity.date:%Y-%m-%d} {activity.topic}"


def activity_detail(*, user: User, pk: int) -> Activity:
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


def activity_problems(*, user: User, activity: Activity) -> QuerySet[Problem]:
    return problem_list(user=user).filter(activity=activity)


def output_list(*, user: User) -> QuerySet[Output]:
    return Output.objects.filter(activity__in=Activity.objects.filter(scopes.activities_q(user))).select_related(
        "activity__region"
    )


def deputy_choices(*, user: User) -> QuerySet[Deputy]:
    """Deputies the user may list as participants or as the deputy who raised a problem: the choices of the
    deputy search (kind "deputy"), so that what the search offers is what the form accepts."""
    lean = deputy_selectors.deputy_choices(user=user).only("name", "birth_date", "region__name")
    # The label's name, township, group and year of birth tell namesakes apart, as the search's results do: the
    # current group's name only, not the mandates the register shows.
    groups = (
        GroupMembership.objects.filter(active_on(scopes.today())).select_related("group").only("deputy", "group__name")
    )
    return lean.prefetch_related(None).prefetch_related(Prefetch("memberships", groups, to_attr="current_memberships"))


def group_choices(*, user: User) -> QuerySet[DeputyGroup]:
    return DeputyGroup.objects.filter(scopes.groups_q(user)).select_related("station").order_by("name")


def township_choices(*, user: User) -> QuerySet[Region]:
    return Region.objects.filter(scopes.regions_q(user), code__regex=r"^\d{9}$").order_by("code")


# Problems and referrals -----------------------------------------------------------------------------------


def problem_list(*, user: User) -> QuerySet[Problem]:
    return Problem.objects.filter(scopes.problems_q(user)).select_related(
        "region", "deputy", "activity", "category", "referral__unit", "suggestion"
    )


def problem_register(*, user: User) -> QuerySet[Problem]:
    """The problems for the register: the township and the category joined, the deputy, the referral and the suggestion
    read for the page's problems only (joined, eight tables kept the planner from reading the scope's ids first)."""
    from deputyhome.deputies.models import Deputy
    from deputyhome.suggestions.models import Suggestion

    return (
        Problem.objects.filter(scopes.problems_q(user))
        .select_related("region", "category")
        .prefetch_related(
            Prefetch("deputy", queryset=Deputy.objects.only("id", "name")),
            Prefetch("referral", queryset=Referral.objects.select_related("unit")),
            Prefetch("suggestion", queryset=Suggestion.objects.only("id", "state")),
        )
    )


def problem_detail(*, user: User, pk: int) -> Problem:
    return problem_list(user=user).select_related("created_by", "referral__replied_by").get(pk=pk)


def referral_list(*, user: User) -> QuerySet[Referral]:
    return Referral.objects.filter(scopes.referrals_q(user)).select_related("unit", "region", "created_by", "problem")


def referral_detail(*, user: User, pk: int) -> Referral:
    return referral_list(user=user).select_related("replied_by").get(pk=pk)


def suggestion_origin(*, user: User, suggestion: Suggestion) -> list[tuple[Problem, bool]]:
    """The problems a suggestion came from, each with whether the user may open it (no query when the suggestion's
    row says there are none)."""
    if not suggestion_selectors.has_rows(suggestion, "source_problems"):
        return []
    problems = list(
        Problem.objects.filter(suggestion=suggestion).select_related("activity", "deputy", "region").order_by("id")
    )
    if not problems:
        return []
    visible = set(
        Problem.objects.filter(scopes.problems_q(user), pk__in=[p.pk for p in problems]).values_list("pk", flat=True)
    )
    return [(p, p.pk in visible) for p in problems]
