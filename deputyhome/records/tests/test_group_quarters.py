"""代表小组活动情况: whether each of a user's groups held an activity every quarter of a year (the standard item
GF-4), on the page, in its summary and its export, within the user's scope."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputyhome.accounts import scopes
from deputyhome.activities.models import Activity
from deputyhome.activities.services import activity_create, activity_update
from deputyhome.audit.models import AuditEvent
from deputyhome.deputies.tests.test_roster_files import xlsx_rows
from deputyhome.notifications.models import Notification
from deputyhome.organisation.services import group_create
from deputyhome.records import group_quarters as gq
from deputyhome.testing import register_rows

pytestmark = pytest.mark.django_db

URL = reverse("records:group_quarters")
YEAR = 2025  # a year ended: every quarter is judged


def _activity(city, by, day: datetime.date, *, group=None, level="group"):
    return Activity.objects.create(
        kind="forum", level=level, region=city.township_a, group=group, date=day, place="联络站", topic="集中活动",
        created_by=by,
    )  # fmt: skip


@pytest.fixture
def quarters(city, personas):
    """In 2025 group A met twice in the first quarter and once in the third; group B once every quarter. Not counted:
    group A's meeting of 2024, and a committee activity of the second quarter (no group)."""
    by = personas["city"]
    for day in (datetime.date(2025, 1, 10), datetime.date(2025, 3, 31), datetime.date(2025, 9, 1)):
        _activity(city, by, day, group=city.group_a)
    for month in (2, 5, 8, 11):
        _activity(city, by, datetime.date(2025, month, 15), group=city.group_b)
    _activity(city, by, datetime.date(2024, 6, 1), group=city.group_a)
    _activity(city, by, datetime.date(2025, 6, 1), level="committee")
    return city


def _page(client, **params) -> tuple[str, dict[str, list[str]]]:
    response = client.get(URL, {"year": YEAR, **params})
    assert response.status_code == 200
    html = response.content.decode()
    listed = html.split('<table class="responsive">', 1)  # after the summary's table
    return html, ({row[0]: row[1:] for row in register_rows(listed[1])} if len(listed) > 1 else {})


def _summary(html: str) -> list[str]:
    """The two summary tables' figures: the groups, and those that held an activity in each quarter."""
    tables = html.split('<table class="figures">')[1:3]
    return [cell for table in tables for cell in register_rows(table.split("</table>", 1)[0])[0]]


def test_each_group_by_quarter(quarters, personas, login):
    html, rows = _page(login(personas["city"]))
    assert rows == {
        quarters.group_a.name: [quarters.station_a.name, "2 次", "未开展", "1 次", "未开展"],
        quarters.group_b.name: [quarters.station_b.name, "1 次", "1 次", "1 次", "1 次"],
    }
    # Groups 2; all quarters held 1; a quarter missed 1; groups that held one in each quarter 2, 1, 2, 1.
    assert _summary(html) == ["2", "1", "1", "2", "1", "2", "1"]
    assert "恩施市2025年代表小组活动情况" in html


def test_the_townships_with_the_lowest_rates_come_first(quarters, personas, login):
    html, _rows = _page(login(personas["city"]))
    table = html.split("各乡镇（街道）小组活动情况", 1)[1].split("</table>", 1)[0]
    assert register_rows(table) == [["六角亭街道", "1", "0", "1", "0.0%"], ["白杨坪镇", "1", "1", "0", "100.0%"]]
    assert f"?year={YEAR}&amp;township={quarters.township_a.pk}" in table
    assert "各乡镇（街道）小组活动情况" not in _page(login(personas["city"]), name="六角亭")[0]  # narrowed
    assert "各乡镇（街道）小组活动情况" not in _page(login(personas["township"]))[0]  # one township


