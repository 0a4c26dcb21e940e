"""The group register counts members only for the page's groups, and its township filter past 100
townships is a search field: the same queries at two sizes, and the counts are the groups' own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deputyhome.core.tests.reading import read
from deputyhome.testing import add_places, largest_select

pytestmark = pytest.mark.django_db


def _queries(client, url, **params) -> tuple[int, str]:
    page = read(client, url, params)
    return page.queries, page.html


@pytest.mark.parametrize("name", ["organisation:group_list", "organisation:station_list", "deputies:list"])
def test_the_same_queries_with_5_and_50_places(client, personas, city, name):
    client.force_login(personas["city"])
    add_places(city, 5)
    few, _ = _queries(client, reverse(name))
    _more(city, 45)
    many, _ = _queries(client, reverse(name))
    assert many == few


def _more(city, n):
    """n more places, numbered after those already there (add_places numbers from 300)."""
    from deputyhome.organisation.choices import RegionKind, StationKind
    from deputyhome.organisation.models import DeputyGroup, Region, Station

    towns = Region.objects.bulk_create(
        [
            Region(code=f"422801{500 + i:03d}", name=f"后设{i}镇", kind=RegionKind.TOWN, parent=city.city)
            for i in range(n)
        ]
    )
    stations = Station.objects.bulk_create(
        [Station(kind=StationKind.HOME, name=f"{t.name}之家", region=t) for t in towns]
    )
    DeputyGroup.objects.bulk_create([DeputyGroup(name=f"{s.name}小组", station=s) for s in stations])


@pytest.mark.parametrize("name", ["organisation:group_list", "deputies:list"])
def test_past_100_choices_a_chosen_filter_costs_the_same_at_two_sizes(client, personas, city, name):
    client.force_login(personas["city"])
    add_places(city, 110)
    few, html = _queries(client, reverse(name), township=city.township_b.pk, region=city.township_b.pk)
    assert largest_select(html) <= 100
    _more(city, 50)
    many, html = _queries(client, reverse(name), township=city.township_b.pk, region=city.township_b.pk)
    assert many == few and city.township_b.name in html


def test_the_register_shows_each_groups_own_member_count(client, personas, city):
    client.force_login(personas["city"])
    html = client.get(reverse("organisation:group_list")).content.decode()
    for group, members in ((city.group_a, city.deputies_a), (city.group_b, city.deputies_b)):
        row = html.split(group.name, 1)[1].split("</tr>", 1)[0]
        assert row.rstrip().endswith(f">{len(members)}</td>")


def test_a_regions_page_lists_its_stations_25_at_a_time_with_the_same_queries(client, personas, city):
    client.force_login(personas["city"])
    url = reverse("organisation:region_detail", args=[city.city.pk])
    add_places(city, 5)
    few, html = _queries(client, url)
    assert "家站（9）" in html and "page=2" not in html
    _more(city, 45)
    many, html = _queries(client, url)
    assert many == few
    assert "家站（54）" in html
    assert html.split("<h2>家站", 1)[1].count("<tr>") == 26  # the header and 25 stations
    _, second = _queries(client, url, page=3)
    assert second.split("<h2>家站", 1)[1].count("<tr>") == 5  # 54 = 25 + 25 + 4


def test_a_township_officer_is_refused_another_townships_region_page(client, personas, city):
    client.force_login(personas["township"])
    assert client.get(reverse("organisation:region_detail", args=[city.township_b.pk])).status_code == 404
    assert client.get(reverse("organisation:region_detail", args=[city.township_a.pk])).status_code == 200
