"""The points list at two sizes, and the city-wide list read from the ranking computed ahead (records.precomputed):
served from the snapshot on the second view, ranked again after an audited write."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputyhome.accounts.scopes import scope_key
from deputyhome.deputies.models import GroupMembership
from deputyhome.figures.models import FigureSnapshot
from deputyhome.records import precomputed, selectors, services
from deputyhome.records.choices import VoterReportStatus
from deputyhome.testing import add_deputies

from .conftest import YEAR

URL = f"/records/points/?year={YEAR}"


def _grow(city, persona: str, n: int, serial: int = 500) -> None:
    """`n` more deputies (王…) inside `persona`'s scope (the township officer's and the group leader's are A's)."""
    group, region = (city.group_b, city.township_b) if persona == "city" else (city.group_a, city.township_a)
    add_deputies(n, congress=city.city_congress, group=group, region=region, serial=serial)
    # The helper writes rows without the services (no audit event), so a snapshot would not know: drop it.
    FigureSnapshot.objects.all().delete()


@pytest.mark.parametrize(("persona", "query", "before", "after"), [
    ("city", "", 8, 68),
    ("city", "&quarter=2&township={b}", 4, 64),
    ("city", "&name=王", 5, 65),
    ("township", "", 4, 64),
    ("group", "&quarter=3", 4, 64),
])  # fmt: skip
def test_points_list_queries_do_not_grow(city, personas, login, session, persona, query, before, after):
    if "name" in query:
        _grow(city, persona, 5, serial=900)  # the small city has no 王
    client = login(personas[persona])
    url = URL + query.format(b=city.township_b.pk)
    client.get(url)  # creates the year's scheme
    FigureSnapshot.objects.all().delete()
    with CaptureQueriesContext(connection) as small_computing:
        client.get(url)  # computes the ranking (the city's, or the scope's)
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert f"共 {before} 名代表" in response.content.decode()
    _grow(city, persona, 60)
    with CaptureQueriesContext(connection) as big_computing:
        client.get(url)
    with CaptureQueriesContext(connection) as big:
        response = client.get(url)
    assert f"共 {after} 名代表" in response.content.decode()
    assert len(big) == len(small) <= 40
    assert len(big_computing) == len(small_computing) > len(small)


def test_city_list_is_served_from_the_snapshot_and_ranked_again_after_a_write(city, personas, login, session):
    officer = personas["city"]
    client = login(officer)
    with CaptureQueriesContext(connection) as first:
        html = client.get(URL).content.decode()
    assert "数据计算于" in html and "积分随平台数据实时计算" not in html
    snapshot = FigureSnapshot.objects.get(name=precomputed.POINTS, key=f"{YEAR}:0")
    with CaptureQueriesContext(connection) as second:
        client.get(URL)
    assert len(second) < len(first)  # the ranking is read, not computed
    assert FigureSnapshot.objects.get(pk=snapshot.pk).as_of_event == snapshot.as_of_event

    # A report to voters, entered through the service (audited), lifts the last deputy to the top.
    last = city.deputies_b[3]
    _scheme, ranked = selectors.points_page_rows(selectors.PointsQuery(year=YEAR), user=officer)
    assert ranked[7:8][0].deputy.pk == last.pk and ranked[0:1][0].deputy.pk != last.pk
    services.voter_report_create(
        data={
            "deputy": last,
            "station": city.station_b,
            "date": datetime.date(YEAR, 6, 1),
            "status": VoterReportStatus.HELD,
            "voters_present": 20,
        },
        actor=officer,
    )
    with CaptureQueriesContext(connection) as third:
        html = client.get(URL).content.decode()
    assert len(third) > len(second)  # computed again
    assert FigureSnapshot.objects.get(pk=snapshot.pk).as_of_event > snapshot.as_of_event  # the clock stands still
    assert html.index(last.name) < html.index(city.deputies_a[0].name)
    _scheme, ranked = selectors.points_page_rows(selectors.PointsQuery(year=YEAR), user=officer)
    top = ranked[0:1][0]
    assert (top.deputy.pk, top.rank, top.card.total) == (last.pk, 1, top.figures.reports_held * 10 + 10)


def _table(html: str) -> str:
    return html[html.index("<tbody>") : html.index("</tbody>")]


def _names_in_order(html: str, deputies) -> list[str]:
    return sorted((d.name for d in deputies if d.name in html), key=html.index)


def test_a_scoped_list_is_read_from_its_scopes_snapshot_and_ranked_again_after_a_write(city, personas, login, session):
    township = personas["township"]
    client = login(township)
    with CaptureQueriesContext(connection) as first:
        html = client.get(URL).content.decode()
    assert "数据计算于" in html and "积分随平台数据实时计算" not in html
    assert "共 4 名代表" in html and not any(d.name in html for d in city.deputies_b)
    key = precomputed.scope_points_key(scope_key(township), YEAR, None)
    snapshot = FigureSnapshot.objects.get(name=precomputed.SCOPE_POINTS, key=key)
    assert not FigureSnapshot.objects.filter(name=precomputed.POINTS).exists()  # not the city's ranking
    with CaptureQueriesContext(connection) as second:
        assert _table(client.get(URL).content.decode()) == _table(html)
    # Read, not computed: none of the figures' sources is queried, and the snapshot is the same.
    assert len(second) < len(first)
    assert not any("training_attendance" in q["sql"] for q in second.captured_queries)
    assert FigureSnapshot.objects.get(pk=snapshot.pk).as_of_event == snapshot.as_of_event

    # A report to voters held, entered through the service (audited): the last deputy goes to the top, 述职 1.
    before = _names_in_order(html, city.deputies_a)
    last = next(d for d in city.deputies_a if d.name == before[-1])
    services.voter_report_create(
        data={
            "deputy": last,
            "station": city.station_a,
            "date": datetime.date(YEAR, 6, 1),
            "status": VoterReportStatus.HELD,
            "voters_present": 20,
        },
        actor=township,
    )
    with CaptureQueriesContext(connection) as third:
        html = client.get(URL).content.decode()
    assert any("training_attendance" in q["sql"] for q in third.captured_queries)  # computed again
    assert FigureSnapshot.objects.get(pk=snapshot.pk).as_of_event > snapshot.as_of_event
    assert _names_in_order(html, city.deputies_a) == [last.name, *before[:-1]]
    _scheme, ranked = selectors.points_page_rows(selectors.PointsQuery(year=YEAR), user=township)
    top = ranked[0:1][0]
    assert (top.deputy.pk, top.rank, top.figures.reports_held, top.card.total) == (last.pk, 1, 1, 20)
    assert ranked[1:2][0].rank == 2
    # Each row names the deputy's group in force, read with the page's deputies (a township's officer has no
    # township column: it would hold their one township).
    assert _table(html).count(f">{city.group_a.name}<") == 4 and _table(html).count(f">{city.township_a.name}<") == 0
    GroupMembership.objects.filter(deputy=last).update(end_date=datetime.date(YEAR, 3, 1))
    assert _table(client.get(URL).content.decode()).count(f">{city.group_a.name}<") == 3
    assert [r.group_name for r in ranked[0:4]] == ["", city.group_a.name, city.group_a.name, city.group_a.name]


def test_each_scope_reads_its_own_snapshot_and_no_other(city, personas, login, session):
    login(personas["township"]).get(URL)
    html_b = login(personas["township_b"]).get(URL).content.decode()
    assert "共 4 名代表" in html_b and not any(d.name in html_b for d in city.deputies_a)
    group = login(personas["group"]).get(f"{URL}&quarter=2").content.decode()
    assert "共 4 名代表" in group and "本季度积分" in group and not any(d.name in group for d in city.deputies_b)
    keys = set(FigureSnapshot.objects.filter(name=precomputed.SCOPE_POINTS).values_list("key", flat=True))
    assert keys == {
        precomputed.scope_points_key(scope_key(personas["township"]), YEAR, None),
        precomputed.scope_points_key(scope_key(personas["township_b"]), YEAR, None),
        precomputed.scope_points_key(scope_key(personas["group"]), YEAR, 2),
    }
    # A filter keeps the scope's deputies it selects, ranked again among themselves; none, the page says so.
    named = login(personas["township"]).get(f"{URL}&name={city.deputies_a[2].name}").content.decode()
    assert "共 1 名代表" in named and '<td data-label="名次">1</td>' in named
    nobody = login(personas["township"]).get(f"{URL}&name=无此人").content.decode()
    assert "共 0 名代表" in nobody and "没有符合条件的代表。" in nobody
    # Another township stays refused by the filter, whatever is stored.
    response = login(personas["township"]).get(f"{URL}&township={city.township_b.pk}")
    assert response.status_code == 400 and not any(d.name in response.content.decode() for d in city.deputies_b)
    assert login(personas["deputy"]).get(URL).status_code == 403


def test_the_refresh_keeps_this_years_rankings_computed(city, session):
    from django.core.management import call_command

    call_command("refresh_figures")
    keys = set(FigureSnapshot.objects.filter(name=precomputed.POINTS).values_list("key", flat=True))
    assert keys == {f"{YEAR}:0", f"{YEAR}:4", f"{YEAR - 1}:0"}  # 20 November: the fourth quarter


def test_one_townships_officer_reads_the_points_without_a_township_filter_or_column(city, personas, login, session):
    """乡镇（街道） would hold one value for a township's officer: neither the filter nor the column is shown; the
    city's officer keeps both."""
    html = login(personas["township"]).get(URL).content.decode()
    assert "共 4 名代表" in html
    assert '<label for="id_township">' not in html and "<th>乡镇（街道）</th>" not in html
    assert 'data-label="乡镇（街道）"' not in html
    html = login(personas["city"]).get(URL).content.decode()
    assert '<label for="id_township">' in html and "<th>乡镇（街道）</th>" in html
    assert f">{city.township_a.name}<" in html  # its rows name their townships
