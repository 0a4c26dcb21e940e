"""The points list a page at a time, for a paginator: the ranking read from a snapshot (`precomputed`: the city's for
the city's users, their own scope's for a township's or a group's), then the page's deputies by id.

A filter (a township, a group, a name) keeps the deputies it selects in the ranking's order and ranks them again among
themselves, as the list always ranked a filtered scope. The city's snapshot holds the ranking alone (100,000
deputies), so a page reads its rows' figures in one query (`ranking.points_figures`); a scope's holds its deputies'
figures too, and a page reads none.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from deputyhome.deputies.models import Deputy, GroupMembership, active_on

from . import points, precomputed, ranking
from .figures import DutyFigures, figures_of
from .periods import Period


@dataclass(frozen=True, slots=True)
class ListedDeputy:
    """What a row of the list shows of a deputy: read as values, not as a model (a province's export reads 100,000)."""

    pk: int
    name: str
    region_name: str  # the deputy's township (or the region they are registered at), "" for none
    group_name: str  # their group on the list's day, "" for none


@dataclass
class PointsRow:
    deputy: Deputy | ListedDeputy
    group_name: str  # the deputy's group at the end of the period (or today), "" for none
    figures: DutyFigures
    card: points.Card  # the running total to the end of the period
    period_card: points.Card | None  # the quarter's own points, when a quarter is chosen
    rank: int = 0


def period_memberships(on: datetime.date) -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=GroupMembership.objects.filter(active_on(on)).select_related("group"),
        to_attr="period_memberships",
    )


def page_deputies(ids: list[int], on: datetime.date) -> dict[int, ListedDeputy]:
    """The deputies of a page with what a row shows, in one query: the name, the township, and the name of the
    group of their first membership in force on `on` (in the memberships' order, as `period_memberships`)."""
    group = GroupMembership.objects.filter(active_on(on), deputy_id=OuterRef("pk")).values("group__name")[:1]
    found = Deputy.objects.filter(pk__in=ids).annotate(group_name=Subquery(group)).order_by()
    return {
        pk: ListedDeputy(pk, name, region or "", group or "")
        for pk, name, region, group in found.values_list("pk", "name", "region__name", "group_name")
    }


class RankedPoints:
    """The points list for a paginator: its length is the number of deputies ranked (in the filters), a page is the
    page's rows with their figures and cards. `selected`: the filters' deputies, if any."""

    def __init__(
        self, *, selected: QuerySet[Deputy] | None, specs: Any, year: int, quarter: int | None, on: datetime.date
    ):
        self.selected, self.specs, self.year, self.quarter, self.on = selected, specs, year, quarter, on
        self.cumulative = Period.running(year, quarter)
        self._ranking: precomputed.Ranking | None = None

    def load(self) -> precomputed.Ranking:
        raise NotImplementedError

    @property
    def ranking(self) -> precomputed.Ranking:
        if self._ranking is None:
            self._ranking = self.load()
            if self.selected is not None:
                self._ranking = self._ranking.within(self.selected.values_list("pk", flat=True))
        return self._ranking

    @property
    def figures(self):
        """The snapshot, for the page's "computed at" stamp."""
        return self.ranking.figures

    def count(self) -> int:
        return len(self.ranking)

    def __len__(self) -> int:
        return self.count()

    def page_figures(
        self, ids: list[int], offset: int, limit: int
    ) -> tuple[dict[int, DutyFigures], dict[int, DutyFigures] | None]:
        """The figures of the page's deputies to the end of the period, and the quarter's own (None: no quarter)."""
        raise NotImplementedError

    def __getitem__(self, index: slice) -> list[PointsRow]:
        if not isinstance(index, slice):
            raise TypeError("RankedPoints is read a page at a time")
        offset = index.start or 0
        limit = max(0, (index.stop if index.stop is not None else offset) - offset)
        ranked = self.ranking.page(offset, limit)
        ids = [pk for pk, _total, _rank in ranked]
        found = page_deputies(ids, self.on)
        totals, quarter = self.page_figures(ids, offset, limit)
        score = points.Scorer(self.specs)
        rows = []
        for pk, _total, rank in ranked:
            d, figures = found[pk], figures_of(totals, pk)
            rows.append(
                PointsRow(
                    deputy=d,
                    group_name=d.group_name,
                    figures=figures,
                    card=score(figures),
                    period_card=score(figures_of(quarter, pk)) if quarter is not None else None,
                    rank=rank,
                )
            )
        return rows


class SnapshotPoints(RankedPoints):
    """The city-wide list: the ranking computed ahead for every deputy; the page's figures read in one query."""

    def load(self) -> precomputed.Ranking:
        return precomputed.Ranking.load(self.year, self.quarter)

    def page_figures(self, ids, offset, limit):
        quarter = Period.for_quarter(self.year, self.quarter) if self.quarter else None
        return (
            ranking.points_figures(ids, self.cumulative),
            ranking.points_figures(ids, quarter) if quarter else None,
        )


class ScopePoints(RankedPoints):
    """A township's or a group's list: its scope's ranking with its deputies' figures (`precomputed.scope_points`)."""

    def __init__(self, *, scope: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.scope = scope

    def load(self) -> precomputed.Ranking:
        return precomputed.Ranking.load_scope(self.scope, self.year, self.quarter)

    def page_figures(self, ids, offset, limit):
        stored = self.ranking.stored_figures
        return stored(offset, limit), stored(offset, limit, quarter=True) if self.quarter else None
