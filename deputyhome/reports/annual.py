"""The annual report (年度代表工作报告): the committee's year, in the article's four parts, from the data.

`annual_figures(user=..., year=...)` gathers every figure for the user's scope from the apps'
own statistics selectors (reports.selectors.overview, reports.suggestion_stats,
activities.selectors.activity_stats, training.selectors.training_stats, opinions.selectors);
`annual_report_docx` writes them as a Word document with tables and PNG charts, and the
dashboard shows the same figures with SVG charts. The gathering is here; the words and
tables are in annual_text, the charts in annual_charts, the Word document in annual_docx.

The structure follows the article (domain/000_*.txt):
一、夯实平台，让代表可“回家”  二、培训聚能，让代表能“回家”
三、组织活动，让代表常“回家”  四、增强成就感，让代表想“回家”
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import ScopeKind
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.models import Region, Session
from deputyhome.organisation.selectors import home_region

from .annual_charts import CHART_SECTIONS, report_charts
from .annual_docx import build_docx
from .annual_levels import levels_figures, levels_part
from .annual_text import dashboard_sections, section_texts
from .selectors import overview

# What the views, the records app, the command and the tests read from here.
__all__ = [
    "CHART_SECTIONS",
    "DOCX_TYPE",
    "annual_figures",
    "annual_report_docx",
    "can_download",
    "dashboard_sections",
    "levels_part",
    "report_charts",
    "section_texts",
]

# Roles whose dashboard shows figures may download the report; unit clerks and administrators may not.
REPORT_SCOPES = frozenset({ScopeKind.CITY, ScopeKind.REGION, ScopeKind.GROUP, ScopeKind.SELF})
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def can_download(user) -> bool:
    return bool(user.is_authenticated and user.scope_kind in REPORT_SCOPES)


def as_of(year: int, today: datetime.date) -> datetime.date:
    """The day the year's figures are taken on: 31 December, or today while the year runs."""
    return min(today, datetime.date(year, 12, 31))


def place_and_title(user, year: int) -> tuple[str, str]:
    """Whose report it is (by the user's scope) and its title."""
    kind = user.scope_kind
    if kind == ScopeKind.REGION and user.region_id:
        return user.region.name, f"{user.region.name}{year}年人大代表工作报告"
    if kind == ScopeKind.GROUP and user.group_id:
        return user.group.name, f"{user.group.name}{year}年代表工作报告"
    if kind == ScopeKind.SELF and user.deputy_id:
        return user.deputy.name, f"{user.deputy.name}代表{year}年履职相关情况报告"
    city = home_region()
    name = city.name if city else ""
    return name, f"{name}人大常委会{year}年代表工作报告"


def _city_session(year: int) -> Session | None:
    return (
        Session.objects.filter(congress__level=CongressLevel.CITY, start_date__year=year)
        .select_related("congress")
        .order_by("start_date")
        .first()
    )


def _campaign(user, year: int) -> dict[str, Any] | None:
    from deputyhome.activities.selectors import campaign_list, campaign_topics

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    campaign = campaign_list(user=user).filter(start_on__lte=end, end_on__gte=start).order_by("start_on").first()
    if campaign is None:
        return None
    themes = campaign.township_themes.filter(region__in=Region.objects.filter(scopes.regions_q(user))).count()
    return {
        "slogan": campaign.slogan,
        "main_theme": campaign.main_theme,
        "themes": themes,
        "topics": campaign_topics(campaign=campaign, user=user).count(),
    }


def _stories(user, year: int) -> list[dict[str, Any]]:
    from deputyhome.opinions.selectors import story_list

    rows = story_list(user=user).filter(is_published=True).order_by("-published_at", "-id")[:5]
    return [{"deputy": s.deputy.name, "title": s.title, "figures": list(s.figures or [])} for s in rows]


def _voter_reports(user, year: int) -> dict[str, Any]:
    from deputyhome.deputies.models import Deputy
    from deputyhome.records.choices import VoterReportStatus
    from deputyhome.records.models import VoterReport

    held = Q(status=VoterReportStatus.HELD)
    agg = VoterReport.objects.filter(
        deputy__in=Deputy.objects.filter(scopes.deputies_q(user)).values("pk"), date__year=year
    ).aggregate(
        held=Count("pk", filter=held),
        planned=Count("pk", filter=Q(status=VoterReportStatus.PLANNED)),
        deputies=Count("deputy", filter=held, distinct=True),
        voters=Sum("voters_present", filter=held),
        satisfied=Sum("satisfied", filter=held),
        basic=Sum("basically_satisfied", filter=held),
        dissatisfied=Sum("dissatisfied", filter=held),
    )
    out = {k: v or 0 for k, v in agg.items()}
    votes = out["satisfied"] + out["basic"] + out["dissatisfied"]
    out["rate"] = (out["satisfied"] + out["basic"]) / votes if votes else None
    return out


