"""Time in the demo: the city's time zone, and the working days its plans fall on."""

from __future__ import annotations

import datetime
import random
import zoneinfo

from django.utils import timezone

from deputyhome.core import workdays

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = datetime.timedelta(days=1)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def local_today() -> datetime.date:
    """Today in the city, as the (possibly travelled) clock says."""
    return timezone.localdate()


def at(day: datetime.date, rng: random.Random, first: int = 8 * 60 + 40, last: int = 17 * 60 + 20) -> datetime.datetime:
    """A time of office hours on `day`, to the minute."""
    minute = rng.randint(first, last)
    return datetime.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=TZ)


def on_or_before(day: datetime.date) -> datetime.date:
    while not workdays.is_workday(day):
        day -= DAY
    return day


def workday(day: datetime.date, floor: datetime.date | None = None) -> datetime.date:
    """The working day on or before `day`, but not before `floor` (then the first one after it)."""
    found = on_or_before(day)
    if floor is not None and found < floor:
        found = workdays.next_workday(floor)
    return found


def after(day: datetime.date, n: int) -> datetime.date:
    """`n` working days after `day`."""
    return workdays.add_workdays(day, n)


def day_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    """A day from `start` to `end` (both included); `start` when the span is empty."""
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def in_quarter(day: datetime.date, index: int, start: datetime.date, end: datetime.date) -> datetime.date:
    """`day`, drawn from `start` to `end`, moved into the `index`-th quarter that span touches (counting round), at
    its offset modulo that part's length: a group's meetings fall a quarter apart, as the norm has them (每季度至少
    一次), without drawing again (the demo's other draws stay as they were)."""
    parts = []
    first = datetime.date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
    while first <= end:
        following = datetime.date(first.year + first.month // 10, (first.month + 2) % 12 + 1, 1)
        parts.append((max(first, start), min(following - datetime.timedelta(days=1), end)))
        first = following
    if not parts:
        return day
    low, high = parts[index % len(parts)]
    return low + datetime.timedelta(days=day.toordinal() % ((high - low).days + 1))
