"""The public directory of stations (找代表之家): the townships a page at a time, each with its stations, or the
stations whose name or place matches what was typed. A city lists its 19 townships on one page; a province's
thousand are paged, so the page stays small at any size."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.db.models.functions import Substr

from deputyhome.organisation.models import Region, Station

TOWNSHIPS_PER_PAGE = 30
STATIONS_PER_PAGE = 50
TOWNSHIP_CODE = 9  # a township-level region's code: 422801101


@dataclass
class Township:
    """A township of the directory with its stations (a station above township level stands under its own region)."""

    code: str
    name: str
    stations: list[Station] = field(default_factory=list)


def _stations() -> QuerySet[Station]:
    return Station.objects.only("id", "name", "kind", "region__code", "region__name").select_related("region")


def township_page(number: str | None) -> tuple[Page, list[Township]]:
    """A page of the townships that have stations, in code order, each with its stations: three queries."""
    codes = list(
        Station.objects.annotate(township=Substr("region__code", 1, TOWNSHIP_CODE))
        .order_by("township")
        .values_list("township", flat=True)
        .distinct()
    )
    page = Paginator(codes, TOWNSHIPS_PER_PAGE).get_page(number)
    counties = {c[:6] for c in page.object_list}
    names = dict(Region.objects.filter(code__in=[*page.object_list, *counties]).values_list("code", "name"))
    # Two counties may each have a 城关镇: where the directory spans counties, a township names its county.
    several = len({c[:6] for c in codes}) > 1
    townships = {
        code: Township(code, f"{names.get(code, '')}（{names.get(code[:6], '')}）" if several else names.get(code, ""))
        for code in page.object_list
    }
    stations = (
        _stations()
        .annotate(township=Substr("region__code", 1, TOWNSHIP_CODE))
        .filter(township__in=page.object_list)
        .order_by("region__code", "kind", "name")
    )
    for s in stations:
        townships[s.township].stations.append(s)
    return page, list(townships.values())


def station_search(q: str, number: str | None) -> Page:
    """A page of the stations whose name, village or township contains `q`."""
    q = q.strip()[:50]
    found = _stations().filter(
        Q(name__icontains=q) | Q(region__name__icontains=q) | Q(region__parent__name__icontains=q)
    )
    return Paginator(found.order_by("region__code", "kind", "name", "pk"), STATIONS_PER_PAGE).get_page(number)
