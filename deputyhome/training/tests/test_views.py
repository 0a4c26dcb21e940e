"""Training pages: scopes (404 outside, 403 read-only), the sign-in page, the grid, query counts, the API."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from deputyhome.audit.models import AuditEvent
from deputyhome.core.tests.reading import queries
from deputyhome.training.choices import SessionKind
from deputyhome.training.models import Attendance, TrainingPlan, TrainingSession

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"training:{name}", args=args)


# Scopes -----------------------------------------------------------------------------------------------


def test_township_b_session_is_invisible_to_township_a(client, personas, city, session_a, session_b, city_session):
    client.force_login(personas["township"])
    html = client.get(_url("session_list")).content.decode()
    assert session_a.title in html and city_session.title in html and session_b.title not in html
    for name in ("session_detail", "session_attendance", "session_invite", "session_update", "session_delete"):
        assert client.get(_url(name, session_b.pk)).status_code == 404, name
    response = client.post(_url("session_attendance", session_b.pk), {"status_1": "present"})
    assert response.status_code == 404
    assert client.post(_url("session_signin", session_b.pk), {"action": "open"}).status_code == 404


def test_city_sessions_are_read_only_for_township_officers(client, personas, city_session):
    client.force_login(personas["township"])
    assert client.get(_url("session_detail", city_session.pk)).status_code == 200
    assert client.get(_url("session_attendance", city_session.pk)).status_code == 403
    assert client.get(_url("session_invite", city_session.pk)).status_code == 403
    assert client.get(_url("session_update", city_session.pk)).status_code == 404


def test_a_deputy_sees_only_sessions_they_were_invited_to(client, personas, city, session_a, city_session, invite):
    invite(session_a, city.deputies_a)
    client.force_login(personas["deputy"])
    html = client.get(_url("session_list")).content.decode()
    assert session_a.title in html and city_session.title not in html
    assert "我的出勤" in html and "未签到" in html
    assert client.get(_url("session_detail", city_session.pk)).status_code == 404
    detail = client.get(_url("session_detail", session_a.pk)).content.decode()
    # A deputy reads their own row, not their colleagues'.
    assert personas["deputy"].deputy.name in detail and city.deputies_a[0].name not in detail
    assert "签到码" not in detail


def test_a_deputy_cannot_mark_attendance(client, personas, city, session_a, invite):
    rows = invite(session_a, city.deputies_a)
    client.force_login(personas["deputy"])
    assert client.get(_url("session_attendance", session_a.pk)).status_code == 403
    response = client.post(_url("session_attendance", session_a.pk), {f"status_{r.pk}": "present" for r in rows})
    assert response.status_code == 403
    assert client.post(_url("session_signin", session_a.pk), {"action": "open"}).status_code == 403
    assert set(Attendance.objects.values_list("status", flat=True)) == {"pending"}


def test_a_group_leader_reads_the_group_attendance_only(client, personas, city, city_session, invite):
    invite(city_session, city.deputies_a + city.deputies_b, status="present")
    client.force_login(personas["group"])
    html = client.get(_url("session_detail", city_session.pk)).content.decode()
    assert all(d.name in html for d in city.deputies_a)
    assert not any(d.name in html for d in city.deputies_b)
    assert client.get(_url("session_attendance", city_session.pk)).status_code == 403


@pytest.mark.parametrize("persona", ["unit", "sysadmin", "auditor"])
def test_roles_without_deputy_data_are_refused(client, personas, session_a, persona):
    client.force_login(personas[persona])
    assert client.get(_url("session_list")).status_code == 403
    assert client.get(_url("session_detail", session_a.pk)).status_code == 403
    assert client.get(_url("coverage")).status_code == 403
    assert client.get(_url("signin")).status_code == 403


def test_plans_and_materials_are_for_staff(client, personas):
    client.force_login(personas["deputy"])
    assert client.get(_url("plan_list")).status_code == 403
    assert client.get(_url("material_list")).status_code == 403
    client.force_login(personas["supervisor"])
    assert client.get(_url("plan_list")).status_code == 200
    assert client.get(_url("plan_create")).status_code == 403


# Forms ------------------------------------------------------------------------------------------------


def test_township_officer_creates_a_session_for_own_township(client, personas, city):
    client.force_login(personas["township"])
    form = client.get(_url("session_create")).content.decode()
    assert "白杨坪镇" not in form and "市级" not in form.split('name="level"')[1].split("</select>")[0]
    data = {
        "title": "六角亭街道代表学习会",
        "kind": "meeting",
        "level": "township",
        "region": city.township_a.pk,
        "date": timezone.localdate().isoformat(),
        "start_time": "09:00",
        "end_time": "11:00",
        "hours": "2",
    }
    response = client.post(_url("session_create"), data)
    session = TrainingSession.objects.get()
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    assert AuditEvent.objects.filter(action="trainingsession.create", object_id=str(session.pk)).exists()
    bad = client.post(_url("session_create"), {**data, "region": city.township_b.pk})
    assert bad.status_code == 400 and TrainingSession.objects.count() == 1


def test_plan_form_reports_bad_input_in_chinese(client, personas):
    client.force_login(personas["city"])
    response = client.post(
        _url("plan_create"), {"year": "2026", "level": "township", "title": "方案", "budget": "-5", "status": "draft"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "乡镇级培训须选择组织的乡镇（街道）" in html
    assert not TrainingPlan.objects.exists()


def test_delete_asks_for_confirmation(client, personas, session_a):
    client.force_login(personas["township"])
    page = client.get(_url("session_delete", session_a.pk)).content.decode()
    assert "确定要删除" in page and TrainingSession.objects.filter(pk=session_a.pk).exists()
    assert client.post(_url("session_delete", session_a.pk)).status_code == 302
    assert not TrainingSession.objects.filter(pk=session_a.pk).exists()


# Invitations and the attendance grid ------------------------------------------------------------------


def test_invite_page_invites_all_matching_deputies(client, personas, city, session_a):
    client.force_login(personas["township"])
    preview = client.get(_url("session_invite", session_a.pk), {"group": city.group_a.pk})
    html = preview.content.decode()
    assert "符合条件的代表 4 名" in html and all(d.name in html for d in city.deputies_a)
    response = client.post(_url("session_invite", session_a.pk), {"group": city.group_a.pk, "pick": "all"})
    assert response.status_code == 302
    assert set(session_a.attendances.values_list("deputy_id", flat=True)) == {d.pk for d in city.deputies_a}


def test_invite_all_new_deputies_and_a_picked_one(client, personas, city, city_session):
    client.force_login(personas["city"])
    client.post(
        _url("session_invite", city_session.pk),
        {"new_only": "on", "pick": "selected", "deputy": [city.deputies_b[0].pk]},
    )
    assert list(city_session.attendances.values_list("deputy_id", flat=True)) == [city.deputies_b[0].pk]
    client.post(_url("session_invite", city_session.pk), {"new_only": "on", "pick": "all"})
    assert city_session.attendances.count() == 8


def test_attendance_grid_saves_and_refuses_leave_without_reason(client, personas, city, session_a, invite):
    a, b, c, d = invite(session_a, city.deputies_a)
    client.force_login(personas["township"])
    bad = client.post(
        _url("session_attendance", session_a.pk),
        {f"status_{a.pk}": "present", f"status_{b.pk}": "excused", f"reason_{b.pk}": ""},
    )
    html = bad.content.decode()
    assert bad.status_code == 400 and f"{b.deputy.name}：请假须填写请假事由。" in html
    assert 'value="excused" checked' in html  # what was typed is kept
    assert set(Attendance.objects.values_list("status", flat=True)) == {"pending"}
    ok = client.post(
        _url("session_attendance", session_a.pk),
        {f"status_{a.pk}": "present", f"status_{b.pk}": "excused", f"reason_{b.pk}": "外出务工"},
    )
    assert ok.status_code == 302
    assert dict(Attendance.objects.values_list("pk", "status")) == {
        a.pk: "present",
        b.pk: "excused",
        c.pk: "pending",
        d.pk: "pending",
    }
    client.post(_url("session_attendance", session_a.pk), {"action": "rest_absent"})
    assert Attendance.objects.filter(status="absent").count() == 2


def test_open_sign_in_shows_the_code(client, personas, make_session, city):
    session = make_session(region=city.township_a, code="314159")
    client.force_login(personas["township"])
    client.post(_url("session_signin", session.pk), {"action": "open"})
    html = client.get(_url("session_detail", session.pk)).content.decode()
    assert "314159" in html and "签到已开放" in html


# The phone sign-in page -------------------------------------------------------------------------------


def test_sign_in_page_success_and_errors(client, personas, city, make_session, invite):
    session = make_session(region=city.township_a, code="271828", signin_open=True)
    invite(session, [personas["deputy"].deputy])
    client.force_login(personas["deputy"])
    page = client.get(_url("signin")).content.decode()
    assert session.title in page and "未签到" in page and 'inputmode="numeric"' in page
    wrong = client.post(_url("signin"), {"code": "000000"})
    assert wrong.status_code == 400 and "签到码不正确，请核对后重新输入。" in wrong.content.decode()
    empty = client.post(_url("signin"), {"code": ""})
    assert empty.status_code == 400 and "请输入签到码。" in empty.content.decode()
    ok = client.post(_url("signin"), {"code": "271828"}, follow=True)
    assert "签到成功" in ok.content.decode() and "到会" in ok.content.decode()
    again = client.post(_url("signin"), {"code": "271828"})
    assert again.status_code == 400 and "无需重复签到" in again.content.decode()


def test_sign_in_page_not_today(client, personas, make_session):
    make_session(code="161803", signin_open=True, date=timezone.localdate() + datetime.timedelta(days=2))
    client.force_login(personas["deputy"])
    response = client.post(_url("signin"), {"code": "161803"})
    assert response.status_code == 400 and "签到码只在培训当天有效" in response.content.decode()


# Coverage page ----------------------------------------------------------------------------------------


def test_coverage_page_names_the_missing_deputy(client, personas, city, make_session, invite):
    initial = make_session(kind=SessionKind.INITIAL)
    invite(initial, city.deputies_a + city.deputies_b[1:], status="present")
    client.force_login(personas["city"])
    html = client.get(_url("coverage")).content.decode()
    missing = city.deputies_b[0]
    assert "87.5%" in html
    uncovered = html.split('id="uncovered"')[1]
    assert missing.name in uncovered and city.deputies_b[1].name not in uncovered
    bad = client.get(_url("coverage"), {"year": "20x6"})
    assert bad.status_code == 400 and "年度参数无效" in bad.content.decode()


def test_hours_page(client, personas, city, make_session, invite):
    invite(make_session(hours="2.5"), city.deputies_a[:1], status="present")
    client.force_login(personas["township"])
    html = client.get(_url("hours"), {"sort": "-training_hours"}).content.decode()
    assert "2.5" in html and city.deputies_a[0].name in html and city.deputies_b[0].name not in html


# Query counts -----------------------------------------------------------------------------------------


def test_session_list_runs_a_constant_number_of_queries(client, personas, city, make_session, invite):
    client.force_login(personas["city"])
    for i in range(2):
        invite(make_session(title=f"培训{i}", region=city.township_a), city.deputies_a, status="present")
    few = queries(client, _url("session_list"))
    for i in range(10):
        invite(make_session(title=f"更多{i}", region=city.township_b), city.deputies_b, status="present")
    assert queries(client, _url("session_list")) == few


def test_attendance_page_runs_a_constant_number_of_queries(client, personas, city, session_a, invite):
    from deputyhome.testing import add_deputies

    client.force_login(personas["township"])
    invite(session_a, city.deputies_a[:2])
    few = queries(client, _url("session_attendance", session_a.pk))
    few_detail = queries(client, _url("session_detail", session_a.pk))
    extra = add_deputies(
        20, congress=city.city_congress, group=city.group_a, region=city.township_a, ethnicity="土家族"
    )
    invite(session_a, city.deputies_a[2:] + extra)
    assert queries(client, _url("session_attendance", session_a.pk)) == few
    assert queries(client, _url("session_detail", session_a.pk)) == few_detail


# The API ----------------------------------------------------------------------------------------------


def test_stats_api(client, personas, city, make_session, invite):
    url = reverse("training_api:stats_training")
    anonymous = client.get(url)
    assert anonymous.status_code == 401 and anonymous.json() == {"error": "请先登录。"}
    client.force_login(personas["city"])
    for bad in ("abcd", "1999", "20260"):
        response = client.get(url, {"year": bad})
        assert response.status_code == 400 and "年度参数无效" in response.json()["error"]
    for topic in ("财政监督", "代表行动", "党代会精神"):
        invite(make_session(kind=SessionKind.SPECIAL, title=topic, hours="3"), city.deputies_a, status="present")
    data = client.get(url, {"year": timezone.localdate().year}).json()
    assert data["special_topic_sessions"] == 3 and data["hours_total"] == 36.0
    assert data["initial_training_coverage"]["missing"] == 8
    assert client.get(url).json()["year"] == timezone.localdate().year
    client.force_login(personas["unit"])
    assert client.get(url).status_code == 403


def test_nav_entries(personas):
    from deputyhome.core.menu import Menu, NavItem
    from deputyhome.training.nav import nav_items

    assert NavItem("training:signin", "培训签到", Menu.ACTIVITIES) in nav_items(personas["deputy"])
    assert NavItem("training:coverage", "培训统计", Menu.ACTIVITIES) in nav_items(personas["township"])
    assert nav_items(personas["unit"]) == [] and nav_items(personas["sysadmin"]) == []


# Plans and materials ----------------------------------------------------------------------------------


def test_plans_are_scoped_like_sessions(client, personas, city):
    year = timezone.localdate().year
    city_plan = TrainingPlan.objects.create(year=year, title="市级方案")
    plan_b = TrainingPlan.objects.create(year=year, level="township", region=city.township_b, title="白杨坪镇方案")
    client.force_login(personas["township"])
    html = client.get(_url("plan_list")).content.decode()
    assert city_plan.title in html and plan_b.title not in html
    assert client.get(_url("plan_detail", plan_b.pk)).status_code == 404
    assert client.get(_url("plan_update", city_plan.pk)).status_code == 404
    page = client.get(_url("plan_detail", city_plan.pk)).content.decode()
    assert "编辑" not in page


def test_distributions_township_officers_may_delete(client, personas, city, city_session, session_a):
    from deputyhome.training.models import Material, MaterialDistribution

    book = Material.objects.create(title="《新时代人大代表履职手册》")
    today = timezone.localdate()
    at_city = MaterialDistribution.objects.create(
        material=book, deputy=city.deputies_a[0], session=city_session, date=today
    )
    own = MaterialDistribution.objects.create(material=book, session=session_a, date=today, quantity=4)
    elsewhere = MaterialDistribution.objects.create(material=book, deputy=city.deputies_b[0], date=today)
    client.force_login(personas["township"])
    html = client.get(_url("material_detail", book.pk)).content.decode()
    assert reverse("training:distribution_delete", args=[own.pk]) in html
    assert reverse("training:distribution_delete", args=[at_city.pk]) not in html
    assert city.deputies_b[0].name not in html
    assert client.post(_url("distribution_delete", at_city.pk)).status_code == 404
    assert client.post(_url("distribution_delete", elsewhere.pk)).status_code == 404
    assert client.post(_url("distribution_delete", own.pk)).status_code == 302
    assert set(MaterialDistribution.objects.values_list("pk", flat=True)) == {at_city.pk, elsewhere.pk}
    assert client.get(_url("material_create")).status_code == 403
    assert client.get(_url("material_update", book.pk)).status_code == 403


def test_record_a_distribution_through_the_page(client, personas, city, session_a):
    from deputyhome.training.models import Material, MaterialDistribution

    book = Material.objects.create(title="《中国人大》")
    client.force_login(personas["township"])
    response = client.post(
        _url("distribution_create") + f"?material={book.pk}",
        {"material": book.pk, "session": session_a.pk, "date": timezone.localdate().isoformat(), "quantity": "12"},
    )
    assert response.status_code == 302 and response["Location"] == book.get_absolute_url()
    assert MaterialDistribution.objects.get().quantity == 12
    refused = client.post(
        _url("distribution_create"),
        {"material": book.pk, "date": timezone.localdate().isoformat(), "quantity": "1"},
    )
    assert refused.status_code == 400 and "请选择发放对象" in refused.content.decode()
