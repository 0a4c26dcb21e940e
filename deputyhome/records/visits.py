"""进站: whether each deputy of a group came to a home or a station in a year, the norm "进站代表每人每年至少到家站参加
一次活动或接待选民" (the standard item GF-2; DOMAIN: every deputy visits the station at least once a year).

The deputies counted are those in a group (`deputy_norms`): a deputy who left (at 换届, or their seat ended) is not
expected. A deputy came if they received voters at a home or station (a reception they are listed at), or were
present at an activity a group or a station organised, during the year. The city's list, 100,000 deputies at a
province (290 ms to count live), is read from a snapshot computed ahead (the figure `records.station_visits`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from deputyhome.activities.models import Participation
from deputyhome.deputies.models import Deputy
from deputyhome.opinions.models import Reception

from .deputy_norms import DeputyNorm, DeputyQuery, NormPage, NormRow, groups_of, norm_page, per_deputy
from .periods import Period
from .sources import PRESENT

VisitQuery = DeputyQuery

Receptionists = Reception.deputies.through


def _received(period: Period) -> QuerySet:
    return Receptionists.objects.filter(reception__date__range=(period.start, period.end))


def _took_part(period: Period) -> QuerySet:
    return Participation.objects.filter(
        Q(activity__station__isnull=False) | Q(activity__group__isnull=False),
        attendance=PRESENT,
        activity__date__range=(period.start, period.end),
    )


def came_q(period: Period) -> Q:
    """Everyone who came to a home or a station during `period`: two uncorrelated `IN`s, which PostgreSQL reads once
    each into a hash (an `OR` of `EXISTS` over 100,000 deputies took 290 ms)."""
    return Q(pk__in=_received(period).values("deputy_id")) | Q(pk__in=_took_part(period).values("deputy_id"))


def came_exists(period: Period) -> Q:
    """Whether the deputy of each row (`OuterRef("pk")`) came during `period`: two correlated `EXISTS`, read along
    the indexes, for a few rows (one deputy's home page: 0.7 ms at a province, where `came_q` hashed the year in
    24 ms)."""
    received = Exists(_received(period).filter(deputy=OuterRef("pk")))
    return Q(received) | Q(Exists(_took_part(period).filter(deputy=OuterRef("pk"))))


VISITS = "records.station_visits"


class Visits(DeputyNorm):
    snapshot = VISITS
    depends = ("deputies", "organisation", "activities", "opinions")
    version = 2  # the snapshot's flags were "came" in version 1

    def met_q(self, query: DeputyQuery) -> Q:
        return came_q(query.period)

    def met_among(self, query: DeputyQuery, scope: list[int] | QuerySet) -> set[int]:
        period = query.period
        came = set(_received(period).filter(deputy__in=scope).values_list("deputy_id", flat=True))
        return came | set(_took_part(period).filter(deputy__in=scope).values_list("deputy_id", flat=True))


VISIT = Visits()


def visits(query: DeputyQuery, *, user: Any) -> NormPage:
    """The deputies expected to come and whether each came (`deputy_norms.norm_page`)."""
    return norm_page(VISIT, query, user=user)


@dataclass
class VisitRow(NormRow):
    receptions: int
    activities: int

    @property
    def met(self) -> bool:
        return bool(self.receptions or self.activities)

    @property
    def cells(self) -> list[int]:
        return [self.receptions, self.activities]


def with_figures(deputies: list[Deputy], query: DeputyQuery) -> list[VisitRow]:
    """The page's rows with their group and their receptions and group or station activities in the year: three
    queries whatever the page's length."""
    ids = [d.pk for d in deputies]
    period = query.period
    receptions = per_deputy(_received(period), ids, "reception_id")
    activities = per_deputy(_took_part(period), ids, "activity_id")
    groups = groups_of(ids, query.on)
    return [VisitRow(d, groups.get(d.pk, ""), receptions.get(d.pk, 0), activities.get(d.pk, 0)) for d in deputies]
