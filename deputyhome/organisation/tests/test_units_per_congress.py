"""Handling units belong to a congress: the city's officers keep the city's, a township congress's officer
their township's offices and village committees (and reads the city's)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deputyhome.audit.models import AuditEvent
from deputyhome.core.tests.reading import queries
from deputyhome.organisation.choices import UnitKind
from deputyhome.organisation.models import HandlingUnit, Region

pytestmark = pytest.mark.django_db

NEW = {"kind": UnitKind.GOVERNMENT, "contact_person": "", "phone": "", "is_active": "on"}


def test_the_city_officer_creates_a_city_unit_and_may_not_put_it_in_a_township(client, personas, city):
    client.force_login(personas["city"])
    form = client.get(reverse("organisation:unit_create")).content.decode()
    assert "恩施市" in form and "白杨坪镇" not in form  # the city is the only region offered
    assert client.post(reverse("organisation:unit_create"), {"name": "市交通运输局", **NEW}).status_code == 302
    assert HandlingUnit.objects.get(name="市交通运输局").region == city.city  # none chosen: the city
    bad = client.post(reverse("organisation:unit_create"), {"name": "镇财政所", "region": city.township_b.pk, **NEW})
    assert bad.status_code == 400
    assert not HandlingUnit.objects.filter(name="镇财政所").exists()


def test_a_township_officer_keeps_their_township_s_units_and_reads_the_city_s(client, personas, city):
    client.force_login(personas["township_b"])
    register = client.get(reverse("organisation:unit_list")).content.decode()
    assert reverse("organisation:unit_create") in register and "市住房和城乡建设局" in register
    # A region posted is not theirs to choose: the unit is their township's.
    response = client.post(
        reverse("organisation:unit_create"), {"name": "白杨坪镇财政所", "region": city.city.pk, **NEW}
    )
    assert response.status_code == 302
    office = HandlingUnit.objects.get(name="白杨坪镇财政所")
    assert office.region == city.township_b
    assert AuditEvent.objects.filter(action="handlingunit.create", object_id=str(office.pk)).exists()
    edit = reverse("organisation:unit_update", args=[office.pk])
    assert client.post(edit, {"name": "白杨坪镇财政所", **NEW, "contact_person": "向所长"}).status_code == 302
    office.refresh_from_db()
    assert office.contact_person == "向所长" and office.region == city.township_b
    assert "编辑" in client.get(office.get_absolute_url()).content.decode()

    # The city's units: read-only.
    city_unit = reverse("organisation:unit_update", args=[city.unit_a.pk])
    assert client.get(city_unit).status_code == 404
    assert client.post(city_unit, {"name": "改名", **NEW}).status_code == 404
    assert HandlingUnit.objects.get(pk=city.unit_a.pk).name == "市住房和城乡建设局"
    detail = client.get(city.unit_a.get_absolute_url())
    assert detail.status_code == 200 and city_unit not in detail.content.decode()


def test_another_township_s_units_are_out_of_scope(client, personas, city):
    other = Region.objects.create(code="422801102", name="三岔镇", kind="town", parent=city.city)
    theirs = HandlingUnit.objects.create(name="三岔镇卫生院", kind=UnitKind.GOVERNMENT, region=other)
    client.force_login(personas["township_b"])
    assert "三岔镇卫生院" not in client.get(reverse("organisation:unit_list")).content.decode()
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(reverse("organisation:unit_update", args=[theirs.pk])).status_code == 404
    # The city's officers see every unit, but a township's are the township's to edit.
    client.force_login(personas["city"])
    assert client.get(theirs.get_absolute_url()).status_code == 200
    assert client.get(reverse("organisation:unit_update", args=[theirs.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["township", "deputy", "unit", "supervisor", "sysadmin"])
def test_roles_without_a_congress_cannot_create_units(client, personas, persona):
    client.force_login(personas[persona])  # `township` is a street's officer: no congress, no units
    assert client.get(reverse("organisation:unit_create")).status_code == 403
    assert client.post(reverse("organisation:unit_create"), {"name": "某单位", **NEW}).status_code == 403
    assert not HandlingUnit.objects.filter(name="某单位").exists()


def _register_queries(client) -> int:
    return queries(client, reverse("organisation:unit_list"))


def test_the_register_s_queries_do_not_grow_with_the_units(client, personas, city):
    client.force_login(personas["township_b"])
    HandlingUnit.objects.create(name="白杨坪镇卫生院", kind=UnitKind.GOVERNMENT, region=city.township_b)
    few = _register_queries(client)
    HandlingUnit.objects.bulk_create(
        HandlingUnit(name=f"白杨坪镇某村村委会{i}", kind=UnitKind.OTHER, region=city.township_b) for i in range(20)
    )
    assert _register_queries(client) == few
