"""小组活动情况: whether each deputy group held an activity in every quarter of a year, the norm "代表小组每季度至少集中
开展一次活动" (the standard item GF-4; DOMAIN: group meetings at least quarterly).

A group held one in a quarter when an activity it organised (an activity whose group is it) is dated in the quarter,
up to today: an activity planned ahead does not count before its day. A quarter ended without one is missed; the
running quarter is shown as it stands and is not missed yet; a quarter not begun is left blank. A group formed during
the year (its `founded_on`) is held to the quarters from its first whole one: a quarter begun before it was formed
and without an activity is neither missed nor running (`BEFORE`).

What the list is made from: the groups' ids in the list's order (township code, then the group's sort key), each
one's township and founding date, and one grouped query of the year's activities of those groups, by group and
quarter. A township's, a station's or a group leader's list is counted now; the city's (a province's 6,000 groups
and their year's activities: 15 ms of queries) is read from a snapshot computed ahead (the figure
`records.group_quarters`, daily and on changes), narrowed there to a township. Either way the list is narrowed to
the groups that missed a quarter before it is paginated; a page reads its groups by id.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractQuarter

from deputyhome.accounts import scopes
from deputyhome.activities.models import Activity
from deputyhome.core.paging import ByIds
from deputyhome.figures import cache
from deputyhome.figures.packing import pack_ints, unpack_ints
from deputyhome.organisation.models import DeputyGroup

from .deputy_norms import this_year
from .periods import QUARTER_LABELS, NormQuery, Period
from .townships import TownshipShare, lowest, runs, runs_within

QUARTERS = (1, 2, 3, 4)

HELD, MISSED, RUNNING, AHEAD, BEFORE = "held", "missed", "running", "ahead", "before"


@dataclass(frozen=True)
class GroupQuarterQuery(NormQuery):
    running: bool = False  # only the groups that have not met yet in the running quarter

    @cached_property
    def current(self) -> int | None:
        """The index of the quarter running on `day`, if it is in the year."""
        return next((i for i, p in enumerate(self.periods) if p.start <= self.day <= p.end), None)

    @cached_property
    def periods(self) -> list[Period]:
        return [Period.for_quarter(self.year, q) for q in QUARTERS]

    @cached_property
    def ended(self) -> list[int]:
        """The indexes of the quarters ended by `day`: those a group misses without an activity."""
        return [i for i, period in enumerate(self.periods) if period.end < self.day]

    def held_to(self, index: int, founded_on: datetime.date | None) -> bool:
        """Whether a group formed on `founded_on` (None: long ago) is held to the quarter `index` (0 to 3): the
        quarters that begin on or after the day it was formed."""
        return founded_on is None or founded_on <= self.periods[index].start

    def state(self, quarter: int, held: int, founded_on: datetime.date | None = None) -> str:
        """A quarter's state for a group formed on `founded_on` that held `held` activities in it so far."""
        period = self.periods[quarter - 1]
        if period.start > self.day:
            return AHEAD
        if held:
            return HELD
        if not self.held_to(quarter - 1, founded_on):
            return BEFORE
        return MISSED if period.end < self.day else RUNNING


@dataclass(frozen=True)
class GroupRow:
    """A group's line: its activities in each quarter and each quarter's state."""

    group: DeputyGroup
    held: tuple[int, ...]
    states: tuple[str, ...]

    @property
    def quarters(self) -> list[tuple[str, int, str]]:
        """(the quarter's name, activities held, state) of each quarter."""
        return [(QUARTER_LABELS[q], n, s) for q, n, s in zip(QUARTERS, self.held, self.states, strict=True)]

    @property
    def missed(self) -> int:
        return self.states.count(MISSED)


@dataclass(frozen=True)
class QuarterFigure:
    """How many of the groups held an activity in a quarter, and its state for the summary (ahead or not)."""

    quarter: int
    held: int
    begun: bool

    @property
    def label(self) -> str:
        return QUARTER_LABELS[self.quarter]


