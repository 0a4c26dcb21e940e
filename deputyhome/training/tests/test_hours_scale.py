"""The hours page at province scale: a page of deputies read along an index, its figures counted for that page
only, the city-wide count served from a snapshot until an audited write on the deputies; the same queries at two
sizes; sorting by a figure, in SQL for a township's list and from the order computed ahead for the whole city's;
another township's deputies never listed."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from deputyhome.core.tests.reading import read
from deputyhome.deputies import services as deputy_services
from deputyhome.figures.models import FigureSnapshot
from deputyhome.testing import add_deputies, register_rows
from deputyhome.training import precomputed, selectors, services
from deputyhome.training.models import Attendance
from deputyhome.training.views_coverage import FIGURE_KEYS

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def _get(client, **params) -> tuple[int, str]:
    page = read(client, reverse("training:hours"), {"year": YEAR, **params})
    return page.queries, page.html


def _rows(html: str) -> list[list[str]]:
    """Each row's cells (name, township, sessions, hours, leave, absences) as text."""
    return register_rows(html)


@pytest.fixture
def trained(city, make_session, invite):
    """Township A's first deputy present at two sessions (5.5 hours), its second absent at one."""
    a, b = city.deputies_a[:2]
    invite(make_session(hours="3"), [a], status="present")
    invite(make_session(hours="2.5"), [a], status="present")
    invite(make_session(hours="2"), [b], status="absent")
    return city


def test_the_city_wide_list_runs_the_same_queries_at_two_sizes_and_counts_from_a_snapshot(
    client, personas, trained, make_session, invite
):
    client.force_login(personas["city"])
    _get(client)  # the count's snapshot taken
    few, html = _get(client)
    assert "共 8 条" in html
    assert FigureSnapshot.objects.filter(name=precomputed.HOURS_DEPUTIES, key=str(YEAR)).exists()
    more = add_deputies(60, congress=trained.city_congress, group=trained.group_b, region=trained.township_b)
    invite(make_session(hours="4"), more[:30], status="present")
    many, html = _get(client)
    assert many == few
    assert "共 8 条" in html  # written around the services: no audit row, the snapshot stands

    # A write through a service (its audit row) on the deputies: counted again.
    deputy_services.mandate_update(
        mandate=more[0].mandates.get(), data={"constituency": "白杨坪镇第1选区"}, actor=personas["city"]
    )
    _, html = _get(client)
    assert "共 68 条，第 1/2 页" in html
    _, second = _get(client, page=2)
    assert len(_rows(second)) == 18


def test_each_row_shows_its_own_years_figures(client, personas, trained, make_session, invite):
    a, b = trained.deputies_a[:2]
    invite(make_session(hours="8", date=datetime.date(YEAR - 1, 6, 1)), [a], status="present")  # last year's
    client.force_login(personas["city"])
    rows = {r[0]: r for r in _rows(_get(client)[1])}
    assert rows[a.name][2:] == ["2", "5.5", "0", "0"]
    assert rows[b.name][2:] == ["0", "0", "0", "1"]
    last_year = {r[0]: r for r in _rows(_get(client, year=YEAR - 1)[1])}
    assert last_year[a.name][2:4] == ["1", "8"]


def _in_sql(user, sort: str, **narrow) -> list[str]:
    """The names in the order a township's list is sorted in, in SQL (`with_hours`), for `user`'s whole scope."""
    deputies = selectors.hours_deputies(user=user, year=YEAR).filter(**narrow)
    return [d.name for d in selectors.with_hours(deputies, year=YEAR).order_by(sort, "pk")]


