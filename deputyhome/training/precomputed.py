"""Training figures computed ahead (figures.cache): the city-wide coverage page's figures for a year, how many
deputies the city-wide hours page lists, and that list's orders by each figure.

At province scale the city-wide coverage (every new deputy checked against the initial sessions, every township's
hours from half a million attendance rows) takes about a second; the committee reads it for a year, not for the
last minute. So it is stored as ids and numbers per township, and the page names only the townships it shows.
Scoped users (a township, a group) read their own figures in SQL (training.selectors).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.core.paging import ByIds
from deputyhome.deputies.models import Deputy
from deputyhome.figures import cache
from deputyhome.figures.packing import pack_ints, unpack_ints

from .selectors_figures import (
    NO_TRAINING,
    coverage_of,
    derive_township_figures,
    hours_deputies,
    township_breakdown,
    training_stats,
    year_training,
)

COVERAGE = "training.coverage"
# Which models the figures read: sessions, attendance, plans and hand-outs (training); deputies, their mandates and
# memberships (deputies); regions and whether a congress is current (organisation).
COVERAGE_SOURCES = ("training", "deputies", "organisation")
# A township row in the snapshot: these keys, in this order.
ROW = ("region_id", "deputies", "new_deputies", "covered", "hours", "person_times", "deputies_trained")
DECIMALS = ("session_hours", "hours_total", "budget_approved")


def _city_wide() -> User:
    """An unsaved city officer: the scope every city-wide user shares (supervisors and leaders see the same)."""
    return User(role=Role.CITY_OFFICER)


def _warm_years() -> list[str]:
    this_year = timezone.localdate().year
    return [str(this_year), str(this_year - 1)]


@cache.precomputed(COVERAGE, depends=COVERAGE_SOURCES, warm=_warm_years, daily=True)
def city_coverage(key: str) -> dict[str, Any]:
    """The coverage page's figures for the whole city in the year `key`: its statistics and one row per township."""
    user, year = _city_wide(), int(key)
    rows = township_breakdown(user=user, year=year)
    stats = training_stats(user=user, year=year, coverage=coverage_of(rows))
    return {"stats": stats, "townships": [[r[k] for k in ROW] for r in rows]}


def city_coverage_figures(year: int) -> tuple[cache.Result, dict[str, Any], list[dict[str, Any]]]:
    """(the snapshot, the year's statistics, the township rows without names) for the city-wide coverage page.

    A snapshot taken on an earlier day is computed again (a daily figure: "as of" is today until the year ends).
    """
    result = cache.get(COVERAGE, str(year))
    stats = dict(result.value["stats"])
    stats["as_of"] = datetime.date.fromisoformat(stats["as_of"])
    for name in DECIMALS:
        stats[name] = Decimal(stats[name])
    return result, stats, [_row(values) for values in result.value["townships"]]


def _row(values: list[Any]) -> dict[str, Any]:
    """A township row as `township_breakdown` gives it, without its name and code (`name_townships` adds them)."""
    r = dict(zip(ROW, values, strict=True))
    r["hours"] = Decimal(r["hours"])
    return derive_township_figures(r)


HOURS_DEPUTIES = "training.hours_deputies"


@cache.precomputed(HOURS_DEPUTIES, depends=("deputies",), warm=_warm_years, daily=True)
def city_hours_deputies(key: str) -> int:
    """How many deputies the city-wide hours page lists for the year `key` (those with a mandate in force): its
    paginator's count, which at province scale (a semi-join of every deputy with every mandate) costs more than
    the page itself."""
    return hours_deputies(user=_city_wide(), year=int(key)).count()


def city_hours_deputies_count(year: int) -> int:
    return cache.get(HOURS_DEPUTIES, str(year)).value


HOURS_ORDER = "training.hours_order"
# The figures the hours page sorts by (its sort keys) and the `year_training` figure each is.
ORDER_FIGURES = {
    "training_sessions": "sessions",
    "training_hours": "hours",
    "training_excused": "excused",
    "training_absent": "absent_unexcused",
}


@cache.precomputed(HOURS_ORDER, depends=COVERAGE_SOURCES, daily=True)
def city_hours_order(key: str) -> dict[str, str]:
    """The city-wide hours page sorted by one figure (`key`: "year:sort key"): every deputy it lists, by the figure
    ascending and descending, ties by id either way (as a township's list sorts in SQL), packed. Ranking a
    province's 100,000 deputies by their year's attendance takes a second; a page then reads 50 ids."""
    year_text, figure = key.split(":")
    year, name = int(year_text), ORDER_FIGURES[figure]
    listed = hours_deputies(user=_city_wide(), year=year)
    found = year_training(Q(deputy__in=listed.values("pk")), year=year)
    zero = NO_TRAINING[name]
    values = {pk: found[pk][name] if pk in found else zero for pk in listed.order_by().values_list("pk", flat=True)}
    return {
        "asc": pack_ints(sorted(values, key=lambda pk: (values[pk], pk))),
        "desc": pack_ints(sorted(values, key=lambda pk: (-values[pk], pk))),
    }


class HoursOrder(ByIds):
    """The city-wide hours page sorted by a figure, for the paginator: the order computed ahead
    (`city_hours_order`); a page reads its deputies by id. `within`: the deputies a filter (a name) keeps, in the
    same order."""

    def __init__(self, *, year: int, field: str, within: QuerySet[Deputy] | None = None) -> None:
        value = cache.get(HOURS_ORDER, f"{year}:{field.lstrip('-')}").value
        ids = unpack_ints(value["desc" if field.startswith("-") else "asc"])
        if within is not None:
            keep = set(within.values_list("pk", flat=True))
            ids = [pk for pk in ids if pk in keep]
        super().__init__(Deputy.objects.select_related("region"), ids)
