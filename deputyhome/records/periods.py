"""The dates a duty record covers (a year, a quarter, the year to a quarter's end, or a term), and the
year asked for in a query string.

Its own module so that the record's sources (`sources`) and figures (`figures`) can both use it
without importing each other.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from django.utils import timezone

from deputyhome.accounts import scopes
from deputyhome.core.filters import query_year

if TYPE_CHECKING:
    from deputyhome.deputies.models import Mandate
    from deputyhome.organisation.models import Region, Station

QUARTER_LABELS = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


@dataclass(frozen=True)
class Period:
    """The dates a record covers, both ends inclusive."""

    start: datetime.date
    end: datetime.date
    label: str
    year: int
    quarter: int | None = None

    @classmethod
    def for_year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), f"{year}年度", year)

    @classmethod
    def for_quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        last = first + 2
        end = datetime.date(year, last, calendar.monthrange(year, last)[1])
        return cls(datetime.date(year, first, 1), end, f"{year}年{QUARTER_LABELS[quarter]}", year, quarter)

    @classmethod
    def year_to_quarter_end(cls, year: int, quarter: int) -> Period:
        """From 1 January to the end of the quarter: the running total published each quarter."""
        end = cls.for_quarter(year, quarter).end
        return cls(datetime.date(year, 1, 1), end, f"{year}年1月至{end.month}月累计", year, quarter)

    @classmethod
    def running(cls, year: int, quarter: int | None) -> Period:
        """What the points list ranks by: the year, or with a quarter the year to the quarter's end."""
        return cls.year_to_quarter_end(year, quarter) if quarter else cls.for_year(year)

    @classmethod
    def for_mandate(cls, mandate: Mandate, today: datetime.date) -> Period:
        """A term (届): the mandate's own dates, or the congress's end, or today while it runs."""
        end = mandate.end_date or mandate.congress.end_date or today
        return cls(mandate.start_date, max(end, mandate.start_date), f"{mandate.congress.name}任期内", end.year)

    def aware_bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[start, end + 1 day) as aware datetimes in the site's time zone, for timestamp fields."""
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        return start, end


YEAR_ERROR = "年度参数无效：请使用2000至2100之间的四位数年份，例如 year=2026。"


def parse_year(value: str | None) -> tuple[int, str]:
    """(year, error): the year from a query string, or this year and a message saying what was wrong."""
    this_year = scopes.today().year
    year = query_year(value, this_year)
    return (this_year, YEAR_ERROR) if year is None else (year, "")


def recent_years(year: int) -> list[int]:
    this_year = scopes.today().year
    return sorted({*range(this_year - 4, this_year + 1), year}, reverse=True)


@dataclass(frozen=True)
class NormQuery:
    """A station norm's list for a year (代表进站, 小组季度活动), narrowed by township, home or station and name, and
    to those short of the norm with `missing`; `today` stands in for the date in tests."""

    year: int
    township: Region | None = None
    station: Station | None = None
    name: str = ""
    missing: bool = False
    today: datetime.date | None = None

    @cached_property
    def day(self) -> datetime.date:
        """The day the list is read on (one for the whole request: a list of 6,000 groups asks it for each)."""
        return self.today or scopes.today()

    @property
    def narrowed(self) -> bool:
        """Narrowed below a township (to a station, or by name): a few rows, not shown by township."""
        return self.station is not None or bool(self.name.strip())

    @property
    def by_township(self) -> bool:
        """Whether the list may be shown by township: it is not narrowed to one, nor below one."""
        return self.township is None and not self.narrowed
