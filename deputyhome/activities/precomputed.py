"""The city-wide activity statistics, computed ahead (`figures.cache`): the page's figures for a year.

At province scale the city-wide page read every activity, attendance row and problem of the year in twenty grouped
queries on each view (three COUNT(DISTINCT deputy) among them), about 50 times the floor; the committee reads the
year's figures, not the last minute's. So the figure `activities.stats` (key: the year) holds what the page shows
before names: the totals, the by-region figures of every level by region code (the drill-down filters a level by
the opened region's code), every station's figures in the table's order (the page names its 25) and the campaigns'
rows. City officers, supervisors and leaders share it: their scope is everything. Scoped users' pages are counted
live in SQL (`selectors.stats`), as is a drill-down below the townships (one village: narrow).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.figures import cache
from deputyhome.figures.packing import pack_ints, unpack_ints
from deputyhome.organisation.models import Region

from .selectors.stats import (
    activity_stats,
    figures_row,
    fine_length,
    region_level,
    region_rows,
    station_figures,
    stats_by_campaign,
    tallied_region_rows,
)
from .selectors.tallies import CODE_LENGTHS, FIGURES, FINE, year_tallies

STATS = "activities.stats"
# What the figures read: activities, attendance, outputs, problems, referrals, campaigns and assessments
# (activities); regions and stations (organisation); the state and evaluations of the suggestions formed from
# problems (suggestions); the voter opinions received, a figure reports registers here (opinions).
SOURCES = ("activities", "organisation", "suggestions", "opinions")


def _city_wide() -> User:
    """An unsaved city officer: the scope every city-wide user shares (supervisors and leaders see the same)."""
    return User(role=Role.CITY_OFFICER)


def _warm() -> list[str]:
    this_year = scopes.today().year
    return [str(this_year), str(this_year - 1)]


def _packed(stations: list[tuple[int, str, list[int]]]) -> dict[str, str]:
    """The stations' ids and their FIGURES one after another, as packed arrays: a province's 4,000 stations as
    JSON lists took a few milliseconds to parse on each view, for a page of 25."""
    return {
        "ids": pack_ints(pk for pk, _name, _figures in stations),
        "figures": pack_ints(n for _pk, _name, figures in stations for n in figures),
    }


class PackedStations:
    """The stations of a snapshot as (id, None, FIGURES) rows, unpacked when the page asks for them (a Paginator
    takes its length and a slice)."""

    def __init__(self, packed: dict[str, str]) -> None:
        self.ids = unpack_ints(packed["ids"])
        self.figures = unpack_ints(packed["figures"])

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index: slice) -> list[tuple[int, None, list[int]]]:
        n = len(FIGURES)
        return [
            (self.ids[i], None, self.figures[i * n : (i + 1) * n].tolist()) for i in range(*index.indices(len(self)))
        ]


@cache.precomputed(STATS, depends=SOURCES, warm=_warm)
def city_stats(key: str) -> dict[str, Any]:
    """The year `key`'s figures of the whole scope: {"stats", "regions": {length: {code: FIGURES}}, "stations":
    the stations' ids and FIGURES in the table's order, packed, "campaigns": rows}."""
    user, year = _city_wide(), int(key)
    tallies = year_tallies(user=user, year=year)
    return {
        "stats": activity_stats(user=user, year=year, tallies=tallies),
        "regions": {
            str(n): {code: figures_row(figures) for code, figures in tallies.by_region(n).items()} for n in CODE_LENGTHS
        },
        "stations": _packed(station_figures(tallies)),
        "campaigns": stats_by_campaign(user=user, year=year, tallies=tallies),
    }


@dataclass
class StatsPage:
    """What the statistics page shows of a year: the figures, the by-region table's rows (`region_rows`), the
    stations' (id, name or None, FIGURES) in order and the campaigns' rows; `computed_at` for a snapshot, else None."""

    stats: dict[str, Any]
    regions: list[dict[str, Any]]
    stations: list[tuple[int, str, list[int]]] | PackedStations
    campaigns: list[dict[str, Any]]
    computed_at: datetime | None


def stats_page(*, user, year: int, within: Region | None) -> StatsPage:
    """The year's page for the user, the by-region table showing the parts of `within`: a city-wide user's from
    the snapshot (the drill-down below the townships counted live: one village), a scoped user's counted now."""
    if not scopes.sees_everyone(user):
        tallies = year_tallies(user=user, year=year, fine=fine_length(within))
        return StatsPage(
            stats=activity_stats(user=user, year=year, tallies=tallies),
            regions=tallied_region_rows(tallies, within),
            stations=station_figures(tallies),
            campaigns=stats_by_campaign(user=user, year=year, tallies=tallies),
            computed_at=None,
        )
    result = cache.get(STATS, str(year))
    value = result.value
    if within is not None and fine_length(within) > FINE:
        narrow = year_tallies(user=user, year=year, fine=fine_length(within), within=within.code)
        regions = tallied_region_rows(narrow, within)
    else:
        level = value["regions"][str(region_level(within))]
        if within is not None:
            level = {code: figures for code, figures in level.items() if code.startswith(within.code)}
        regions = region_rows(keyed=level, within=within)
    return StatsPage(
        stats=value["stats"],
        regions=regions,
        stations=PackedStations(value["stations"]),
        campaigns=value["campaigns"],
        computed_at=result.computed_at,
    )


def stats_for_api(*, user, year: int) -> dict[str, Any]:
    """`activity_stats` for the API: a city-wide user's from the snapshot (with its `computed_at`), a scoped user's
    counted now (`computed_at` None)."""
    if not scopes.sees_everyone(user):
        return activity_stats(user=user, year=year) | {"computed_at": None}
    result = cache.get(STATS, str(year))
    return dict(result.value["stats"]) | {"computed_at": result.computed_at}
