"""结对联系群众情况: whether each deputy in a group is paired with at least 10 households (a pairing in force on the
year's last day, or today), on the page, in its export, by township, in its 提醒 and on the deputy's home page,
within the user's scope."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from deputyhome.accounts import scopes
from deputyhome.audit.models import AuditEvent
from deputyhome.deputies.models import GroupMembership
from deputyhome.deputies.tests.test_roster_files import xlsx_rows
from deputyhome.notifications.models import Notification
from deputyhome.opinions.models import Pairing, PairingContact
from deputyhome.records.todo import tiles
from deputyhome.testing import add_deputies, register_rows

pytestmark = pytest.mark.django_db

URL = reverse("records:households")
REMIND = reverse("records:households_remind")
SINCE = datetime.date(2025, 6, 1)


def _pair(deputy, n: int, *, since=SINCE, ended_on=None) -> list[Pairing]:
    return Pairing.objects.bulk_create(
        Pairing(deputy=deputy, household=f"户{i}", members=3, since=since, ended_on=ended_on) for i in range(n)
    )


@pytest.fixture
def paired(city, personas):
    """张-0 has 10 households; 张-1 has 9 and one more whose pairing ended in January; 张-2 has 8 and 4 more paired
    from next year (not in force yet); 李-0 has 11; the rest none. 张-0 logged two contacts this year with one
    household, and one last year."""
    a, b = city.deputies_a, city.deputies_b
    mine = _pair(a[0], 10)
    _pair(a[1], 9)
    _pair(a[1], 1, ended_on=datetime.date(scopes.today().year, 1, 31))
    _pair(a[2], 8)
    _pair(a[2], 4, since=datetime.date(scopes.today().year + 1, 1, 2))
    _pair(b[0], 11)
    year = scopes.today().year
    for day in (datetime.date(year, 1, 5), datetime.date(year, 1, 6), datetime.date(year - 1, 7, 1)):
        PairingContact.objects.create(
            pairing=mine[0], date=day, way="visit", notes="走访", recorded_by=personas["city"]
        )
    return city


def _rows(client, **params) -> dict[str, list[str]]:
    response = client.get(URL, {"year": scopes.today().year, **params})
    assert response.status_code == 200
    listed = response.content.decode().split('<table class="responsive">', 1)
    return {row[0]: row[1:] for row in register_rows(listed[1])} if len(listed) > 1 else {}


def test_who_has_ten_households_and_who_does_not(paired, personas, login):
    client = login(personas["city"])
    rows = _rows(client)
    a, b = paired.deputies_a, paired.deputies_b
    assert rows[a[0].name] == ["六角亭街道", "六角亭街道第一代表小组", "10", "1", "2", "达标"]
    assert rows[a[1].name][2:] == ["9", "0", "0", "未达标"]  # the ended pairing is not counted
    assert rows[a[2].name][2:] == ["8", "0", "0", "未达标"]  # nor next year's
    assert rows[b[0].name][2:] == ["11", "0", "0", "达标"]
    page = client.get(URL).content.decode()
    assert '<td data-label="在小组代表">8</td>' in page and '<td data-label="达标">2</td>' in page
    assert '<td data-label="达标率">25.0%</td>' in page
    assert set(_rows(client, missing="on")) == {d.name for d in (*a[1:], *b[1:])}


def test_the_threshold_is_a_setting(paired, personas, login):
    with override_settings(PAIRING_HOUSEHOLDS_MIN=9):
        rows = _rows(login(personas["township"]))
    assert [rows[d.name][-1] for d in paired.deputies_a] == ["达标", "达标", "未达标", "未达标"]


def test_a_deputy_out_of_a_group_is_not_held_to_it(paired, personas, login):
    gone = paired.deputies_a[1]
    GroupMembership.objects.filter(deputy=gone).update(end_date=datetime.date(scopes.today().year, 1, 31))
    assert gone.name not in _rows(login(personas["city"]))


def test_each_role_sees_its_own_deputies_only(paired, personas, login):
    a, b = paired.deputies_a, paired.deputies_b
    assert set(_rows(login(personas["group"]))) == {d.name for d in a}
    township = login(personas["township"])  # the fixture's one client, now the township's
    assert set(_rows(township)) == {d.name for d in a}
    outside = township.get(URL, {"station": paired.station_b.pk})
    assert outside.status_code == 400 and b[0].name not in outside.content.decode()
    assert set(_rows(township, name="李")) == set()
    export = township.get(reverse("records:households_export"), {"station": paired.station_b.pk}, follow=True)
    assert export.status_code == 400 and b[0].name not in export.content.decode()
    for role in ("deputy", "unit"):
        assert login(personas[role]).get(URL).status_code == 403


def test_the_citys_snapshot_is_the_townships_count(paired, personas, login):
    city = _rows(login(personas["city"]), township=paired.township_a.pk)
    # The city's rows name the township; the township's officer has no such column (one value).
    assert {row[0] for row in city.values()} == {paired.township_a.name}
    assert {name: row[1:] for name, row in city.items()} == _rows(login(personas["township"]))


def test_the_export_is_the_list(paired, personas, login):
    client = login(personas["township"])
    response = client.get(reverse("records:households_export") + "?missing=on", follow=True)
    rows = xlsx_rows(response.content)
    assert "结对联系群众情况（未达标代表）" in rows[0][0]
    assert rows[1] == [
        "姓名",
        "乡镇（街道）",
        "代表小组",
        "结对联系户（户）",
        "本年联系过的户",
        "本年联系（次）",
        "是否达标",
    ]
    a = paired.deputies_a
    assert {r[0]: (r[3], r[6]) for r in rows[2:]} == {a[1].name: (9, "否"), a[2].name: (8, "否"), a[3].name: (0, "否")}
    event = AuditEvent.objects.get(action="export.paired_households")
    assert event.changes["rows"] == 3 and event.changes["filters"]["missing"] is True
    assert login(personas["deputy"]).get(reverse("records:households_export"), follow=True).status_code == 403


def test_the_lowest_townships_come_first(paired, personas, login):
    html = login(personas["city"]).get(URL).content.decode()
    table = html.split("各乡镇（街道）结对联系群众情况", 1)[1].split("</table>", 1)[0] + "</table>"
    assert register_rows(table) == [["六角亭街道", "4", "1", "3", "25.0%"], ["白杨坪镇", "4", "1", "3", "25.0%"]]


@pytest.mark.parametrize("role", ["city", "township"])
def test_the_page_reads_the_same_queries_for_more_deputies(paired, personas, login, role):
    client = login(personas[role])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    client.get(URL)
    small = queries()
    for deputy in add_deputies(60, congress=paired.city_congress, group=paired.group_a, region=paired.township_a):
        _pair(deputy, 10)
    assert queries() == small


def test_the_township_reminds_those_short_once_a_day(paired, personas, login):
    """Township A's deputies short of ten are 张-1, 张-2 and 张-3; only 张-3 has a login (the `deputy` persona)."""
    client = login(personas["township"])
    assert "提醒这3名未达标代表" in client.get(URL).content.decode()
    text = client.post(REMIND, {"year": scopes.today().year}, follow=True).content.decode()
    assert "已提醒1名未达标代表（站内消息" in text and "另有2名代表没有登录账号" in text
    notes = Notification.objects.filter(subject="您的结对联系户不足10户")
    assert [n.user.username for n in notes] == ["deputy"] and "10户以上" in notes[0].body
    client.post(REMIND, {"year": scopes.today().year})
    assert notes.count() == 1
    assert [e.changes["missing"] for e in AuditEvent.objects.filter(action="households.remind")] == [3, 3]