def test_the_running_quarter_is_not_missed_and_a_quarter_ahead_is_blank(quarters, personas):
    """On 15 July 2025: the third quarter runs (group A's September meeting is still ahead), the fourth has not
    begun; the first two are judged."""
    query = gq.GroupQuarterQuery(year=YEAR, today=datetime.date(2025, 7, 15))
    found = gq.group_quarters(query, user=personas["city"])
    rows = {r.group.pk: r for r in gq.with_quarters(list(found.listed), query)}
    a, b = rows[quarters.group_a.pk], rows[quarters.group_b.pk]
    assert a.states == (gq.HELD, gq.MISSED, gq.RUNNING, gq.AHEAD) and a.held == (2, 0, 0, 0) and a.missed == 1
    assert b.states == (gq.HELD, gq.HELD, gq.RUNNING, gq.AHEAD) and b.missed == 0
    assert [(f.held, f.begun) for f in found.quarters] == [(2, True), (1, True), (0, True), (0, False)]
    assert (found.groups, found.met, found.missed_any) == (2, 1, 1)
    # On the quarter's last day it still runs; the day after, a quarter without a meeting is missed.
    assert gq.GroupQuarterQuery(year=YEAR, today=datetime.date(2025, 6, 30)).state(2, 0) == gq.RUNNING
    assert gq.GroupQuarterQuery(year=YEAR, today=datetime.date(2025, 7, 1)).state(2, 0) == gq.MISSED


def test_a_group_formed_during_the_year_is_held_to_its_whole_quarters_only(quarters, personas, login):
    """Group A, formed on 10 April 2025 (its January and March meetings were before: recorded all the same), is held
    to the third and fourth quarters: the second, begun before it was formed, is not missed. Formed on 1 April, it
    would be held to the second."""
    from deputyhome.organisation import services

    group = quarters.group_a
    services.group_update(group=group, data={"founded_on": datetime.date(2025, 4, 10)}, actor=personas["city"])
    html, rows = _page(login(personas["city"]))
    assert rows[group.name] == [quarters.station_a.name, "2 次", "新成立，不计", "1 次", "未开展"]
    on = datetime.date(2025, 7, 15)
    found = gq.group_quarters(gq.GroupQuarterQuery(year=YEAR, today=on), user=personas["city"])
    assert found.missed_any == 0  # on 15 July: only the second quarter has ended, and it is not held against A
    april = gq.GroupQuarterQuery(year=YEAR, today=datetime.date(2025, 4, 20), running=True)
    quiet = gq.group_quarters(april, user=personas["city"])  # B meets in May; A is not asked to in its first quarter
    assert [g.pk for g in quiet.listed] == [quarters.group_b.pk] and quiet.quiet == 1
    export = login(personas["city"]).get(reverse("records:group_quarters_export"), {"year": YEAR}, follow=True)
    assert [r[2:7] for r in xlsx_rows(export.content)[2:] if r[0] == group.name] == [[2, "不计（新成立）", 1, 0, 1]]
    services.group_update(group=group, data={"founded_on": datetime.date(2025, 4, 1)}, actor=personas["city"])
    assert _page(login(personas["city"]))[1][group.name][2] == "未开展"
    assert gq.group_quarters(gq.GroupQuarterQuery(year=YEAR, today=on), user=personas["city"]).missed_any == 1
    # Formed after the year (or, in a running year, after today): not listed for it at all.
    services.group_update(group=group, data={"founded_on": datetime.date(YEAR + 1, 2, 1)}, actor=personas["city"])
    assert list(_page(login(personas["city"]))[1]) == [quarters.group_b.name]
    services.group_update(group=group, data={"founded_on": datetime.date(2025, 6, 1)}, actor=personas["city"])
    may = gq.GroupQuarterQuery(year=YEAR, today=datetime.date(2025, 5, 1))
    assert gq.group_quarters(may, user=personas["city"]).groups == 1  # on 1 May, not formed yet
    assert gq.group_quarters(gq.GroupQuarterQuery(year=YEAR), user=personas["city"]).groups == 2  # the whole year


