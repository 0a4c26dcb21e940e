"""The station norms each deputy in a group meets or not in a year: 代表进站 (`visits`) and 结对联系群众
(`households`). What they share: the deputies held to them (those in a group, 进家入站, on the year's last day, or
today while it runs), the list of them by township and name with whether each meets the norm, the townships with the
lowest rates, and for the city's users the whole list computed ahead (100,000 deputies at a province are not counted
on each request: each township's deputies in the list's order and whether they meet it, packed). A township's or a
group's list is counted in SQL over the user's deputies (`records.selectors.record_deputies`). A page's figures are
read for its rows only.

A norm (`DeputyNorm`) says what meeting it is, twice: as a condition on everyone (`met_q`, for the snapshot) and for
a scope's deputies (`met_among`, along the indexes)."""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet

from deputyhome.accounts import scopes
from deputyhome.core.models import active_on
from deputyhome.core.paging import ByIds
from deputyhome.deputies.models import Deputy, GroupMembership
from deputyhome.figures import cache
from deputyhome.figures.packing import pack_ints, unpack_ints
from deputyhome.organisation.models import DeputyGroup

from .periods import NormQuery, Period
from .selectors import narrowed, record_deputies
from .townships import Share, TownshipShare, lowest, runs, runs_within


@dataclass(frozen=True)
class DeputyQuery(NormQuery):
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


class DeputyNorm(ABC):
    """A norm each deputy in a group meets or not; `snapshot` names the city's list computed ahead, which is
    registered with `cache.precomputed` on the changes of the apps `depends` (and daily: its day moves)."""

    snapshot: str
    depends: tuple[str, ...]
    version: int = 1

    def __init__(self) -> None:
        cache.precomputed(self.snapshot, depends=self.depends, warm=this_year, daily=True, version=self.version)(
            lambda key: snapshot(self, key)
        )

    @abstractmethod
    def met_q(self, query: DeputyQuery) -> Q:
        """Everyone who meets the norm, as uncorrelated `IN`s (read once each into a hash over a province)."""

    @abstractmethod
    def met_among(self, query: DeputyQuery, scope: list[int] | QuerySet) -> set[int]:
        """Those of the deputies `scope` (ids, or a subquery) who meet the norm."""


def in_group(on: datetime.date) -> Exists:
    """The deputies in a group on `on`: those held to the norms."""
    return Exists(GroupMembership.objects.filter(active_on(on), deputy=OuterRef("pk")))


def expected(query: DeputyQuery, *, user: Any) -> QuerySet[Deputy]:
    """The user's deputies in a group on `query.on`, narrowed by township, group and name."""
    deputies = _selected(query, user=user).filter(in_group(query.on))
    if query.township is not None:
        deputies = deputies.filter(region__code__startswith=query.township.code)
    return deputies


@dataclass(frozen=True)
class Found:
    """The deputies expected, in the list's order, whether each meets the norm (1 or 0), and the list's township runs
    (each code and where its deputies begin), for the table by township."""

    ids: array
    met: array
    codes: list[str]
    starts: list[int]


ID_LIST_MAX = 2000  # a scope's deputies passed by id up to this many


@dataclass(frozen=True)
class NormPage:
    summary: Share
    listed: Sequence[Deputy]
    townships: list[TownshipShare]  # the lowest rates, when the list spans several townships and is not narrowed
    township_count: int


def norm_page(norm: DeputyNorm, query: DeputyQuery, *, user: Any) -> NormPage:
    """The summary, the deputies listed (those short of the norm with `missing`) by township and name, and the
    townships with the lowest rates: from the snapshot for the city's users, counted now for a narrower scope."""
    # A group's or a station's deputies are few: counted now for everyone, as a township's.
    few = query.group is not None or query.station is not None
    if scopes.sees_everyone(user) and not few:
        found = _from_snapshot(norm, query, user=user)
    else:
        found = _counted(norm, query, user=user)
    ids, met = found.ids, found.met
    listed = [pk for pk, did in zip(ids, met, strict=True) if not did] if query.missing else list(ids)
    townships = _lowest(found) if query.by_township and len(found.codes) > 1 else []
    return NormPage(
        Share(of=len(ids), met=sum(met)),
        ByIds(Deputy.objects.select_related("region"), listed),
        townships,
        0 if not townships else len(found.codes),
    )


def _lowest(found: Found) -> list[TownshipShare]:
    """The townships with the lowest rates, from the list's township runs."""
    bounds = [*found.starts, len(found.ids)]
    runs = (
        (code, bounds[i + 1] - bounds[i], sum(found.met[bounds[i] : bounds[i + 1]]))
        for i, code in enumerate(found.codes)
    )
    return lowest(runs)