@pytest.mark.parametrize("role", ["deputy", "supervisor", "leader", "unit"])
def test_only_those_who_organise_the_station_work_remind(paired, personas, login, role):
    assert login(personas[role]).post(REMIND, {"year": scopes.today().year}).status_code == 403
    assert not Notification.objects.exists() and not AuditEvent.objects.filter(action="households.remind").exists()


def test_a_deputy_short_of_households_is_told_how_many_until_they_have_enough(paired, personas):
    deputy, today = personas["deputy"], scopes.today()
    [tile] = [t for t in tiles(deputy, today) if t.label.startswith("结对联系户")]
    assert (tile.label, tile.count, tile.url) == ("结对联系户距10户还差", 10, reverse("opinions:pairing_list"))
    _pair(deputy.deputy, 7)
    assert [t.count for t in tiles(deputy, today) if t.label.startswith("结对联系户")] == [3]
    _pair(deputy.deputy, 3)
    assert not [t for t in tiles(deputy, today) if t.label.startswith("结对联系户")]
    GroupMembership.objects.filter(deputy=deputy.deputy).delete()
    assert tiles(deputy, today) == []  # in no group: held to neither norm


def test_each_count_leads_to_the_deputys_pairings_in_force(paired, personas, login):
    client = login(personas["township"])
    deputy = paired.deputies_a[1]
    html = client.get(URL, {"name": deputy.name}).content.decode()
    link = f"{reverse('opinions:pairing_list')}?deputy={deputy.pk}&amp;in_force=true"
    assert f'<a href="{link}">9</a>' in html
    register = client.get(link.replace("&amp;", "&")).content.decode()
    assert len(register_rows(register.split('<table class="responsive">', 1)[1])) == 9  # not the ended one


