"""'Who was a member on date X' is right on the first and the last day of a membership."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from deputyhome.audit.models import AuditEvent
from deputyhome.deputies import selectors, services
from deputyhome.deputies.models import GroupMembership

START = datetime.date(2021, 10, 1)
LEFT = datetime.date(2024, 6, 30)
JOINED = datetime.date(2024, 7, 1)


@pytest.fixture
def moved(city, personas):
    """A deputy who leaves group A on 2024-06-30 and joins group B on 2024-07-01."""
    deputy = city.deputies_a[2]
    membership = deputy.memberships.get()
    services.membership_update(membership=membership, data={"end_date": LEFT}, actor=personas["city"])
    services.membership_create(
        data={"deputy": deputy, "group": city.group_b, "role": "member", "start_date": JOINED},
        actor=personas["city"],
    )
    return deputy


def _members(group, on):
    return set(selectors.members_on(group=group, on=on).values_list("deputy_id", flat=True))


@pytest.mark.django_db
def test_members_on_boundary_dates(city, moved):
    assert moved.pk not in _members(city.group_a, START - datetime.timedelta(days=1))
    assert moved.pk in _members(city.group_a, START)
    assert moved.pk in _members(city.group_a, LEFT)
    assert moved.pk not in _members(city.group_a, JOINED)
    assert moved.pk not in _members(city.group_b, LEFT)
    assert moved.pk in _members(city.group_b, JOINED)


@pytest.mark.django_db
def test_deputy_follows_group_to_its_township(city, moved):
    moved.refresh_from_db()
    assert moved.region == city.township_b


@pytest.mark.django_db
def test_overlapping_membership_is_refused(city, moved, personas):
    before = (GroupMembership.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError):
        services.membership_create(
            data={"deputy": moved, "group": city.group_a, "role": "member", "start_date": JOINED},
            actor=personas["city"],
        )
    assert (GroupMembership.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_group_page_answers_for_a_date(city, moved, client, personas):
    client.force_login(personas["city"])
    url = reverse("organisation:group_detail", args=[city.group_a.pk])
    assert moved.name in client.get(url, {"on": LEFT.isoformat()}).content.decode()
    assert moved.name not in client.get(url, {"on": JOINED.isoformat()}).content.decode()


@pytest.mark.django_db
def test_membership_form_overlap_error_is_shown(city, moved, client, personas):
    client.force_login(personas["city"])
    response = client.post(
        reverse("deputies:membership_create", args=[moved.pk]),
        {"group": city.group_a.pk, "role": "member", "start_date": "2025-01-01"},
    )
    assert response.status_code == 400
    assert "已属于其他小组" in response.content.decode()


@pytest.mark.django_db
def test_one_person_holds_mandates_at_two_levels(city):
    two = city.deputies_b[0]
    assert sorted(m.congress.level for m in two.mandates.all()) == ["city", "township"]


@pytest.mark.django_db
def test_the_forms_of_a_deputys_page_add_to_that_deputy(city, moved, client, personas):
    """A mandate and a membership entered from a deputy's page belong to that deputy, each with its audit row."""
    from deputyhome.deputies.models import Mandate
    from deputyhome.organisation.choices import CongressLevel
    from deputyhome.organisation.models import Congress

    province = Congress.objects.create(level=CongressLevel.PROVINCE, term=14, name="湖北省第十四届人民代表大会")
    client.force_login(personas["city"])
    response = client.post(
        reverse("deputies:mandate_create", args=[moved.pk]),
        {"congress": province.pk, "start_date": "2023-01-15", "status": "active"},
    )
    assert response.status_code == 302
    mandate = Mandate.objects.get(congress=province)
    assert mandate.deputy == moved
    assert AuditEvent.objects.filter(action="mandate.create", object_id=str(mandate.pk)).exists()

    services.membership_update(
        membership=moved.memberships.get(group=city.group_b), data={"end_date": "2025-03-31"}, actor=personas["city"]
    )
    response = client.post(
        reverse("deputies:membership_create", args=[moved.pk]),
        {"group": city.group_a.pk, "role": "member", "start_date": "2025-04-01"},
    )
    assert response.status_code == 302
    back = moved.memberships.get(group=city.group_a, start_date=datetime.date(2025, 4, 1))
    assert AuditEvent.objects.filter(action="groupmembership.create", object_id=str(back.pk)).exists()


@pytest.mark.django_db
def test_an_end_before_the_start_is_refused_with_its_own_message_and_writes_nothing(city, moved, client, personas):
    from deputyhome.deputies.models import Mandate
    from deputyhome.organisation.choices import CongressLevel
    from deputyhome.organisation.models import Congress

    province = Congress.objects.create(level=CongressLevel.PROVINCE, term=14, name="湖北省第十四届人民代表大会")
    client.force_login(personas["city"])
    before = (Mandate.objects.count(), GroupMembership.objects.count(), AuditEvent.objects.count())
    response = client.post(
        reverse("deputies:mandate_create", args=[moved.pk]),
        {"congress": province.pk, "start_date": "2023-01-15", "end_date": "2022-12-31", "status": "ended"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "任期终止日期不能早于开始日期。" in html and "须填写任期终止日期" not in html
    response = client.post(
        reverse("deputies:membership_create", args=[moved.pk]),
        {"group": city.group_a.pk, "role": "member", "start_date": "2026-01-01", "end_date": "2025-12-31"},
    )
    assert response.status_code == 400
    assert "退出日期不能早于加入日期。" in response.content.decode()
    assert (Mandate.objects.count(), GroupMembership.objects.count(), AuditEvent.objects.count()) == before
