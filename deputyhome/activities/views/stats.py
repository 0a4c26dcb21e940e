"""The activity statistics page and its JSON API."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from deputyhome.core.api import stats_endpoint
from deputyhome.core.converters import valid_id
from deputyhome.core.filters import query_year

from .. import precomputed, selectors
from .base import _business

# Statistics --------------------------------------------------------------------------------------------

REGIONS_PER_PAGE = 50
STATIONS_PER_PAGE = 25


@login_required
def stats_page(request: HttpRequest) -> HttpResponse:
    _business(request)
    this_year = selectors.today().year
    year = query_year(request.GET.get("year"), this_year)
    error = None
    if year is None:
        error = "年度参数无效：请使用2000至2100之间的四位数年份。"
        year = this_year
    user = request.user
    # The by-region table opens one level at a time (province, prefecture, county, township) by region code.
    region_pk = request.GET.get("region") or None
    if region_pk is not None and not valid_id(region_pk):
        raise Http404
    within = selectors.stats_level(user=user, region_pk=region_pk)
    if region_pk is not None and within is None:
        raise Http404
    figures = precomputed.stats_page(user=user, year=year, within=within)
    regions = Paginator(figures.regions, REGIONS_PER_PAGE).get_page(request.GET.get("rpage"))
    stations = selectors.station_page(figures.stations, number=request.GET.get("spage"), per_page=STATIONS_PER_PAGE)
    base = {"year": year, **({"region": region_pk} if region_pk else {})}
    return render(
        request,
        "activities/stats.html",
        {
            "title": f"{year}年代表活动统计",
            "year": year,
            "years": list(range(this_year, this_year - 6, -1)),
            "error": error,
            "stats": figures.stats,
            "figures": figures if figures.computed_at else None,
            "within": within,
            # The user's top region has nothing above it in their scope.
            "trail": selectors.stats_trail(user=user, within=within) if region_pk else [],
            "regions": regions,
            "region_query": urlencode({**base, "spage": stations.number}),
            "stations": stations,
            "station_query": urlencode({**base, "rpage": regions.number}),
            "stations_open": "spage" in request.GET,
            "by_campaign": figures.campaigns,
        },
        status=400 if error else 200,
    )


@stats_endpoint(allowed=lambda user: user.scope_kind not in ("none", "unit"), refused="您的角色无权查看代表活动统计。")
def stats_api(request: HttpRequest, year: int) -> dict:
    """GET /api/v1/stats/activities?year=YYYY: the year's activity figures for the caller's scope."""
    return precomputed.stats_for_api(user=request.user, year=year)
