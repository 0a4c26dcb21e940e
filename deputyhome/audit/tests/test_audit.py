"""The audit trail: written with every service, append-only, readable and filterable by the auditor only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deputyhome.audit.models import AuditEvent
from deputyhome.organisation import services


@pytest.mark.django_db
def test_service_write_records_who_what_and_changed_fields(city, personas, client):
    client.force_login(personas["city"])
    response = client.post(
        reverse("organisation:station_update", args=[city.station_a.pk]),
        {
            "kind": "liaison",
            "name": city.station_a.name,
            "region": city.village_a.pk,
            "address": "西门社区居委会二楼",
            "phone": "0718-8888888",
        },
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.latest("id")
    assert event.action == "station.update"
    assert event.actor == personas["city"] and event.success
    assert event.client_address == "10.1.2.3"
    assert event.changes["address"] == ["", "西门社区居委会二楼"]
    assert event.changes["phone"] == ["", "0718-8888888"]


def _assert_append_only(row, field: str) -> None:
    """The trail's row refuses to be saved with a changed `field`, and to be deleted."""
    setattr(row, field, "tampered")
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()


@pytest.mark.django_db
def test_audit_rows_cannot_be_changed_or_deleted(city, personas):
    services.unit_update(unit=city.unit_a, data={"contact_person": "王主任"}, actor=personas["city"])
    _assert_append_only(AuditEvent.objects.latest("id"), "detail")


@pytest.mark.django_db
def test_the_items_of_a_batch_event_cannot_be_changed_or_deleted(city, personas):
    from deputyhome.audit.models import AuditItem
    from deputyhome.audit.services import BatchItem, record_batch

    record_batch(actor=personas["city"], action="unit.batch", items=[BatchItem(obj=city.unit_a, changes={"x": [1, 2]})])
    item = AuditItem.objects.latest("id")
    _assert_append_only(item, "object_repr")
    item.refresh_from_db()
    assert item.object_repr == str(city.unit_a)


@pytest.mark.django_db
def test_refused_delete_writes_nothing(city, personas, client):
    client.force_login(personas["city"])
    before = AuditEvent.objects.count()
    response = client.post(reverse("organisation:station_delete", args=[city.station_a.pk]))
    assert response.status_code == 400
    assert "仍被其他记录引用" in response.content.decode()
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_auditor_reads_and_filters(city, personas, client):
    services.unit_update(unit=city.unit_a, data={"contact_person": "王主任"}, actor=personas["city"])
    services.station_update(station=city.station_a, data={"address": "李庭长家对面"}, actor=personas["township"])
    client.force_login(personas["auditor"])
    html = client.get(reverse("audit:list")).content.decode()
    assert "unit.update" in html and "station.update" in html and "王主任" in html and "李庭长" in html
    html = client.get(reverse("audit:list"), {"actor_name": "township"}).content.decode()
    assert "李庭长" in html and "王主任" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["city", "township", "leader", "supervisor", "sysadmin", "deputy", "unit"])
def test_others_cannot_read_the_audit(personas, client, persona):
    client.force_login(personas[persona])
    assert client.get(reverse("audit:list")).status_code == 403


def test_apply_changes_sets_the_data_and_returns_only_what_changed(city):
    from deputyhome.audit.services import apply_changes

    unit = city.unit_a
    name = unit.name
    changes = apply_changes(unit, {"name": name, "contact_person": "王主任"})
    assert changes == {"contact_person": ["", "王主任"]}
    assert unit.contact_person == "王主任" and unit.name == name
    assert type(unit).objects.get(pk=unit.pk).contact_person == ""  # set, not saved


@pytest.mark.django_db
def test_a_nul_someone_typed_is_kept_as_a_sign_and_the_request_goes_through(personas, client):
    """PostgreSQL stores no NUL character, in text or in JSON: an export asked with one in its address (the export's
    audit row keeps the query) answered 500 there. The trail shows it as ␀, and its chain holds."""
    from deputyhome.audit.services import record, verify_chain

    event = record(
        actor=personas["city"],
        action="probe",
        object_repr="甲\x00",
        detail="乙\x00",
        changes={"q\x00": ["丙\x00", 1]},
    )
    event.refresh_from_db()
    assert (event.object_repr, event.detail) == ("甲␀", "乙␀")
    assert event.changes == {"q␀": ["丙␀", 1]}
    client.force_login(personas["city"])
    response = client.get(reverse("roster:export_deputies"), {"name": "\x00", "q": "\x00"}, follow=True)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert verify_chain() == []
