"""Each role sees only its own part: another scope's objects are refused in lists, details and searches."""

from __future__ import annotations

import pytest
from django.urls import reverse


def detail_urls(city):
    """(url, object) pairs for objects that belong to township B (白杨坪镇) only."""
    d = city.deputies_b[1]
    return {
        "deputy": reverse("deputies:detail", args=[d.pk]),
        "deputy_edit": reverse("deputies:update", args=[d.pk]),
        "deputy_delete": reverse("deputies:delete", args=[d.pk]),
        "mandate_new": reverse("deputies:mandate_create", args=[d.pk]),
        "mandate_edit": reverse("deputies:mandate_update", args=[d.mandates.first().pk]),
        "membership_new": reverse("deputies:membership_create", args=[d.pk]),
        "membership_edit": reverse("deputies:membership_update", args=[d.memberships.first().pk]),
        "group": reverse("organisation:group_detail", args=[city.group_b.pk]),
        "group_edit": reverse("organisation:group_update", args=[city.group_b.pk]),
        "group_delete": reverse("organisation:group_delete", args=[city.group_b.pk]),
        "station": reverse("organisation:station_detail", args=[city.station_b.pk]),
        "station_edit": reverse("organisation:station_update", args=[city.station_b.pk]),
        "station_delete": reverse("organisation:station_delete", args=[city.station_b.pk]),
        "home": reverse("organisation:station_detail", args=[city.home_b.pk]),
        "region": reverse("organisation:region_detail", args=[city.township_b.pk]),
        "region_edit": reverse("organisation:region_update", args=[city.township_b.pk]),
    }


# Personas anchored in township A (or in no township), and which township-B objects each may open.
ALLOWED = {
    "city": "all",
    "supervisor": {"deputy", "group", "station", "home", "region"},
    "leader": {"deputy", "group", "station", "home", "region"},
    "township": set(),
    "group": set(),
    "liaison": set(),
    "deputy": set(),
    "unit": set(),
    "sysadmin": set(),
    "auditor": set(),
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(ALLOWED))
def test_other_scopes_objects_are_refused(personas, city, client, persona):
    client.force_login(personas[persona])
    leaks = []
    for name, url in detail_urls(city).items():
        status = client.get(url).status_code
        allowed = ALLOWED[persona] == "all" or name in ALLOWED[persona]
        if allowed and status != 200:
            leaks.append((name, status, "expected 200"))
        if not allowed and status not in (403, 404):
            leaks.append((name, status, "expected 403/404"))
    assert leaks == []


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["township", "group", "liaison", "deputy", "unit", "sysadmin", "auditor"])
def test_lists_and_searches_hide_other_scope(personas, city, client, persona):
    client.force_login(personas[persona])
    other = city.deputies_b[1]
    for url, params in [
        (reverse("deputies:list"), {}),
        (reverse("deputies:list"), {"q": other.name[:1]}),
        (reverse("organisation:group_list"), {"q": "白杨坪"}),
        (reverse("organisation:station_list"), {"q": "洞下槽"}),
        (reverse("organisation:region_list"), {"q": "白杨坪"}),
    ]:
        response = client.get(url, params)
        html = response.content.decode() if response.status_code == 200 else ""
        assert response.status_code in (200, 403)
        assert reverse("deputies:detail", args=[other.pk]) not in html
        assert reverse("organisation:group_detail", args=[city.group_b.pk]) not in html
        assert reverse("organisation:station_detail", args=[city.station_b.pk]) not in html
        assert reverse("organisation:region_detail", args=[city.township_b.pk]) not in html


@pytest.mark.django_db
def test_group_leader_sees_own_group_members_only(personas, city, client):
    client.force_login(personas["group"])
    html = client.get(reverse("deputies:list")).content.decode()
    assert all(reverse("deputies:detail", args=[d.pk]) in html for d in city.deputies_a)
    assert client.get(reverse("organisation:group_detail", args=[city.group_a.pk])).status_code == 200
    assert client.get(reverse("organisation:station_detail", args=[city.station_a.pk])).status_code == 200
    # the township's home is not the group's station
    assert client.get(reverse("organisation:station_detail", args=[city.home_a.pk])).status_code == 404


