"""结对联系群众: whether each deputy of a group keeps in touch with enough households, the norm "每名代表经常联系
10户以上选民（群众）" (DOMAIN, the liaison station norms: each deputy keeps regular contact with 10 or more voters or
households). A deputy meets it when, on the year's last day (or today while it runs), the households paired with them
(结对联系户, a pairing in force) number at least `PAIRING_HOUSEHOLDS_MIN` (10 by default, `opinions.conf`). The
contacts logged in the year are shown beside it: how often a household is to be visited is not laid down, so they
are not counted against the deputy.

The deputies held to it are those in a group, as for 进站 (`deputy_norms`); the city's list is read from a snapshot
computed ahead (the figure `records.paired_households`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from deputyhome.deputies.models import Deputy
from deputyhome.opinions import conf
from deputyhome.opinions.models import Pairing, PairingContact
from deputyhome.opinions.selectors import pairing_in_force_q

from .deputy_norms import DeputyNorm, DeputyQuery, NormPage, NormRow, groups_of, norm_page, per_deputy


def least() -> int:
    """The households a deputy keeps in touch with at least."""
    return int(conf.get("PAIRING_HOUSEHOLDS_MIN"))


def in_force(on: datetime.date) -> QuerySet[Pairing]:
    """The pairings in force on `on`."""
    return Pairing.objects.filter(pairing_in_force_q(on))


def _enough(pairings: QuerySet[Pairing]) -> QuerySet:
    """The ids of the deputies with at least `least()` of `pairings`: one grouped query."""
    grouped = pairings.order_by().values("deputy_id").annotate(n=Count("pk")).filter(n__gte=least())
    return grouped.values("deputy_id")


HOUSEHOLDS = "records.paired_households"


class Households(DeputyNorm):
    snapshot = HOUSEHOLDS
    depends = ("deputies", "organisation", "opinions")

    @property
    def version(self) -> int:  # type: ignore[override]
        """The threshold the snapshot was counted with: one counted under another (before the setting changed and
        the site restarted) is stale."""
        return least()

    def met_q(self, query: DeputyQuery) -> Q:
        return Q(pk__in=_enough(in_force(query.on)))

    def met_among(self, query: DeputyQuery, scope: list[int] | QuerySet) -> set[int]:
        met = _enough(in_force(query.on).filter(deputy__in=scope))
        return set(met.values_list("deputy_id", flat=True))


HOUSEHOLD = Households()


def households(query: DeputyQuery, *, user: Any) -> NormPage:
    """The deputies held to the norm and whether each meets it (`deputy_norms.norm_page`)."""
    return norm_page(HOUSEHOLD, query, user=user)


def paired_count(on: datetime.date) -> Coalesce:
    """The households paired with each deputy (`OuterRef("pk")`) on `on`, as a subquery."""
    pairings = in_force(on).filter(deputy=OuterRef("pk")).order_by().values("deputy_id")
    return Coalesce(Subquery(pairings.annotate(n=Count("pk")).values("n")), 0)


@dataclass
class HouseholdRow(NormRow):
    paired: int  # households paired on the day
    contacted: int  # households contacted in the year
    contacts: int  # contacts logged in the year

    @property
    def met(self) -> bool:
        return self.paired >= least()

    @property
    def cells(self) -> list[int]:
        return [self.paired, self.contacted, self.contacts]


def with_figures(deputies: list[Deputy], query: DeputyQuery) -> list[HouseholdRow]:
    """The page's rows with their group, their households paired and the year's contacts: four queries whatever the
    page's length."""
    ids = [d.pk for d in deputies]
    paired = per_deputy(in_force(query.on), ids, "pk")
    period = query.period
    logged = PairingContact.objects.filter(date__range=(period.start, period.end))
    contacted = per_deputy(logged, ids, "pairing_id", deputy="pairing__deputy_id")
    contacts = per_deputy(logged, ids, "pk", deputy="pairing__deputy_id")
    groups = groups_of(ids, query.on)
    return [
        HouseholdRow(d, groups.get(d.pk, ""), paired.get(d.pk, 0), contacted.get(d.pk, 0), contacts.get(d.pk, 0))
        for d in deputies
    ]