def test_the_duty_record_counts_the_households_and_their_contacts(paired, personas, login):
    """张-0: ten households paired since mid-2025; two contacts this year with one of them, one last year."""
    deputy, year = paired.deputies_a[0], scopes.today().year
    client = login(personas["township"])
    page = client.get(reverse("records:deputy_record", args=[deputy.pk]), {"year": year}).content.decode()
    stat = '<div class="stat"><div class="n">{}</div><div class="l">{}</div></div>'
    assert stat.format(10, "结对联系户（户）") in page and stat.format(2, "联系结对户（次）") in page
    assert page.count(">户0户</a>") == 2
    last = client.get(reverse("records:deputy_record", args=[deputy.pk]), {"year": year - 1}).content.decode()
    assert stat.format(10, "结对联系户（户）") in last and stat.format(1, "联系结对户（次）") in last
    before = client.get(reverse("records:deputy_record", args=[deputy.pk]), {"year": 2024}).content.decode()
    assert stat.format(0, "结对联系户（户）") in before and "本期间没有联系结对户的记录。" in before
    export = client.get(reverse("records:deputy_record_export", args=[deputy.pk]), {"year": year}, follow=True)
    book = load_workbook(io.BytesIO(export.content))
    contacts = [[c.value for c in r][1:4] for r in book["结对联系"].iter_rows(min_row=3)]
    assert contacts == [["户0户", None, "入户走访"]] * 2  # no village given
    summary = {r[0].value: r[1].value for r in book["概况"].iter_rows(min_row=3)}
    assert (summary["结对联系户（户，期末）"], summary["联系结对户（次）"], summary["联系到的结对户（户）"]) == (
        10,
        2,
        1,
    )


def test_the_citys_snapshot_follows_a_pairing_added(paired, personas, login):
    from deputyhome.opinions import services

    city = login(personas["city"])
    short = paired.deputies_a[1]  # nine households
    met = '<td data-label="达标">{}</td>'
    assert met.format(2) in city.get(URL).content.decode()  # the summary, from the snapshot now stored
    data = {"deputy": short, "household": "新户", "members": 2, "since": SINCE}
    services.pairing_create(data=data, actor=personas["city"])
    assert met.format(3) in city.get(URL).content.decode()
    assert short.name not in _rows(city, missing="on")


# 联系结对户 as a duty-points rule -----------------------------------------------------------------------------


def _scheme_form(scheme, **points) -> dict[str, str]:
    """The scheme page's form as a browser sends it: every row shown, the rules it lacks at 0."""
    from deputyhome.records.forms import PointsSchemeForm

    form = PointsSchemeForm(scheme=scheme)
    data = {name: "" if value is None else str(value) for name, value in form.initial.items()}
    data.update({f"points_{rule}": value for rule, value in points.items()})
    return {k: v for k, v in data.items() if not k.startswith("deduction_") or v == "True"}


def test_a_committee_scores_the_contacts_once_it_gives_them_points(paired, personas, login):
    from deputyhome.records import selectors, services

    year, officer = scopes.today().year, personas["city"]
    client = login(officer)
    url = f"{reverse('records:scheme')}?year={year}"
    assert '联系结对户<div class="help muted">本年度办法尚无此项' in client.get(url).content.decode()  # offered
    scheme = services.points_scheme_for_year(year=year)
    rules = set(scheme.items.values_list("rule", flat=True))
    assert "household_contact" not in rules
    assert client.post(url, _scheme_form(scheme)).status_code == 302
    assert set(scheme.items.values_list("rule", flat=True)) == rules  # left at 0: not added
    _scheme, before = selectors.points_rows(selectors.PointsQuery(year=year), user=officer)
    totals = {r.deputy.pk: r.card.total for r in before}

    assert client.post(url, _scheme_form(scheme, household_contact="1.5")).status_code == 302
    item = scheme.items.get(rule="household_contact")
    assert (item.label, item.points, item.is_deduction) == ("联系结对户", 1.5, False)
    _scheme, after = selectors.points_rows(selectors.PointsQuery(year=year), user=officer)
    mine = paired.deputies_a[0]  # two contacts this year
    assert {r.deputy.pk: r.card.total for r in after} == {**totals, mine.pk: totals[mine.pk] + 3}
    # The list ranked in SQL (the city's computed ahead, a township's counted) scores them as the record does.
    for user in (officer, personas["township"]):
        _s, ranked = selectors.points_page_rows(selectors.PointsQuery(year=year), user=user)
        rows = {row.deputy.pk: row.card.total for row in ranked[0:50]}
        assert rows[mine.pk] == totals[mine.pk] + 3
    record = client.get(reverse("records:deputy_record", args=[mine.pk]), {"year": year}).content.decode()
    assert "2次 × 1.5分 = 3分" in record