@dataclass(frozen=True)
class GroupQuartersPage:
    groups: int  # the groups in the list before 只看未达标
    missed_any: int  # of them, those that missed an ended quarter
    quarters: list[QuarterFigure]
    listed: ByIds
    quiet: int = 0  # groups that have not met yet in the running quarter (none when the year is not running)
    townships: list[TownshipShare] = field(default_factory=list)  # the lowest, for a list of several not narrowed
    township_count: int = 0

    @property
    def met(self) -> int:
        return self.groups - self.missed_any


def _existed(query: GroupQuarterQuery, groups: QuerySet[DeputyGroup]) -> QuerySet[DeputyGroup]:
    """The groups that existed in the year (up to `day`: one to be formed later is not listed yet)."""
    return groups.exclude(founded_on__gt=min(query.periods[-1].end, query.day))


def _groups(query: GroupQuarterQuery, *, user: Any) -> QuerySet[DeputyGroup]:
    """The user's groups that existed in the year, narrowed by township, station and name."""
    groups = _existed(query, DeputyGroup.objects.filter(scopes.groups_q(user)))
    if query.township is not None:
        groups = groups.filter(station__region__code__startswith=query.township.code)
    if query.station is not None:
        groups = groups.filter(station=query.station)
    if query.name.strip():
        groups = groups.filter(name__contains=query.name.strip())
    return groups


def _held(query: GroupQuarterQuery, groups: QuerySet[DeputyGroup]) -> dict[int, list[int]]:
    """{group id: activities held in each quarter so far} for the groups with any, in one grouped query."""
    year = Period.for_year(query.year)
    rows = (
        Activity.objects.filter(group__in=groups.values("pk"), date__range=(year.start, min(year.end, query.day)))
        .annotate(quarter=ExtractQuarter("date"))
        .values_list("group_id", "quarter")
        .annotate(n=Count("pk"))
        .order_by()
    )
    held: dict[int, list[int]] = {}
    for group_id, quarter, n in rows:
        held.setdefault(group_id, [0, 0, 0, 0])[quarter - 1] = n
    return held


def group_quarters(query: GroupQuarterQuery, *, user: Any) -> GroupQuartersPage:
    """The figures of the user's groups (narrowed by township, station and name) and the groups listed, by township
    and group: all, or those that missed an ended quarter (`missing`) or have not met yet in the running quarter
    (`running`), or both."""
    listing = _from_snapshot(query) if _reads_snapshot(query, user) else _counted(query, user=user)
    rows, held, formed = listing.rows, listing.held, listing.formed
    ids = [pk for pk, _ in rows]
    ended, none = query.ended, [0, 0, 0, 0]

    def short(pk: int, quarters: list[int]) -> bool:  # a group formed during the year
        counts = held.get(pk, none)
        return any(not counts[i] and query.held_to(i, formed[pk]) for i in quarters)

    # One pass each over a province's 6,000 groups: a group with no activity at all misses any quarter ended.
    missed = (
        {pk for pk in ids if ((c := held.get(pk)) is None or not all(c[i] for i in ended)) and pk not in formed}
        | {pk for pk in formed if short(pk, ended)}
        if ended
        else set()
    )
    figures = [
        QuarterFigure(q, sum(1 for counts in held.values() if counts[q - 1]), query.state(q, 1) != AHEAD)
        for q in QUARTERS
    ]
    now = query.current
    quiet = (
        set()
        if now is None
        else {pk for pk in ids if not held.get(pk, none)[now] and pk not in formed}
        | {pk for pk in formed if short(pk, [now])}
    )
    listed = [pk for pk in ids if (pk in missed or not query.missing) and (pk in quiet or not query.running)]
    by_ids = ByIds(DeputyGroup.objects.select_related("station"), listed)
    tally = _by_township(rows, missed)
    by_township = query.by_township and len(tally) > 1
    townships = lowest((c, of, of - short) for c, (of, short) in tally.items()) if by_township else []
    count = len(tally) if townships else 0
    return GroupQuartersPage(len(ids), len(missed), figures, by_ids, len(quiet), townships, count)


@dataclass(frozen=True)
class Listing:
    """The groups listed, in the list's order, each with its township's code (`rows`: its station's, or the township
    above its station's village, the code's first nine digits); their activities in each quarter so far (`held`, for
    the groups with any) and the founding date of those formed during the year (`formed`, a few: the others are held
    to every quarter)."""

    rows: list[tuple[int, str]]
    held: dict[int, list[int]]
    formed: dict[int, datetime.date]