def test_the_citys_list_computed_ahead_is_the_townships_counted_now(quarters, personas, login):
    """The city's users read a snapshot (narrowed there to a township), a township's officer counts now: the same
    groups, quarters and figures. Group B (白杨坪镇) formed in April is not held to the second quarter in either,
    and counts nowhere in 六角亭街道's list; a change through a service is seen at once."""
    from deputyhome.figures.models import FigureSnapshot
    from deputyhome.organisation import services

    by = personas["city"]
    services.group_update(group=quarters.group_b, data={"founded_on": datetime.date(2025, 4, 10)}, actor=by)

    def both(**params) -> tuple:  # (one client: each login switches it)
        city = _page(login(by), township=quarters.township_b.pk, **params)
        return city, _page(login(personas["township_b"]), **params)

    for params in ({}, {"missing": "on"}):
        (city_html, city_rows), (township_html, township_rows) = both(**params)
        assert city_rows == township_rows and _summary(city_html) == _summary(township_html)
    assert city_rows == {}  # B held every quarter it is held to
    assert _page(login(personas["township_b"]))[1][quarters.group_b.name][2] == "1 次"
    assert FigureSnapshot.objects.filter(name=gq.GROUP_QUARTERS, key=str(YEAR)).exists()
    html, rows = _page(login(by), township=quarters.township_a.pk, missing="on")
    assert list(rows) == [quarters.group_a.name] and _summary(html)[:3] == ["1", "0", "1"]
    for activity in Activity.objects.filter(group=quarters.group_b, date__month=11):
        activity_update(activity=activity, data={"date": datetime.date(2024, 11, 15)}, actor=by)
    (city_html, city_rows), (township_html, township_rows) = both(missing="on")
    assert list(city_rows) == list(township_rows) == [quarters.group_b.name]
    assert _summary(city_html) == _summary(township_html)
    assert _summary(_page(login(by), township=quarters.township_a.pk)[0])[:3] == ["1", "0", "1"]  # B not counted


def test_only_the_groups_that_missed_a_quarter(quarters, personas, login):
    client = login(personas["city"])
    html, rows = _page(client, missing="on")
    assert list(rows) == [quarters.group_a.name] and "（未达标小组）" in html
    # Through the services, as the activities pages write (the city's list is a snapshot, stale on their audit).
    by = personas["city"]
    for activity in Activity.objects.filter(group=quarters.group_a):
        activity_update(activity=activity, data={"date": datetime.date(2024, 1, 1)}, actor=by)
    for month in (1, 4, 7, 10):
        data = {"kind": "forum", "level": "group", "group": quarters.group_a, "place": "联络站", "topic": "集中活动"}
        activity_create(data=data | {"date": datetime.date(2025, month, 2)}, actor=by)
    html, rows = _page(client, missing="on")
    assert rows == {} and "各代表小组均开展了活动" in html
    html, rows = _page(client, running="on")
    assert rows == {} and "2025年没有进行中的季度" in html and "（本季度尚未开展）" in html


def test_each_role_sees_its_own_groups_only(quarters, personas, login):
    for role in ("township", "group", "liaison"):
        assert list(_page(login(personas[role]))[1]) == [quarters.group_a.name], role
    assert _summary(_page(login(personas["township"]))[0])[:3] == ["1", "0", "1"]
    # Another township named in the filter brings nothing into view.
    other = login(personas["township"]).get(URL, {"year": YEAR, "township": quarters.township_b.pk})
    assert other.status_code == 400 and quarters.group_b.name not in other.content.decode()
    for role in ("deputy", "unit", "sysadmin", "auditor"):
        assert login(personas[role]).get(URL).status_code == 403, role


def test_a_groups_leader_is_not_offered_a_station(quarters, personas, login):
    """Their one group's list needs no station, whose name would head a part of it; one sent anyway is ignored."""
    client = login(personas["group"])
    for url in (URL, reverse("records:visits")):
        response = client.get(url, {"year": YEAR, "station": quarters.station_a.pk})
        assert response.status_code == 200 and 'name="station"' not in response.content.decode()
        assert quarters.station_a.name not in response.content.decode().split("</h1>", 1)[0]


def test_the_citys_filters_and_a_bad_year(quarters, personas, login):
    client = login(personas["city"])
    assert list(_page(client, township=quarters.township_b.pk)[1]) == [quarters.group_b.name]
    assert list(_page(client, name="六角亭")[1]) == [quarters.group_a.name]
    assert "没有符合条件的代表小组" in _page(client, name="不存在的小组")[0]
    html, rows = _page(client, station=quarters.station_b.pk)
    assert list(rows) == [quarters.group_b.name] and f"{quarters.station_b.name}2025年代表小组活动情况" in html
    bad = client.get(URL, {"year": "二〇二五"})
    assert bad.status_code == 400 and "年度" in bad.content.decode()
    outside = login(personas["township"]).get(URL, {"year": YEAR, "station": quarters.station_b.pk})
    assert outside.status_code == 400 and quarters.group_b.name not in outside.content.decode()


