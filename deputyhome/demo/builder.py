"""Demo data: a city shaped like Enshi in the article, built by `manage.py demo`.

Each part of the city has its own builder module (organisation, deputies, accounts; later
features add theirs) and its own random generator seeded from the demo seed and the part's
name, so adding a builder never changes what the earlier ones produce.

Rows are written with `bulk_create` inside one transaction rather than through the
services: the services write an audit row and run validation queries per object, which for
~4,500 rows takes far longer than the few seconds this takes. The whole load is recorded
instead as one audit row, `demo.load`, with the counts.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from deputyhome.accounts.models import User
from deputyhome.audit.services import chain_held, record
from deputyhome.organisation.models import Region

from . import activities, data, opinions, records, suggestions, training, visits
from .accounts import DEMO_PASSWORD, USERNAMES, Login, build_accounts
from .deputies import build_deputies
from .history import build as build_history
from .organisation import build_organisation
from .suggestions import township, townships

DEFAULT_SEED = 20211001
ACTOR = "manage.py demo"

__all__ = ["DEFAULT_SEED", "DEMO_PASSWORD", "DemoExists", "DemoResult", "build_demo", "demo_exists"]


class DemoExists(Exception):
    """The demo city (or one of its logins) is already in the database."""


@dataclass
class DemoResult:
    counts: dict[str, int] = field(default_factory=dict)
    logins: list[Login] = field(default_factory=list)
    password: str = DEMO_PASSWORD


def _rng(seed: int, part: str) -> random.Random:
    # A str seed is hashed with SHA-512, so this is stable across runs and Python versions.
    return random.Random(f"{seed}:{part}")


def demo_exists() -> str | None:
    """Why the demo cannot be loaded into this database, or None."""
    if Region.objects.filter(code=data.CITY_CODE).exists():
        return f"区划代码 {data.CITY_CODE}（{data.CITY_NAME}）已存在"
    taken = sorted(User.objects.filter(username__in=USERNAMES).values_list("username", flat=True))
    if taken:
        return f"演示账号已存在：{', '.join(taken)}"
    return None


# Feature parts, built in this order after the city: each is a module in this package with
# `build(ctx: DemoContext) -> dict[str, int]` (counts for the summary) and a generator named after it.
FEATURES = {
    "suggestions": suggestions.build,
    "township": township.build,  # after the city's suggestions: a township congress at work
    "activities": activities.build,
    "opinions": opinions.build,
    "training": training.build,
    "visits": visits.build,  # after the activities and the receptions: who seldom came
    "records": records.build,
    "townships": townships.build,  # every township congress's session, last (see AFTER_HISTORY)
}
# Built after the past ledgers and the routing model they train: what the other parts read from the database (this
# year's suggestions, the deputies with accounts, the assigned units) stays as it was before them.
AFTER_HISTORY = ("townships",)


@dataclass
class DemoContext:
    """What a feature builder gets: the city as built, a generator of its own, today, the logins."""

    org: Any
    deputies: Any
    logins: list[Login]
    rng: random.Random
    today: datetime.date


@transaction.atomic
@chain_held()  # thousands of events in one transaction: the audit chain's head is written once
def build_demo(
    *, seed: int = DEFAULT_SEED, today: datetime.date | None = None, features: tuple[str, ...] | None = None
) -> DemoResult:
    """Build the demo city. Raises DemoExists (and writes nothing) if it is already there.

    `features` builds only those of FEATURES (and no past ledgers) on top of the city, its deputies and logins: each
    feature draws from a generator of its own, so what it builds is the same as in a whole demo. Tests use it."""
    problem = demo_exists()
    if problem:
        raise DemoExists(problem)
    today = today or timezone.localdate()
    org = build_organisation(rng=_rng(seed, "organisation"), today=today)
    deputies = build_deputies(org=org, rng=_rng(seed, "deputies"))
    logins = build_accounts(org=org, deputies=deputies)
    counts = {
        "regions": 1 + len(org.townships) + len(org.villages),
        "homes": len(org.homes),
        "stations": len(org.stations),
        "groups": len(org.groups),
        "units": len(org.units),
        "congresses": len(org.congresses) + len(org.township_congresses),
        "sessions": len(org.sessions),
        "deputies": len(deputies.persons),
        "mandates": deputies.mandates,
        "memberships": deputies.memberships,
        "users": len(logins),
    }
    names = list(FEATURES if features is None else features)
    for name in names:
        if features is None and name in AFTER_HISTORY:
            continue
        ctx = DemoContext(org=org, deputies=deputies, logins=logins, rng=_rng(seed, name), today=today)
        counts.update(FEATURES[name](ctx))
    if features is None:
        counts.update(build_history(rng=_rng(seed, "history"), today=today))
        for name in (n for n in names if n in AFTER_HISTORY):
            ctx = DemoContext(org=org, deputies=deputies, logins=logins, rng=_rng(seed, name), today=today)
            counts.update(FEATURES[name](ctx))
    if connection.vendor == "postgresql":
        # Thousands of fresh rows: give the planner statistics now, or the first queries (and tests
        # that read the demo inside this transaction) pick nested loops and take minutes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    record(
        actor=ACTOR,
        action="demo.load",
        object_type="demo",
        object_repr=f"演示数据（{data.CITY_NAME}）",
        changes=counts,
        detail=f"seed={seed}",
    )
    return DemoResult(counts=counts, logins=logins)
