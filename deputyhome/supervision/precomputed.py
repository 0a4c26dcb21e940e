"""The city congress's unit totals and the city-wide suggestion statistics, computed ahead (`figures.cache`): at province scale the grouped count over
every lead assignment of the year takes seconds, and the committee reads the ranking for a year, not for the last
minute. A township congress's units are few: its board is counted in SQL on each reading (`boards.ranking_board`).

The snapshot holds the totals only (ids and counts, `ranking.dump_totals`); the year's scheme is applied on reading,
so an edited scheme shows at once, and the units' names are read for the rows shown. The totals depend on the day
(a suggestion waiting for its reply turns overdue after its due date), so a snapshot of another day is recomputed.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from deputyhome.accounts.choices import Role, ScopeKind
from deputyhome.accounts.models import User
from deputyhome.figures import cache
from deputyhome.organisation.models import Congress

from . import ranking, scoring, stats
from .selectors import congress_units_q

UNIT_TOTALS = "supervision.unit_totals"
CITY = "city"


def totals_key(*, year: int, congress: Congress | None = None) -> str:
    """ "city:2026" for the city congress's units, "<congress id>:2026" for a township congress's."""
    return f"{congress.pk if congress is not None else CITY}:{year}"


def _warm() -> list[str]:
    this = timezone.localdate().year
    return [totals_key(year=this), totals_key(year=this - 1)]  # the last year's is read until its assessment


# Sources: the suggestions' course (assignments, replies, consultations, evaluations, events, result classes) and
# organisation (which units serve which congress: a unit's region).
@cache.precomputed(UNIT_TOTALS, depends=("suggestions", "organisation"), warm=_warm, daily=True)
def unit_totals(key: str) -> dict:
    who, year = key.split(":")
    congress = None if who == CITY else Congress.objects.select_related("region").get(pk=int(who))
    totals = ranking.unit_totals(year=int(year), today=timezone.localdate(), units=congress_units_q(congress))
    return {"units": ranking.dump_totals(totals)}


def congress_totals(
    *, year: int, congress: Congress | None = None
) -> tuple[dict[int, scoring.UnitTotals], cache.Result]:
    """The year's totals of the congress's units from the snapshot (recomputed when stale or of another day: a
    daily figure)."""
    key = totals_key(year=year, congress=congress)
    result = cache.get(UNIT_TOTALS, key)
    return ranking.load_totals(result.value["units"]), result


SUGGESTION_STATS = "supervision.suggestion_stats"


def _warm_stats() -> list[str]:
    this = timezone.localdate().year
    return [f"{CITY}:{this}", f"{CITY}:{this - 1}"]


# Sources: the suggestions and their course (suggestions), which congress is a township's and the regions
# (organisation). Overdue counts and "as of" follow the day.
@cache.precomputed(SUGGESTION_STATS, depends=("suggestions", "organisation"), warm=_warm_stats, daily=True)
def city_suggestion_stats(key: str) -> dict[str, Any]:
    """The year's suggestion statistics of the whole scope, as every city-wide user reads them (an unsaved city
    officer stands for them: the figures depend on the scope, not on who reads)."""
    return stats.suggestion_stats(user=User(role=Role.CITY_OFFICER), year=int(key.split(":")[1]))


def suggestion_stats(*, user: User, year: int) -> dict[str, Any]:
    """`stats.suggestion_stats` for the page and the API: a city-wide user's from the snapshot (with its
    `computed_at`), a scoped user's counted now (`computed_at` None)."""
    if user.scope_kind != ScopeKind.CITY:
        return stats.suggestion_stats(user=user, year=year) | {"computed_at": None}
    return cache.stamped(SUGGESTION_STATS, f"{CITY}:{year}") | {"scope": user.scope_kind}
