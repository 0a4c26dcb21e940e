"""The working-day calendar: official holidays and adjusted workdays, overrides, the fallback for uncovered years.

Facts about 2026 below were checked against chinese_calendar 1.11.0:
Spring Festival: Sat 02-14 and Sat 02-28 are adjusted workdays, Sun 02-15 to Mon 02-23 are rest days.
National Day: Fri 09-25 (Mid-Autumn) and Thu 10-01 to Wed 10-07 are rest days; Sun 09-20 and Sat 10-10 are
adjusted workdays. New Year: 01-01 to 01-03 rest, Sun 01-04 an adjusted workday.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
import time_machine
from django.urls import reverse

from deputyhome.audit.models import AuditEvent
from deputyhome.core import calendar_services, workdays
from deputyhome.core.calendar_services import calendar_override_clear, calendar_override_set
from deputyhome.core.models import CalendarOverride
from deputyhome.core.workdays import (
    add_months,
    add_workdays,
    due_after_months,
    is_workday,
    next_workday,
    workdays_between,
    workdays_until,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def fresh_warnings(monkeypatch):
    """Forget which uncovered years were already warned about, so each test sees its own warning."""
    monkeypatch.setattr(workdays, "_warned_years", set())


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user(username="calendar-admin", password="x")


# --- The package data the tests rely on ------------------------------------------------------


def test_package_facts_for_the_2026_spring_festival():
    assert chinese_calendar.is_workday(date(2026, 2, 14))  # Saturday, adjusted workday
    assert date(2026, 2, 14).weekday() == 5
    rest = [date(2026, 2, 15) + timedelta(days=i) for i in range(9)]
    assert rest[-1] == date(2026, 2, 23)
    assert not any(chinese_calendar.is_workday(d) for d in rest)
    assert all(chinese_calendar.get_holiday_detail(d)[1] == "Spring Festival" for d in rest)
    assert chinese_calendar.is_workday(date(2026, 2, 24))
    assert chinese_calendar.is_workday(date(2026, 2, 28))  # Saturday, adjusted workday
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 4))


# --- Official holidays and adjusted workdays -------------------------------------------------


@pytest.mark.django_db
def test_is_workday_follows_the_official_calendar():
    assert is_workday(date(2026, 2, 13))  # Friday
    assert is_workday(date(2026, 2, 14))  # Saturday, adjusted workday
    assert not is_workday(date(2026, 2, 16))  # Monday in the Spring Festival
    assert not is_workday(date(2026, 2, 21))  # Saturday in the Spring Festival
    assert is_workday(date(2026, 1, 4))  # Sunday, adjusted workday after New Year
    assert not is_workday(date(2026, 3, 7))  # an ordinary Saturday


@pytest.mark.django_db
def test_add_workdays_across_the_spring_festival_counts_the_adjusted_saturdays():
    start = date(2026, 2, 12)  # Thursday before the holiday
    assert add_workdays(start, 0) == start
    assert add_workdays(start, 1) == date(2026, 2, 13)
    assert add_workdays(start, 2) == date(2026, 2, 14)  # the adjusted Saturday counts
    assert add_workdays(start, 3) == date(2026, 2, 24)  # the nine rest days are skipped
    assert add_workdays(start, 7) == date(2026, 2, 28)  # Saturday 02-28 is also an adjusted workday
    assert add_workdays(start, 8) == date(2026, 3, 2)
    assert workdays_between(start, date(2026, 2, 28)) == 7
    assert workdays_between(date(2026, 2, 14), date(2026, 2, 23)) == 0  # (start, end]: start excluded


@pytest.mark.django_db
def test_add_workdays_from_a_rest_day():
    assert add_workdays(date(2026, 2, 17), 0) == date(2026, 2, 17)
    assert add_workdays(date(2026, 2, 17), 1) == date(2026, 2, 24)


@pytest.mark.django_db
def test_national_day_2026():
    assert not is_workday(date(2026, 9, 25))  # Mid-Autumn Festival, Friday
    assert is_workday(date(2026, 9, 20))  # Sunday, adjusted workday
    assert add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_workdays(date(2026, 9, 30), 3) == date(2026, 10, 10)  # Saturday, adjusted workday
    assert next_workday(date(2026, 10, 1)) == date(2026, 10, 8)
    assert next_workday(date(2026, 10, 10)) == date(2026, 10, 10)
    assert next_workday(date(2026, 10, 11)) == date(2026, 10, 12)
    assert workdays_between(date(2026, 9, 30), date(2026, 10, 12)) == 4  # 10-08, 10-09, 10-10 (Saturday), 10-12
    assert workdays_between(date(2026, 10, 12), date(2026, 9, 30)) == -4


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 5, 20, 90])
def test_workdays_between_undoes_add_workdays(n):
    for offset in range(0, 366, 7):
        start = date(2025, 12, 1) + timedelta(days=offset)
        due = add_workdays(start, n)
        assert is_workday(due)
        assert workdays_between(start, due) == n
        assert workdays_between(start, due - timedelta(days=1)) == n - 1


@pytest.mark.django_db
def test_negative_n_and_datetimes_are_refused():
    with pytest.raises(ValueError):
        add_workdays(date(2026, 2, 12), -1)
    with pytest.raises(TypeError):
        add_workdays(datetime(2026, 2, 12, 9, tzinfo=SHANGHAI), 1)


# --- Months ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 1, 15), 3, date(2026, 4, 15)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 5, 20), 0, date(2026, 5, 20)),
        (date(2026, 5, 20), 24, date(2028, 5, 20)),
    ],
)
def test_add_months_clamps_the_day(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.django_db
def test_due_after_months_moves_a_rest_day_to_the_next_working_day():
    assert due_after_months(date(2026, 1, 17), 1) == date(2026, 2, 24)  # 02-17 is in the Spring Festival
    assert due_after_months(date(2025, 12, 31), 2) == date(2026, 2, 28)  # clamped to an adjusted Saturday
    assert due_after_months(date(2026, 7, 3), 3) == date(2026, 10, 8)  # 10-03 is National Day
    assert due_after_months(date(2026, 3, 7), 1) == date(2026, 4, 7)  # a Tuesday stays


# --- Overrides and their audit trail --------------------------------------------------------


@pytest.mark.django_db
def test_overrides_change_the_results_and_are_audited(officer, fresh_warnings):
    assert is_workday(date(2027, 2, 11))  # a Thursday, after the Spring Festival by the holidays package
    assert not is_workday(date(2027, 2, 20))  # a Saturday

    calendar_override_set(date=date(2027, 2, 11), is_workday=False, note="2027年春节", actor=officer)
    calendar_override_set(date=date(2027, 2, 20), is_workday=True, note="2027年春节调休上班", actor=officer)

    assert not is_workday(date(2027, 2, 11))
    assert is_workday(date(2027, 2, 20))
    assert next_workday(date(2027, 2, 8)) == date(2027, 2, 12)
    assert add_workdays(date(2027, 2, 4), 1) == date(2027, 2, 12)  # Thursday -> skips the festival and the override
    assert add_workdays(date(2027, 2, 19), 1) == date(2027, 2, 20)  # the Saturday now counts
    assert workdays_between(date(2027, 2, 4), date(2027, 2, 22)) == 8  # 02-12, 02-15..19, Sat 02-20, 02-22

    events = list(AuditEvent.objects.filter(object_type="core.calendaroverride").order_by("id"))
    assert [e.action for e in events] == ["calendaroverride.create", "calendaroverride.create"]
    assert events[0].actor == officer
    assert events[0].changes == {
        "date": [None, "2027-02-11"],
        "is_workday": [None, False],
        "note": [None, "2027年春节"],
    }


@pytest.mark.django_db
def test_override_update_and_clear_are_audited(officer):
    calendar_override_set(date=date(2026, 2, 14), is_workday=False, note="本地安排", actor=officer)
    assert not is_workday(date(2026, 2, 14))  # the override beats the package's adjusted workday

    calendar_override_set(date=date(2026, 2, 14), is_workday=False, note="本地安排", actor=officer)  # no change
    calendar_override_set(date=date(2026, 2, 14), is_workday=True, note="恢复调休上班", actor=officer)
    assert is_workday(date(2026, 2, 14))
    assert CalendarOverride.objects.count() == 1

    assert calendar_override_clear(date=date(2026, 2, 14), actor=officer) is True
    assert calendar_override_clear(date=date(2026, 2, 14), actor=officer) is False  # nothing to clear, no row
    assert not CalendarOverride.objects.exists()

    events = list(AuditEvent.objects.filter(object_type="core.calendaroverride").order_by("id"))
    assert [e.action for e in events] == [
        "calendaroverride.create",
        "calendaroverride.update",
        "calendaroverride.delete",
    ]
    assert events[1].changes == {"is_workday": [False, True], "note": ["本地安排", "恢复调休上班"]}
    assert events[2].object_repr == "2026-02-14 上班"


@pytest.mark.django_db
def test_override_is_not_written_when_the_audit_row_fails(officer, monkeypatch):
    def broken_record(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(calendar_services, "record", broken_record)
    with pytest.raises(RuntimeError):
        calendar_override_set(date=date(2027, 2, 8), is_workday=False, note="2027年春节", actor=officer)
    assert not CalendarOverride.objects.exists()


@pytest.mark.django_db
def test_override_needs_a_note(officer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        calendar_override_set(date=date(2027, 2, 8), is_workday=False, note="", actor=officer)
    assert not CalendarOverride.objects.exists()
    assert not AuditEvent.objects.filter(object_type="core.calendaroverride").exists()


@pytest.fixture
def admin_client(client, db):
    """The admin opens only for a system administrator who passed the second factor (no superuser)."""
    from django_otp.oath import totp

    from deputyhome.accounts.choices import Role
    from deputyhome.accounts.models import User
    from deputyhome.accounts.otp_services import totp_device_create

    user = User.objects.create_user(username="admin", password="Admin-Passw0rd!", role=Role.SYSTEM_ADMIN)
    client.force_login(user)
    device = totp_device_create(user=user, name="t", confirmed=True)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post(reverse("accounts:otp_verify"), {"code": code}).status_code == 302
    return client


@pytest.mark.django_db
def test_admin_edits_go_through_the_services_and_are_audited(admin_client):
    response = admin_client.post(
        reverse("admin:core_calendaroverride_add"), {"date": "2027-02-08", "note": "2027年春节", "_save": "保存"}
    )
    assert response.status_code == 302
    override = CalendarOverride.objects.get(date=date(2027, 2, 8))
    assert override.is_workday is False

    response = admin_client.post(
        reverse("admin:core_calendaroverride_change", args=[override.pk]),
        {"is_workday": "on", "note": "改为上班", "_save": "保存"},
    )
    assert response.status_code == 302
    assert CalendarOverride.objects.get(pk=override.pk).is_workday is True

    listing = admin_client.get(reverse("admin:core_calendaroverride_changelist"), {"q": "上班"})
    assert listing.status_code == 200
    assert "星期一" in listing.content.decode()

    response = admin_client.post(reverse("admin:core_calendaroverride_delete", args=[override.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not CalendarOverride.objects.exists()

    events = AuditEvent.objects.filter(object_type="core.calendaroverride").order_by("id")
    assert [(e.action, e.actor_name) for e in events] == [
        ("calendaroverride.create", "admin"),
        ("calendaroverride.update", "admin"),
        ("calendaroverride.delete", "admin"),
    ]


@pytest.mark.django_db
def test_admin_bulk_delete_is_audited(admin_client, officer):
    for day in (8, 9):
        calendar_override_set(date=date(2027, 2, day), is_workday=False, note="2027年春节", actor=officer)
    ids = list(CalendarOverride.objects.values_list("pk", flat=True))
    response = admin_client.post(
        reverse("admin:core_calendaroverride_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert not CalendarOverride.objects.exists()
    assert AuditEvent.objects.filter(action="calendaroverride.delete").count() == 2


# --- Years the package does not cover --------------------------------------------------------


@pytest.mark.django_db
def test_uncovered_year_falls_back_to_weekdays_and_warns_once(caplog, fresh_warnings):
    # Neither package has holiday data after 2100.
    with caplog.at_level(logging.WARNING, logger="deputyhome.core.workdays"):
        assert is_workday(date(2101, 1, 3))  # Monday
        assert not is_workday(date(2101, 1, 8))  # Saturday
        assert add_workdays(date(2101, 1, 7), 1) == date(2101, 1, 10)
        assert workdays_between(date(2101, 1, 1), date(2101, 1, 31)) == 21
    warnings = [r for r in caplog.records if r.name == "deputyhome.core.workdays"]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert "2101" in warnings[0].getMessage()

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="deputyhome.core.workdays"):
        assert add_workdays(date(2101, 12, 29), 2) == date(2102, 1, 2)  # Thu 12-29 -> Fri 12-30, Mon 01-02
        assert is_workday(date(2101, 3, 1))
    assert ["2102" in r.getMessage() for r in caplog.records if r.name == "deputyhome.core.workdays"] == [True]


@pytest.mark.django_db
def test_walk_from_2026_into_2027(fresh_warnings):
    # 2027-01-01 is New Year's Day by the holidays package; an administrator's override still wins.
    assert add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    calendar_override_set(date=date(2027, 1, 4), is_workday=False, note="测试", actor=None)
    assert add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 5)


# --- Query counts ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_range_computations_read_overrides_with_one_query(django_assert_num_queries, officer):
    calendar_override_set(date=date(2026, 3, 16), is_workday=False, note="测试", actor=officer)
    start = date(2026, 2, 1)
    with django_assert_num_queries(1):
        due = add_workdays(start, 5)
    with django_assert_num_queries(1):
        due = add_workdays(start, 40)
    assert (due - start).days == 61  # the walk crosses the Spring Festival and the override
    assert due == date(2026, 4, 3)
    with django_assert_num_queries(1):
        assert workdays_between(start, due) == 40
    with django_assert_num_queries(1):
        due_after_months(date(2026, 1, 17), 1)
    with django_assert_num_queries(0):
        add_workdays(start, 0)


# --- "Today" -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_workdays_until_counts_from_today_in_shanghai():
    due = date(2026, 2, 28)
    with time_machine.travel(datetime(2026, 2, 12, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert workdays_until(due) == 7
    # 23:30 UTC on 02-12 is already Friday 02-13 in Shanghai.
    with time_machine.travel(datetime(2026, 2, 12, 23, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        assert workdays_until(due) == 6
    with time_machine.travel(datetime(2026, 2, 28, 17, 0, tzinfo=SHANGHAI), tick=False):
        assert workdays_until(due) == 0
    with time_machine.travel(datetime(2026, 3, 3, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert workdays_until(due) == -2  # overdue by Monday 03-02 and Tuesday 03-03
    assert workdays_until(due, today=date(2026, 2, 24)) == 4
