"""A group leader's and a deputy's opinions are one IN over a union of two id lists (decision 84): those left at
their stations, and those addressed to their group's deputies (a deputy: to themself). "station IN (...) OR
deputy IN (...)" read all the province's opinions for one group. The rows are the same, the list and the detail
read the same number of queries with few and many opinions, and another group's opinion is refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deputyhome.core.tests.reading import queries
from deputyhome.opinions import selectors
from deputyhome.opinions.forms import _opinion_deputies

pytestmark = pytest.mark.django_db


def _where(qs) -> str:
    return str(qs.query).split(" WHERE ", 1)[1]


@pytest.mark.parametrize("persona", ["group", "deputy"])
def test_the_scope_is_one_union_and_gives_the_same_rows(personas, make_opinion, city, persona):
    at_station_a = make_opinion()
    make_opinion(station=city.station_b, address="10.0.0.4")
    to_deputy_a = make_opinion(deputy=city.deputies_a[3], station=None, address="10.0.0.5")
    make_opinion(deputy=city.deputies_b[0], station=None, address="10.0.0.6")
    qs = selectors.opinion_list(user=personas[persona])
    assert set(qs.values_list("pk", flat=True)) == {at_station_a.pk, to_deputy_a.pk}
    where = _where(qs)
    assert where.startswith('"opinions_opinion"."id" IN (') and "UNION" in where


def test_the_deputies_who_may_take_it_up_are_the_stations_and_the_addressee(personas, make_opinion, city):
    opinion = make_opinion(deputy=city.deputies_b[0], station=city.station_a, address="10.0.0.7")
    qs = _opinion_deputies(personas["city"], opinion)
    ids = set(qs.values_list("pk", flat=True))
    assert city.deputies_b[0].pk in ids
    assert {d.pk for d in city.deputies_a} <= ids  # group A's members, based at station A
    assert not ids & {d.pk for d in city.deputies_b[1:]}
    assert "UNION" in _where(qs)


@pytest.mark.parametrize("persona", ["group", "deputy"])
def test_list_and_detail_read_the_same_queries_with_few_and_many(client, personas, make_opinion, city, persona):
    first = make_opinion()
    client.force_login(personas[persona])
    urls = [reverse("opinions:list"), reverse("opinions:detail", args=[first.pk])]
    few = [queries(client, url) for url in urls]
    for n in range(12):
        make_opinion(content=f"意见{n}", address=f"10.7.0.{n}")
        make_opinion(content=f"给代表的意见{n}", deputy=city.deputies_a[3], station=None, address=f"10.8.0.{n}")
    assert [queries(client, url) for url in urls] == few


@pytest.mark.parametrize("persona", ["group", "deputy"])
def test_another_groups_opinion_is_refused(client, personas, make_opinion, city, persona):
    theirs = make_opinion(station=city.station_b, address="10.0.0.9")
    client.force_login(personas[persona])
    assert client.get(reverse("opinions:detail", args=[theirs.pk])).status_code == 404
