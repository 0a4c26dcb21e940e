"""The opinions app's forms at province scale: past 100 deputies (receptions, schedules) a field is searched as you
type (core.widgets.SearchSelect, kinds "deputy", "reception", "slot"), never listed whole; the searched id saves, an
id outside the user's scope is refused in Chinese and writes nothing, and the edit form and a refused form show the
chosen deputies again."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputyhome.core.tests.reading import queries
from deputyhome.core.tests.search_fields import OUT_OF_SCOPE, chosen, light, search_field, searched
from deputyhome.opinions.models import ModelStory, Opinion, Pairing, Reception, ReceptionSlot
from deputyhome.testing import add_deputies

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(city):
    """150 more deputies of group A at station A (王0 … 王149): past 100 for the city's and township A's officers."""
    return add_deputies(150, congress=city.city_congress, group=city.group_a, region=city.township_a)


def _pages(city, opinion) -> list[tuple[str, str]]:
    return [
        (reverse("opinions:record"), "deputy"),
        (reverse("opinions:reception_create"), "deputies"),
        (reverse("opinions:reception_create") + f"?station={city.station_a.pk}", "deputies"),
        (reverse("opinions:slot_create"), "deputies"),
        (reverse("opinions:pairing_create"), "deputy"),
        (reverse("opinions:story_create"), "deputy"),
        # The opinion page's triage forms load when opened (decision 91): a problem's and a suggestion's name a deputy.
        (reverse("opinions:step_form", args=[opinion.pk, "to_problem"]), "deputy"),
        (reverse("opinions:step_form", args=[opinion.pk, "to_suggestion"]), "deputy"),
    ]


@pytest.mark.parametrize("who", ["city", "township"])
def test_the_forms_search_deputies_past_100(login, personas, city, many, make_opinion, who):
    c = login(personas[who])
    for url, name in _pages(city, make_opinion()):
        response = c.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        light(html)
        assert search_field(html, name, "deputy"), url


def test_under_100_deputies_the_fields_stay_drop_downs(login, personas, city, make_opinion):
    c = login(personas["township"])
    for url, name in _pages(city, make_opinion()):
        html = c.get(url).content.decode()
        field = re.search(rf'<select name="{name}".*?</select>', html, re.S)
        assert field and city.deputies_a[0].name in field.group(0), url
        assert city.deputies_b[0].name not in field.group(0), url


def test_a_reception_with_searched_deputies_saves_and_its_edit_form_shows_them(login, personas, city, many):
    c = login(personas["township"])
    found = searched(c, "deputy", "deputies", "王12")  # 王12, 王120 … 王129
    assert many[12].pk in found and len(found) == 11
    today = timezone.localdate()
    response = c.post(
        reverse("opinions:reception_create"),
        {"station": city.station_a.pk, "date": today, "deputies": found[:2], "voters_received": 9},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    reception = Reception.objects.get()
    assert sorted(reception.deputies.values_list("pk", flat=True)) == sorted(found[:2])
    html = c.get(reverse("opinions:reception_update", args=[reception.pk])).content.decode()
    light(html)
    assert all(chosen(html, "deputies", pk) for pk in found[:2])


def test_a_deputy_of_another_township_is_refused_and_a_refused_form_keeps_the_chosen(login, personas, city, many):
    c = login(personas["township"])  # 六角亭街道
    assert searched(c, "deputy", "deputies", city.deputies_b[0].name) == []
    today = timezone.localdate()
    data = {"station": city.station_a.pk, "date": today, "voters_received": 3}
    response = c.post(reverse("opinions:reception_create"), {**data, "deputies": [many[5].pk, city.deputies_b[0].pk]})
    assert response.status_code == 400 and f"所选的“接待代表”{OUT_OF_SCOPE}" in response.content.decode()
    future = today + datetime.timedelta(days=3)
    response = c.post(reverse("opinions:reception_create"), {**data, "date": future, "deputies": [many[120].pk]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "接待日期不能晚于今天" in html and chosen(html, "deputies", many[120].pk) and "王120" in html
    assert not Reception.objects.exists()


def test_an_opinion_pairing_and_story_take_a_searched_deputy(login, personas, city, many):
    c = login(personas["township"])
    [pk] = searched(c, "deputy", "deputy", "王77")
    response = c.post(reverse("opinions:record"), {"channel": "visit", "deputy": pk, "content": "山路塌方。"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Opinion.objects.get(content="山路塌方。").deputy_id == pk
    pairing = {"deputy": pk, "household": "田明山", "village": city.village_a.pk, "members": 4, "since": "2024-03-01"}
    assert c.post(reverse("opinions:pairing_create"), pairing).status_code == 302
    assert Pairing.objects.get().deputy_id == pk
    story = {"deputy": pk, "title": "扎根山乡", "text": "……", "figures": "结对联系群众：49户"}
    assert c.post(reverse("opinions:story_create"), story).status_code == 302
    assert ModelStory.objects.get().deputy_id == pk
    # another township's deputy: refused, nothing written
    response = c.post(
        reverse("opinions:record"), {"channel": "visit", "deputy": city.deputies_b[0].pk, "content": "越权"}
    )
    assert response.status_code == 400 and f"所选的“反映给代表”{OUT_OF_SCOPE}" in response.content.decode()
    assert not Opinion.objects.filter(content="越权").exists()


def _receptions_and_slots(city, actor, n: int) -> None:
    today = timezone.localdate()
    Reception.objects.bulk_create(
        [
            Reception(station=city.station_a, date=today - datetime.timedelta(days=i), recorded_by=actor)
            for i in range(n)
        ]
    )
    ReceptionSlot.objects.bulk_create(
        [
            ReceptionSlot(
                station=city.station_a,
                date=today + datetime.timedelta(days=i),
                start_time=datetime.time(9),
                end_time=datetime.time(11),
                announced_on=today,
            )
            for i in range(n)
        ]
    )


def test_past_100_receptions_and_schedules_are_searched(login, personas, city):
    _receptions_and_slots(city, personas["township"], 120)
    c = login(personas["township"])
    latest = Reception.objects.order_by("-date").first()
    html = c.get(reverse("opinions:record") + f"?reception={latest.pk}").content.decode()
    light(html)
    assert search_field(html, "reception", "reception") and chosen(html, "reception", latest.pk)
    html = c.get(reverse("opinions:reception_create")).content.decode()
    assert search_field(html, "slot", "slot")
    day = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    [pk] = searched(c, "reception", "reception", day)
    response = c.post(reverse("opinions:record"), {"channel": "reception", "reception": pk, "content": "修桥。"})
    assert response.status_code == 302, response.content.decode()[:2000]
    opinion = Opinion.objects.get(content="修桥。")
    assert opinion.reception_id == pk and opinion.station_id == city.station_a.pk
    # township B sees none of them
    assert searched(login(personas["township_b"]), "reception", "reception", day) == []


def test_the_form_pages_read_the_same_queries_at_two_sizes(login, personas, city, many, make_opinion):
    c = login(personas["city"])
    urls = [url for url, _name in _pages(city, make_opinion())]
    _receptions_and_slots(city, personas["city"], 110)
    small = [queries(c, url) for url in urls]
    add_deputies(150, congress=city.city_congress, group=city.group_b, region=city.township_b, serial=700)
    _receptions_and_slots(city, personas["city"], 150)
    assert [queries(c, url) for url in urls] == small


def test_the_triage_forms_read_the_deputies_only_when_opened_and_once(login, personas, city, many, make_opinion):
    c = login(personas["township"])
    opinion = make_opinion()
    with CaptureQueriesContext(connection) as ctx:
        html = c.get(reverse("opinions:detail", args=[opinion.pk])).content.decode()
    assert not any('FROM "deputies_deputy"' in q["sql"] for q in ctx.captured_queries)
    assert 'hx-get="/choices/deputy/' not in html
    for action in ("to_problem", "to_suggestion"):
        with CaptureQueriesContext(connection) as ctx:
            html = c.get(reverse("opinions:step_form", args=[opinion.pk, action])).content.decode()
        assert sum('FROM "deputies_deputy"' in q["sql"] for q in ctx.captured_queries) == 1, action
        assert html.count('hx-get="/choices/deputy/?field=deputy"') == 1, action


def test_a_receptions_edit_form_keeps_a_deputy_who_left_the_station(login, personas, city):
    from deputyhome.deputies.models import GroupMembership
    from deputyhome.opinions import services

    left, stays = city.deputies_a[0], city.deputies_a[1]
    reception = services.reception_create(
        data={"station": city.station_a, "date": timezone.localdate(), "voters_received": 3},
        deputies=[left, stays],
        actor=personas["township"],
    )
    GroupMembership.objects.filter(deputy=left).update(end_date=timezone.localdate() - datetime.timedelta(days=1))
    html = login(personas["township"]).get(reverse("opinions:reception_update", args=[reception.pk])).content.decode()
    field = re.search(r'<select name="deputies".*?</select>', html, re.S).group(0)
    assert re.search(rf'value="{left.pk}" selected', field) and re.search(rf'value="{stays.pk}" selected', field)
    assert city.deputies_a[2].name in field and city.deputies_b[0].name not in field
