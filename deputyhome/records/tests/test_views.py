"""Duty record pages: scopes, the printable record, the .xlsx exports, the points list, reports to voters."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from openpyxl import load_workbook

from deputyhome.audit.models import AuditEvent
from deputyhome.deputies.models import Mandate
from deputyhome.motions.models import SessionAttendance
from deputyhome.records.models import VoterReport

from .conftest import YEAR


def record_url(deputy, **query) -> str:
    q = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/records/deputies/{deputy.pk}/" + (f"?{q}" if q else "")


def export_url(deputy, **query) -> str:
    q = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/records/deputies/{deputy.pk}/export.xlsx" + (f"?{q}" if q else "")


# Scopes -------------------------------------------------------------------------------------------------


def test_township_officer_opens_their_township_but_not_another(city, personas, login, session):
    client = login(personas["township"])
    assert client.get(record_url(city.deputies_a[0])).status_code == 200
    assert client.get(record_url(city.deputies_b[0])).status_code == 404
    assert client.get(export_url(city.deputies_b[0]), follow=True).status_code == 404
    assert not AuditEvent.objects.filter(action="export.duty_record").exists()


def test_a_deputy_sees_only_their_own_record(city, personas, login):
    me = personas["deputy"].deputy
    client = login(personas["deputy"])
    assert client.get(record_url(me)).status_code == 200
    assert client.get(record_url(city.deputies_a[0])).status_code == 404
    assert client.get(export_url(city.deputies_a[0]), follow=True).status_code == 404
    response = client.get("/records/me/?year=2025")
    assert response.status_code == 302 and response["Location"] == record_url(me, year=2025)


def test_group_leader_sees_their_group(city, personas, login):
    client = login(personas["group"])
    assert client.get(record_url(city.deputies_a[3])).status_code == 200
    assert client.get(record_url(city.deputies_b[0])).status_code == 404


@pytest.mark.parametrize("persona", ["city", "supervisor", "leader"])
def test_city_wide_roles_see_everyone(city, personas, login, persona):
    assert login(personas[persona]).get(record_url(city.deputies_b[2])).status_code == 200


@pytest.mark.parametrize("persona", ["unit", "sysadmin", "auditor"])
def test_unit_clerks_and_admins_see_no_records(city, personas, login, persona):
    client = login(personas[persona])
    assert client.get(record_url(city.deputies_a[0])).status_code == 403
    assert client.get("/records/points/").status_code == 403
    assert client.get("/records/reports/").status_code == 403


def test_anonymous_is_sent_to_login(city, client):
    response = client.get(record_url(city.deputies_a[0]))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


# The record page and its export ---------------------------------------------------------------------------


def test_record_page_is_printable_with_figures_and_lists(city, personas, login, session):
    d = city.deputies_a[1]
    SessionAttendance.objects.create(session=session, deputy=d, status="excused", reason="因公出差")
    html = login(personas["city"]).get(record_url(d, year=YEAR)).content.decode()
    assert f"{d.name}代表履职档案" in html
    assert "css/records-print.css" in html and "data-print" in html
    assert "@media print" in Path(finders.find("css/records-print.css")).read_text(encoding="utf-8")
    assert "恩施市第十一届人民代表大会第六次会议" in html and "因公出差" in html
    assert "履职积分" in html and "0次 × 10分 = 0分" in html


def test_term_selector(city, personas, login, session):
    d = city.deputies_a[0]
    mandate = Mandate.objects.get(deputy=d)
    client = login(personas["city"])
    response = client.get(record_url(d, term=mandate.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "恩施市第十一届人民代表大会任期内" in html
    assert "2021年10月1日至2026年11月20日" in html
    # Each year of the term is scored by that year's scheme; 2026 has the session.
    assert "2026年：按《2026年人大代表履职积分办法》计算" in html
    assert "2022年：" in html


@pytest.mark.parametrize("query", [{"year": "26"}, {"year": "abcd"}, {"term": "999999"}])
def test_bad_period_is_explained(city, personas, login, query):
    response = login(personas["city"]).get(record_url(city.deputies_a[0], **query))
    assert response.status_code == 400
    html = response.content.decode()
    assert "年度参数无效" in html or "所选届次无效" in html


def test_export_reads_back_and_is_audited(city, personas, login, session, suggestion_factory, held_report):
    d = city.deputies_a[0]
    suggestion_factory(d, personas["city"], number=7, session=session)
    held_report(d, city.station_a, datetime.date(YEAR, 5, 20), personas["city"], voters=50, votes=(45, 4, 1))
    response = login(personas["township"]).get(export_url(d, year=YEAR), follow=True)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["概况", "积分明细", "会议", "建议", "述职", "活动", "接待", "结对联系", "培训"]
    summary = {row[0]: row[1] for row in book["概况"].iter_rows(min_row=3, values_only=True)}
    assert summary["姓名"] == d.name
    assert summary["出席人民代表大会会议（次）"] == 1
    assert summary["领衔提出建议（件，已立案）"] == 1
    assert summary["向选民述职（次）"] == 1
    assert summary["述职满意度测评"] == "98.0%"
    assert summary["履职积分"] == "25"  # 10 session + 5 suggestion + 10 report
    lines = list(book["积分明细"].iter_rows(min_row=3, values_only=True))
    assert (YEAR, "出席人民代表大会会议", 1, "次", 10, None, 10, "1次 × 10分 = 10分") in lines
    assert lines[-1][1] == "合计" and lines[-1][6] == 25
    assert [r[1] for r in book["建议"].iter_rows(min_row=3, values_only=True)] == ["第7号"]
    event = AuditEvent.objects.get(action="export.duty_record")
    assert event.actor == personas["township"]
    assert event.changes["filters"]["deputy"] == d.pk


# Session attendance ---------------------------------------------------------------------------------------


def test_recording_an_absence_and_taking_it_back(city, personas, login, session):
    d = city.deputies_a[2]
    client = login(personas["city"])
    url = f"/records/deputies/{d.pk}/attendance/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"session": session.pk, "status": "excused", "reason": ""})
    assert response.status_code == 400
    assert "请假须填写请假事由。" in response.content.decode()
    assert client.post(url, {"session": session.pk, "status": "absent"}).status_code == 302
    assert SessionAttendance.objects.get(deputy=d).status == "absent"
    assert client.post(url, {"session": session.pk, "status": "present"}).status_code == 302
    assert SessionAttendance.objects.get(deputy=d).status == "present"
    assert AuditEvent.objects.filter(action="session_attendance.record").count() == 2


def test_only_the_sessions_staff_record_attendance_from_the_duty_record(city, personas, login, session):
    """A street's officer opens their deputies' page but is not the city congress's staff: no session to choose."""
    d = city.deputies_a[2]
    client = login(personas["township"])
    url = f"/records/deputies/{d.pk}/attendance/"
    response = client.post(url, {"session": session.pk, "status": "absent"})
    assert response.status_code == 400 and "所选会议不存在。" in response.content.decode()
    assert not SessionAttendance.objects.exists()
    # Township B's deputy is out of reach.
    assert client.get(f"/records/deputies/{city.deputies_b[0].pk}/attendance/").status_code == 404


