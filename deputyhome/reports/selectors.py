"""Scoped statistics for the dashboard and the API. Every figure is limited by the user's scope.

Scope comes only from the Q filters in `deputyhome.accounts.scopes` (the same ones the
organisation and deputy selectors use), and each figure is one grouped query, so the
number of queries does not grow with the number of townships, stations or deputies.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from deputyhome.accounts import scopes
from deputyhome.deputies.choices import MandateStatus
from deputyhome.deputies.models import Deputy, GroupMembership, Mandate, active_on
from deputyhome.organisation import selectors as org_selectors
from deputyhome.organisation.choices import CongressLevel, StationKind
from deputyhome.organisation.models import DeputyGroup, Region, Station

if TYPE_CHECKING:
    from deputyhome.accounts.models import User

TOWNSHIP_CODE_LENGTH = 9
LEVELS = [level.value for level in CongressLevel]


def _township_code(field: str) -> Substr:
    # Region codes nest (city 6, township 9, village 12 digits), so a prefix is the township.
    return Substr(field, 1, TOWNSHIP_CODE_LENGTH)


def serving_mandates(*, on: datetime.date) -> Q:
    """Mandates in force on `on`: active and within their dates."""
    return Q(status=MandateStatus.ACTIVE) & active_on(on)


def serving_deputies(*, user: User, on: datetime.date) -> QuerySet[Deputy]:
    """Deputies in the user's scope who hold at least one mandate in force on `on`."""
    # A semi-join on the serving ids (hashed once), not a subquery per deputy.
    mandates = Mandate.objects.filter(serving_mandates(on=on)).values("deputy_id")
    return Deputy.objects.filter(scopes.deputies_q(user)).filter(pk__in=mandates)


def overview(*, user: User, on: datetime.date | None = None) -> dict[str, Any]:
    """Counts of homes, liaison stations, groups and serving deputies in the user's scope.

    `deputies` counts persons; `deputies_by_level` counts each person once per level held,
    so it sums to the number of mandates in force when nobody holds two seats at one level.
    `deputies_without_group` are serving deputies with no group membership in force.
    `by_township` has one row per township-level unit in scope (for a group leader or a
    deputy: the unit of their group), ordered by code.
    """
    on = on or scopes.today()

    stations: dict[tuple[str, str], int] = {}
    for row in (
        Station.objects.filter(scopes.stations_q(user))
        .annotate(township=_township_code("region__code"))
        .values("township", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        stations[row["township"], row["kind"]] = row["n"]

    groups = {
        row["township"]: row["n"]
        for row in DeputyGroup.objects.filter(scopes.groups_q(user))
        .annotate(township=_township_code("station__region__code"))
        .values("township")
        .annotate(n=Count("pk"))
        .order_by()
    }

    # Each serving deputy is one row (a semi-join on the serving mandates), and "in a group" is a hashed set of
    # the memberships in force (of the deputies in scope, so that a township's or a group's set is read through
    # the indexes): counted without DISTINCT, which sorted every deputy (spilling to disk at a province's
    # 100,000) where a hash aggregate keeps one counter per township. (A correlated EXISTS would let the
    # planner choose per scope, but its estimate for the city's 100,000 rows sets off PostgreSQL's JIT
    # compiler, which costs more than the query.)
    deputy_scope = scopes.deputies_q(user)
    in_group = GroupMembership.objects.filter(active_on(on))
    if deputy_scope:
        in_group = in_group.filter(deputy__in=Deputy.objects.filter(deputy_scope).values("pk"))
    deputies: dict[str | None, int] = {}
    serving = serving_deputies(user=user, on=on).annotate(township=_township_code("region__code"))
    for row in serving.values("township").annotate(n=Count("pk")).order_by():
        deputies[row["township"]] = row["n"]
    # Those in a group counted apart, the memberships as a semi-join in the WHERE (which the database hashes, and
    # spills to disk when it must): as a FILTER (... IN ...) the membership set became a subplan run once per
    # deputy when it outgrew work_mem (at 280,000 deputies the query ran for minutes).
    grouped = serving.filter(pk__in=in_group.values("deputy_id")).order_by().aggregate(n=Count("pk"))["n"]
    without_group = sum(deputies.values()) - grouped

    # A serving mandate's deputy serves: the deputies' scope is all that is left to apply (none city-wide).
    mandates = Mandate.objects.filter(serving_mandates(on=on))
    if deputy_scope:
        mandates = mandates.filter(deputy__in=Deputy.objects.filter(deputy_scope).values("pk"))
    by_level = dict.fromkeys(LEVELS, 0)
    for row in mandates.values("congress__level").annotate(n=Count("deputy", distinct=True)).order_by():
        by_level[row["congress__level"]] = row["n"]

    fields = ("id", "code", "name")
    townships = list(org_selectors.townships(user=user).values(*fields))
    # A group leader or deputy has no region scope, yet their group sits in a township: name it.
    seen = {t["code"] for t in townships}
    present = {code for code, _kind in stations} | set(groups) | set(deputies)
    missing = {code for code in present if code and len(code) == TOWNSHIP_CODE_LENGTH} - seen
    if missing:
        townships += list(Region.objects.filter(code__in=missing).values(*fields))
    townships.sort(key=lambda t: t["code"])

    return {
        "as_of": on.isoformat(),
        "scope": user.scope_kind,
        "deputy_homes": sum(n for (_code, kind), n in stations.items() if kind == StationKind.HOME),
        "liaison_stations": sum(n for (_code, kind), n in stations.items() if kind == StationKind.LIAISON),
        "deputy_groups": sum(groups.values()),
        "deputies": sum(deputies.values()),
        "deputies_by_level": by_level,
        "deputies_without_group": without_group,
        "by_township": [
            {
                **t,
                "homes": stations.get((t["code"], StationKind.HOME), 0),
                "stations": stations.get((t["code"], StationKind.LIAISON), 0),
                "groups": groups.get(t["code"], 0),
                "deputies": deputies.get(t["code"], 0),
            }
            for t in townships
        ],
    }