def test_the_city_wide_list_sorts_by_every_figure_as_a_township_list_is_sorted(
    client, personas, trained, make_session, invite
):
    assert set(precomputed.ORDER_FIGURES) == FIGURE_KEYS
    invite(make_session(hours="9"), trained.deputies_b[3:], status="present")  # the most hours, last by township
    invite(make_session(hours="2"), trained.deputies_b[:2], status="excused", reason="出差")
    invite(make_session(hours="1.5"), trained.deputies_b[1:3], status="present")
    client.force_login(personas["city"])
    _, html = _get(client)
    assert "sort=training_hours" in html and _rows(html)[-1][0] == trained.deputies_b[3].name
    for key in sorted(FIGURE_KEYS):
        for sort in (key, f"-{key}"):
            _, html = _get(client, sort=sort)
            assert [r[0] for r in _rows(html)] == _in_sql(personas["city"], sort), sort
    assert _rows(_get(client, sort="-training_hours")[1])[0][0] == trained.deputies_b[3].name
    assert FigureSnapshot.objects.filter(name=precomputed.HOURS_ORDER).count() == len(FIGURE_KEYS)

    # Narrowed by a name: the same order, only the deputies found.
    name = trained.deputies_b[1].name[:2]
    _, html = _get(client, q=name, sort="-training_hours")
    assert [r[0] for r in _rows(html)] == _in_sql(personas["city"], "-training_hours", name__contains=name)

    # A township chosen: sorted in SQL, that township's deputies only.
    _, html = _get(client, township=trained.township_a.pk, sort="-training_hours")
    assert _rows(html)[0][0] == trained.deputies_a[0].name and trained.deputies_b[0].name not in html

    client.force_login(personas["township"])  # 六角亭街道's officer: a township's list
    _, html = _get(client, sort="-training_hours")
    rows = _rows(html)
    assert rows[0][0] == trained.deputies_a[0].name and len(rows) == 4 and trained.deputies_b[0].name not in html
    _, html = _get(client, sort="training_absent")
    assert _rows(html)[-1][0] == trained.deputies_a[1].name


def test_the_city_wide_sorted_list_reads_its_order_ahead_at_two_sizes_and_follows_an_audited_write(
    client, personas, trained, make_session, invite
):
    client.force_login(personas["city"])
    _get(client, sort="-training_hours")  # the order's snapshot taken
    few, html = _get(client, sort="-training_hours")
    assert _rows(html)[0][0] == trained.deputies_a[0].name  # 5.5 hours
    more = add_deputies(60, congress=trained.city_congress, group=trained.group_b, region=trained.township_b)
    invite(make_session(hours="4"), more[:30], status="present")
    deputy_services.mandate_update(
        mandate=more[0].mandates.get(), data={"constituency": "白杨坪镇第1选区"}, actor=personas["city"]
    )  # an audited write: the count and the order are computed again
    recomputed, _ = _get(client, sort="-training_hours")
    many, html = _get(client, sort="-training_hours")
    assert many == few < recomputed and "共 68 条，第 1/2 页" in html
    assert [r[0] for r in _rows(html)][:31] == [trained.deputies_a[0].name, *(d.name for d in more[:30])]
    _, second = _get(client, sort="-training_hours", page=2)
    assert [r[0] for r in _rows(second)] == _in_sql(personas["city"], "-training_hours")[50:]

    # Attendance marked through the training service (audited): the order follows.
    session = make_session(hours="20")
    invite(session, [trained.deputies_b[0]])
    row = Attendance.objects.get(session=session)
    services.attendance_mark(session=session, marks={row.pk: ("present", "")}, actor=personas["city"])
    _, html = _get(client, sort="-training_hours")
    assert _rows(html)[0][:4] == [trained.deputies_b[0].name, trained.township_b.name, "1", "20"]


def test_a_scoped_list_runs_the_same_queries_at_two_sizes(client, personas, trained):
    client.force_login(personas["township"])
    few, _ = _get(client, sort="-training_hours")
    add_deputies(60, congress=trained.city_congress, group=trained.group_a, region=trained.township_a)
    many, html = _get(client, sort="-training_hours")
    assert many == few and "共 64 条" in html
