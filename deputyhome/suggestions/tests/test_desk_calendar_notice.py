"""The committee's desk says when the deadlines it sets reach a provisional calendar year."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from deputyhome.core.calendar_services import calendar_override_set

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.django_db
def test_the_staff_desk_marks_a_year_without_published_adjustments_as_provisional(client, people):
    client.force_login(people["city"])
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SHANGHAI)):
        assert "临时日历" not in client.get(reverse("suggestions:desk")).content.decode()
    with time_machine.travel(datetime(2026, 12, 4, 10, tzinfo=SHANGHAI)):
        page = client.get(reverse("suggestions:desk")).content.decode()
        assert "2027年的工作日历为临时日历（待确认）" in page
        # The calendar's owner enters the State Council's adjustments: the year is confirmed.
        calendar_override_set(date=date(2027, 2, 20), is_workday=True, note="2027年春节调休上班", actor=None)
        assert "临时日历" not in client.get(reverse("suggestions:desk")).content.decode()