def _listing(query: GroupQuarterQuery, groups: QuerySet[DeputyGroup]) -> Listing:
    ordered = groups.order_by("station__region__code", "sort_key", "pk")
    found = list(ordered.values_list("pk", "station__region__code", "founded_on"))
    first = query.periods[0].start
    formed = {pk: day for pk, _, day in found if day is not None and day > first}
    return Listing([(pk, code[:9]) for pk, code, _ in found], _held(query, groups), formed)


def _counted(query: GroupQuarterQuery, *, user: Any) -> Listing:
    return _listing(query, _groups(query, user=user))


GROUP_QUARTERS = "records.group_quarters"


def _reads_snapshot(query: GroupQuarterQuery, user: Any) -> bool:
    """The city's users read the snapshot, for the whole list or a township's (a station's groups or a name's are
    few, and counted now); a list read as of another day (`query.today`, in tests) is counted."""
    return scopes.sees_everyone(user) and query.station is None and not query.name.strip() and query.today is None


@cache.precomputed(GROUP_QUARTERS, depends=("organisation", "activities"), warm=this_year, daily=True)
def snapshot(key: str) -> dict[str, Any]:
    """Every group's line for the year `key`, as today: the list's township runs (each code and where its groups
    begin), the groups' ids and their four quarters' activities (packed, four a group), and the founding dates of
    those formed during the year: {"codes", "starts", "ids", "held", "formed"}."""
    query = GroupQuarterQuery(year=int(key))
    listing = _listing(query, _existed(query, DeputyGroup.objects.all()))
    codes, starts = runs([code for _, code in listing.rows])
    none = [0, 0, 0, 0]
    return {
        "codes": codes,
        "starts": starts,
        "ids": pack_ints(pk for pk, _ in listing.rows),
        "held": pack_ints(n for pk, _ in listing.rows for n in listing.held.get(pk, none)),
        "formed": {str(pk): day.isoformat() for pk, day in listing.formed.items()},
    }


def _from_snapshot(query: GroupQuarterQuery) -> Listing:
    """The city's groups from the snapshot, narrowed to `query.township` (its run of the list)."""
    value = cache.get(GROUP_QUARTERS, str(query.year)).value
    ids, counts, codes = unpack_ints(value["ids"]), unpack_ints(value["held"]), value["codes"]
    bounds = [*value["starts"], len(ids)]
    first, last = 0, len(codes)
    if query.township is not None:
        first, last = runs_within(codes, query.township.code)
    rows = [(ids[i], codes[run]) for run in range(first, last) for i in range(bounds[run], bounds[run + 1])]
    held = {
        ids[i]: list(counts[4 * i : 4 * i + 4])
        for i in range(bounds[first], bounds[last])
        if any(counts[4 * i : 4 * i + 4])
    }
    listed = {pk for pk, _ in rows} if query.township is not None else None
    formed = {
        int(pk): datetime.date.fromisoformat(day)
        for pk, day in value["formed"].items()
        if listed is None or int(pk) in listed
    }
    return Listing(rows, held, formed)


def _by_township(rows: list[tuple[int, str]], missed: set[int]) -> dict[str, tuple[int, int]]:
    """{township code: (its groups, those that missed a quarter)} (a row's code is its township's: see `_listing`)."""
    tally: dict[str, tuple[int, int]] = {}
    for pk, code in rows:
        of, short = tally.get(code, (0, 0))
        tally[code] = (of + 1, short + (pk in missed))
    return tally


def with_quarters(groups: list[DeputyGroup], query: GroupQuarterQuery) -> list[GroupRow]:
    """The page's groups with their quarters: one query whatever the page's length."""
    held = _held(query, DeputyGroup.objects.filter(pk__in=[g.pk for g in groups]))
    rows = []
    for group in groups:
        counts = held.get(group.pk, [0, 0, 0, 0])
        states = tuple(query.state(q, counts[q - 1], group.founded_on) for q in QUARTERS)
        rows.append(GroupRow(group, tuple(counts), states))
    return rows
