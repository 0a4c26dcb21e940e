"""What the data say of a home's or station's norms, beside its assessment (家站年度评估), in the assessed year, each
with a link to the list it comes from narrowed to the station: GF-1 (固定接待日: its reception schedule, receptions
recorded), GF-2 (代表每年进站: its groups' deputies who came), GF-3 (接待提前公告: its one-off receptions announced
in time) and GF-4 (小组季度活动: its groups that met every quarter). Registered as the link "station_norms"
(activities, below records, asks for it through the registry)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from deputyhome.accounts.choices import ScopeKind
from deputyhome.opinions import conf
from deputyhome.opinions.selectors import reception_list, slot_list
from deputyhome.organisation.models import Station

from . import selectors
from .group_quarters import GroupQuarterQuery, group_quarters
from .visits import VisitQuery, visits

SCHEDULE_ITEM, VISITS_ITEM, NOTICE_ITEM, QUARTERS_ITEM = "GF-1", "GF-2", "GF-3", "GF-4"


@dataclass(frozen=True)
class NormFigures:
    text: str
    url: str


def station_norms(user: Any, station_year: tuple[Station, int]) -> dict[str, NormFigures]:
    """{item code: the figures and the list} for the station and year, for those who read the lists over whole
    stations: the city's and the townships' (a group's leader sees only their own group's part of a station)."""
    station, year = station_year
    if not selectors.can_view_points_list(user) or user.scope_kind not in (ScopeKind.CITY, ScopeKind.REGION):
        return {}
    params = urlencode({"year": year, "station": station.pk})
    receptions = reception_list(user=user).filter(station=station, date__year=year).count()
    days = conf.get("RECEPTION_NOTICE_DAYS")
    one_off = list(slot_list(user=user).filter(station=station, date__year=year).values_list("date", "announced_on"))
    in_time = sum(1 for day, announced in one_off if (day - announced).days >= days)
    came = visits(VisitQuery(year=year, station=station), user=user).summary
    groups = group_quarters(GroupQuarterQuery(year=year, station=station), user=user)
    return {
        SCHEDULE_ITEM: NormFigures(
            f"接待安排：{station.reception_hours or '未设'}；{year}年登记接待选民 {receptions} 次。",
            f"{reverse('opinions:reception_list')}?{params}",
        ),
        NOTICE_ITEM: NormFigures(
            f"{year}年临时接待安排 {len(one_off)} 次，提前{days}天以上公告的 {in_time} 次。",
            f"{reverse('opinions:slot_list')}?{urlencode({'station': station.pk})}",
        ),
        VISITS_ITEM: NormFigures(
            f"本站代表小组的代表 {came.of} 名，{year}年已进站 {came.met} 名、未进站 {came.missing} 名"
            f"（进站率 {came.rate}）。",
            f"{reverse('records:visits')}?{params}",
        ),
        QUARTERS_ITEM: NormFigures(
            f"本站代表小组 {groups.groups} 个，{year}年已结束的季度均开展了活动的 {groups.met} 个、"
            f"有季度未开展的 {groups.missed_any} 个。",
            f"{reverse('records:group_quarters')}?{params}",
        ),
    }
