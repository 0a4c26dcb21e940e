"""Fixed-window counters in the database, shared by every web host.

The site runs stateless behind a load balancer, and Django's default cache lives in each
process; counting in the database makes "5 per address per hour" hold across hosts. Client
addresses are stored only as a keyed hash. A window is a clock hour or a calendar day.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import conf
from .models import ThrottleCounter


class Throttled(Exception):
    """A limit is reached; `retry_after` is the number of seconds until its window ends."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


@dataclass(frozen=True)
class Limit:
    key: str
    limit: int
    expires_at: datetime.datetime
    message: str


def client_address(request) -> str:
    header = conf.get("OPINIONS_CLIENT_ADDRESS_HEADER")
    value = request.META.get(header, "") if header else ""
    value = value.split(",")[0].strip() if value else ""
    return value or request.META.get("REMOTE_ADDR", "") or "unknown"


def _hash(address: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def _hour(now: datetime.datetime) -> tuple[str, datetime.datetime]:
    local = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    return f"{local:%Y%m%d%H}", local + datetime.timedelta(hours=1)


def _day(now: datetime.datetime) -> tuple[str, datetime.datetime]:
    local = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return f"{local:%Y%m%d}", local + datetime.timedelta(days=1)


def submit_limits(*, address: str, target: str, now: datetime.datetime) -> list[Limit]:
    """The limits on leaving an opinion: per client address per hour, per station (target) per day."""
    hour, hour_end = _hour(now)
    day, day_end = _day(now)
    return [
        Limit(
            f"submit:addr:{_hash(address)}:{hour}",
            conf.get("OPINIONS_PER_ADDRESS_PER_HOUR"),
            hour_end,
            "您提交得太频繁了，请一小时后再试。如有急事，请直接拨打站点联系电话。",
        ),
        Limit(
            f"submit:{target}:{day}",
            conf.get("OPINIONS_PER_STATION_PER_DAY"),
            day_end,
            "本站今天收到的留言已达上限，请明天再来，或在接待日到站当面反映。",
        ),
    ]


def lookup_limits(*, address: str, now: datetime.datetime) -> list[Limit]:
    hour, hour_end = _hour(now)
    return [
        Limit(
            f"lookup:addr:{_hash(address)}:{hour}",
            conf.get("OPINIONS_LOOKUPS_PER_ADDRESS_PER_HOUR"),
            hour_end,
            "查询次数过多，请一小时后再试。",
        )
    ]


def _retry_after(limit: Limit, now: datetime.datetime) -> int:
    return max(int((limit.expires_at - now).total_seconds()), 1)


def check(limits: list[Limit], *, now: datetime.datetime) -> None:
    """Raise Throttled if any limit is already used up (reads only)."""
    counts = dict(ThrottleCounter.objects.filter(key__in=[x.key for x in limits]).values_list("key", "count"))
    for limit in limits:
        if counts.get(limit.key, 0) >= limit.limit:
            raise Throttled(limit.message, _retry_after(limit, now))


@transaction.atomic
def take(limits: list[Limit], *, now: datetime.datetime) -> None:
    """Count one use against every limit, or raise Throttled and count nothing.

    Called inside the transaction of the write it guards, so a refused or failed write
    rolls its count back. The counter rows are locked, so two hosts cannot both take the last use.
    """
    ThrottleCounter.objects.filter(expires_at__lte=now).delete()
    counters = []
    for limit in sorted(limits, key=lambda x: x.key):  # a fixed order, so two takers cannot deadlock
        counter, _created = ThrottleCounter.objects.select_for_update().get_or_create(
            key=limit.key, defaults={"expires_at": limit.expires_at}
        )
        if counter.count >= limit.limit:
            raise Throttled(limit.message, _retry_after(limit, now))
        counters.append(counter)
    for counter in counters:
        counter.count += 1
        counter.save(update_fields=["count"])
