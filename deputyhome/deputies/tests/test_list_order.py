"""The deputy list by township: when every deputy listed has a township, the page is read through an inner
join to the regions (PostgreSQL walks the region codes' index and stops after 25 rows) and counted on the
deputies alone; a deputy without a township keeps the outer join, so that nobody drops out of the list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deputyhome.core.tests.reading import read
from deputyhome.deputies.models import Deputy
from deputyhome.testing import add_deputies

pytestmark = pytest.mark.django_db


def _page(client, **params) -> tuple[str, list[str]]:
    page = read(client, reverse("deputies:list"), params)
    return page.html, page.sql


def _deputy_queries(sqls: list[str]) -> tuple[str, str]:
    count = next(s for s in sqls if s.startswith('SELECT COUNT(*) AS "__count" FROM "deputies_deputy"'))
    page = next(s for s in sqls if s.startswith('SELECT "deputies_deputy"."id"'))
    return count, page


def _names_in_order(html: str, names: list[str]) -> list[str]:
    return sorted((n for n in names if n in html), key=html.index)


@pytest.fixture
def more(city):
    # 30 more in township A: the list has two pages (38 deputies).
    return add_deputies(30, congress=city.city_congress, group=city.group_a, region=city.township_a)


def test_by_township_the_page_is_an_inner_join_and_the_count_has_none(client, personas, city, more):
    client.force_login(personas["city"])
    html, sqls = _page(client)
    count, page = _deputy_queries(sqls)
    assert "JOIN" not in count
    assert 'INNER JOIN "organisation_region"' in page and "LEFT OUTER JOIN" not in page
    assert "第 1 / 2 页" in html
    # Township A (422801002) before township B (422801101); within a township by id.
    a_first = sorted([*city.deputies_a, *more], key=lambda d: d.pk)[:25]
    assert _names_in_order(html, [d.name for d in a_first]) == [d.name for d in a_first]
    assert not any(d.name in html for d in city.deputies_b)
    second, _ = _page(client, page=2)
    assert all(d.name in second for d in city.deputies_b)


def test_a_deputy_without_a_township_is_still_listed_and_counted(client, personas, city, more):
    loose = Deputy.objects.filter(pk=city.deputies_b[1].pk)
    loose.update(region=None)
    client.force_login(personas["city"])
    first, sqls = _page(client)
    count, page = _deputy_queries(sqls)
    assert "JOIN" not in count
    assert 'LEFT OUTER JOIN "organisation_region"' in page
    second, _ = _page(client, page=2)
    assert city.deputies_b[1].name in first + second


@pytest.mark.parametrize("sort", ["-region__code", "name"])
def test_other_orders_are_unchanged(client, personas, city, more, sort):
    client.force_login(personas["city"])
    html, sqls = _page(client, sort=sort)
    _count, page = _deputy_queries(sqls)
    if sort == "name":
        assert 'LEFT OUTER JOIN "organisation_region"' in page  # only the township order takes the inner join
    else:
        # Descending by township: township B's four first.
        assert all(d.name in html for d in city.deputies_b)
