"""Journeys a new user hit (issue 14): merging into a similar opinion, the public page after a refresh."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deputyhome.audit.models import AuditEvent
from deputyhome.opinions.choices import OpinionStatus
from deputyhome.opinions.models import Opinion

pytestmark = pytest.mark.django_db


def test_merge_through_the_page_succeeds(login, personas, make_opinion):
    first = make_opinion(content="西门路口红绿灯时间太短。")
    second = make_opinion(content="西门路口红绿灯太短，老人过不去。", address="10.0.0.2")
    c = login(personas["township"])
    response = c.post(reverse("opinions:act", args=[second.pk, "merge"]), {"into": first.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    second.refresh_from_db()
    assert second.status == OpinionStatus.MERGED and second.duplicate_of == first
    assert AuditEvent.objects.filter(action="opinion.merge", object_id=str(second.pk)).exists()


def test_merge_picker_searches_every_candidate_in_scope(login, personas, make_opinion, city):
    target = make_opinion(content="菜市场的下水道堵了。", address="10.0.1.1")
    for i in range(12):
        make_opinion(content=f"路灯坏了第{i}盏。", address=f"10.0.2.{i}")
    opinion = make_opinion(content="菜市场下水道堵塞。", address="10.0.3.1")
    theirs = make_opinion(station=city.station_b, content="白杨坪菜市场下水道。", address="10.0.4.1")
    c = login(personas["township"])
    page = c.get(reverse("opinions:detail", args=[opinion.pk])).content.decode()
    assert target.code_display not in page  # only the latest few before anything is typed
    url = reverse("opinions:merge_candidates", args=[opinion.pk])
    found = c.get(url, {"q": "下水道"}, headers={"HX-Request": "true"}).content.decode()
    assert target.code_display in found and theirs.code_display not in found and opinion.code_display not in found
    by_code = c.get(url, {"q": target.tracking_code[:6].lower()}).content.decode()
    assert target.code_display in by_code
    assert c.get(reverse("opinions:merge_candidates", args=[theirs.pk]), {"q": "x"}).status_code == 404
    assert login(personas["supervisor"]).get(url, {"q": "x"}).status_code == 403


def test_a_refused_merge_shows_its_error_first(login, personas, make_opinion, city):
    opinion = make_opinion()
    theirs = make_opinion(station=city.station_b, content="白杨坪的意见", address="10.0.0.3")
    c = login(personas["township"])
    response = c.post(reverse("opinions:act", args=[opinion.pk, "merge"]), {"into": theirs.pk})
    html = response.content.decode()
    assert response.status_code == 400
    assert html.index("所选意见不能作为合并目标") < html.index("反映内容")
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.NEW and not Opinion.objects.filter(status=OpinionStatus.MERGED).exists()


def _leave(client, station, content="小区门口的下水道堵了，一下雨就积水。"):
    from deputyhome.opinions import notices

    data = {"content": content, "consent": "on", "privacy_version": notices.CURRENT_VERSION}
    return client.post(reverse("opinions:public_station", args=[station.pk]), data, REMOTE_ADDR="10.1.1.1")


def test_refreshing_the_submitted_page_does_not_file_the_opinion_again(client, city):
    response = _leave(client, city.station_a)
    assert response.status_code == 302
    result_url = response["Location"]
    opinion = Opinion.objects.get()
    for _ in range(2):  # the page, then a refresh of it
        page = client.get(result_url)
        assert page.status_code == 200 and "no-store" in page["Cache-Control"]
        assert opinion.code_display in page.content.decode()
    assert Opinion.objects.count() == 1


def test_the_submitted_page_shows_no_code_to_another_browser(client, city):
    from django.test import Client

    result_url = _leave(client, city.station_a)["Location"]
    opinion = Opinion.objects.get()
    other = Client().get(result_url)
    assert opinion.code_display not in other.content.decode() and opinion.tracking_code not in other.content.decode()
    assert other.status_code in (302, 404)


def test_staff_and_public_pages_show_the_same_reception_schedule(login, personas, city, client):
    from deputyhome.organisation.models import Station

    from .schedules import wednesday_mornings

    Station.objects.filter(pk=city.station_a.pk).update(reception_hours="每月20日上午")
    wednesday_mornings(city, personas["township"])
    public = client.get(reverse("opinions:public_station", args=[city.station_a.pk])).content.decode()
    staff = login(personas["township"]).get(reverse("organisation:station_detail", args=[city.station_a.pk]))
    staff = staff.content.decode()
    for html in (public, staff):
        assert "每周三 09:00—11:30" in html and "每月20日上午" not in html
    # the staff page leads to where the schedule is kept, and the station form no longer asks for it
    assert reverse("opinions:slot_list") + f"?station={city.station_a.pk}" in staff
    form = login(personas["township"]).get(reverse("organisation:station_update", args=[city.station_a.pk]))
    assert 'name="reception_hours"' not in form.content.decode()
