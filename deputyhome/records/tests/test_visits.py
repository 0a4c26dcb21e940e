"""代表进站情况: who of a user's deputies came to a home or a station in a year (a reception, or a group's or a
station's activity attended), on the page, in its summary and its export, within the user's scope."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.activities.models import Activity, Participation
from deputyhome.activities.services import activity_create
from deputyhome.audit.models import AuditEvent
from deputyhome.deputies.models import GroupMembership
from deputyhome.deputies.tests.test_roster_files import xlsx_rows
from deputyhome.notifications import services
from deputyhome.notifications.models import Notification
from deputyhome.notifications.services import AT_ONCE
from deputyhome.opinions.models import Reception
from deputyhome.testing import add_deputies, register_rows

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 5)
URL = "/records/visits/"


def _activity(city, by, *, group=None, station=None, level="group", day=DAY, present=(), absent=()):
    activity = Activity.objects.create(
        kind="research",
        level=level,
        region=city.township_a,
        group=group,
        station=station,
        date=day,
        place="村委会",
        topic="调研",
        created_by=by,
    )
    for deputy in present:
        Participation.objects.create(activity=activity, deputy=deputy, attendance="present")
    for deputy in absent:
        Participation.objects.create(activity=activity, deputy=deputy, attendance="absent")
    return activity


@pytest.fixture
def visits(city, personas):
    """In 2026: 张-0 received voters at station A; 李-1 attended group B's activity; 张-1 was only at a committee
    activity (not at a home or station); 张-2 was absent from a group activity; 张-3 received voters in 2025 only.
    Everyone else did nothing."""
    a, b, by = city.deputies_a, city.deputies_b, personas["city"]
    reception = Reception.objects.create(station=city.station_a, date=DAY, voters_received=5, recorded_by=by)
    reception.deputies.add(a[0])
    old = Reception.objects.create(station=city.station_a, date=datetime.date(2025, 6, 1), recorded_by=by)
    old.deputies.add(a[3])
    _activity(city, by, group=city.group_b, present=[b[1]])
    _activity(city, by, level="committee", present=[a[1]])
    _activity(city, by, station=city.station_a, absent=[a[2]])
    return city


def _rows(client, **params) -> dict[str, list[str]]:
    response = client.get(URL, {"year": 2026, **params})
    assert response.status_code == 200
    listed = response.content.decode().split('<table class="responsive">', 1)  # after the summary's table
    return {row[0]: row[1:] for row in register_rows(listed[1])} if len(listed) > 1 else {}


def test_who_came_and_who_did_not(visits, personas, login):
    client = login(personas["city"])
    rows = _rows(client)
    a, b = visits.deputies_a, visits.deputies_b
    assert rows[a[0].name] == ["六角亭街道", "六角亭街道第一代表小组", "1", "0", "已进站"]
    assert rows[b[1].name] == ["白杨坪镇", "白杨坪镇第一代表小组", "0", "1", "已进站"]
    for deputy in (a[1], a[2], a[3], b[0], b[2], b[3]):
        assert rows[deputy.name][-1] == "未进站", deputy.name
    page = client.get(URL, {"year": 2026}).content.decode()
    assert '<td data-label="应进站代表">8</td>' in page and '<td data-label="已进站">2</td>' in page
    assert '<td data-label="进站率">25.0%</td>' in page

    missing = _rows(client, missing="on")
    assert set(missing) == {d.name for d in (a[1], a[2], a[3], b[0], b[2], b[3])}
    assert set(_rows(client, year=2025, missing="on")) == {d.name for d in (*a[:3], *b)}


def test_a_deputy_out_of_a_group_is_not_expected(visits, personas, login):
    gone = visits.deputies_a[1]
    GroupMembership.objects.filter(deputy=gone).update(end_date=datetime.date(2026, 1, 31))
    assert gone.name not in _rows(login(personas["city"]))


def test_each_role_sees_its_own_deputies_only(visits, personas, login):
    township = _rows(login(personas["township"]))
    assert set(township) == {d.name for d in visits.deputies_a}
    group = _rows(login(personas["group"]))
    assert set(group) == {d.name for d in visits.deputies_a}
    # Another township's group named in the filter narrows nothing into view.
    other = login(personas["township"]).get(URL, {"year": 2026, "group": visits.group_b.pk})
    assert other.status_code == 400 and visits.deputies_b[0].name not in other.content.decode()
    for role in ("deputy", "unit", "sysadmin", "auditor"):
        assert login(personas[role]).get(URL).status_code == 403, role


def test_the_citys_filters_and_a_bad_year(visits, personas, login):
    client = login(personas["city"])
    b = {d.name for d in visits.deputies_b}
    assert set(_rows(client, township=visits.township_b.pk)) == b
    assert set(_rows(client, group=visits.group_b.pk)) == b
    assert set(_rows(client, station=visits.station_b.pk)) == b  # the deputies of the groups based there
    assert set(_rows(client, name="李")) == b
    assert set(_rows(client, name="李", missing="on")) == b - {visits.deputies_b[1].name}
    assert _rows(client, township=visits.township_a.pk, group=visits.group_b.pk) == {}
    bad = client.get(URL, {"year": "二〇二六"})
    assert bad.status_code == 400 and "年度" in bad.content.decode()
    outside = login(personas["township"]).get(URL, {"year": 2026, "station": visits.station_b.pk})
    assert outside.status_code == 400 and visits.deputies_b[0].name not in outside.content.decode()


def test_the_export_is_the_list(visits, personas, login):
    client = login(personas["township"])
    response = client.get(reverse("records:visits_export") + "?year=2026&missing=on", follow=True)
    rows = xlsx_rows(response.content)
    assert "未进站代表" in rows[0][0]
    a = visits.deputies_a
    assert {r[0]: r[5] for r in rows[2:]} == {a[1].name: "否", a[2].name: "否", a[3].name: "否"}
    event = AuditEvent.objects.get(action="export.station_visits")
    assert event.changes["rows"] == 3 and event.changes["filters"]["missing"] is True
    refused = login(personas["deputy"]).get(reverse("records:visits_export"), follow=True)
    assert refused.status_code == 403


def test_the_citys_list_computed_ahead_is_the_townships_counted_now(visits, personas, login):
    """The city's users read a snapshot, a township's officer counts now: the same deputies, figures and order."""
    city, township = login(personas["city"]), None
    from_snapshot = [
        _rows(city, township=visits.township_a.pk),
        _rows(city, township=visits.township_a.pk, missing="on"),
    ]
    summary = city.get(URL, {"year": 2026, "township": visits.township_a.pk}).content.decode()
    township = login(personas["township"])
    counted = [_rows(township), _rows(township, missing="on")]
    # The city's rows name the township; the township's officer has no such column (one value).
    assert {row[0] for rows in from_snapshot for row in rows.values()} == {visits.township_a.name}
    from_snapshot = [{name: row[1:] for name, row in rows.items()} for rows in from_snapshot]
    assert from_snapshot == counted and list(counted[1]) == sorted(d.name for d in visits.deputies_a[1:])
    assert '<td data-label="应进站代表">4</td>' in summary and '<td data-label="已进站">1</td>' in summary
    figures = re.compile(r'<td data-label="(?:应进站代表|已进站|未进站|进站率)">(.*?)</td>')

    def shown(html: str) -> list[str]:
        return [re.sub(r"<[^>]+>", "", cell) for cell in figures.findall(html)]

    assert shown(summary) == shown(township.get(URL, {"year": 2026}).content.decode()) == ["4", "1", "3", "25.0%"]


@pytest.mark.parametrize("role", ["city", "township"])
def test_the_page_reads_the_same_queries_for_more_deputies(visits, personas, login, role):
    client = login(personas[role])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"year": 2026}).status_code == 200
        return len(ctx.captured_queries)

    client.get(URL)
    small = queries()
    more = add_deputies(60, congress=visits.city_congress, group=visits.group_a, region=visits.township_a)
    _activity(visits, personas["city"], group=visits.group_a, present=more[:30])
    assert queries() == small


# 提醒 -------------------------------------------------------------------------------------------------------

REMIND = "/records/visits/remind/"


def test_the_township_reminds_its_deputies_not_come_once_a_day(visits, personas, login):
    """Township A's missing deputies are 张-1, 张-2 and 张-3; only 张-3 has a login (the `deputy` persona)."""
    client = login(personas["township"])
    assert "提醒这3名未进站代表" in client.get(URL).content.decode()
    response = client.post(REMIND, {"year": 2026, "sms": "on"}, follow=True)
    text = response.content.decode()
    assert "已提醒1名未进站代表（站内消息和短信" in text and "另有2名代表没有登录账号" in text
    notes = Notification.objects.filter(subject__contains="尚未到代表之家")
    assert {(n.user.username, n.channel) for n in notes} == {("deputy", "in_app"), ("deputy", "sms")}
    client.post(REMIND, {"year": 2026})
    assert notes.count() == 2
    events = AuditEvent.objects.filter(action="visits.remind")
    assert [e.changes["missing"] for e in events] == [3, 3]


