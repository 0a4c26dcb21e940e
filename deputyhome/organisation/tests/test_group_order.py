"""The group register by township sorts on the region code and the group's number (two columns an index
can serve) rather than on their concatenation, and counts the groups without joining anything."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deputyhome.core.tests.reading import read
from deputyhome.organisation.choices import StationKind
from deputyhome.organisation.models import DeputyGroup, Station
from deputyhome.organisation.naming import natural_key

pytestmark = pytest.mark.django_db


def _page(client, **params) -> tuple[str, list[str]]:
    page = read(client, reverse("organisation:group_list"), params)
    return page.html, page.sql


@pytest.fixture
def numbered(city):
    """Groups 第二, 第十 and 第三 at a station of township B, and 第九 at one of township A (whose code is lower)."""
    at_b = Station.objects.create(kind=StationKind.LIAISON, name="乙站", region=city.village_b)
    at_a = Station.objects.create(kind=StationKind.LIAISON, name="甲站", region=city.village_a)
    for name in ("白杨坪镇第十代表小组", "白杨坪镇第二代表小组", "白杨坪镇第三代表小组"):
        DeputyGroup.objects.create(name=name, station=at_b, sort_key=natural_key(name))
    DeputyGroup.objects.create(
        name="六角亭街道第九代表小组", station=at_a, sort_key=natural_key("六角亭街道第九代表小组")
    )


@pytest.mark.parametrize("sort", [None, "township_order", "-township_order"])
def test_by_township_then_the_groups_number(client, personas, city, numbered, sort):
    client.force_login(personas["city"])
    html, sqls = _page(client, **({"sort": sort} if sort else {}))
    order = ["六角亭街道第一代表小组", "六角亭街道第九代表小组", "白杨坪镇第一代表小组"]
    order += ["白杨坪镇第二代表小组", "白杨坪镇第三代表小组", "白杨坪镇第十代表小组"]
    shown = sorted(order, key=html.index)
    assert shown == (order[::-1] if sort == "-township_order" else order)
    page = next(s for s in sqls if s.startswith('SELECT "organisation_deputygroup"."id"'))
    assert '"organisation_region"."code"' in page.split("ORDER BY", 1)[1]
    assert "||" not in page and "CONCAT" not in page.upper()


def test_the_count_joins_nothing(client, personas, city, numbered):
    client.force_login(personas["city"])
    _html, sqls = _page(client)
    count = next(s for s in sqls if s.startswith('SELECT COUNT(*) AS "__count" FROM "organisation_deputygroup"'))
    assert "JOIN" not in count
