"""Reception schedules (with the notice norm), reception records, and the statistics."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from deputyhome.audit.models import AuditEvent
from deputyhome.opinions import selectors, services
from deputyhome.opinions.choices import OpinionStatus, Weekday
from deputyhome.opinions.models import Pairing, PairingContact, Reception, ReceptionSlot

pytestmark = pytest.mark.django_db


def _slot(city, actor, **data):
    base = {
        "station": city.station_a,
        "start_time": datetime.time(9, 0),
        "end_time": datetime.time(11, 30),
        "notice": "请携带相关材料。",
    }
    return services.reception_slot_create(data={**base, **data}, deputies=city.deputies_a[:2], actor=actor)


def test_weekly_slot_is_shown_on_the_public_page(client, city, personas):
    _slot(city, personas["township"], weekday=Weekday.TUESDAY)
    html = client.get(reverse("opinions:public_station", args=[city.station_a.pk])).content.decode()
    assert "每周二 09:00—11:30" in html
    assert city.deputies_a[0].name in html and "请携带相关材料" in html
    assert AuditEvent.objects.filter(action="receptionslot.create").exists()


def test_one_off_reception_needs_two_days_notice(city, personas, settings):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as err:
        _slot(city, personas["township"], date=today + datetime.timedelta(days=1))
    assert "至少提前2天公告" in str(err.value)
    slot = _slot(city, personas["township"], date=today + datetime.timedelta(days=2))
    assert slot.announced_on == today
    settings.RECEPTION_NOTICE_DAYS = 0
    _slot(city, personas["township"], date=today)


def test_slot_needs_exactly_one_of_weekday_and_date(city, personas):
    with pytest.raises(ValidationError):
        _slot(city, personas["township"])
    with pytest.raises(ValidationError):
        _slot(city, personas["township"], weekday=1, date=timezone.localdate() + datetime.timedelta(days=5))
    with pytest.raises(ValidationError):
        _slot(city, personas["township"], weekday=1, end_time=datetime.time(8, 0))


def test_past_one_off_slots_leave_the_public_page(client, city, personas):
    slot = _slot(city, personas["township"], date=timezone.localdate() + datetime.timedelta(days=3))
    ReceptionSlot.objects.filter(pk=slot.pk).update(date=timezone.localdate() - datetime.timedelta(days=1))
    html = client.get(reverse("opinions:public_station", args=[city.station_a.pk])).content.decode()
    assert "暂未公布接待安排" in html


def test_slot_form_page(login, personas, city):
    c = login(personas["group"])
    url = reverse("opinions:slot_create") + f"?station={city.station_a.pk}"
    page = c.get(url).content.decode()
    assert city.deputies_a[0].name in page and city.deputies_b[0].name not in page
    response = c.post(
        url,
        {
            "station": city.station_a.pk,
            "weekday": "3",
            "start_time": "14:00",
            "end_time": "17:00",
            "deputies": [d.pk for d in city.deputies_a[:3]],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    slot = ReceptionSlot.objects.get()
    assert slot.weekday == 3 and slot.deputies.count() == 3
    # station B is not the group's
    response = c.post(url, {"station": city.station_b.pk, "weekday": "3", "start_time": "14:00", "end_time": "17:00"})
    assert response.status_code == 400


def test_reception_record_and_refusals(login, personas, city):
    c = login(personas["township"])
    today = timezone.localdate()
    response = c.post(
        reverse("opinions:reception_create") + f"?station={city.station_a.pk}",
        {
            "station": city.station_a.pk,
            "date": today.isoformat(),
            "deputies": [city.deputies_a[0].pk],
            "voters_received": 12,
            "notes": "群众反映道路、就医等问题。",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    reception = Reception.objects.get()
    assert reception.voters_received == 12 and list(reception.deputies.all()) == [city.deputies_a[0]]
    assert c.get(reception.get_absolute_url()).status_code == 200
    # future dates are refused, with a message
    response = c.post(
        reverse("opinions:reception_create"),
        {
            "station": city.station_a.pk,
            "date": (today + datetime.timedelta(days=3)).isoformat(),
            "deputies": [city.deputies_a[0].pk],
            "voters_received": 1,
        },
    )
    assert response.status_code == 400 and "接待日期不能晚于今天" in response.content.decode()
    assert Reception.objects.count() == 1
    # township B's reception is 404 to township A
    other = Reception.objects.create(station=city.station_b, date=today, recorded_by=personas["city"])
    assert c.get(other.get_absolute_url()).status_code == 404
    assert c.get(reverse("opinions:reception_update", args=[other.pk])).status_code == 404


def test_stats_are_scoped_and_constant(personas, city, make_opinion, django_assert_num_queries):
    year = timezone.localdate().year
    for station, voters in ((city.station_a, 10), (city.station_a, 5), (city.station_b, 7)):
        Reception.objects.create(
            station=station, date=timezone.localdate(), voters_received=voters, recorded_by=personas["city"]
        )
    first = make_opinion()
    make_opinion(address="10.0.0.2")
    make_opinion(station=city.station_b, address="10.0.0.3")
    services.opinion_reply(opinion=first, text="好的", actor=personas["city"])
    since = datetime.date(year - 1, 3, 1)
    mine = Pairing.objects.create(deputy=city.deputies_a[0], household="田家", members=4, since=since)
    Pairing.objects.create(deputy=city.deputies_a[1], household="向家", members=3, since=since, ended_on=since)
    Pairing.objects.create(deputy=city.deputies_b[0], household="李家", members=2, since=since)
    for day in (datetime.date(year, 1, 3), datetime.date(year - 1, 5, 1)):
        PairingContact.objects.create(pairing=mine, date=day, way="visit", notes="走访", recorded_by=personas["city"])

    township = personas["township"]
    township.region  # noqa: B018 - load the anchor so the count below is of the statistics only
    with django_assert_num_queries(4):
        stats = selectors.reception_stats(user=township, year=year)
    assert stats["receptions"] == 2 and stats["voters_received"] == 15 and stats["opinions"] == 2
    # 结对联系群众: township A's household in force (the ended one is not), its people, this year's contact.
    assert (stats["households_paired"], stats["household_members"], stats["household_contacts"]) == (1, 4, 1)
    everyone = selectors.reception_stats(user=personas["city"], year=year)
    assert (everyone["households_paired"], everyone["household_members"]) == (2, 6)
    assert stats["opinions_by_status"][OpinionStatus.REPLIED] == 1
    assert stats["opinions_by_status"][OpinionStatus.NEW] == 1
    assert set(stats["opinions_by_status"]) == set(OpinionStatus.values)
    assert selectors.opinions_count(user=personas["city"], year=year) == 3
    assert selectors.opinions_count(user=personas["city"], year=year - 1) == 0
    assert selectors.opinions_count(user=personas["unit"], year=year) == 0
    assert selectors.reception_stats(user=personas["city"], year=year)["voters_received"] == 22


def test_stats_api(login, personas, client):
    assert client.get(reverse("opinions_api:stats_opinions")).status_code == 401
    c = login(personas["city"])
    response = c.get(reverse("opinions_api:stats_opinions"), {"year": "2026"})
    assert response.status_code == 200 and response.json()["year"] == 2026
    bad = c.get(reverse("opinions_api:stats_opinions"), {"year": "20x6"})
    assert bad.status_code == 400 and "year" in bad.json()["error"]
    assert login(personas["unit"]).get(reverse("opinions_api:stats_opinions")).status_code == 403
