"""A township's or a group's coverage page: its deputies read once, deputy by deputy.

The city's figures are computed ahead from grouped passes over every deputy (`township_breakdown`, training.precomputed).
A scoped page ran the same grouped passes on each request, then read its uncovered deputies again with the same
subqueries: three queries over the same few hundred deputies, each costing more to build and plan than to run (the
uncovered list's plan took 6 ms once initial sessions existed). Here one query reads each deputy in scope with a
mandate in force (their township, and since when they are new if they are), a second the last initial session each
new deputy attended, and the township rows and the list of uncovered deputies are counted from them; the year's
hours stay one grouped query. A test holds the rows equal to `township_breakdown`'s and the list to the city's
(`UncoveredByTownship`) (decision 91).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, Max, OuterRef, Subquery

from deputyhome.accounts import scopes
from deputyhome.deputies.models import Deputy, Mandate, active_on

from .choices import AttendanceStatus, SessionKind
from .models import Attendance
from .selectors_figures import (
    _earlier_term,
    _qualifying,
    add_township_hours,
    as_of,
    derive_township_figures,
    empty_township_row,
    name_townships,
)

if TYPE_CHECKING:
    from deputyhome.accounts.models import User

NO_TOWNSHIP = ("未划定乡镇", "999999999")  # as `name_townships` names the row of deputies without a township: last


@dataclass(frozen=True)
class Uncovered:
    """A new deputy not yet at an initial session, as the coverage page lists them."""

    pk: int
    name: str
    township: str
    new_since: datetime.date


def deputies_in_force(*, user: User, on: datetime.date) -> list[tuple]:
    """(id, name, township id, name and code, new since or None) for each deputy in the user's scope with a mandate
    in force on `on`: new since the start of their first mandate in a current city or township congress, unless they
    held one in an earlier congress (`new_deputies`' rule; None when not new)."""
    mandates = Mandate.objects.filter(deputy=OuterRef("pk")).order_by()
    first = mandates.filter(_qualifying(on)).order_by("start_date").values("start_date")[:1]
    rows = (
        Deputy.objects.filter(scopes.deputies_q(user), pk__in=Mandate.objects.filter(active_on(on)).values("deputy_id"))
        .annotate(new_since=Subquery(first), earlier=Exists(mandates.filter(_earlier_term())))
        .values_list("pk", "name", "region_id", "region__name", "region__code", "new_since", "earlier")
        .order_by()
    )
    return [(*row[:5], None if row[6] else row[5]) for row in rows]


def last_initial_session(*, deputy_ids: list[int], on: datetime.date) -> dict[int, datetime.date]:
    """{deputy id: the day of the last initial session by `on` they were present at} for the deputies given (not
    scoped: the ids come from a scoped read), in one query.

    A deputy is covered when that day is on or after the day they became new (`_trained`'s rule: present at an
    initial session held between the start of a qualifying mandate and `on`). Asked once for a list of deputies rather
    than as an EXISTS per deputy, the planner cannot pick the wrong side of the join: with next to no initial sessions
    it expected none in a date range and scanned each deputy's years of sessions to find them.
    """
    rows = (
        Attendance.objects.filter(
            deputy_id__in=deputy_ids,
            status=AttendanceStatus.PRESENT,
            session__kind=SessionKind.INITIAL,
            session__date__lte=on,
        )
        .values("deputy_id")
        .annotate(last=Max("session__date"))
        .order_by()
    )
    return {r["deputy_id"]: r["last"] for r in rows}


def scoped_coverage(*, user: User, year: int) -> tuple[list[dict[str, Any]], list[Uncovered]]:
    """`township_breakdown`'s rows for a scoped user, and their uncovered new deputies in its order (township code,
    name, id), in three queries (four when a township's hours come only from deputies no longer in office)."""
    on = as_of(year)
    deputies = deputies_in_force(user=user, on=on)
    last = last_initial_session(deputy_ids=[d[0] for d in deputies if d[5] is not None], on=on)
    rows: dict[Any, dict[str, Any]] = {}
    uncovered: list[tuple[str, str, int, Uncovered]] = []
    for pk, name, region_id, township, code, new_since in deputies:
        row = rows.get(region_id)
        if row is None:
            row = rows[region_id] = empty_township_row(region_id)
            row["name"], row["code"] = (township, code) if region_id else NO_TOWNSHIP
        row["deputies"] += 1
        if new_since is None:
            continue
        row["new_deputies"] += 1
        if pk in last and last[pk] >= new_since:
            row["covered"] += 1
        else:
            uncovered.append((row["code"], name, pk, Uncovered(pk, name, township if region_id else "", new_since)))
    add_township_hours(rows, user=user, year=year)
    unnamed = [r for r in rows.values() if not r["code"]]
    if unnamed:
        name_townships(unnamed)
    out = sorted((derive_township_figures(r) for r in rows.values()), key=lambda r: r["code"])
    return out, [entry[-1] for entry in sorted(uncovered, key=lambda entry: entry[:3])]
