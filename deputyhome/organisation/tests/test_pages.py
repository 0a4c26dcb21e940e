"""The organisation's declared page sets (core.crud.ModelPages): which pages exist, who may open them,
what a write leaves behind, and the group page's members on a given day."""

from __future__ import annotations

import datetime

import pytest
from django.urls import NoReverseMatch, reverse

from deputyhome.audit.models import AuditEvent
from deputyhome.organisation.choices import UnitKind
from deputyhome.organisation.models import DeputyGroup, HandlingUnit, Session

pytestmark = pytest.mark.django_db


def test_only_the_declared_pages_have_urls():
    assert reverse("organisation:station_delete", args=[7]) == "/org/stations/7/delete/"
    assert reverse("organisation:session_update", args=[7]) == "/org/sessions/7/edit/"
    for name, args in (("region_delete", [7]), ("unit_delete", [7]), ("session_list", []), ("session_detail", [7])):
        with pytest.raises(NoReverseMatch):
            reverse(f"organisation:{name}", args=args)


def test_units_are_created_by_city_officers_only_with_an_audit_row(personas, client):
    create = reverse("organisation:unit_create")
    client.force_login(personas["township"])
    assert client.get(create).status_code == 403
    assert create not in client.get(reverse("organisation:unit_list")).content.decode()

    client.force_login(personas["city"])
    assert create in client.get(reverse("organisation:unit_list")).content.decode()
    data = {"name": "市交通运输局", "kind": UnitKind.GOVERNMENT, "contact_person": "", "phone": "", "is_active": "on"}
    response = client.post(create, data)
    unit = HandlingUnit.objects.get(name="市交通运输局")
    assert response.status_code == 302 and response.url == unit.get_absolute_url()
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_id) == ("handlingunit.create", str(unit.pk))


def test_a_unit_edit_goes_through_the_update_service(personas, city, client):
    client.force_login(personas["city"])
    url = reverse("organisation:unit_update", args=[city.unit_a.pk])
    data = {
        "name": city.unit_a.name,
        "kind": city.unit_a.kind,
        "contact_person": "王主任",
        "phone": "",
        "is_active": "on",
    }
    assert client.post(url, data).status_code == 302
    city.unit_a.refresh_from_db()
    assert city.unit_a.contact_person == "王主任"
    assert AuditEvent.objects.latest("id").action == "handlingunit.update"


def test_a_new_session_opens_with_its_congress_filled_in(personas, city, client):
    client.force_login(personas["city"])
    url = reverse("organisation:session_create")
    page = client.get(url, {"congress": city.city_congress.pk})
    assert page.status_code == 200
    assert page.context["form"].initial["congress"] == city.city_congress.pk
    client.force_login(personas["township"])
    assert client.get(url).status_code == 403
    assert not Session.objects.exists()


def test_group_delete_asks_then_deletes_with_an_audit_row(personas, city, client):
    group = DeputyGroup.objects.create(name="六角亭街道第二代表小组", station=city.station_a)
    url = reverse("organisation:group_delete", args=[group.pk])
    client.force_login(personas["township"])
    assert "删除" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("organisation:group_list")
    assert not DeputyGroup.objects.filter(pk=group.pk).exists()
    assert AuditEvent.objects.latest("id").action == "deputygroup.delete"


def test_group_page_lists_the_members_of_the_day_asked_for(personas, city, client):
    client.force_login(personas["city"])
    leaver = city.deputies_a[3]
    city.group_a.memberships.filter(deputy=leaver).update(end_date=datetime.date(2024, 6, 30))
    url = reverse("organisation:group_detail", args=[city.group_a.pk])

    def members(on: str) -> list[str]:
        return [m.deputy.name for m in client.get(url, {"on": on}).context["members"]]

    assert leaver.name in members("2024-06-30")  # the last day counts
    assert leaver.name not in members("2024-07-01")
    assert len(members("2024-07-01")) == 3
    assert members("2021-09-30") == []  # before anyone joined
