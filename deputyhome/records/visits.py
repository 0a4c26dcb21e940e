"""进站: whether each deputy of a group came to a home or a station in a year, the norm "进站代表每人每年至少到家站参加
一次活动或接待选民" (the standard item GF-2; DOMAIN: every deputy visits the station at least once a year).

The deputies counted are those in a group (进家入站) on the year's last day, or today while it runs: a deputy who left
(at 换届, or their seat ended) is not expected. A deputy came if they received voters at a home or station (a
reception they are listed at), or were present at an activity a group or a station organised, during the year.
A township's or a group's list is counted in SQL over the user's deputies (`records.selectors.record_deputies`); the
city's, 100,000 deputies at a province (290 ms to count live), is read from a snapshot computed ahead
(`station_visits`: each township's deputies in the list's order and whether they came, packed). A page's figures are
read for its rows only.
"""

from __future__ import annotations

import bisect
import datetime
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet

from deputyhome.accounts import scopes
from deputyhome.activities.models import Participation
from deputyhome.core.models import active_on
from deputyhome.core.paging import ByIds
from deputyhome.deputies.models import Deputy, GroupMembership
from deputyhome.figures import cache
from deputyhome.figures.packing import pack_ints, unpack_ints
from deputyhome.opinions.models import Reception
from deputyhome.organisation.models import DeputyGroup

from .periods import NormQuery, Period
from .selectors import narrowed, record_deputies
from .sources import PRESENT
from .townships import Share, TownshipShare, lowest

Receptionists = Reception.deputies.through


@dataclass(frozen=True)
class VisitQuery(NormQuery):
    group: DeputyGroup | None = None

    @property
    def narrowed(self) -> bool:
        """Narrowed to a group too."""
        return self.group is not None or super().narrowed

    @property
    def period(self) -> Period:
        return Period.for_year(self.year)

    @property
    def on(self) -> datetime.date:
        """The day whose groups count: the year's last, or today while it runs."""
        return min(self.period.end, self.day)


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
    each into a hash (an `OR` of `EXISTS` over 100,000 deputies took 290 ms). For the snapshot of everyone."""
    return Q(pk__in=_received(period).values("deputy_id")) | Q(pk__in=_took_part(period).values("deputy_id"))


def in_group(on: datetime.date) -> Exists:
    """The deputies in a group on `on`: those held to the norm."""
    return Exists(GroupMembership.objects.filter(active_on(on), deputy=OuterRef("pk")))


def yet_to_come(deputy_id: int, query: VisitQuery) -> bool:
    """Whether the deputy, in a group on `query.on`, has not come yet in the year: one query (their home page's
    tile)."""
    return Deputy.objects.filter(in_group(query.on), pk=deputy_id).exclude(came_q(query.period)).exists()


def expected(query: VisitQuery, *, user: Any) -> QuerySet[Deputy]:
    """The user's deputies in a group on `query.on`, narrowed by township, group and name."""
    deputies = _selected(query, user=user).filter(in_group(query.on))
    if query.township is not None:
        deputies = deputies.filter(region__code__startswith=query.township.code)
    return deputies


@dataclass(frozen=True)
class Found:
    """The deputies expected, in the list's order, whether each came (1 or 0), and the list's township runs (each
    code and where its deputies begin), for the table by township."""

    ids: array
    came: array
    codes: list[str]
    starts: list[int]


ID_LIST_MAX = 2000  # a scope's deputies passed by id up to this many


@dataclass(frozen=True)
class VisitsPage:
    summary: Share
    listed: Sequence[Deputy]
    townships: list[TownshipShare]  # the lowest rates, when the list spans several townships and is not narrowed
    township_count: int


def visits(query: VisitQuery, *, user: Any) -> VisitsPage:
    """The summary, the deputies listed (those who did not come with `missing`) by township and name, and the
    townships with the lowest rates: from the snapshot for the city's users, counted now for a narrower scope."""
    # A group's or a station's deputies are few: counted now for everyone, as a township's.
    few = query.group is not None or query.station is not None
    found = _from_snapshot(query, user=user) if scopes.sees_everyone(user) and not few else _counted(query, user=user)
    ids, came = found.ids, found.came
    listed = [pk for pk, did in zip(ids, came, strict=True) if not did] if query.missing else list(ids)
    townships = _lowest(found) if query.by_township and len(found.codes) > 1 else []
    summary = Share(of=len(ids), met=sum(came))
    return VisitsPage(
        summary,
        ByIds(Deputy.objects.select_related("region"), listed),
        townships,
        0 if not townships else len(found.codes),
    )


def _lowest(found: Found) -> list[TownshipShare]:
    """The townships with the lowest rates, from the list's township runs."""
    bounds = [*found.starts, len(found.ids)]
    runs = (
        (code, bounds[i + 1] - bounds[i], sum(found.came[bounds[i] : bounds[i + 1]]))
        for i, code in enumerate(found.codes)
    )
    return lowest(runs)


def _runs(codes_of_ids: Sequence[str]) -> tuple[list[str], list[int]]:
    """The runs of equal codes in a list ordered by code: each code and the index where it begins."""
    codes: list[str] = []
    starts: list[int] = []
    for i, code in enumerate(codes_of_ids):
        if not codes or codes[-1] != code:
            codes.append(code)
            starts.append(i)
    return codes, starts


