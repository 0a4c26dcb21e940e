"""What the data say of a home's or station's norms, beside its assessment (家站年度评估): the items GF-2 (代表每年进站)
and GF-4 (小组季度活动), with the figures of the station's groups and their deputies in the assessed year and links
to the lists narrowed to the station. Registered as the link "station_norms" (activities, below records, asks for
it through the registry)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from deputyhome.organisation.models import Station

from . import selectors
from .group_quarters import GroupQuarterQuery, group_quarters
from .visits import VisitQuery, visits

VISITS_ITEM, QUARTERS_ITEM = "GF-2", "GF-4"


@dataclass(frozen=True)
class NormFigures:
    text: str
    url: str


def station_norms(user: Any, station_year: tuple[Station, int]) -> dict[str, NormFigures]:
    """{item code: the figures and the list} for the station and year, for those who may read the lists."""
    station, year = station_year
    if not selectors.can_view_points_list(user):
        return {}
    params = urlencode({"year": year, "station": station.pk})
    came = visits(VisitQuery(year=year, station=station), user=user).summary
    groups = group_quarters(GroupQuarterQuery(year=year, station=station), user=user)
    return {
        VISITS_ITEM: NormFigures(
            f"本站代表小组的代表 {came.expected} 名，{year}年已进站 {came.came} 名、未进站 {came.missing} 名"
            f"（进站率 {came.rate}）。",
            f"{reverse('records:visits')}?{params}",
        ),
        QUARTERS_ITEM: NormFigures(
            f"本站代表小组 {groups.groups} 个，{year}年已结束的季度均开展了活动的 {groups.met} 个、"
            f"有季度未开展的 {groups.missed_any} 个。",
            f"{reverse('records:group_quarters')}?{params}",
        ),
    }
