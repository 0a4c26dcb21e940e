"""The city-wide duty points ranking, computed ahead (`figures.cache`): every deputy's total under the year's
scheme, in the list's order, for the city's users, whose list is every deputy.

At province scale ranking 100,000 deputies takes more than a second however good the SQL (`records.ranking`), and
the committee reads the list by the quarter. The snapshot keeps the ranked deputy ids and their totals in cents as
packed arrays (`figures.packing`; 230 KB for 100,000 deputies, the totals being long runs of equal values): a page
view decodes them in about a millisecond, where 200,000 JSON numbers took tens. A filter (a township, a group, a
name) keeps the deputies it selects in the same order and ranks them again among themselves, as the list ranks a
filtered scope.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from deputyhome.accounts import scopes
from deputyhome.deputies.models import Deputy
from deputyhome.figures import cache
from deputyhome.figures.cache import precomputed
from deputyhome.figures.packing import pack_ints, unpack_ints

from . import ranking, services
from .periods import Period

POINTS = "records.points"
# Everything a duty record counts: sessions and attendance (organisation, motions), training, activities,
# receptions and opinions, suggestions and co-signatures, reports to voters and the scheme (records), and the
# deputies themselves (mandates, regions, names).
SOURCES = ("records", "deputies", "organisation", "motions", "suggestions", "activities", "opinions", "training")


def points_key(year: int, quarter: int | None) -> str:
    return f"{year}:{quarter or 0}"


def _warm() -> list[str]:
    """This year's list and its current quarter's, and last year's."""
    today = scopes.today()
    return [
        points_key(today.year, None),
        points_key(today.year, (today.month - 1) // 3 + 1),
        points_key(today.year - 1, None),
    ]


@precomputed(POINTS, depends=SOURCES, warm=_warm)
def points_ranking(key: str) -> dict[str, object]:
    """Every deputy with a mandate in the period ranked by points (`ranking.ranked_page` over all of them)."""
    year, quarter = (int(part) for part in key.split(":"))
    period = Period.running(year, quarter or None)
    specs = services.item_specs(services.points_scheme_for_year(year=year))
    deputies = Deputy.objects.filter(ranking.held_mandate_in(period))
    ranked = ranking.ranked_page(deputies=deputies, period=period, specs=specs, limit=None)
    return {
        "deputies": len(ranked),
        "ids": pack_ints(pk for pk, _total, _rank in ranked),
        "cents": pack_ints(int(total * 100) for _pk, total, _rank in ranked),
    }


@dataclass
class Ranking:
    """A ranking read from the snapshot: deputy ids and totals in cents, best first."""

    ids: array
    cents: array
    figures: cache.Result  # the snapshot, for the page's "computed at" stamp

    @classmethod
    def load(cls, year: int, quarter: int | None) -> Ranking:
        result = cache.get(POINTS, points_key(year, quarter))
        return cls(unpack_ints(result.value["ids"]), unpack_ints(result.value["cents"]), result)

    def __len__(self) -> int:
        return len(self.ids)

    def within(self, selected: Iterable[int]) -> Ranking:
        """Only the `selected` deputies, in the same order (ranked among themselves by `page`)."""
        keep = set(selected)
        at = [i for i, pk in enumerate(self.ids) if pk in keep]
        return Ranking(array("i", (self.ids[i] for i in at)), array("i", (self.cents[i] for i in at)), self.figures)

    def page(self, offset: int, limit: int) -> list[tuple[int, Decimal, int]]:
        """(deputy id, total, rank) from `offset`: competition ranking (1, 2, 2, 4), the rank of a total being
        one more than the number of deputies with more."""
        rows = []
        for i in range(offset, min(offset + limit, len(self.ids))):
            better = bisect.bisect_left(self.cents, -self.cents[i], key=lambda cents: -cents)
            rows.append((self.ids[i], Decimal(self.cents[i]) / 100, better + 1))
        return rows