def test_a_group_filter_reminds_that_group_only_and_nothing_outside_the_scope(visits, personas, login):
    login(personas["city"]).post(REMIND, {"year": 2026, "group": visits.group_b.pk})
    assert not Notification.objects.filter(user=personas["deputy"]).exists()
    # Township A's officer naming group B is refused by the filter (not in their choices): nobody is reminded.
    response = login(personas["township"]).post(REMIND, {"year": 2026, "group": visits.group_b.pk}, follow=True)
    assert "所选代表小组不存在或不在您的查看范围内" in response.content.decode()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("role", ["deputy", "supervisor", "leader", "unit", "sysadmin"])
def test_only_those_who_organise_the_station_work_remind(visits, personas, login, role):
    assert login(personas[role]).post(REMIND, {"year": 2026}).status_code == 403
    assert not Notification.objects.exists() and not AuditEvent.objects.filter(action="visits.remind").exists()


def test_reminding_is_a_post(visits, personas, login):
    assert login(personas["township"]).get(REMIND).status_code == 405


# By township -------------------------------------------------------------------------------------------------


def _townships(html: str) -> list[list[str]]:
    if "各乡镇（街道）进站情况" not in html:
        return []
    table = html.split("各乡镇（街道）进站情况", 1)[1].split("</table>", 1)[0] + "</table>"
    return register_rows(table)