def _counted(norm: DeputyNorm, query: DeputyQuery, *, user: Any) -> Found:
    """A scope's deputies in the list's order and whether each meets the norm, counted now for the scope's deputies
    along the indexes (a township's hundred in a millisecond, not the province's year hashed)."""
    deputies = expected(query, user=user)
    rows = list(deputies.order_by("region__code", "name", "pk").values_list("pk", "region__code"))
    ids = array("i", (pk for pk, _ in rows))
    # A township's or a group's deputies by their ids, which PostgreSQL looks up one by one along the deputy index
    # (a subquery it estimated high, and hashed the province's year: 4 ms a source); a larger scope as a subquery.
    scope = list(ids) if len(ids) <= ID_LIST_MAX else deputies.values("pk")
    met = norm.met_among(query, scope)
    codes, starts = runs([code or "" for _, code in rows])
    return Found(ids, array("i", (1 if pk in met else 0 for pk in ids)), codes, starts)


def snapshot(norm: DeputyNorm, key: str) -> dict[str, Any]:
    """The city's list for the year `key`: every deputy in a group (`expected`, everyone's) in the list's order
    (township code, name) with whether they meet the norm, as two packed arrays, and where each township's deputies
    begin: {"codes", "starts", "ids", "met"}."""
    query = DeputyQuery(year=int(key))
    met = ExpressionWrapper(norm.met_q(query), output_field=BooleanField())
    rows = (
        Deputy.objects.filter(in_group(query.on))
        .annotate(met=met)
        .order_by("region__code", "name", "pk")
        .values_list("pk", "region__code", "met")
    )
    found = list(rows.iterator(chunk_size=5000))
    codes, starts = runs([code or "" for _, code, _ in found])
    ids, flags = (pk for pk, _, _ in found), (1 if did else 0 for _, _, did in found)
    return {"codes": codes, "starts": starts, "ids": pack_ints(ids), "met": pack_ints(flags)}


def this_year() -> list[str]:
    """The snapshots kept warm: this year's."""
    return [str(scopes.today().year)]


def _from_snapshot(norm: DeputyNorm, query: DeputyQuery, *, user: Any) -> Found:
    """The city's deputies in the list's order and whether each meets the norm, from the snapshot, narrowed by the
    filters."""
    value = cache.get(norm.snapshot, str(query.year)).value
    ids, met = unpack_ints(value["ids"]), unpack_ints(value["met"])
    codes, starts = value["codes"], value["starts"]
    if query.township is not None:  # the township's run of the list (codes in order; a township has no parts)
        first, last = runs_within(codes, query.township.code)
        bounds = [*starts, len(ids)]
        ids, met = ids[bounds[first] : bounds[last]], met[bounds[first] : bounds[last]]
        codes, starts = codes[first:last], [start - bounds[first] for start in starts[first:last]]
    if query.narrowed:
        # The deputies a group or a name selects (their own query: a name matches few), in the snapshot's order.
        selected = set(_selected(query, user=user).values_list("pk", flat=True))
        kept = [(pk, did) for pk, did in zip(ids, met, strict=True) if pk in selected]
        ids, met = array("i", (pk for pk, _ in kept)), array("i", (did for _, did in kept))
        codes, starts = [], []  # not shown by township once narrowed
    return Found(ids, met, codes, starts)


def _selected(query: DeputyQuery, *, user: Any) -> QuerySet[Deputy]:
    deputies = record_deputies(user=user)
    return narrowed(deputies, group=query.group, name=query.name, on=query.on, station=query.station)


def groups_of(ids: list[int], on: datetime.date) -> dict[int, str]:
    """{deputy id: the name of their group on `on`} (a deputy's latest group, should they be in two)."""
    rows = GroupMembership.objects.filter(active_on(on), deputy_id__in=ids).order_by("deputy_id", "start_date")
    return dict(rows.values_list("deputy_id", F("group__name")))


@dataclass
class NormRow:
    """A deputy's row in a norm's list: their group's name, and a norm's own figures in its subclass (`cells`, in
    the list's columns) with whether they meet it (`met`)."""

    deputy: Deputy
    group: str


def per_deputy(rows: QuerySet, ids: list[int], counted: str, deputy: str = "deputy_id") -> dict[int, int]:
    """{deputy id: the number of distinct `counted`} of `rows` for the deputies `ids` (their field `deputy`)."""
    grouped = rows.filter(**{f"{deputy}__in": ids}).values_list(deputy).annotate(n=Count(counted, distinct=True))
    return dict(grouped.order_by())
