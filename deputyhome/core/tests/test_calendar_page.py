"""工作日历调整 in the application: the system administrator's page, audited; other roles refused."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from deputyhome.audit.models import AuditEvent
from deputyhome.core.models import CalendarOverride
from deputyhome.core.workdays import is_workday


@pytest.mark.django_db
def test_sysadmin_adds_edits_and_deletes_an_adjustment(client, personas):
    client.force_login(personas["sysadmin"])
    day = datetime.date(2027, 2, 8)
    response = client.post(reverse("calendar:create"), {"date": "2027-02-08", "note": "2027年春节"})
    assert response.status_code == 302 and response["Location"].endswith("?year=2027")
    override = CalendarOverride.objects.get(date=day)
    assert not is_workday(day)
    assert AuditEvent.objects.filter(action="calendaroverride.create", actor=personas["sysadmin"]).exists()
    html = client.get(reverse("calendar:list") + "?year=2027").content.decode()
    assert "2027-02-08" in html and "2027年春节" in html and "星期一" in html
    # Edit: the date stays, the kind changes.
    response = client.post(
        reverse("calendar:update", args=[override.pk]), {"date": "2027-03-01", "is_workday": "on", "note": "调休上班"}
    )
    assert response.status_code == 302
    override.refresh_from_db()
    assert override.date == day and override.is_workday and is_workday(day)
    # Delete asks first, then removes and audits.
    page = client.get(reverse("calendar:delete", args=[override.pk]))
    assert page.status_code == 200 and "确认删除" in page.content.decode()
    assert CalendarOverride.objects.filter(pk=override.pk).exists()
    assert client.post(reverse("calendar:delete", args=[override.pk])).status_code == 302
    assert not CalendarOverride.objects.filter(pk=override.pk).exists()
    assert AuditEvent.objects.filter(action="calendaroverride.delete").exists()


@pytest.mark.django_db
def test_bad_input_explains_and_writes_nothing(client, personas):
    client.force_login(personas["sysadmin"])
    response = client.post(reverse("calendar:create"), {"date": "2027-13-45", "note": ""})
    assert response.status_code == 400
    assert CalendarOverride.objects.count() == 0
    CalendarOverride.objects.create(date=datetime.date(2027, 1, 1), note="元旦")
    response = client.post(reverse("calendar:create"), {"date": "2027-01-01", "note": "again"})
    assert response.status_code == 400 and "已有调整" in response.content.decode()
    assert client.get(reverse("calendar:list") + "?year=99999999999999999999").status_code == 200


@pytest.mark.django_db
def test_the_list_pages_by_year_in_constant_queries(client, personas, django_assert_max_num_queries):
    CalendarOverride.objects.bulk_create(
        CalendarOverride(date=datetime.date(2027, 1, 1) + datetime.timedelta(days=i), note=f"n{i}") for i in range(120)
    )
    client.force_login(personas["sysadmin"])
    client.get(reverse("calendar:list"))
    with django_assert_max_num_queries(12):
        html = client.get(reverse("calendar:list") + "?year=2027&page=2").content.decode()
    assert "第 2 / 3 页" in html and "2027-02-20" in html


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["city", "township", "secadmin", "auditor", "deputy", "unit", "leader"])
def test_other_roles_are_refused(client, personas, persona):
    override = CalendarOverride.objects.create(date=datetime.date(2027, 1, 1), note="元旦")
    client.force_login(personas[persona])
    assert client.get(reverse("calendar:list")).status_code == 403
    assert client.post(reverse("calendar:create"), {"date": "2027-01-02", "note": "x"}).status_code == 403
    assert client.post(reverse("calendar:delete", args=[override.pk])).status_code == 403
    assert CalendarOverride.objects.count() == 1
    assert AuditEvent.objects.filter(action="access.denied", actor=personas[persona]).exists()


@pytest.mark.django_db
def test_a_provisional_year_is_marked_until_its_adjustments_are_entered(client, personas):
    """2027's adjusted workdays are not in the packages yet: the page says the year is provisional, and entering
    an adjustment for it (the published 调休) confirms it."""
    import time_machine

    client.force_login(personas["sysadmin"])
    with time_machine.travel(datetime.datetime(2026, 12, 4, 10, tzinfo=datetime.UTC), tick=False):
        html = client.get(reverse("calendar:list") + "?year=2027").content.decode()
        assert "临时日历" in html and "2027年为临时日历" in html
        client.post(reverse("calendar:create"), {"date": "2027-02-20", "is_workday": "on", "note": "春节调休上班"})
        html = client.get(reverse("calendar:list") + "?year=2027").content.decode()
    assert "2027年为临时日历" not in html