def test_the_townships_with_the_lowest_rates_come_first(visits, personas, login):
    """Township B gets two more deputies come (3 of 4); A has 1 of 4. The city's officer reads the snapshot, a county's
    officer (a region above the townships, not the whole city) counts now: the same table."""
    for deputy in visits.deputies_b[2:]:
        reception = Reception.objects.create(station=visits.station_b, date=DAY, recorded_by=personas["city"])
        reception.deputies.add(deputy)
    expected = [["六角亭街道", "4", "1", "3", "25.0%"], ["白杨坪镇", "4", "3", "1", "75.0%"]]
    city = login(personas["city"])
    assert _townships(city.get(URL).content.decode()) == expected
    county = User.objects.create(username="county", role=Role.TOWNSHIP_OFFICER, region=visits.city)
    assert _townships(login(county).get(URL).content.decode()) == expected
    # One township, or a list narrowed to one: no table.
    assert _townships(login(personas["township"]).get(URL).content.decode()) == []
    assert _townships(city.get(URL, {"township": visits.township_b.pk}).content.decode()) == []
    assert _townships(city.get(URL, {"name": "李"}).content.decode()) == []


def test_the_keepers_homes_count_their_deputies_not_come_and_short_of_households(visits, personas, login):
    """A township's officer and a group's leader see how many of their deputies have not come yet and how many are
    paired with fewer than ten households, linked to the two lists narrowed to them; red in December only. The
    counts are the lists' own."""
    from deputyhome.records.todo import tiles

    december, march = datetime.date(2026, 12, 1), datetime.date(2026, 3, 6)

    def norms(user, day=december) -> dict[str, tuple]:
        return {t.label: (t.count, t.url, t.urgent) for t in tiles(user, day) if "进站" in t.label or "结对" in t.label}

    visits_url, households_url = "/records/visits/?year=2026&missing=on", "/records/households/?year=2026&missing=on"
    assert norms(personas["township"]) == {
        "本年尚未进站的代表": (3, visits_url, True),
        "结对联系不足10户的代表": (4, households_url, True),
    }
    assert len(_rows(login(personas["township"]), missing="on")) == 3
    assert norms(personas["township_b"])["本年尚未进站的代表"][0] == 3  # B's own: 李-1 came
    assert norms(personas["group"]) == {
        "本组本年尚未进站的代表": (3, visits_url, True),
        "本组结对联系不足10户的代表": (4, households_url, True),
    }
    assert not any(urgent for _n, _url, urgent in norms(personas["township"], march).values())
    # Counted ahead per scope: an activity recorded through the service (audited) is counted at the next look.
    data = {
        "kind": "forum",
        "level": "group",
        "group": visits.group_a,
        "place": "联络站",
        "topic": "集中活动",
        "date": DAY,
    }
    people = [(deputy, "present") for deputy in visits.deputies_a[1:3]]
    activity_create(data=data, participants=people, actor=personas["city"])
    assert norms(personas["township"])["本年尚未进站的代表"][0] == 1
    for role in ("city", "deputy", "unit", "supervisor"):
        assert not [label for label in norms(personas[role]) if label.endswith("的代表")], role


def test_a_reminder_by_sms_to_more_than_twenty_says_the_rest_follow(
    visits, personas, login, sms_outbox, django_capture_on_commit_callbacks
):
    """The first 20 SMS go out with the answer, the rest by the command (decision 155): the officer is told so."""
    more = add_deputies(AT_ONCE + 3, congress=visits.city_congress, group=visits.group_a, region=visits.township_a)
    for i, deputy in enumerate(more):
        deputy.phone = f"1370000{i:04d}"
        deputy.save(update_fields=["phone"])
        User.objects.create(username=f"rd{i}", role="deputy", deputy=deputy)
    client = login(personas["township"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REMIND, {"year": 2026, "sms": "on"}, follow=True)
    text = response.content.decode()
    assert f"已提醒{AT_ONCE + 4}名未进站代表" in text
    assert f"短信共{AT_ONCE + 4}条，已排队：随即先发出至多{AT_ONCE}条，其余由定时任务在15分钟内发出" in text
    assert len(services.outbox) == AT_ONCE
