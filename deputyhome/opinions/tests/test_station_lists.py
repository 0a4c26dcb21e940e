"""The two lists of every station stay small at province scale: the staff's QR codes (二维码, a page of the user's
stations at a time, filtered by township or name, each page printable at once) and the public directory (找代表之家,
the townships a page at a time, or a search by name)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from deputyhome.core.tests.reading import queries
from deputyhome.opinions import directory
from deputyhome.opinions.models import Reception
from deputyhome.opinions.views import QR_PAGE
from deputyhome.organisation.models import Region, Station
from deputyhome.testing import add_places

pytestmark = pytest.mark.django_db


def _stations_listed(html: str, kind_of_link: str) -> set[int]:
    return {int(pk) for pk in re.findall(rf"/opinions/{kind_of_link}/(\d+)/", html)}


def _qr_rows(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r"/opinions/qr/station/(\d+)/", html)}


def test_the_qr_list_is_paged_and_filtered_by_township(login, personas, city):
    add_places(city, 150)  # 150 more townships, a home each
    c = login(personas["city"])
    html = c.get(reverse("opinions:qr_index")).content.decode()
    assert len(_qr_rows(html)) == QR_PAGE and "第 1 / 4 页" in html and len(html) < 200_000
    assert '<select name="township"' not in html  # 152 townships: searched as you type
    second = c.get(reverse("opinions:qr_index"), {"page": 2}).content.decode()
    assert _qr_rows(second) and not _qr_rows(second) & _qr_rows(html)
    html = c.get(reverse("opinions:qr_index"), {"township": city.township_b.pk}).content.decode()
    assert _qr_rows(html) == {city.home_b.pk, city.station_b.pk}
    html = c.get(reverse("opinions:qr_index"), {"q": "新设12"}).content.decode()
    names = set(Station.objects.filter(pk__in=_qr_rows(html)).values_list("name", flat=True))
    assert names == {f"新设{n}镇人大代表之家" for n in [12, *range(120, 130)]}


def test_a_township_officer_lists_and_prints_only_their_stations(login, personas, city):
    add_places(city, 150)
    c = login(personas["township"])  # 六角亭街道
    mine = {city.home_a.pk, city.station_a.pk}
    assert _qr_rows(c.get(reverse("opinions:qr_index")).content.decode()) == mine
    # another township's filter does not widen the list
    assert _qr_rows(c.get(reverse("opinions:qr_index"), {"township": city.township_b.pk}).content.decode()) == mine
    sheets = c.get(reverse("opinions:qr_sheets")).content.decode()
    assert {int(pk) for pk in re.findall(r"/opinions/qr/station/(\d+)\.svg", sheets)} == mine
    assert city.station_b.name not in sheets and city.station_a.name in sheets


def test_the_print_run_is_the_pages_stations_with_their_public_addresses(login, personas, city):
    add_places(city, 150)
    c = login(personas["city"])
    query = {"township": city.township_a.pk}
    index = c.get(reverse("opinions:qr_index"), query).content.decode()
    assert f'href="{reverse("opinions:qr_sheets")}?township={city.township_a.pk}"' in index
    sheets = c.get(reverse("opinions:qr_sheets"), query).content.decode()
    assert sheets.count('class="sheet"') == 2
    assert f"http://testserver{reverse('opinions:public_station', args=[city.station_a.pk])}" in sheets
    page_two = c.get(reverse("opinions:qr_sheets"), {"page": 2}).content.decode()
    assert page_two.count('class="sheet"') == QR_PAGE


def test_the_qr_pages_refuse_roles_without_opinions(login, personas):
    for who in ("unit", "sysadmin"):
        assert login(personas[who]).get(reverse("opinions:qr_index")).status_code == 403
        assert login(personas[who]).get(reverse("opinions:qr_sheets")).status_code == 403


def _towns(city, n: int, start: int) -> None:
    """`n` more towns under the city (codes from 422801`start`), each with a home and a village with a station."""
    towns = Region.objects.bulk_create(
        [
            Region(code=f"422801{start + i:03d}", name=f"增设{start + i}镇", kind="town", parent=city.city)
            for i in range(n)
        ]
    )
    villages = Region.objects.bulk_create(
        [Region(code=f"{t.code}001", name=f"{t.name}一村", kind="village", parent=t) for t in towns]
    )
    Station.objects.bulk_create(
        [Station(kind="home", name=f"{t.name}人大代表之家", region=t) for t in towns]
        + [Station(kind="liaison", name=f"{v.name}联络站", region=v) for v in villages]
    )


def test_the_station_lists_read_the_same_queries_at_two_sizes(login, personas, city):
    c = login(personas["city"])
    pages = [
        (reverse("opinions:qr_index"), {}),
        (reverse("opinions:qr_sheets"), {"page": 2}),
        (reverse("opinions:public_index"), {}),
        (reverse("opinions:public_index"), {"q": "镇", "page": 2}),
    ]
    _towns(city, 110, 300)
    small = [queries(c, url, params) for url, params in pages]
    _towns(city, 200, 500)
    assert [queries(c, url, params) for url, params in pages] == small


def test_the_public_directory_lists_a_citys_townships_on_one_page(client, city):
    html = client.get(reverse("opinions:public_index")).content.decode()
    assert "六角亭街道" in html and "白杨坪镇" in html and "（恩施市）" not in html
    assert _stations_listed(html, "p/station") == {city.home_a.pk, city.station_a.pk, city.home_b.pk, city.station_b.pk}
    assert 'class="pagination"' not in html


def test_the_public_directory_pages_a_provinces_townships_and_searches_stations(client, city):
    add_places(city, 150)
    html = client.get(reverse("opinions:public_index")).content.decode()
    assert html.count("<details") == directory.TOWNSHIPS_PER_PAGE and 'class="pagination"' in html
    assert len(html) < 200_000
    html = client.get(reverse("opinions:public_index"), {"q": "洞下槽"}).content.decode()
    assert _stations_listed(html, "p/station") == {city.station_b.pk}
    html = client.get(reverse("opinions:public_index"), {"q": "没有这个地方"}).content.decode()
    assert "没有找到“没有这个地方”" in html and not _stations_listed(html, "p/station")


def test_the_reception_register_counts_the_pages_opinions_in_a_constant_number_of_queries(login, personas, city):
    from django.utils import timezone

    from deputyhome.opinions import services
    from deputyhome.opinions.models import Reception

    actor = personas["township"]
    today = timezone.localdate()
    held = services.reception_create(
        data={"station": city.station_a, "date": today, "voters_received": 3},
        deputies=[city.deputies_a[0]],
        actor=actor,
    )
    for text in ("路灯坏了。", "水管漏了。"):
        services.opinion_record(data={"reception": held, "content": text, "channel": "reception"}, actor=actor)
    c = login(actor)
    url = reverse("opinions:reception_list")
    html = c.get(url).content.decode()
    assert re.search(r'<td data-label="收集意见">2</td>', html)
    few = queries(c, url)
    Reception.objects.bulk_create(Reception(station=city.station_a, date=today, recorded_by=actor) for _ in range(40))
    assert queries(c, url) == few


def test_the_reception_register_sorts_by_opinions_taken(login, personas, city):
    """收集意见 is kept on the reception by the service that records an opinion there: a township officer's list
    and the city's (a province's receptions) sort by it."""
    import datetime

    from deputyhome.opinions import services

    actor = personas["township"]
    held = [
        services.reception_create(
            data={"station": city.station_a, "date": datetime.date(2026, 3, day), "voters_received": 1},
            deputies=[city.deputies_a[0]],
            actor=actor,
        )
        for day in (1, 2, 3)
    ]
    for reception, n in zip(held, (1, 3, 0), strict=True):
        for k in range(n):
            services.opinion_record(
                data={"reception": reception, "content": f"意见{k}", "channel": "reception"}, actor=actor
            )
    url = reverse("opinions:reception_list")

    def counts(c, query: str = "") -> list[str]:
        html = c.get(f"{url}{query}").content.decode()
        return re.findall(r'<td data-label="收集意见">(\d+)</td>', html)

    c = login(actor)
    assert counts(c) == ["0", "3", "1"]  # newest first
    assert counts(c, "?sort=-opinion_count") == ["3", "1", "0"]
    assert counts(c, "?sort=opinion_count") == ["0", "1", "3"]
    assert "sort=opinion_count" in c.get(url).content.decode()  # the column's header sorts
    c = login(personas["city"])
    assert counts(c, "?sort=-opinion_count") == ["3", "1", "0"] and counts(c) == ["0", "3", "1"]
    assert "sort=opinion_count" in c.get(url).content.decode()
    assert [r.opinion_count for r in Reception.objects.order_by("date")] == [1, 3, 0]
