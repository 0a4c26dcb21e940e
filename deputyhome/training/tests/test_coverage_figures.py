"""The coverage page: the city-wide figures served from a snapshot until an audited write changes their sources; the
scoped pages counted in SQL with the same queries at two sizes; the uncovered list paged through the townships."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from deputyhome.core.tests.reading import read
from deputyhome.figures.models import FigureSnapshot
from deputyhome.testing import add_deputies
from deputyhome.training import precomputed, selectors, services
from deputyhome.training.choices import AttendanceStatus, SessionKind

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def _get(client, **params) -> tuple[int, str]:
    page = read(client, reverse("training:coverage"), {"year": YEAR, **params})
    return page.queries, page.html


def _stat(html: str, label: str) -> str:
    """The figure of the stat box labelled `label`."""
    return html.split(f'</div><div class="l">{label}', 1)[0].rsplit('<div class="n', 1)[1].split(">", 1)[1]


def _uncovered(html: str) -> str:
    return html.split('id="uncovered"', 1)[1].split("</table>", 1)[0] if 'id="uncovered"' in html else ""


def test_the_city_page_is_served_from_the_snapshot_and_computed_again_after_a_write(
    client, personas, city, make_session, invite
):
    initial = make_session(kind=SessionKind.INITIAL, date=datetime.date(2022, 3, 1))
    rows = invite(initial, city.deputies_a + city.deputies_b)  # invited, not yet present
    client.force_login(personas["city"])
    computed, html = _get(client)
    assert _stat(html, "已参加初任培训") == "0" and "数据计算于" in html
    served, again = _get(client)
    assert served < computed and _stat(again, "本届新任代表") == _stat(html, "本届新任代表")
    assert FigureSnapshot.objects.filter(name=precomputed.COVERAGE, key=str(YEAR)).count() == 1

    # A write through the service (with its audit row) makes the snapshot stale: the page counts again.
    services.attendance_mark(
        session=initial, marks={rows[0].pk: (AttendanceStatus.PRESENT, "")}, actor=personas["city"]
    )
    recomputed, after = _get(client)
    assert recomputed > served
    assert _stat(after, "已参加初任培训") == "1"
    assert city.deputies_a[0].name not in _uncovered(after) and city.deputies_a[1].name in _uncovered(after)


@pytest.mark.parametrize("persona", ["supervisor", "leader"])
def test_every_city_wide_user_reads_the_same_snapshot(client, personas, city, persona):
    client.force_login(personas["city"])
    computed, html = _get(client)
    client.force_login(personas[persona])
    served, theirs = _get(client)
    assert served < computed and _stat(theirs, "本届新任代表") == _stat(html, "本届新任代表")
    assert FigureSnapshot.objects.count() == 1


def test_a_snapshot_of_an_earlier_day_is_computed_again(client, personas, city):
    client.force_login(personas["city"])
    computed, _ = _get(client)
    snapshot = FigureSnapshot.objects.get(name=precomputed.COVERAGE)
    # Computed yesterday, "as of" yesterday: no write since, but another day.
    snapshot.value["stats"]["as_of"] = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    snapshot.computed_at = timezone.now() - datetime.timedelta(days=1)
    snapshot.save()
    again, html = _get(client)
    assert again == computed and f"截至 {timezone.localdate():%Y年%-m月%-d日}" in html  # computed, not served
    assert timezone.localdate(FigureSnapshot.objects.get(name=precomputed.COVERAGE).computed_at) == timezone.localdate()


def test_refresh_figures_keeps_this_year_and_the_last_computed(city):
    call_command("refresh_figures")
    keys = set(FigureSnapshot.objects.filter(name=precomputed.COVERAGE).values_list("key", flat=True))
    assert keys == {str(YEAR), str(YEAR - 1)}


def _more(city, n: int, serial: int, *, region=None, group=None) -> list:
    return add_deputies(
        n, congress=city.city_congress, group=group or city.group_a, region=region or city.township_a, serial=serial
    )


@pytest.mark.parametrize("persona", ["township", "group"])
def test_scoped_pages_count_in_sql_with_the_same_queries_at_two_sizes(
    client, personas, city, make_session, invite, persona
):
    initial = make_session(kind=SessionKind.INITIAL, date=datetime.date(2022, 3, 1))
    invite(initial, _more(city, 3, 700), status=AttendanceStatus.PRESENT)
    _more(city, 2, 710)
    client.force_login(personas[persona])
    few, html = _get(client)
    covered = int(_stat(html, "已参加初任培训"))
    invite(initial, _more(city, 40, 720), status=AttendanceStatus.PRESENT)
    _more(city, 60, 770)
    many, html = _get(client)
    assert many == few
    assert int(_stat(html, "已参加初任培训")) == covered + 40  # no snapshot: what the database says now
    assert "数据计算于" not in html and not FigureSnapshot.objects.exists()
    assert _uncovered(html).count("<tr>") == 50 + 1  # a page of 50 and the heading


def test_a_township_sees_only_its_own_deputies(client, personas, city):
    theirs = _more(city, 2, 800, region=city.township_b, group=city.group_b)
    client.force_login(personas["township"])
    _, html = _get(client)
    assert all(d.name not in _uncovered(html) for d in city.deputies_b + theirs)
    assert _stat(html, "本届新任代表") == str(len(city.deputies_a))
    client.force_login(personas["township_b"])
    _, html = _get(client)
    assert theirs[0].name in _uncovered(html) and city.deputies_a[1].name not in _uncovered(html)


def test_the_uncovered_list_pages_through_the_townships_in_order(personas, city, make_session, invite):
    from deputyhome.organisation.choices import RegionKind
    from deputyhome.organisation.models import Region

    initial = make_session(kind=SessionKind.INITIAL, date=datetime.date(2022, 3, 1))
    for i in range(7):
        town = Region.objects.create(code=f"4228013{i:02d}", name=f"新设{i}镇", kind=RegionKind.TOWN, parent=city.city)
        added = _more(city, 2 + i, 300 + 20 * i, region=town)
        invite(initial, added[::3], status=AttendanceStatus.PRESENT)
    user = personas["city"]
    on = selectors.as_of(YEAR)
    expected = list(selectors.uncovered_new_deputies(user=user, on=on).values_list("pk", flat=True))
    # The same deputies, in the same order, as the grouped definition of a new deputy says are not covered.
    grouped = selectors.new_deputies(user=user, on=on).order_by("region__code", "name", "id")
    assert expected == [pk for pk, trained in grouped.values_list("pk", "initial_trained") if not trained]
    assert len(expected) > 10
    rows = selectors.township_breakdown(user=user, year=YEAR)
    pages = selectors.UncoveredByTownship(user=user, on=on, townships=rows)
    assert pages.count() == len(expected)
    for size in (1, 3, 5, 50):
        got = [d.pk for start in range(0, len(expected), size) for d in pages[start : start + size]]
        assert got == expected, size


def test_one_townships_officer_reads_the_uncovered_without_a_township_column(client, personas, city):
    client.force_login(personas["township"])
    uncovered = _uncovered(_get(client)[1])
    assert city.deputies_a[0].name in uncovered and "乡镇（街道）" not in uncovered
    client.force_login(personas["city"])
    uncovered = _uncovered(_get(client)[1])
    assert (
        city.deputies_a[0].name in uncovered and f'<td data-label="乡镇（街道）">{city.township_a.name}<' in uncovered
    )