@pytest.mark.django_db
def test_deputy_sees_only_self(personas, city, client):
    me = personas["deputy"].deputy
    client.force_login(personas["deputy"])
    response = client.get(reverse("deputies:me"))
    assert response.status_code == 302 and response["Location"] == reverse("deputies:detail", args=[me.pk])
    html = client.get(response["Location"]).content.decode()
    assert me.id_number not in html  # masked by default, even for oneself
    revealed = client.post(response["Location"], {"reveal": "1"}).content.decode()
    assert me.id_number in revealed  # a deputy may reveal their own data
    assert "六角亭街道第一代表小组" in html and "西门社区人大代表联络站" in html
    colleague = city.deputies_a[0]
    assert client.get(reverse("deputies:detail", args=[colleague.pk])).status_code == 404
    html = client.get(reverse("deputies:list")).content.decode()
    assert reverse("deputies:detail", args=[colleague.pk]) not in html


@pytest.mark.django_db
def test_unit_clerk_sees_own_unit_only(personas, city, client):
    client.force_login(personas["unit"])
    assert client.get(reverse("organisation:unit_detail", args=[city.unit_a.pk])).status_code == 200
    assert client.get(reverse("organisation:unit_detail", args=[city.unit_b.pk])).status_code == 404
    assert client.get(reverse("deputies:list")).status_code == 403


@pytest.mark.django_db
def test_township_officer_cannot_move_a_group_out_of_scope(personas, city, client):
    client.force_login(personas["township"])
    response = client.post(
        reverse("organisation:group_update", args=[city.group_a.pk]),
        {"name": city.group_a.name, "station": city.station_b.pk, "notes": ""},
    )
    assert response.status_code == 400
    city.group_a.refresh_from_db()
    assert city.group_a.station_id == city.station_a.pk


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, city):
    response = client.get(reverse("deputies:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_group_leader_reads_their_group_and_own_attendance_rows_only(personas, city):
    """`_scoped_or_own_deputy_q` (one IN over a union): the group's members' rows and the leader's own, even
    when the leader is no longer a member; another group's rows never."""
    import datetime
    from decimal import Decimal

    from deputyhome.accounts import scopes
    from deputyhome.deputies.models import GroupMembership
    from deputyhome.training.models import Attendance, TrainingSession

    leader = personas["group"]
    session = TrainingSession.objects.create(
        title="专题", kind="special", date=datetime.date(2026, 3, 1), hours=Decimal(2)
    )
    everyone = {d.pk for d in city.deputies_a + city.deputies_b} | {leader.deputy_id}
    Attendance.objects.bulk_create([Attendance(session=session, deputy_id=pk) for pk in everyone])
    GroupMembership.objects.filter(deputy_id=leader.deputy_id).update(
        start_date=datetime.date(2019, 1, 1), end_date=datetime.date(2020, 1, 1)
    )
    seen = set(Attendance.objects.filter(scopes.training_attendance_q(leader)).values_list("deputy_id", flat=True))
    members = set(
        GroupMembership.objects.filter(group=leader.group, end_date__isnull=True).values_list("deputy_id", flat=True)
    )
    assert seen == members | {leader.deputy_id}
    assert not seen & {d.pk for d in city.deputies_b}


def test_a_deputy_sees_the_suggestions_they_lead_or_cosign_once_each(personas, city):
    """`own_suggestions_q` (one IN over a union of the led and the co-signed): both kinds, once each, no other."""
    from deputyhome.accounts import scopes
    from deputyhome.suggestions.models import CoSigner, Suggestion

    me, other = personas["deputy"].deputy, city.deputies_b[0]

    def make(author, title):
        return Suggestion.objects.create(
            title=title, author=author, created_by=personas["city"], region=author.region, year=2026
        )

    led, cosigned, foreign = make(me, "领衔"), make(other, "联名"), make(other, "他人")
    CoSigner.objects.create(suggestion=cosigned, deputy=me)
    CoSigner.objects.create(suggestion=led, deputy=other)
    rows = list(Suggestion.objects.filter(scopes.suggestions_q(personas["deputy"])).values_list("pk", flat=True))
    assert sorted(rows) == sorted([led.pk, cosigned.pk])
    assert foreign.pk not in rows
