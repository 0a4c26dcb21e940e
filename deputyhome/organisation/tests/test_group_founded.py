"""A group's founding date (成立日期), set on its form by the officer who keeps it, shown on its page; the group
activities list holds it to its whole quarters only (records/tests/test_group_quarters.py)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from deputyhome.audit.models import AuditEvent
from deputyhome.organisation.models import DeputyGroup

pytestmark = pytest.mark.django_db


def test_the_township_officer_sets_the_founding_date_on_the_form(city, personas, login):
    client = login(personas["township"])
    url = reverse("organisation:group_update", args=[city.group_a.pk])
    form = client.get(url).content.decode()
    assert 'name="founded_on"' in form and "从成立后第一个完整的季度起计入小组活动情况" in form
    data = {"name": city.group_a.name, "station": city.station_a.pk, "founded_on": "2026-04-10", "notes": ""}
    assert client.post(url, data).status_code == 302
    assert DeputyGroup.objects.get(pk=city.group_a.pk).founded_on == datetime.date(2026, 4, 10)
    event = AuditEvent.objects.filter(action="deputygroup.update", object_id=str(city.group_a.pk)).latest("pk")
    assert "founded_on" in event.changes
    page = client.get(reverse("organisation:group_detail", args=[city.group_a.pk])).content.decode()
    assert "<dt>成立日期</dt><dd>2026年4月10日</dd>" in page
    bad = client.post(url, {**data, "founded_on": "2026-13-01"})
    assert bad.status_code == 400 and "输入一个有效的日期" in bad.content.decode()
    assert DeputyGroup.objects.get(pk=city.group_a.pk).founded_on == datetime.date(2026, 4, 10)
