"""Working days for deadlines: China's official holidays and adjusted workdays (调休), with overrides.

Deadlines are computed here, never with `timedelta(days=...)` (DESIGN rule 4). A day is a
working day according to, in this order:

1. a `CalendarOverride` row for that date (set by an administrator);
2. the `chinese_calendar` package (official holidays and adjusted workdays; 1.11.0 covers
   2004–2026);
3. for a year it does not cover, the `holidays` package (released monthly; it agrees with
   chinese_calendar on every day of 2026 and holds the statutory holidays of the years ahead,
   with their 补假). Until the State Council's notice is in it, such a year has no adjusted
   workdays (调休上班): the year is *provisional* (`is_provisional_year`) until the
   administrator who owns the calendar enters the published adjustments as overrides;
4. for a year neither package covers (after 2100): Monday to Friday. A warning is logged once
   per year and process, so that an administrator adds that year's holidays as overrides.

Conventions:

- `add_workdays(start, n)` does not count `start` itself: the first working day after
  `start` is day 1.
- `workdays_between(start, end)` counts the working days in the half-open range
  (start, end], so that `workdays_between(d, add_workdays(d, n)) == n`.
- Deadlines never fall on a rest day: `due_after_months` moves a rest day to the next
  working day.

Range computations read all overrides of the range with one query, never one per day.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import logging
import threading
from datetime import date, timedelta

import chinese_calendar
import holidays
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CalendarOverride

logger = logging.getLogger(__name__)

# Overrides are read in windows at least this long: one query covers any realistic deadline
# (a 90-working-day reply period spans about 130 calendar days).
_WINDOW_DAYS = 400

_warned_years: set[int] = set()
_warned_lock = threading.Lock()


def _check_date(day: date) -> None:
    # A datetime is a date subclass but never equals the date keys of the override map.
    if isinstance(day, datetime.datetime) or not isinstance(day, date):
        raise TypeError(f"expected a datetime.date, got {type(day).__name__}")


def _warn_uncovered_year(year: int) -> None:
    with _warned_lock:
        if year in _warned_years:
            return
        _warned_years.add(year)
    logger.warning(
        "Neither chinese_calendar %s nor holidays %s has holiday data for %d: counting Monday to Friday as "
        "working days. Add that year's holidays and adjusted workdays as calendar overrides on the 工作日历调整 page (/calendar/).",
        getattr(chinese_calendar, "__version__", "?"),
        holidays.__version__,
        year,
    )


@functools.lru_cache(maxsize=32)
def _holidays_year(year: int) -> tuple[frozenset[date], frozenset[date]] | None:
    """The `holidays` package's China for one year: (rest days on weekdays and weekends, adjusted workdays).

    None when the package has no data for the year. Frozen sets, so that threads share them safely.
    """
    china = holidays.China(years=year)
    if not len(china):
        return None
    adjusted = frozenset(d for d in china.weekend_workdays if d.year == year)
    return frozenset(china), adjusted


def _chinese_calendar_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def official_is_workday(day: date) -> bool:
    """Whether `day` is a working day by the official calendar alone (no overrides).

    chinese_calendar where it has the year, else the holidays package; for a year neither covers,
    Monday to Friday (and a warning, once per year).
    """
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        pass
    known = _holidays_year(day.year)
    if known is None:
        _warn_uncovered_year(day.year)
        return day.weekday() < 5
    rest_days, adjusted_workdays = known
    return day in adjusted_workdays or (day.weekday() < 5 and day not in rest_days)


def is_provisional_year(year: int) -> bool:
    """Whether `year`'s working days are provisional (临时，待确认): its adjusted workdays are not known.

    A year is known when chinese_calendar covers it, when the holidays package lists its adjusted
    workdays (the State Council's notice is in the package), or when the administrator who owns the
    calendar has entered overrides for it (the published adjustments).
    """
    if _chinese_calendar_covers(year):
        return False
    known = _holidays_year(year)
    if known is not None and known[1]:
        return False
    return not CalendarOverride.objects.filter(date__year=year).exists()


# Deadlines set today reach this far ahead: six months of re-handling plus an extension.
_HORIZON_DAYS = 300


def provisional_years(today: date | None = None) -> list[int]:
    """The provisional years among those that deadlines set from `today` can reach (this year and the next)."""
    today = today or timezone.localdate()
    years = range(today.year, (today + timedelta(days=_HORIZON_DAYS)).year + 1)
    return [year for year in years if is_provisional_year(year)]


def provisional_notice(today: date | None = None) -> str:
    """The notice for the staff desk and the calendar page, or "" when no reachable year is provisional."""
    years = provisional_years(today)
    if not years:
        return ""
    return _(
        "%(years)s年的工作日历为临时日历（待确认）：国务院放假调休安排尚未录入，期限暂按法定节假日计算，"
        "不含调休上班日。日历管理员录入公布的放假和调休安排后即为确认。"
    ) % {"years": "、".join(str(y) for y in years)}


class _Calendar:
    """Working-day lookups from `first` onwards, reading overrides window by window.

    The window grows forwards on demand, so a walk of any length costs one query per
    `_WINDOW_DAYS` days, however many days it looks at.
    """

    def __init__(self, first: date, last: date) -> None:
        self._first = first
        self._last = first - timedelta(days=1)  # nothing loaded yet
        self._overrides: dict[date, bool] = {}
        self._load_through(max(first, last))

    def _load_through(self, last: date) -> None:
        rows = CalendarOverride.objects.filter(date__gt=self._last, date__lte=last).values_list("date", "is_workday")
        self._overrides.update(rows)
        self._last = last

    def is_workday(self, day: date) -> bool:
        if day < self._first:
            raise ValueError(f"{day} is before the loaded range starting {self._first}")
        if day > self._last:
            self._load_through(max(day, self._last + timedelta(days=_WINDOW_DAYS)))
        override = self._overrides.get(day)
        return override if override is not None else official_is_workday(day)


def is_workday(day: date) -> bool:
    """Whether `day` is a working day: the override if any, else the official calendar."""
    _check_date(day)
    override = CalendarOverride.objects.filter(date=day).values_list("is_workday", flat=True).first()
    return override if override is not None else official_is_workday(day)


def next_workday(day: date) -> date:
    """`day` itself if it is a working day, else the first working day after it."""
    _check_date(day)
    days = _Calendar(day, day + timedelta(days=_WINDOW_DAYS))
    while not days.is_workday(day):
        day += timedelta(days=1)
    return day


def add_workdays(start: date, n: int) -> date:
    """The date `n` working days after `start`; `start` itself is not counted.

    `add_workdays(d, 0)` is `d` (even on a rest day); for `n >= 1` the result is always a
    working day. Example: from Thursday 2026-02-12, 7 working days cross the Spring Festival
    (Saturday 02-14 is an adjusted workday, 02-15 to 02-23 are rest days) and land on 02-28.
    """
    _check_date(start)
    if n < 0:
        raise ValueError("n must be >= 0")
    if n == 0:
        return start
    first = start + timedelta(days=1)
    # Rest days are under half of the calendar even around the Spring Festival: 2n + 30 days
    # is enough to read the overrides in one query.
    days = _Calendar(first, first + timedelta(days=max(_WINDOW_DAYS, 2 * n + 30)))
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if days.is_workday(day):
            counted += 1
    return day


def workdays_between(start: date, end: date) -> int:
    """The number of working days in (start, end]: `start` excluded, `end` included.

    So `workdays_between(d, add_workdays(d, n)) == n`, and `workdays_between(d, d) == 0`.
    If `end` is before `start` the count is negative: `-workdays_between(end, start)`
    (e.g. working days overdue).
    """
    _check_date(start)
    _check_date(end)
    if end < start:
        return -workdays_between(end, start)
    if end == start:
        return 0
    first = start + timedelta(days=1)
    days = _Calendar(first, end)
    return sum(1 for offset in range((end - start).days) if days.is_workday(first + timedelta(days=offset)))


def workdays_until(due: date, *, today: date | None = None) -> int:
    """Working days from today (local date, Asia/Shanghai) to `due`: 0 on the due date, negative when overdue."""
    return workdays_between(today if today is not None else timezone.localdate(), due)


def add_months(start: date, months: int) -> date:
    """`start` plus calendar months, the day clamped to the month's length (01-31 + 1 month = 02-28/29).

    `months` may be negative.
    """
    _check_date(start)
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_after_months(start: date, months: int) -> date:
    """The deadline `months` calendar months after `start`.

    A deadline never falls on a rest day: when `add_months` lands on a weekend, holiday or
    override rest day, the deadline moves to the next working day.
    """
    return next_workday(add_months(start, months))