def _units(user, year: int, today: datetime.date) -> list[dict[str, Any]]:
    """The lead units of the year's suggestions with their kind and the deputies' evaluations: one query."""
    from deputyhome.suggestions.choices import AssignmentStatus, Satisfaction, UnitRole
    from deputyhome.supervision.stats import final_q, own_congress_q, received

    lead = Q(assignments__role=UnitRole.LEAD, assignments__status=AssignmentStatus.ACTIVE)
    rated = final_q(Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.DISSATISFIED)
    own = own_congress_q(user)
    rows = (
        received(user=user, year=year)
        .filter(lead, *([own] if own is not None else []))
        .values("assignments__unit__name", "assignments__unit__kind")
        .annotate(
            n=Count("pk"),
            evaluated=Count("pk", filter=rated),
            dissatisfied=Count("pk", filter=final_q(Satisfaction.DISSATISFIED)),
        )
        .order_by("assignments__unit__kind", "assignments__unit__name")
    )
    return [
        {
            "name": r["assignments__unit__name"],
            "kind": r["assignments__unit__kind"],
            "count": r["n"],
            "evaluated": r["evaluated"],
            "dissatisfied": r["dissatisfied"],
        }
        for r in rows
    ]


def _norms(user, year: int, today: datetime.date) -> dict[str, int] | None:
    """The station norms the data count (records): groups that missed a quarter (GF-4), deputies who did not come to
    a home or a station (GF-2), deputies paired with fewer households than the norm (`least`); None for those who do
    not read those lists."""
    from deputyhome.records.deputy_norms import DeputyQuery
    from deputyhome.records.group_quarters import GroupQuarterQuery, group_quarters
    from deputyhome.records.households import households, least
    from deputyhome.records.selectors import can_view_points_list
    from deputyhome.records.visits import visits

    if not can_view_points_list(user):
        return None
    groups = group_quarters(GroupQuarterQuery(year=year, today=today), user=user)
    query = DeputyQuery(year=year, today=today)
    came = visits(query, user=user).summary
    return {
        "groups": groups.groups,
        "groups_missed": groups.missed_any,
        "expected": came.of,
        "absent": came.missing,
        "few_households": households(query, user=user).summary.missing,
        "least": least(),
    }


def annual_figures(*, user, year: int, today: datetime.date | None = None) -> dict[str, Any]:
    """Every figure of the year's report for the user's scope."""
    from deputyhome.activities.selectors import activity_stats, stats_by_township, year_tallies
    from deputyhome.opinions.selectors import reception_stats
    from deputyhome.supervision.stats import suggestion_stats
    from deputyhome.training.selectors import township_breakdown, training_stats

    today = today or timezone.localdate()
    on = as_of(year, today)
    place, title = place_and_title(user, year)
    session = _city_session(year)
    suggestions = suggestion_stats(user=user, year=year, today=today)
    activities = year_tallies(user=user, year=year)  # one read of the year's activities for both parts
    return {
        "year": year,
        "as_of": on,
        "today": today,
        "scope": user.scope_kind,
        "scope_label": str(ScopeKind(user.scope_kind).label),
        "place": place,
        "title": title,
        "platform": overview(user=user, on=on),
        "activities": activity_stats(user=user, year=year, tallies=activities),
        "activities_by_township": stats_by_township(user=user, year=year, tallies=activities),
        "campaign": _campaign(user, year),
        "receptions": reception_stats(user=user, year=year),
        "stories": _stories(user, year),
        "training": training_stats(user=user, year=year),
        "training_by_township": township_breakdown(user=user, year=year),
        "suggestions": suggestions,
        "levels": levels_figures(suggestions["by_congress"]),
        "units": _units(user, year, today),
        "session_name": session.name if session else None,
        "voter_reports": _voter_reports(user, year),
        "norms": _norms(user, year, today),
    }


def annual_report_docx(*, user, year: int, today: datetime.date | None = None) -> tuple[bytes, str]:
    """The year's report for the user's scope: (.docx bytes, file name)."""
    from .annual_drafts import closing_sections, saved_text

    figures = annual_figures(user=user, year=year, today=today)
    closing = closing_sections(figures, saved_text(user=user, year=year))
    return build_docx(figures, closing), f"{figures['title']}.docx"
