"""The congress register counts sessions and sitting deputies only for the page's congresses: the same
queries with few and many congresses, each row's own counts, and nothing for an account without a scope."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from deputyhome.core.tests.reading import read
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.models import Congress, Session

pytestmark = pytest.mark.django_db


def _more_congresses(n: int, start: int) -> None:
    """n township congresses, each with two sessions."""
    made = Congress.objects.bulk_create(
        [Congress(level=CongressLevel.TOWNSHIP, term=19, name=f"后设{start + i}镇人民代表大会") for i in range(n)]
    )
    day = datetime.date(2026, 1, 10)
    Session.objects.bulk_create(
        [Session(congress=c, number=k, name=f"第{k}次会议", start_date=day, end_date=day) for c in made for k in (1, 2)]
    )


def _queries(client) -> tuple[int, str]:
    page = read(client, reverse("organisation:congress_list"))
    # The counts join sessions or mandates only for the page's congresses (ids listed), never the whole table.
    counting = [sql for sql in page.sql if "COUNT" in sql and "JOIN" in sql]
    assert counting and all(" IN (" in sql for sql in counting if "organisation_congress" in sql)
    return page.queries, page.html


def test_the_same_queries_with_5_and_60_congresses(client, personas, city):
    client.force_login(personas["city"])
    _more_congresses(5, 0)
    few, _ = _queries(client)
    _more_congresses(55, 5)
    many, html = _queries(client)
    assert many == few
    assert "下一页" in html


def test_each_row_counts_its_own_sessions_and_sitting_deputies(client, personas, city):
    client.force_login(personas["city"])
    city.city_congress.mandates.filter(pk=city.city_congress.mandates.first().pk).update(status="ended")
    sitting = city.city_congress.mandates.filter(status="active").count()
    Session.objects.create(
        congress=city.city_congress,
        number=9,
        name="第九次会议",
        start_date=datetime.date(2026, 1, 10),
        end_date=datetime.date(2026, 1, 12),
    )
    sessions = city.city_congress.sessions.count()
    township_sitting = city.township_congress_b.mandates.filter(status="active").count()
    assert sitting and township_sitting and sitting != township_sitting
    _, html = _queries(client)
    row = html.split(city.city_congress.name, 1)[1].split("</tr>", 1)[0]
    assert f">{sessions}</td>" in row and f">{sitting}</td>" in row
    row = html.split(city.township_congress_b.name, 1)[1].split("</tr>", 1)[0]
    assert f">{township_sitting}</td>" in row


def test_an_account_without_a_scope_sees_no_congress(client, personas, city):
    client.force_login(personas["sysadmin"])
    response = client.get(reverse("organisation:congress_list"))
    assert response.status_code in (403, 404) or city.city_congress.name not in response.content.decode()
    detail = client.get(reverse("organisation:congress_detail", args=[city.city_congress.pk]))
    assert detail.status_code in (403, 404)