def test_the_export_is_the_list(quarters, personas, login):
    client = login(personas["city"])
    response = client.get(reverse("records:group_quarters_export") + f"?year={YEAR}", follow=True)
    rows = xlsx_rows(response.content)
    assert "恩施市2025年代表小组活动情况" in rows[0][0]
    assert rows[1][0] == "代表小组" and rows[1][-1] == "未开展的季度数"
    assert [r[2:] for r in rows[2:]] == [[2, 0, 1, 0, 2], [1, 1, 1, 1, 0]]
    event = AuditEvent.objects.get(action="export.group_quarters")
    assert event.changes["rows"] == 2 and event.changes["filters"]["year"] == YEAR
    township = login(personas["township"]).get(reverse("records:group_quarters_export") + f"?year={YEAR}", follow=True)
    assert [r[0] for r in xlsx_rows(township.content)[2:]] == [quarters.group_a.name]
    assert login(personas["deputy"]).get(reverse("records:group_quarters_export")).status_code == 403


@pytest.mark.parametrize("role", ["city", "township"])
def test_the_page_reads_the_same_queries_for_more_groups(quarters, personas, login, role):
    client = login(personas[role])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"year": YEAR}).status_code == 200
        return len(ctx.captured_queries)

    client.get(URL, {"year": YEAR})  # the city's snapshot computed: the pages below read it
    small = queries()
    by = personas["city"]
    for i in range(40):  # through the services, whose audit makes the city's snapshot stale
        group = group_create(data={"name": f"六角亭街道第{i + 10}代表小组", "station": quarters.station_a}, actor=by)
        data = {"kind": "forum", "level": "group", "group": group, "place": "联络站", "topic": "集中活动"}
        activity_create(data=data | {"date": datetime.date(2025, 1 + i % 12, 3)}, actor=by)
    html = client.get(URL, {"year": YEAR}).content.decode()
    assert re.search(r"共 4[12] 个代表小组，第 1/2 页", html)
    assert queries() == small


# 本季度尚未开展: the running quarter, and the 待办 tile ------------------------------------------------------------

AUGUST = datetime.date(YEAR, 8, 20)  # group B met on 15 August; group A's meeting of 1 September is ahead


def test_only_the_groups_not_met_yet_this_quarter(quarters, personas):
    query = gq.GroupQuarterQuery(year=YEAR, today=AUGUST, running=True)
    found = gq.group_quarters(query, user=personas["city"])
    assert [g.pk for g in found.listed] == [quarters.group_a.pk] and found.quiet == 1
    both = gq.group_quarters(
        gq.GroupQuarterQuery(year=YEAR, today=AUGUST, running=True, missing=True), user=personas["city"]
    )
    assert [g.pk for g in both.listed] == [quarters.group_a.pk]  # it missed the second quarter too
    ended = gq.group_quarters(gq.GroupQuarterQuery(year=YEAR, running=True), user=personas["city"])
    assert ended.quiet == 0 and list(ended.listed) == []  # 2025 has ended: no quarter runs


def test_the_home_tells_who_keeps_groups_of_those_not_met_this_quarter(quarters, personas):
    from deputyhome.records.todo import tiles

    def tile(role: str, today: datetime.date):
        return {t.label: t for t in tiles(personas[role], today)}

    township = tile("township", AUGUST)["本季度尚未开展活动的代表小组"]
    assert township.count == 1 and not township.urgent and "running=on" in township.url
    assert tile("township_b", AUGUST)["本季度尚未开展活动的代表小组"].count == 0  # group B met
    assert tile("group", AUGUST)["本组本季度尚未开展活动"].count == 1
    assert tile("group", datetime.date(YEAR, 9, 20))["本组本季度尚未开展活动"].urgent  # the quarter's last fortnight
    assert tile("group", datetime.date(YEAR, 9, 2))["本组本季度尚未开展活动"].count == 0  # met on 1 September
    for role in ("city", "unit", "supervisor"):
        assert tile(role, AUGUST) == {}, role


