"""Training figures computed ahead (figures.cache): the city-wide coverage page's figures for a year, and how many
deputies the city-wide hours page lists.

At province scale the city-wide coverage (every new deputy checked against the initial sessions, every township's
hours from half a million attendance rows) takes about a second; the committee reads it for a year, not for the
last minute. So it is stored as ids and numbers per township, and the page names only the townships it shows.
Scoped users (a township, a group) read their own figures in SQL (training.selectors).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.figures import cache

from .selectors_figures import coverage_of, derive_township_figures, hours_deputies, township_breakdown, training_stats

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
