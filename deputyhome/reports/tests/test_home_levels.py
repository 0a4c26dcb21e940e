"""The home page by level at province scale: the region drill-down and the township congresses' table stay one
page each (at most 50 and 20 rows) and the page under 200 KB with 1,000 townships, in a constant number of queries."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputyhome.audit.services import record
from deputyhome.organisation.choices import CongressLevel, RegionKind
from deputyhome.organisation.models import Congress, Region
from deputyhome.suggestions.choices import State
from deputyhome.suggestions.models import Suggestion

pytestmark = pytest.mark.django_db
URL = "/"
TZ = datetime.timezone(datetime.timedelta(hours=8))


def province(city, people_city, *, counties: int = 10, per_county: int = 100, first: int = 0) -> None:
    """The small city's province and prefecture, `counties` more county-level units (from the `first`) of
    `per_county` townships each, a congress in every township and one suggestion to each congress (two to
    the last), in bulk."""
    if first == 0:
        Region.objects.bulk_create(
            [
                Region(code="42", name="湖北省", kind=RegionKind.PROVINCE),
                Region(code="4228", name="恩施州", kind=RegionKind.PREFECTURE),
            ]
        )
    county_rows = Region.objects.bulk_create(
        [
            Region(code=f"4228{2 + c:02d}", name=f"第{c + 1}县", kind=RegionKind.COUNTY)
            for c in range(first, first + counties)
        ]
    )
    towns = Region.objects.bulk_create(
        [
            Region(
                code=f"{county.code}{100 + t:03d}", name=f"{county.name}{t + 1}镇", kind=RegionKind.TOWN, parent=county
            )
            for county in county_rows
            for t in range(per_county)
        ]
    )
    congresses = Congress.objects.bulk_create(
        [Congress(level=CongressLevel.TOWNSHIP, term=19, name=f"{t.name}人民代表大会", region=t) for t in towns]
    )
    when = datetime.datetime(datetime.date.today().year, 3, 2, 10, 0, tzinfo=TZ)
    author = city.deputies_b[0]
    Suggestion.objects.bulk_create(
        [
            Suggestion(
                title=f"建议{i}",
                author=author,
                created_by=people_city,
                region=c.region,
                congress=c,
                year=when.year,
                submitted_at=when,
                state=State.SUBMITTED,
            )
            for i, c in enumerate([congresses[-1], *congresses])
        ]
    )
    # Audited as a bulk import would be: the figures computed ahead (figures.cache) see what changed.
    record(actor=people_city, action="test.bulk", object_type="organisation.region", object_repr="乡镇和人大")
    record(actor=people_city, action="test.bulk", object_type="suggestions.suggestion", object_repr="建议")


def rows_in(html: str) -> int:
    return len(re.findall(r"<tr>", html))


def test_city_dashboard_stays_small_at_province_scale(login, personas, city):
    client = login(personas["city"])
    province(city, personas["city"], counties=1, per_county=5)
    client.get(URL)  # warm the session and the caches
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    province(city, personas["city"], counties=10, per_county=100, first=1)  # 1,005 townships in all
    client.get(URL)  # the city-wide snapshots computed again; both sizes then read them
    with CaptureQueriesContext(connection) as big:
        response = client.get(URL)
    assert len(big.captured_queries) == len(small.captured_queries)
    html = response.content.decode()
    assert len(response.content) < 200_000
    assert rows_in(html) <= 50
    # The region table starts at the lowest region holding everything: the prefecture's 12 county-level units.
    assert "恩施州各县（市、区）情况" in html
    assert html.count('href="?area=4228') == 12
    # The township congresses: 1,005 summed, and one page of 20.
    assert "乡镇人大（1005个合计）" in html
    assert '<td data-label="收到">1007</td>' in html
    assert "第 1 / 51 页" in html


def test_drilling_down_to_a_county_pages_its_townships(login, personas, city):
    province(city, personas["city"], counties=2, per_county=60)
    html = login(personas["city"]).get(URL, {"area": "422802"}).content.decode()
    assert "第1县各乡镇（街道）情况" in html
    assert "第1县1镇" in html and "第1县51镇" not in html
    assert "第 1 / 2 页，共 60 个" in html
    html = login(personas["city"]).get(URL, {"area": "422802", "apage": "2"}).content.decode()
    assert "第1县51镇" in html and "第1县1镇<" not in html
    assert '<a href="?area=4228#areas">恩施州</a>' in html


def test_township_congresses_sort_by_received(login, personas, city):
    province(city, personas["city"], counties=1, per_county=30)
    html = login(personas["city"]).get(URL, {"csort": "received"}).content.decode()
    first = re.search(r'<td data-label="乡镇人大"><a [^>]+>([^<]+)</a></td><td data-label="收到">(\d+)</td>', html)
    assert first.groups() == ("第1县30镇人民代表大会", "2")
    html = login(personas["city"]).get(URL, {"cpage": "2"}).content.decode()
    assert "第1县21镇人民代表大会" in html and "第1县1镇人民代表大会" not in html


def test_a_township_officer_sees_no_other_township_congress(login, personas, city):
    province(city, personas["city"], counties=1, per_county=5)
    html = login(personas["township_b"]).get(URL).content.decode()
    assert "第1县" not in html
    assert "市级人大" not in html  # nothing above their congress
    html = login(personas["township_b"]).get(URL, {"area": "422802"}).content.decode()
    assert "第1县" not in html


def test_one_townships_officer_has_no_table_by_township(login, personas, city):
    """The home page's figures by township would be one row, the officer's own township: not shown to them; a
    county's officer (several townships) and the city's keep it."""
    from deputyhome.accounts.choices import Role
    from deputyhome.accounts.models import User

    assert 'id="areas"' not in login(personas["township"]).get(URL).content.decode()
    assert 'id="areas"' in login(personas["city"]).get(URL).content.decode()
    county = User.objects.create(username="county", role=Role.TOWNSHIP_OFFICER, region=city.city)
    html = login(county).get(URL).content.decode()
    assert 'id="areas"' in html and city.township_a.name in html and city.township_b.name in html