def test_the_home_page_shows_the_tile(quarters, personas, login):
    html = login(personas["township"]).get("/").content.decode()
    assert "本季度尚未开展活动的代表小组" in html
    assert reverse("records:group_quarters") in html


# 提醒 the groups not met yet this quarter ------------------------------------------------------------------------

REMIND = reverse("records:group_quarters_remind")
THIS_YEAR = scopes.today().year  # the running quarter is today's: neither group has met in it


def test_the_township_reminds_its_groups_keepers_once_a_day(quarters, personas, login):
    """Township A's one group has not met this quarter: its leader and its liaison officer are told."""
    client = login(personas["township"])
    assert "提醒这1个小组的组长、联络员" in client.get(URL, {"year": THIS_YEAR}).content.decode()
    response = client.post(REMIND, {"year": THIS_YEAR, "sms": "on"}, follow=True)
    text = response.content.decode()
    assert "已提醒1个代表小组的组长、联络员：2个登录账号收到站内消息" in text and "电话联系" not in text
    assert response.redirect_chain[-1][0].endswith("running=on")
    notes = Notification.objects.filter(subject__contains="本组尚未开展集中活动", channel="in_app")
    assert {n.user.username for n in notes} == {"group", "liaison"}
    client.post(REMIND, {"year": THIS_YEAR})
    assert notes.count() == 2  # once a day
    events = AuditEvent.objects.filter(action="group_quarters.remind")
    assert [e.changes["missing"] for e in events] == [1, 1] and events[0].changes["reached"] == 2


def test_a_station_filter_reminds_its_groups_only_and_a_past_year_nobody(quarters, personas, login):
    client = login(personas["city"])
    said = client.post(REMIND, {"year": THIS_YEAR, "station": quarters.station_b.pk}, follow=True).content.decode()
    assert not Notification.objects.exists()  # group B has no leader's or liaison officer's login
    assert "另有1个小组没有组长、联络员登录账号，请电话联系" in said
    assert AuditEvent.objects.get(action="group_quarters.remind").changes["missing"] == 1
    past = client.post(REMIND, {"year": YEAR}, follow=True)
    assert f"{YEAR}年没有进行中的季度，无需提醒" in past.content.decode()
    assert AuditEvent.objects.filter(action="group_quarters.remind").count() == 1
    outside = login(personas["township"]).post(
        REMIND, {"year": THIS_YEAR, "station": quarters.station_b.pk}, follow=True
    )
    assert "所选家站不存在或不在您的查看范围内" in outside.content.decode() and not Notification.objects.exists()


@pytest.mark.parametrize("role", ["group", "liaison", "deputy", "supervisor", "leader", "unit", "sysadmin"])
def test_only_the_officers_remind_groups(quarters, personas, login, role):
    client = login(personas[role])
    assert client.post(REMIND, {"year": THIS_YEAR}).status_code == 403
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action="group_quarters.remind").exists()
    if role in ("group", "liaison"):
        assert "组长、联络员</button>" not in client.get(URL, {"year": THIS_YEAR}).content.decode()


def test_reminding_groups_is_a_post(quarters, personas, login):
    assert login(personas["township"]).get(REMIND).status_code == 405


def test_a_deputy_not_come_this_year_is_told_until_they_come(quarters, personas):
    """The `deputy` persona (张-3, group A) has done nothing this year; once they receive voters, the tile goes."""
    from deputyhome.opinions.models import Reception
    from deputyhome.records.todo import tiles

    today = scopes.today()
    [tile] = [t for t in tiles(personas["deputy"], today) if t.label == "本年尚未进站"]
    assert (tile.label, tile.count, tile.url) == ("本年尚未进站", 1, reverse("records:my_record"))
    assert tile.urgent == (today.month == 12)
    reception = Reception.objects.create(station=quarters.station_a, date=today, recorded_by=personas["city"])
    reception.deputies.add(personas["deputy"].deputy)
    assert [t.label for t in tiles(personas["deputy"], today)] == ["结对联系户距10户还差"]  # test_households
