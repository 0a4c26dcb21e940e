"""The city congress's unit totals, computed ahead (`figures.cache`): at province scale the grouped count over
every lead assignment of the year takes seconds, and the committee reads the ranking for a year, not for the last
minute. A township congress's units are few: its board is counted in SQL on each reading (`boards.ranking_board`).

The snapshot holds the totals only (ids and counts, `ranking.dump_totals`); the year's scheme is applied on reading,
so an edited scheme shows at once, and the units' names are read for the rows shown. The totals depend on the day
(a suggestion waiting for its reply turns overdue after its due date), so a snapshot of another day is recomputed.
"""

from __future__ import annotations

from django.utils import timezone

from deputyhome.figures import cache
from deputyhome.organisation.models import Congress

from . import ranking, scoring
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
@cache.precomputed(UNIT_TOTALS, depends=("suggestions", "organisation"), warm=_warm)
def unit_totals(key: str) -> dict:
    who, year = key.split(":")
    congress = None if who == CITY else Congress.objects.select_related("region").get(pk=int(who))
    today = timezone.localdate()
    totals = ranking.unit_totals(year=int(year), today=today, units=congress_units_q(congress))
    return {"today": today.isoformat(), "units": ranking.dump_totals(totals)}


def congress_totals(
    *, year: int, congress: Congress | None = None
) -> tuple[dict[int, scoring.UnitTotals], cache.Result]:
    """The year's totals of the congress's units from the snapshot (recomputed when stale or of another day)."""
    key = totals_key(year=year, congress=congress)
    result = cache.get(UNIT_TOTALS, key)
    if result.value["today"] != timezone.localdate().isoformat():
        result = cache.compute(cache.REGISTRY[UNIT_TOTALS], key)
    return ranking.load_totals(result.value["units"]), result