def _counted(query: VisitQuery, *, user: Any) -> Found:
    """A scope's deputies in the list's order and whether each came, counted now: who came is read for the scope's
    deputies along the indexes (a township's hundred in a millisecond, not the province's year hashed)."""
    deputies = expected(query, user=user)
    rows = list(deputies.order_by("region__code", "name", "pk").values_list("pk", "region__code"))
    ids = array("i", (pk for pk, _ in rows))
    # A township's or a group's deputies by their ids, which PostgreSQL looks up one by one along the deputy index
    # (a subquery it estimated high, and hashed the province's year: 4 ms a source); a larger scope as a subquery.
    scope = list(ids) if len(ids) <= ID_LIST_MAX else deputies.values("pk")
    period = query.period
    came = set(_received(period).filter(deputy__in=scope).values_list("deputy_id", flat=True))
    came |= set(_took_part(period).filter(deputy__in=scope).values_list("deputy_id", flat=True))
    codes, starts = _runs([code or "" for _, code in rows])
    return Found(ids, array("i", (1 if pk in came else 0 for pk in ids)), codes, starts)


# The city's list, computed ahead ------------------------------------------------------------------------------

VISITS = "records.station_visits"


def _warm() -> list[str]:
    return [str(scopes.today().year)]


@cache.precomputed(VISITS, depends=("deputies", "organisation", "activities", "opinions"), warm=_warm, daily=True)
def station_visits(key: str) -> dict[str, Any]:
    """Every deputy in a group (`expected`, everyone's) in the list's order (township code, name) with whether they
    came, as two packed arrays, and where each township's deputies begin: {"codes", "starts", "ids", "came"}."""
    query = VisitQuery(year=int(key))
    came = ExpressionWrapper(came_q(query.period), output_field=BooleanField())
    rows = (
        Deputy.objects.filter(in_group(query.on))
        .annotate(came=came)
        .order_by("region__code", "name", "pk")
        .values_list("pk", "region__code", "came")
    )
    found = list(rows.iterator(chunk_size=5000))
    codes, starts = _runs([code or "" for _, code, _ in found])
    ids, flags = (pk for pk, _, _ in found), (1 if did else 0 for _, _, did in found)
    return {"codes": codes, "starts": starts, "ids": pack_ints(ids), "came": pack_ints(flags)}


def _from_snapshot(query: VisitQuery, *, user: Any) -> Found:
    """The city's deputies in the list's order and whether each came, from the snapshot, narrowed by the filters."""
    snapshot = cache.get(VISITS, str(query.year)).value
    ids, came = unpack_ints(snapshot["ids"]), unpack_ints(snapshot["came"])
    codes, starts = snapshot["codes"], snapshot["starts"]
    if query.township is not None:  # the township's run of the list (codes in order; a township has no parts)
        first = bisect.bisect_left(codes, query.township.code)
        last = first
        while last < len(codes) and codes[last].startswith(query.township.code):
            last += 1
        bounds = [*starts, len(ids)]
        ids, came = ids[bounds[first] : bounds[last]], came[bounds[first] : bounds[last]]
        codes, starts = codes[first:last], [start - bounds[first] for start in starts[first:last]]
    if query.narrowed:
        # The deputies a group or a name selects (their own query: a name matches few), in the snapshot's order.
        selected = set(_selected(query, user=user).values_list("pk", flat=True))
        kept = [(pk, did) for pk, did in zip(ids, came, strict=True) if pk in selected]
        ids, came = array("i", (pk for pk, _ in kept)), array("i", (did for _, did in kept))
        codes, starts = [], []  # not shown by township once narrowed
    return Found(ids, came, codes, starts)


def _selected(query: VisitQuery, *, user: Any) -> QuerySet[Deputy]:
    deputies = record_deputies(user=user)
    return narrowed(deputies, group=query.group, name=query.name, on=query.on, station=query.station)


@dataclass
class VisitRow:
    deputy: Deputy
    group: str
    receptions: int
    activities: int

    @property
    def came(self) -> bool:
        return bool(self.receptions or self.activities)


def with_figures(deputies: list[Deputy], query: VisitQuery) -> list[VisitRow]:
    """The page's rows with their group and their receptions and group or station activities in the year: three
    queries whatever the page's length."""
    ids = [d.pk for d in deputies]
    period = query.period
    receptions = _per_deputy(_received(period), ids, "reception_id")
    activities = _per_deputy(_took_part(period), ids, "activity_id")
    groups = dict(
        GroupMembership.objects.filter(active_on(query.on), deputy_id__in=ids)
        .order_by("deputy_id", "start_date")  # a deputy's latest group last, which the dict keeps
        .values_list("deputy_id", F("group__name"))
    )
    return [VisitRow(d, groups.get(d.pk, ""), receptions.get(d.pk, 0), activities.get(d.pk, 0)) for d in deputies]


def _per_deputy(rows: QuerySet, ids: list[int], counted: str) -> dict[int, int]:
    """{deputy id: the number of distinct `counted`} of `rows` for the deputies `ids`."""
    grouped = rows.filter(deputy_id__in=ids).values_list("deputy_id").annotate(n=Count(counted, distinct=True))
    return dict(grouped.order_by())
