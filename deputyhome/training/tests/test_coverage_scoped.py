"""A township's or a group's coverage page reads its deputies once (`selectors.scoped_coverage`): the township rows
are `township_breakdown`'s and the uncovered list is `uncovered_new_deputies`', in its order, on data with every
case the rule tells apart; the page reads the same queries at two sizes and shows the list."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from deputyhome.core.tests.reading import read
from deputyhome.testing import add_deputies
from deputyhome.training import selectors
from deputyhome.training.choices import AttendanceStatus, SessionKind

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
START = datetime.date(2021, 10, 1)  # the small city's mandates start here


@pytest.fixture
def cases(city, make_session, invite):
    """New deputies covered and not, one trained before taking office, one re-elected (not new), one without a
    township, one whose mandate ended (not counted), and hours at a session this year."""
    from deputyhome.deputies.models import Mandate
    from deputyhome.organisation.choices import CongressLevel
    from deputyhome.organisation.models import Congress

    early = make_session(kind=SessionKind.INITIAL, date=START - datetime.timedelta(days=30))
    initial = make_session(kind=SessionKind.INITIAL, date=datetime.date(2022, 3, 1))
    makeup = make_session(kind=SessionKind.INITIAL, region=city.township_a, date=datetime.date(2023, 5, 1))
    special = make_session(kind=SessionKind.SPECIAL, hours="2.5")
    more = add_deputies(6, congress=city.city_congress, group=city.group_a, region=city.township_a, serial=600)
    nowhere = add_deputies(1, congress=city.city_congress, group=city.group_a, region=None, serial=620)
    nowhere[0].name = "赵无乡镇"
    nowhere[0].save()
    invite(initial, city.deputies_a[:2] + city.deputies_b[:1], status=AttendanceStatus.PRESENT)
    invite(makeup, more[:1], status=AttendanceStatus.PRESENT)
    invite(early, more[1:2], status=AttendanceStatus.PRESENT)  # before the mandate: not covered
    invite(initial, more[2:3], status=AttendanceStatus.EXCUSED, reason="病假")  # excused: not covered
    invite(special, city.deputies_a + more[:3], status=AttendanceStatus.PRESENT)
    former = Congress.objects.create(
        level=CongressLevel.CITY,
        term=10,
        name="恩施市第十届人民代表大会",
        region=city.city,
        start_date=START.replace(2016),
        is_current=False,
    )
    Mandate.objects.create(deputy=more[3], congress=former, start_date=START.replace(2016), end_date=START)
    Mandate.objects.filter(deputy=more[4]).update(end_date=START.replace(2024))  # no longer in office
    return more + nowhere


@pytest.mark.parametrize("persona", ["township", "township_b", "group", "liaison"])
def test_the_rows_and_the_list_are_those_of_the_grouped_definition(personas, cases, persona):
    user = personas[persona]
    rows, uncovered = selectors.scoped_coverage(user=user, year=YEAR)
    assert rows == selectors.township_breakdown(user=user, year=YEAR)
    # In the order the city's list pages them (township code, the deputies without a township last; name; id).
    pages = selectors.UncoveredByTownship(user=user, on=selectors.as_of(YEAR), townships=rows)
    expected = pages[0 : pages.count()]
    assert len(expected) == len(uncovered) and {d.pk for d in expected} == set(
        selectors.uncovered_new_deputies(user=user, on=selectors.as_of(YEAR)).values_list("pk", flat=True)
    )
    assert [(d.pk, d.name, d.new_since) for d in uncovered] == [(d.pk, d.name, d.new_since) for d in expected]
    assert [d.township for d in uncovered] == [d.region.name if d.region_id else "" for d in expected]


def test_the_cases_come_out_as_the_rule_says(personas, city, cases):
    rows, uncovered = selectors.scoped_coverage(user=personas["group"], year=YEAR)
    missing = {d.pk for d in uncovered}
    covered, early, excused, reelected, ended, nowhere = cases[0], cases[1], cases[2], cases[3], cases[4], cases[6]
    assert covered.pk not in missing and {early.pk, excused.pk, nowhere.pk} <= missing
    assert reelected.pk not in missing and ended.pk not in missing
    assert [r["name"] for r in rows] == [city.township_a.name, "未划定乡镇"]
    assert rows[0]["hours"] == 2.5 * (len(city.deputies_a) + 3) and rows[0]["person_times"] == len(city.deputies_a) + 3


def _get(client, **params) -> tuple[int, str]:
    page = read(client, reverse("training:coverage"), {"year": YEAR, **params})
    return page.queries, page.html


def _uncovered(html: str) -> str:
    return html.split('id="uncovered"', 1)[1].split("</table>", 1)[0]


@pytest.mark.parametrize("persona", ["township", "group"])
def test_the_page_reads_the_same_queries_with_few_and_many_and_lists_a_page(client, personas, city, cases, persona):
    client.force_login(personas[persona])
    few, html = _get(client)
    listed = _uncovered(html)
    assert f'href="/deputies/{cases[1].pk}/">{cases[1].name}<' in listed and city.group_a.name in listed
    assert f'href="/deputies/{cases[0].pk}/"' not in listed
    add_deputies(80, congress=city.city_congress, group=city.group_a, region=city.township_a, serial=700)
    many, html = _get(client)
    assert many == few
    assert _uncovered(html).count("<tr>") == 50 + 1  # a page of 50 and the heading
    _, second = _get(client, page=2)
    assert _uncovered(second).count("<tr>") > 1
