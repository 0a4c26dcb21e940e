"""Building the bench province step by step: each step one transaction with one audit row."""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from deputyhome.accounts.models import User
from deputyhome.audit.services import record
from deputyhome.opinions.services.common import stored_counts_refresh
from deputyhome.organisation.models import Region

from . import names
from .contact import build_assessments, build_pairings
from .followup import build_forwards, build_rules, build_supervision
from .motions import build_motions
from .notices import build_notifications
from .people import PERSONAS, build_logins, build_people, build_users
from .problems import build_campaigns, build_problems
from .regions import build_congresses, build_regions
from .shape import Shape
from .suggestions import build_suggestions
from .training import build_training
from .voters import build_activities, build_opinions

ACTOR = "manage.py bench_data"
DEFAULT_SEED = 20260101


class BenchExists(Exception):
    """The bench province (or one of its logins) is already in the database."""


def _rng(seed: int, part: str) -> random.Random:
    return random.Random(f"bench:{seed}:{part}")


def _step(name: str, fn: Callable[[], dict[str, int]], log: Callable[[str], None]) -> dict[str, int]:
    started = time.perf_counter()
    with transaction.atomic():
        counts = fn()
        record(
            actor=ACTOR, action=f"bench.{name}", object_type="bench", object_repr=f"基准数据：{name}", changes=counts
        )
    log(f"{name}: {counts} in {time.perf_counter() - started:.1f} s")
    return counts


def build_bench(
    *,
    scale: float,
    seed: int = DEFAULT_SEED,
    today: datetime.date | None = None,
    log: Callable[[str], None] = lambda _m: None,
) -> dict[str, int]:
    """Build the province at `scale`; the counts of every step. Raises BenchExists if it is already there."""
    if Region.objects.filter(code=names.PROVINCE_CODE).exists():
        raise BenchExists(f"区划代码 {names.PROVINCE_CODE}（{names.PROVINCE_NAME}）已存在")
    if taken := list(
        User.objects.filter(username__in=[u for u, _r, _n in PERSONAS]).values_list("username", flat=True)
    ):
        raise BenchExists(f"基准账号已存在：{', '.join(taken)}")
    shape = Shape.at(scale)
    today = today or timezone.localdate()
    state: dict = {}
    counts: dict[str, int] = {}

    def organisation() -> dict[str, int]:
        org = state["org"] = build_regions(shape)
        congresses = build_congresses(org, today=today)
        return {
            "scale": scale,
            "prefectures": len(org.prefectures),
            "counties": len(org.counties),
            "townships": len(org.townships),
            "villages": len(org.villages),
            "stations": len(org.stations),
            "groups": len(org.groups),
            "units": len(org.units),
            "congresses": congresses,
            "sessions": len(org.sessions),
        }

    def deputies() -> dict[str, int]:
        people = state["people"] = build_people(state["org"], shape, _rng(seed, "deputies"))
        state["users"] = build_users(state["org"], people)
        logins, requests = build_logins(people, state["users"])
        return {
            "deputies": len(people.persons),
            "mandates": people.mandates,
            "memberships": people.memberships,
            "users": len(state["users"]),
            "logins": logins,
            "account_requests": requests,
        }

    def suggestions() -> dict[str, int]:
        rng = _rng(seed, "suggestions")
        return build_suggestions(state["org"], state["people"], shape, rng, today, state["users"])

    def opinions() -> dict[str, int]:
        return build_opinions(state["org"], state["people"], shape, _rng(seed, "opinions"), today, state["users"])

    def activities() -> dict[str, int]:
        campaigns, counts = build_campaigns(state["org"], today)
        rng = _rng(seed, "activities")
        counts |= build_activities(state["org"], state["people"], shape, rng, today, state["users"], campaigns)
        counts |= build_problems(state["org"], state["people"], shape, rng, today, state["users"])
        return counts | build_assessments(state["org"], rng, today, state["users"])

    def contact() -> dict[str, int]:
        rng = _rng(seed, "contact")
        counts = build_pairings(state["org"], state["people"], shape, rng, today, state["users"])
        stored_counts_refresh()  # the receptions' opinions (step "opinions") and the pairings' contacts, in bulk
        return counts

    def motions() -> dict[str, int]:
        return build_motions(state["org"], state["people"], _rng(seed, "motions"), state["users"])

    def followup() -> dict[str, int]:
        rng = _rng(seed, "followup")
        counts = build_forwards(state["org"], rng, today, state["users"])
        counts |= build_supervision(rng, today, state["users"])
        return counts | build_rules(state["org"], rng, today)

    def notifications() -> dict[str, int]:
        return build_notifications(shape, _rng(seed, "notifications"), today, state["users"])

    def training() -> dict[str, int]:
        return build_training(state["org"], state["people"], shape, _rng(seed, "training"), today)

    steps = [
        ("organisation", organisation),
        ("deputies", deputies),
        ("suggestions", suggestions),
        ("opinions", opinions),
        ("activities", activities),
        ("training", training),
        ("motions", motions),
        ("contact", contact),
        ("followup", followup),
        ("notifications", notifications),
    ]
    for name, fn in steps:
        counts.update(_step(name, fn, log))
    if connection.vendor == "postgresql":
        # Fresh tables: give the planner statistics before anyone measures a page.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts
