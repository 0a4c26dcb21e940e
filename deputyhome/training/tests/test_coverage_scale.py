"""The coverage page at many townships: the same queries at 5 and 60 townships (each with a new deputy), the
township table a page of 50 at a time, and the figures those of every township (city-wide: from the snapshot)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from deputyhome.core.tests.reading import read
from deputyhome.testing import add_deputies

pytestmark = pytest.mark.django_db


def _townships(city, n: int, start: int) -> None:
    """`n` more townships under the city, each with one deputy of the city's congress (a new deputy)."""
    from deputyhome.organisation.choices import RegionKind
    from deputyhome.organisation.models import Region

    for i in range(start, start + n):
        town = Region.objects.create(
            code=f"422801{300 + i:03d}", name=f"新设{i}镇", kind=RegionKind.TOWN, parent=city.city
        )
        add_deputies(1, congress=city.city_congress, group=city.group_a, region=town, serial=600 + i)


def _get(client, **params) -> tuple[int, str]:
    page = read(client, reverse("training:coverage"), {"year": 2026, **params})
    return page.queries, page.html


def _township_rows(html: str) -> int:
    return html.split('id="townships"', 1)[1].split("</table>", 1)[0].count("<tr>") - 1


def test_the_same_queries_at_5_and_60_townships(client, personas, city):
    """Computed (the snapshot dropped: the townships are added without an audited write) and served alike."""
    from deputyhome.figures.models import FigureSnapshot

    client.force_login(personas["city"])
    _townships(city, 5, 0)
    few, html = _get(client)
    few_served, _ = _get(client)
    assert "新设4镇" in html
    _townships(city, 55, 5)
    FigureSnapshot.objects.all().delete()
    many, html = _get(client)
    many_served, _ = _get(client)
    assert "（62）" in html
    assert (many, many_served) == (few, few_served)


def test_the_township_table_is_a_page_of_50(client, personas, city):
    client.force_login(personas["city"])
    _townships(city, 60, 0)
    _, first = _get(client)
    assert _township_rows(first) == 50
    assert "（62）" in first  # the two townships of the small city and the 60 new ones
    assert "tpage=2" in first
    _, second = _get(client, tpage=2)
    assert _township_rows(second) == 12
    assert "新设59镇" in second and "新设59镇" not in first
    # the totals are every township's: 60 new deputies and the small city's
    assert f'>{60 + len(city.deputies_a) + len(city.deputies_b)}</div><div class="l">本届新任代表' in second


def test_a_new_deputy_trained_before_taking_office_is_not_covered(personas, city, make_session, invite):
    from deputyhome.training import selectors
    from deputyhome.training.choices import AttendanceStatus, SessionKind

    early = make_session(kind=SessionKind.INITIAL, date=datetime.date(2021, 9, 1))
    invite(early, city.deputies_a[:1], status=AttendanceStatus.PRESENT)
    later = make_session(kind=SessionKind.INITIAL, date=datetime.date(2022, 3, 1))
    invite(later, city.deputies_b[:1], status=AttendanceStatus.PRESENT)
    on = datetime.date(2026, 6, 1)
    trained = {d.pk: d.initial_trained for d in selectors.new_deputies(user=personas["city"], on=on)}
    assert trained[city.deputies_a[0].pk] is False
    assert trained[city.deputies_b[0].pk] is True
    cov = selectors.initial_training_coverage(user=personas["city"], on=on)
    assert (cov["new_deputies"], cov["covered"]) == (len(trained), 1)


def test_the_uncovered_list_is_a_page_of_50_and_the_sums_match_the_count(client, personas, city):
    from deputyhome.training import selectors

    client.force_login(personas["city"])
    _townships(city, 60, 0)
    total = 60 + len(city.deputies_a) + len(city.deputies_b)
    _, first = _get(client)
    rows = first.split('id="uncovered"', 1)[1].split("</table>", 1)[0].count("<tr>") - 1
    _, second = _get(client, page=2)
    rest = second.split('id="uncovered"', 1)[1].split("</table>", 1)[0].count("<tr>") - 1
    assert (rows, rest) == (50, total - 50)
    rows = selectors.township_breakdown(user=personas["city"], year=2026)
    assert selectors.coverage_of(rows) == selectors.initial_training_coverage(
        user=personas["city"], on=selectors.as_of(2026)
    )