def test_deputies_cannot_record_attendance(city, personas, login):
    assert login(personas["deputy"]).get(f"/records/deputies/{city.deputies_a[3].pk}/attendance/").status_code == 403


# The points list -----------------------------------------------------------------------------------------


def test_points_list_ranks_filters_and_paginates(city, personas, login, session):
    SessionAttendance.objects.create(session=session, deputy=city.deputies_b[0], status="absent")
    client = login(personas["city"])
    html = client.get(f"/records/points/?year={YEAR}").content.decode()
    assert "恩施市人大代表2026年度履职积分" in html
    assert "共 8 名代表" in html
    assert html.index(city.deputies_a[0].name) < html.index(city.deputies_b[0].name)  # the absent one is last
    filtered = client.get(f"/records/points/?year={YEAR}&township={city.township_b.pk}").content.decode()
    assert "共 4 名代表" in filtered and city.deputies_a[0].name not in filtered
    quarter = client.get(f"/records/points/?year={YEAR}&quarter=1&group={city.group_a.pk}").content.decode()
    assert "本季度积分" in quarter and "共 4 名代表" in quarter


def test_township_officer_cannot_filter_into_another_township(city, personas, login):
    response = login(personas["township"]).get(f"/records/points/?year={YEAR}&township={city.township_b.pk}")
    assert response.status_code == 400
    assert "所选乡镇（街道）不存在或不在您的查看范围内。" in response.content.decode()


@pytest.mark.parametrize("query", ["year=abc", "quarter=5"])
def test_points_list_bad_filters(city, personas, login, query):
    response = login(personas["city"]).get(f"/records/points/?{query}")
    assert response.status_code == 400


def test_points_export_reads_back(city, personas, login, session):
    response = login(personas["city"]).get(f"/records/points/export.xlsx?year={YEAR}&quarter=1", follow=True)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("恩施市人大代表2026年第一季度履职积分")
    assert rows[1][:6] == ("名次", "姓名", "乡镇（街道）", "代表小组", "本季度积分", "累计积分")
    assert len(rows) == 2 + 8
    assert {r[5] for r in rows[2:]} == {10}  # everyone attended the January session
    assert AuditEvent.objects.get(action="export.duty_points").changes["rows"] == 8


