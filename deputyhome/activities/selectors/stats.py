"""The year's activity figures and their breakdowns by region, station and campaign (rolled up from `tallies`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.db.models.functions import Length

from deputyhome.accounts import scopes
from deputyhome.organisation.models import Region, Station

from ..choices import OutputKind
from ..models import Activity, Campaign, Output, StationAssessment
from .tallies import CODE_LENGTHS, FIGURES, FINE, Tallies, year_tallies

if TYPE_CHECKING:
    from deputyhome.accounts.models import User

# Figures of the year that apps above this one count for the statistics page and API, by key (the
# voter opinions received, "opinions_received"): they register here when Django is ready, since
# this app may not import them. Each is called as `count(user=..., year=...)`.
EXTRA_FIGURES: dict[str, Callable[..., int]] = {}


def register_figure(key: str, count: Callable[..., int]) -> None:
    EXTRA_FIGURES[key] = count


def activity_stats(*, user: User, year: int, tallies: Tallies | None = None) -> dict[str, Any]:
    """The year's figures for the user's scope, in a fixed number of queries (`tallies`, when the caller has read
    them, saves three).

    `suggestions_formed` counts the problems that became suggestions or were forwarded to a
    unit (the article's "形成意见建议171件，已转交相关单位办理").
    """
    whole = (tallies or year_tallies(user=user, year=year)).whole()
    outputs = Output.objects.filter(
        activity__in=Activity.objects.filter(scopes.activities_q(user)), date__year=year
    ).aggregate(
        research_reports=Count("pk", filter=Q(kind=OutputKind.RESEARCH_REPORT)),
        review_opinions=Count("pk", filter=Q(kind=OutputKind.REVIEW_OPINION)),
    )
    assessments = StationAssessment.objects.filter(scopes.at_stations_q(user), year=year).aggregate(
        assessed=Count("pk"), passed=Count("pk", filter=Q(passed=True))
    )
    return {
        "year": year,
        "activities": whole["activities"],
        "deputies_taking_part": whole["deputies"],
        "research_reports": outputs["research_reports"],
        "review_opinions": outputs["review_opinions"],
        "problems_found": whole["problems_found"],
        "suggestions_formed": whole["to_suggestions"] + whole["forwarded"],
        "problems_to_suggestions": whole["to_suggestions"],
        "problems_forwarded": whole["forwarded"],
        "funnel": {
            "problems_found": whole["problems_found"],
            "open": whole["problems_open"],
            "closed_on_spot": whole["closed_on_spot"],
            "forwarded": whole["forwarded"],
            "referrals_replied": whole["referrals_replied"],
            "to_suggestions": whole["to_suggestions"],
            "suggestions_closed_satisfied": whole["suggestions_closed_satisfied"],
        },
        **{key: int(count(user=user, year=year)) for key, count in EXTRA_FIGURES.items()},
        "stations_assessed": assessments["assessed"],
        "stations_meeting_standard": assessments["passed"],
    }


def figures_row(figures: dict[str, int]) -> list[int]:
    """A row's figures as a list in FIGURES order (as a snapshot stores them)."""
    return [figures.get(name, 0) for name in FIGURES]


def table_row(key: Any, label: str, figures: dict[str, int] | list[int] | None) -> dict[str, Any]:
    """A row of the page's tables: its key, label, FIGURES and `formed` (to suggestions and forwarded)."""
    values = figures if isinstance(figures, list) else figures_row(figures or {})
    row = {"key": key, "label": label, **dict(zip(FIGURES, values, strict=True))}
    row["formed"] = row["to_suggestions"] + row["forwarded"]
    return row


def _rows(keyed: dict[Any, dict[str, int]], labels: dict[Any, str]) -> list[dict[str, Any]]:
    return [table_row(key, label, keyed.get(key)) for key, label in labels.items()]


def stats_level(*, user: User, region_pk: Any = None) -> Region | None:
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


def region_level(within: Region | None) -> int:
    """The length of the codes of the parts of `within` one level down (a township stays whole)."""
    base = len(within.code) if within else 0
    return next((n for n in CODE_LENGTHS if n > base), CODE_LENGTHS[-1])


def fine_length(within: Region | None) -> int:
    """How long the region codes are read to show the parts of `within`: the township's, or longer below it."""
    return max(FINE, len(within.code)) if within else FINE


def region_rows(*, keyed: dict[str, dict[str, int] | list[int]], within: Region | None) -> list[dict[str, Any]]:
    """The by-region table's rows from the figures of the parts of `within` by code (`Tallies.by_region`, or a
    snapshot's level). A row of activities registered at `within` itself is labelled as organised at that level.
    Each row has `code` and `drill` (the region's pk when it has a level below to open)."""
    length = region_level(within)
    regions = {r.code: r for r in Region.objects.filter(code__in=[k for k in keyed if k]).order_by("code")}
    rows = []
    for code, r in regions.items():
        if r.parent_id is None:
            label = f"{r.name}（市人大常委会组织）"
        elif len(code) < length:
            label = f"{r.name}（本级组织）"
        else:
            label = r.name
        row = table_row(code, label, keyed[code])
        if row["activities"] or row["problems_found"]:
            row["code"] = code
            row["drill"] = r.pk if len(code) == length and length < CODE_LENGTHS[-1] else None
            rows.append(row)
    return rows


def stats_trail(*, user: User, within: Region | None) -> list[Region]:
    """The regions above `within` in the user's scope, from the top (none above the user's top region)."""
    if within is None:
        return []
    above = [within.code[:n] for n in CODE_LENGTHS if n < len(within.code)]
    return list(Region.objects.filter(scopes.regions_q(user), code__in=above).order_by("code"))


def tallied_region_rows(tallies: Tallies, within: Region | None) -> list[dict[str, Any]]:
    """`region_rows` of the parts of `within` from the tallies."""
    return region_rows(keyed=tallies.by_region(region_level(within), within.code if within else ""), within=within)


def stats_by_region(*, user: User, year: int, within: Region | None, tallies: Tallies | None = None) -> dict[str, Any]:
    """The year's figures by the parts of `within` one level down (its prefectures, counties or townships;
    a township stays whole), from the region codes' prefixes: {"rows", "within", "trail"}."""
    tallies = tallies or year_tallies(user=user, year=year, fine=fine_length(within))
    return {
        "rows": tallied_region_rows(tallies, within),
        "within": within,
        "trail": stats_trail(user=user, within=within),
    }


def stats_by_township(*, user: User, year: int, tallies: Tallies | None = None) -> list[dict[str, Any]]:
    """By organising region (the city, a township, a village), named; the regions without activities or
    problems left out."""
    keyed = (tallies or year_tallies(user=user, year=year)).rolled_up(lambda k: k[0])
    labels: dict[Any, str] = {
        r.pk: (f"{r.name}（市人大常委会组织）" if r.parent_id is None else r.name)
        for r in Region.objects.filter(pk__in=list(keyed)).order_by("code")
    }
    return [row for row in _rows(keyed, labels) if any(row[k] for k in ("activities", "problems_found"))]


def station_figures(tallies: Tallies) -> list[tuple[int, str, list[int]]]:
    """(station id, name, FIGURES) of every station with an activity, or a problem found at one, in the year and
    the scope: by region code, kind and id (the stations' order)."""
    keyed = tallies.rolled_up(lambda k: k[2])
    stations = Station.objects.filter(pk__in=[k for k in keyed if k is not None]).order_by("region__code", "kind", "pk")
    return [(pk, name, figures_row(keyed[pk])) for pk, name in stations.values_list("pk", "name")]


def stats_by_station(*, user: User, year: int, tallies: Tallies | None = None) -> list[dict[str, Any]]:
    rows = station_figures(tallies or year_tallies(user=user, year=year))
    return [table_row(pk, name, figures) for pk, name, figures in rows]


def station_page(rows: Sequence[tuple[int, str | None, list[int]]], *, number: Any, per_page: int) -> Page:
    """One page of the by-station table from (station id, name, FIGURES) in order (a list, or anything with a
    length and slices); names missing (None, as a snapshot stores none) are read for the page's stations only."""
    page = Paginator(rows, per_page).get_page(number)
    missing = [pk for pk, name, _figures in page.object_list if name is None]
    names = dict(Station.objects.filter(pk__in=missing).values_list("pk", "name")) if missing else {}
    page.object_list = [
        table_row(pk, name if name is not None else names.get(pk, ""), figures)
        for pk, name, figures in page.object_list
    ]
    return page


def stats_station_page(*, user: User, year: int, number: Any, per_page: int, tallies: Tallies | None = None) -> Page:
    """One page of the by-station table (the stations with an activity, or a problem found at one, in the year
    and the user's scope, by region code)."""
    return station_page(
        station_figures(tallies or year_tallies(user=user, year=year)), number=number, per_page=per_page
    )


def stats_by_campaign(*, user: User, year: int, tallies: Tallies | None = None) -> list[dict[str, Any]]:
    keyed = (tallies or year_tallies(user=user, year=year)).rolled_up(lambda k: k[3])
    labels: dict[Any, str] = {c.pk: str(c) for c in Campaign.objects.filter(pk__in=[k for k in keyed if k])}
    if None in keyed:
        labels[None] = "未纳入代表行动"
    return _rows(keyed, labels)
