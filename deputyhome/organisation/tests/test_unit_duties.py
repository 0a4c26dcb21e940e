"""A handling unit's duties (职责) are edited by staff on the unit's form and audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deputyhome.audit.models import AuditEvent


@pytest.mark.django_db
def test_staff_edit_a_units_duties(city, personas, login):
    unit = city.unit_a
    url = reverse("organisation:unit_update", args=[unit.pk])
    data = {
        "name": unit.name,
        "kind": unit.kind,
        "contact_person": "",
        "phone": "",
        "is_active": "on",
        "duties": "负责老旧小区改造和城市更新；管理物业服务",
    }
    client = login(personas["city"])
    assert "职责" in client.get(url).content.decode()
    assert client.post(url, data).status_code == 302
    unit.refresh_from_db()
    assert unit.duties.startswith("负责老旧小区改造")
    assert AuditEvent.objects.filter(object_type="organisation.handlingunit", object_id=str(unit.pk)).exists()
    before = unit.duties
    for role in ("unit", "deputy"):
        r = login(personas[role]).post(url, {**data, "duties": "改掉"})
        assert r.status_code in (403, 404)
    unit.refresh_from_db()
    assert unit.duties == before