@pytest.mark.parametrize("persona", ["deputy"])
def test_deputies_do_not_get_the_points_list(personas, login, persona):
    assert login(personas[persona]).get("/records/points/").status_code == 403


# Reports to voters ---------------------------------------------------------------------------------------


def _report_form(city, **overrides):
    data = {
        "deputy": city.deputies_a[1].pk,
        "station": city.station_a.pk,
        "date": "2026-06-18",
        "status": "held",
        "voters_present": "42",
        "satisfied": "38",
        "basically_satisfied": "3",
        "dissatisfied": "1",
        "summary": "报告了一年来参加会议、调研和提出建议的情况。",
    }
    data.update(overrides)
    return data


def test_report_to_voters_create_list_detail_and_record(city, personas, login):
    client = login(personas["township"])
    response = client.post("/records/reports/new/", _report_form(city))
    assert response.status_code == 302
    report = VoterReport.objects.get()
    assert response["Location"] == f"/records/reports/{report.pk}/"
    assert report.created_by == personas["township"]
    assert AuditEvent.objects.filter(action="voterreport.create").exists()
    detail = client.get(response["Location"]).content.decode()
    assert "满意38票、基本满意3票、不满意1票" in detail and "98%" in detail
    assert city.deputies_a[1].name in client.get("/records/reports/").content.decode()
    record = client.get(record_url(city.deputies_a[1], year=YEAR)).content.decode()
    assert "西门社区人大代表联络站" in record


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"satisfied": "50"}, "测评票数合计（54）不能多于参加选民人数（42）。"),
        ({"voters_present": ""}, "已述职的，请填写参加选民人数。"),
        ({"date": "2026-12-30"}, "述职日期在今天之后，不能登记为已述职"),
        ({"status": "planned"}, "只有已述职的才能登记满意度测评票数。"),
        ({"date": "18/06/2026"}, "日期格式应为 年-月-日"),
        ({"satisfied": "-3"}, "票数不能为负数。"),
    ],
)
def test_report_bad_input_is_explained_and_nothing_is_written(city, personas, login, overrides, message):
    response = login(personas["township"]).post("/records/reports/new/", _report_form(city, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not VoterReport.objects.exists()


def test_report_outside_the_scope_is_refused(city, personas, login):
    client = login(personas["township"])
    response = client.post("/records/reports/new/", _report_form(city, deputy=city.deputies_b[0].pk))
    assert response.status_code == 400
    assert "所选代表不存在或不在您的管辖范围内。" in response.content.decode()
    other = VoterReport.objects.create(
        deputy=city.deputies_b[0],
        station=city.station_b,
        date=datetime.date(YEAR, 4, 1),
        created_by=personas["city"],
    )
    assert client.get(f"/records/reports/{other.pk}/").status_code == 404
    assert client.get(f"/records/reports/{other.pk}/edit/").status_code == 404


def test_planned_then_held(city, personas, login):
    client = login(personas["group"])
    assert (
        client.post(
            "/records/reports/new/",
            _report_form(
                city,
                status="planned",
                date="2026-12-10",
                voters_present="",
                satisfied="",
                basically_satisfied="",
                dissatisfied="",
            ),
        ).status_code
        == 302
    )
    report = VoterReport.objects.get()
    assert report.status == "planned"
    response = client.post(f"/records/reports/{report.pk}/edit/", _report_form(city, date="2026-11-19"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.voters_present) == ("held", 42)


def test_deputies_read_but_do_not_enter_reports(personas, login):
    client = login(personas["deputy"])
    assert client.get("/records/reports/").status_code == 200
    assert client.get("/records/reports/new/").status_code == 403


def test_navigation(personas, login):
    html = login(personas["deputy"]).get("/").content.decode()
    assert 'href="/records/me/"' in html and 'href="/records/points/"' not in html
    html = login(personas["township"]).get("/").content.decode()
    assert 'href="/records/points/"' in html and 'href="/records/reports/"' in html


def test_report_register_filters(city, personas, login):
    common = {"station": city.station_a, "created_by": personas["city"], "date": datetime.date(YEAR, 4, 1)}
    VoterReport.objects.create(deputy=city.deputies_a[0], status="held", voters_present=10, **common)
    VoterReport.objects.create(deputy=city.deputies_b[0], status="planned", **common)
    client = login(personas["city"])
    html = client.get(f"/records/reports/?township={city.township_b.pk}").content.decode()
    assert "共 1 条" in html and city.deputies_b[0].name in html
    assert "共 1 条" in client.get("/records/reports/?status=held").content.decode()
    assert "共 0 条" in client.get("/records/reports/?year=2025").content.decode()
    assert "共 1 条" in client.get(f"/records/reports/?q={city.deputies_a[0].name}").content.decode()
