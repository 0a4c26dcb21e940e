"""Working days in the years chinese_calendar does not cover yet: the holidays package's statutory
holidays, and the year marked provisional until the published adjusted workdays (调休) are entered."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import holidays
import pytest
import time_machine
from django.urls import reverse

from deputyhome.core import workdays
from deputyhome.core.calendar_services import calendar_override_set
from deputyhome.core.workdays import add_workdays, due_after_months, is_workday, provisional_years

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_two_packages_agree_on_every_day_of_2026():
    cn = holidays.China(years=2026)
    day = date(2026, 1, 1)
    while day.year == 2026:
        assert chinese_calendar.is_workday(day) == cn.is_working_day(day), day
        assert workdays.official_is_workday(day) == cn.is_working_day(day), day
        day += timedelta(days=1)


def test_package_facts_for_the_2027_spring_festival():
    cn = holidays.China(years=2027)
    assert [d for d in sorted(cn) if d.month == 2] == [date(2027, 2, d) for d in range(5, 11)]
    # No adjusted workdays (调休) for 2027 in the package yet: the State Council's notice is not in it.
    assert not [d for d in cn.weekend_workdays if d.year == 2027]
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 2, 8))


@pytest.mark.django_db
def test_a_three_month_deadline_across_the_2027_spring_festival():
    # Assigned on Thursday 2026-11-05: three months later is Friday 2027-02-05, 除夕, a rest day; the
    # Spring Festival runs to Wednesday 02-10, so the deadline is Thursday 02-11 (Mon–Fri gave 02-05).
    assert due_after_months(date(2026, 11, 5), 3) == date(2027, 2, 11)
    assert not is_workday(date(2027, 2, 8))  # Monday, 春节
    # Ten working days from Monday 2027-02-01: 02-02..02-04, then 02-11, 02-12, 02-15..02-19
    # (Mon–Fri counting gave 02-15, five working days too early).
    assert add_workdays(date(2027, 2, 1), 10) == date(2027, 2, 19)
    # 2027-01-01 is New Year's Day without an administrator's override.
    assert add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)


@pytest.mark.django_db
def test_a_year_without_published_adjustments_is_provisional_until_an_administrator_enters_them():
    assert provisional_years(date(2026, 12, 4)) == [2027]
    assert provisional_years(date(2026, 3, 1)) == []  # the deadlines set in March stay in 2026
    assert not workdays.is_provisional_year(2026)
    assert workdays.is_provisional_year(2027)
    calendar_override_set(date=date(2027, 2, 20), is_workday=True, note="2027年春节调休上班", actor=None)
    assert not workdays.is_provisional_year(2027)
    assert provisional_years(date(2026, 12, 4)) == []
    assert is_workday(date(2027, 2, 20))  # a Saturday, declared a working day


@pytest.mark.django_db
def test_a_complex_suggestion_assigned_in_april_can_be_due_in_the_next_year():
    # Six months for a complex suggestion, then the longest extension (three months), reach January 2027:
    # on 2026-04-01 the desk already warns that 2027's calendar is provisional.
    extended = due_after_months(due_after_months(date(2026, 4, 1), 6), 3)
    assert extended == date(2027, 1, 8)
    assert provisional_years(date(2026, 4, 1)) == [2027]


@pytest.mark.django_db
def test_the_calendar_page_tells_its_owner_which_year_waits_for_the_adjustments(client, personas):
    client.force_login(personas["sysadmin"])
    url = reverse("calendar:list") + "?year=2027"
    with time_machine.travel(datetime(2026, 12, 4, 10, tzinfo=SHANGHAI)):
        page = client.get(url).content.decode()
        assert "2027年的工作日历为临时日历（待确认）" in page
        calendar_override_set(date=date(2027, 2, 20), is_workday=True, note="2027年春节调休上班", actor=None)
        assert "临时日历" not in client.get(url).content.decode()
