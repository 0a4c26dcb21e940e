"""The city-wide duty points ranking, computed ahead (`figures.cache`): every deputy's total under the year's
scheme, in the list's order, for the city's users, whose list is every deputy.

At province scale ranking 100,000 deputies takes more than a second however good the SQL (`records.ranking`), and
the committee reads the list by the quarter. The snapshot keeps the ranked deputy ids and their totals in cents as
packed arrays (`figures.packing`; 230 KB for 100,000 deputies, the totals being long runs of equal values): a page
view decodes them in about a millisecond, where 200,000 JSON numbers took tens. A filter (a township, a group, a
name) keeps the deputies it selects in the same order and ranks them again among themselves, as the list ranks a
filtered scope.

A township's or a group's list is stored per scope in the same form (`scope_points`), with what the list shows of
each deputy (their figures, packed by field) beside the ranking, so that a page of the list is read from the
snapshot whole; it is computed at its first reading and again at the first reading after a change (decision 101).
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from deputyhome.accounts import scopes
from deputyhome.deputies.models import Deputy
from deputyhome.figures import cache
from deputyhome.figures.cache import precomputed
from deputyhome.figures.packing import pack_ints, unpack_ints

from . import points, ranking, services
from .figures import DutyFigures, figures_of
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


SCOPE_POINTS = "records.scope_points"
# Up to this many deputies (a township's, a group's) a scope is scored in Python from its figures, read once for the
# snapshot anyway; more are ranked in SQL (`ranking.ranked_page`).
SCORE_IN_PYTHON = 3000
# What the list shows and scores of each deputy (the fields `ranking.points_figures` reads), stored with a scope's
# ranking, one packed column a field (training hours in hundredths); with a quarter, the quarter's own figures too.
STORED_FIGURES = (
    "sessions_expected",
    "sessions_excused",
    "sessions_absent",
    "training_hours",
    "training_absent",
    "activities",
    "activities_absent",
    "receptions",
    "opinions_handled",
    "suggestions_led",
    "suggestions_cosigned",
    "reports_held",
    "household_contacts",
)


def scope_points_key(scope: str, year: int, quarter: int | None) -> str:
    return f"{scope}:{points_key(year, quarter)}"


# Sources: as the city's ranking. Daily: a group's deputies are its members of the day. The scheduled refresh leaves
# the scopes' rankings to their next reading.
@precomputed(SCOPE_POINTS, depends=SOURCES, daily=True, refresh_stored=False, version=2)  # 2: household_contacts
def scope_points(key: str) -> dict[str, object]:
    """The ranking of one scope (`scopes.scope_key`: a township's, a group's) for the year and quarter in `key`, with
    each deputy's figures (and the quarter's own, with a quarter), in the ranking's order."""
    scope, year_text, quarter_text = key.rsplit(":", 2)
    year, quarter = int(year_text), int(quarter_text) or None
    period = Period.running(year, quarter)
    specs = services.item_specs(services.points_scheme_for_year(year=year))
    deputies = Deputy.objects.filter(scopes.deputies_q(scopes.scope_user(scope)), ranking.held_mandate_in(period))
    listed = [(pk, code or "", name) for pk, code, name in deputies.values_list("pk", "region__code", "name")]
    ids = [pk for pk, _code, _name in listed]
    found = ranking.points_figures(ids, period)
    if len(ids) <= SCORE_IN_PYTHON:
        score = points.Scorer(specs)
        ranked = points.ranked(listed, {pk: score(figures_of(found, pk)).total for pk in ids})
    else:
        ranked = ranking.ranked_page(deputies=deputies, ids=ids, period=period, specs=specs, limit=None)
    order = [pk for pk, _total, _rank in ranked]
    value: dict[str, object] = {
        "deputies": len(ranked),
        "ids": pack_ints(order),
        "cents": pack_ints(int(total * 100) for _pk, total, _rank in ranked),
        "figures": _pack_figures(order, found),
    }
    if quarter:
        value["quarter"] = _pack_figures(order, ranking.points_figures(ids, Period.for_quarter(year, quarter)))
    return value


def _pack_figures(order: list[int], found: dict[int, DutyFigures]) -> dict[str, str]:
    rows = [figures_of(found, pk) for pk in order]
    return {
        name: pack_ints(int(getattr(f, name) * 100) if name == "training_hours" else getattr(f, name) for f in rows)
        for name in STORED_FIGURES
    }


def _unpack_figures(packed: dict[str, str]) -> dict[str, array]:
    return {name: unpack_ints(packed[name]) for name in STORED_FIGURES}


@dataclass
class Ranking:
    """A ranking read from the snapshot: deputy ids and totals in cents, best first; a scope's also with each
    deputy's figures (`columns`, by field) and the quarter's (`quarter`), in the same order."""

    ids: array
    cents: array
    figures: cache.Result  # the snapshot, for the page's "computed at" stamp
    columns: dict[str, array] = field(default_factory=dict)
    quarter: dict[str, array] = field(default_factory=dict)

    @classmethod
    def load(cls, year: int, quarter: int | None) -> Ranking:
        result = cache.get(POINTS, points_key(year, quarter))
        return cls(unpack_ints(result.value["ids"]), unpack_ints(result.value["cents"]), result)

    @classmethod
    def load_scope(cls, scope: str, year: int, quarter: int | None) -> Ranking:
        """A scope's ranking with its figures (`scope_points`)."""
        result = cache.get(SCOPE_POINTS, scope_points_key(scope, year, quarter))
        value = result.value
        return cls(
            unpack_ints(value["ids"]),
            unpack_ints(value["cents"]),
            result,
            _unpack_figures(value["figures"]),
            _unpack_figures(value["quarter"]) if "quarter" in value else {},
        )

    def __len__(self) -> int:
        return len(self.ids)

    def within(self, selected: Iterable[int]) -> Ranking:
        """Only the `selected` deputies, in the same order (ranked among themselves by `page`)."""
        keep = set(selected)
        at = [i for i, pk in enumerate(self.ids) if pk in keep]

        def kept(values: array) -> array:
            return array("i", (values[i] for i in at))

        return Ranking(
            kept(self.ids),
            kept(self.cents),
            self.figures,
            {name: kept(values) for name, values in self.columns.items()},
            {name: kept(values) for name, values in self.quarter.items()},
        )

    def stored_figures(self, offset: int, limit: int, *, quarter: bool = False) -> dict[int, DutyFigures]:
        """The stored figures of the deputies from `offset` (a scope's ranking), by deputy id."""
        columns = self.quarter if quarter else self.columns
        out = {}
        for i in range(offset, min(offset + limit, len(self.ids))):
            f = DutyFigures(deputy_id=self.ids[i], **{name: columns[name][i] for name in STORED_FIGURES})
            f.training_hours = Decimal(f.training_hours).scaleb(-2)  # 450 → 4.50, as read
            f.count_attended()
            out[f.deputy_id] = f
        return out

    def page(self, offset: int, limit: int) -> list[tuple[int, Decimal, int]]:
        """(deputy id, total, rank) from `offset`: competition ranking (1, 2, 2, 4), the rank of a total being
        one more than the number of deputies with more."""
        rows = []
        for i in range(offset, min(offset + limit, len(self.ids))):
            better = bisect.bisect_left(self.cents, -self.cents[i], key=lambda cents: -cents)
            rows.append((self.ids[i], Decimal(self.cents[i]) / 100, better + 1))
        return rows
