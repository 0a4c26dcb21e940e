"""Training services: audit rows on every write; bad input refused in Chinese with nothing written."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from deputyhome.audit.models import AuditEvent
from deputyhome.training import services
from deputyhome.training.choices import AttendanceStatus, OrganiserLevel, SignInWay
from deputyhome.training.models import Attendance, Material, MaterialDistribution, TrainingPlan, TrainingSession

pytestmark = pytest.mark.django_db


def _audit(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def _session_data(**extra):
    data = {
        "title": "代表履职专题培训",
        "kind": "special",
        "level": OrganiserLevel.CITY,
        "region": None,
        "date": timezone.localdate(),
        "hours": Decimal("3"),
    }
    data.update(extra)
    return data


# Plans ------------------------------------------------------------------------------------------------


def test_plan_create_writes_an_audit_row(personas):
    plan = services.plan_create(
        data={"year": 2026, "level": "city", "title": "2026年代表培训方案", "budget": Decimal("200000")},
        actor=personas["city"],
    )
    [event] = _audit("trainingplan.create")
    assert event.object_id == str(plan.pk) and event.actor == personas["city"]
    assert event.changes["budget"] == [None, "200000"]


def _plan_refused(actor, **data) -> str:
    """The message with which a 2026 plan of `data` is refused."""
    with pytest.raises(ValidationError) as exc:
        services.plan_create(data={"year": 2026, **data}, actor=actor)
    return str(exc.value)


def test_township_officer_cannot_plan_for_the_city_or_another_township(personas, city):
    officer = personas["township"]
    assert "市级培训由市人大常委会代工委组织" in _plan_refused(officer, level="city", title="市级方案")
    refused = _plan_refused(officer, level="township", region=city.township_b, title="白杨坪镇方案")
    assert "只能组织本乡镇（街道）的培训" in refused
    assert not TrainingPlan.objects.exists() and not AuditEvent.objects.filter(action__startswith="trainingplan")


def test_plan_bad_input_is_refused_in_chinese(personas, city):
    officer = personas["city"]
    refused = _plan_refused(officer, level="township", region=None, title="乡镇方案")
    assert "乡镇级培训须选择组织的乡镇（街道）" in refused
    assert "不是乡镇（街道）一级的区域" in _plan_refused(
        officer, level="township", region=city.village_b, title="村方案"
    )
    assert not TrainingPlan.objects.exists()


def test_plan_with_sessions_cannot_be_deleted(personas, make_session):
    plan = TrainingPlan.objects.create(year=timezone.localdate().year, title="方案")
    make_session(plan=plan)
    with pytest.raises(ValidationError, match="已有 1 次培训"):
        services.plan_delete(plan=plan, actor=personas["city"])
    assert TrainingPlan.objects.filter(pk=plan.pk).exists()


# Sessions ---------------------------------------------------------------------------------------------


def test_session_create_gives_a_code_and_keeps_sign_in_closed(personas):
    session = services.session_create(data=_session_data(), actor=personas["city"])
    assert len(session.signin_code) == 6 and session.signin_code.isdigit()
    assert session.signin_open is False
    assert _audit("trainingsession.create")[0].object_id == str(session.pk)


def test_township_officer_creates_only_for_own_township(personas, city):
    ok = services.session_create(
        data=_session_data(level="township", region=city.township_a), actor=personas["township"]
    )
    assert ok.region == city.township_a
    with pytest.raises(ValidationError, match="只能组织本乡镇"):
        services.session_create(
            data=_session_data(level="township", region=city.township_b), actor=personas["township"]
        )
    assert TrainingSession.objects.count() == 1


def test_session_times_and_plan_year_are_checked(personas):
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            data=_session_data(start_time=datetime.time(10), end_time=datetime.time(9)), actor=personas["city"]
        )
    assert "结束时间应晚于开始时间" in str(exc.value)
    plan = TrainingPlan.objects.create(year=2020, title="2020年方案")
    with pytest.raises(ValidationError) as exc:
        services.session_create(data=_session_data(plan=plan), actor=personas["city"])
    assert "不属于2020年度的方案" in str(exc.value)
    with pytest.raises(ValidationError):
        services.session_create(data=_session_data(hours=Decimal("0")), actor=personas["city"])
    assert not TrainingSession.objects.exists()


def test_city_level_drops_a_region_given_by_mistake(personas, city):
    session = services.session_create(data=_session_data(region=city.township_a), actor=personas["city"])
    assert session.region is None


def test_opening_sign_in_is_audited_and_refused_for_past_sessions(personas, make_session):
    session = make_session()
    opened = services.session_signin_set(session=session, is_open=True, actor=personas["city"])
    assert opened.signin_open
    assert _audit("trainingsession.signin_open")[0].changes == {"signin_open": [False, True]}
    services.session_signin_set(session=session, is_open=False, actor=personas["city"])
    assert not TrainingSession.objects.get(pk=session.pk).signin_open
    past = make_session(date=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="已过，不能再开放签到"):
        services.session_signin_set(session=past, is_open=True, actor=personas["city"])
    assert not TrainingSession.objects.get(pk=past.pk).signin_open


def test_opening_a_second_session_with_the_same_code_gives_it_a_new_one(personas, make_session):
    first = make_session(code="123456", signin_open=True)
    second = make_session(code="123456")
    opened = services.session_signin_set(session=second, is_open=True, actor=personas["city"])
    assert opened.signin_code != "123456"
    assert TrainingSession.objects.get(pk=first.pk).signin_code == "123456"


def test_code_renew(personas, make_session):
    session = make_session(code="111111", signin_open=True)
    renewed = services.session_code_renew(session=session, actor=personas["city"])
    assert renewed.signin_code != "111111"
    assert _audit("trainingsession.code_renew")[0].changes["signin_code"][0] == "111111"


def test_a_session_with_attendance_cannot_be_deleted(personas, city, session_a, invite):
    invite(session_a, city.deputies_a[:1], status=AttendanceStatus.PRESENT)
    with pytest.raises(ValidationError, match="已有 1 条出勤记录"):
        services.session_delete(session=session_a, actor=personas["township"])
    assert TrainingSession.objects.filter(pk=session_a.pk).exists()


def test_a_session_with_only_invitations_is_deleted_with_them(personas, city, session_a, invite):
    invite(session_a, city.deputies_a)
    services.session_delete(session=session_a, actor=personas["township"])
    assert not Attendance.objects.exists()
    assert _audit("trainingsession.delete")


# Invitations and attendance ---------------------------------------------------------------------------


def test_invite_adds_new_rows_once_with_one_audit_row(personas, city, session_a):
    n = services.attendance_invite(session=session_a, deputies=city.deputies_a[:2], actor=personas["township"])
    assert n == 2
    n = services.attendance_invite(session=session_a, deputies=city.deputies_a, actor=personas["township"])
    assert n == 2
    assert Attendance.objects.filter(session=session_a, invited=True, status="pending").count() == 4
    last = AuditEvent.objects.filter(action="attendance.invite").order_by("-id").first()
    assert last.changes["invited"] == 2 and last.changes["already_invited"] == 2


def test_invite_refuses_deputies_outside_the_scope_and_writes_nothing(personas, city, session_a):
    with pytest.raises(ValidationError, match="1 名代表不在您的管辖范围内"):
        services.attendance_invite(
            session=session_a, deputies=[*city.deputies_a, city.deputies_b[0]], actor=personas["township"]
        )
    with pytest.raises(ValidationError, match="没有选中任何代表"):
        services.attendance_invite(session=session_a, deputies=[], actor=personas["township"])
    assert not Attendance.objects.exists() and not _audit("attendance.invite")


def test_mark_attendance_sets_statuses_and_audits(personas, city, session_a, invite):
    a, b, c, d = invite(session_a, city.deputies_a)
    changed = services.attendance_mark(
        session=session_a,
        marks={a.pk: ("present", ""), b.pk: ("excused", " 外出务工 "), c.pk: ("absent", "忽略"), d.pk: ("pending", "")},
        actor=personas["township"],
    )
    assert changed == 3
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    assert a.status == "present" and a.signin_way == SignInWay.STAFF and a.signed_in_at is not None
    assert b.status == "excused" and b.excuse_reason == "外出务工"
    assert c.status == "absent" and c.excuse_reason == ""
    [event] = _audit("attendance.mark")
    assert event.changes[f"{a.deputy.name}（{a.deputy_id}）"] == ["未签到", "到会"]
    # Taking presence back clears the sign-in time.
    services.attendance_mark(session=session_a, marks={a.pk: ("absent", "")}, actor=personas["township"])
    a.refresh_from_db()
    assert a.signed_in_at is None and a.signin_way == ""


def test_leave_without_a_reason_refuses_the_whole_submission(personas, city, session_a, invite):
    a, b, *_ = invite(session_a, city.deputies_a)
    with pytest.raises(ValidationError) as exc:
        services.attendance_mark(
            session=session_a, marks={a.pk: ("present", ""), b.pk: ("excused", "  ")}, actor=personas["township"]
        )
    assert f"{b.deputy.name}：请假须填写请假事由。" in exc.value.messages
    assert set(Attendance.objects.values_list("status", flat=True)) == {"pending"}
    assert not _audit("attendance.mark")


def test_marks_for_another_session_or_a_bad_status_are_refused(personas, city, session_a, city_session, invite):
    [mine] = invite(session_a, city.deputies_a[:1])
    [other] = invite(city_session, city.deputies_a[:1])
    with pytest.raises(ValidationError, match="不属于"):
        services.attendance_mark(session=session_a, marks={other.pk: ("present", "")}, actor=personas["township"])
    with pytest.raises(ValidationError, match="出勤状态“late”无效"):
        services.attendance_mark(session=session_a, marks={mine.pk: ("late", "")}, actor=personas["township"])
    assert set(Attendance.objects.values_list("status", flat=True)) == {"pending"}


def test_rest_absent_marks_only_pending_rows(personas, city, session_a, invite):
    invite(session_a, city.deputies_a[:1], status="present")
    invite(session_a, city.deputies_a[1:])
    assert services.attendance_mark_rest_absent(session=session_a, actor=personas["township"]) == 3
    assert sorted(Attendance.objects.values_list("status", flat=True)) == ["absent", "absent", "absent", "present"]
    assert len(_audit("attendance.mark_rest_absent")[0].changes["absent"]) == 3


def test_rest_absent_refused_before_the_session(personas, city, make_session, invite):
    future = make_session(date=timezone.localdate() + datetime.timedelta(days=3))
    invite(future, city.deputies_a)
    with pytest.raises(ValidationError, match="尚未举行"):
        services.attendance_mark_rest_absent(session=future, actor=personas["city"])


def test_only_pending_invitations_can_be_withdrawn(personas, city, session_a, invite):
    pending, present = invite(session_a, city.deputies_a[:1]) + invite(session_a, city.deputies_a[1:2], "present")
    services.attendance_remove(attendance=pending, actor=personas["township"])
    assert not Attendance.objects.filter(pk=pending.pk).exists()
    with pytest.raises(ValidationError, match="已有出勤记录（到会），不能撤销邀请"):
        services.attendance_remove(attendance=present, actor=personas["township"])
    assert _audit("attendance.delete")


# The deputy's sign-in with the code --------------------------------------------------------------------


def _sign_in(user, code):
    return services.attendance_sign_in(code=code, user=user)


def _refusal(user, code) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        _sign_in(user, code)
    return exc.value


def test_an_invited_deputy_signs_in(personas, city, make_session, invite):
    session = make_session(code="246810", signin_open=True)
    invite(session, [personas["deputy"].deputy])
    row = _sign_in(personas["deputy"], "246810")
    assert row.status == "present" and row.signin_way == SignInWay.SELF and row.invited
    assert row.signed_in_at is not None
    [event] = _audit("attendance.sign_in")
    assert event.success and event.actor == personas["deputy"]


def test_an_uninvited_deputy_is_added_as_a_walk_in(personas, city, make_session):
    make_session(code="135790", signin_open=True)
    row = _sign_in(personas["deputy"], " １３５ ７９０ ")  # full-width digits and spaces from a Chinese keyboard
    assert row.invited is False and row.status == "present"
    assert "现场加入" in _audit("attendance.sign_in")[0].detail


def test_an_excused_deputy_who_comes_after_all_is_present(personas, make_session, invite):
    session = make_session(code="135791", signin_open=True)
    invite(session, [personas["deputy"].deputy], status="excused", reason="生病")
    row = _sign_in(personas["deputy"], "135791")
    assert row.status == "present" and row.excuse_reason == ""


def test_sign_in_errors_are_clear(personas, city, make_session, invite):
    deputy = personas["deputy"]
    today = timezone.localdate()
    make_session(title="昨天的培训", code="100001", signin_open=True, date=today - datetime.timedelta(days=1))
    make_session(title="明天的培训", code="100002", signin_open=True, date=today + datetime.timedelta(days=1))
    make_session(title="已关闭签到的培训", code="100003", signin_open=False)
    open_today = make_session(title="今天的培训", code="100004", signin_open=True)
    invite(open_today, [deputy.deputy], status="present")

    error = _refusal(deputy, "999999")
    assert error.code == "wrong_code" and error.message == "签到码不正确，请核对后重新输入。"
    error = _refusal(deputy, "100001")
    assert error.code == "not_today" and "“昨天的培训”" in error.message and "已经结束" in error.message
    assert "尚未开始" in _refusal(deputy, "100002").message
    error = _refusal(deputy, "100003")
    assert error.code == "closed" and "尚未开放或已经关闭" in error.message
    error = _refusal(deputy, "100004")
    assert error.code == "already" and error.message.startswith("您已于") and "无需重复签到" in error.message
    assert _refusal(deputy, "12ab").code == "format"
    assert _refusal(deputy, "").message == "请输入签到码。"
    assert _refusal(personas["township"], "100004").code == "not_deputy"
    # Only the wrong code is logged as a failed sign-in; nothing else was written.
    assert AuditEvent.objects.filter(action="attendance.sign_in", success=False).count() == 1
    assert Attendance.objects.count() == 1


def test_guessing_codes_stops_after_ten_wrong_ones(personas, make_session):
    make_session(code="555555", signin_open=True)
    for i in range(services.MAX_WRONG_CODES_PER_DAY):
        assert _refusal(personas["deputy"], f"{i:06d}").code == "wrong_code"
    assert _refusal(personas["deputy"], "555555").code == "too_many"
    assert not Attendance.objects.exists()


# Materials --------------------------------------------------------------------------------------------


def test_distribution_is_checked_against_the_scope(personas, city, session_b):
    book = services.material_create(data={"title": "《中国人大》"}, actor=personas["city"])
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        services.distribution_create(
            data={"material": book, "deputy": city.deputies_b[0], "session": None, "date": today, "quantity": 1},
            actor=personas["township"],
        )
    with pytest.raises(ValidationError, match="不是您组织的培训"):
        services.distribution_create(
            data={"material": book, "deputy": None, "session": session_b, "date": today, "quantity": 5},
            actor=personas["township"],
        )
    with pytest.raises(ValidationError, match="请选择发放对象"):
        services.distribution_create(
            data={"material": book, "deputy": None, "session": None, "date": today, "quantity": 1},
            actor=personas["township"],
        )
    assert not MaterialDistribution.objects.exists()
    given = services.distribution_create(
        data={"material": book, "deputy": city.deputies_a[0], "session": None, "date": today, "quantity": 1},
        actor=personas["township"],
    )
    assert _audit("materialdistribution.create")[0].object_id == str(given.pk)
    with pytest.raises(ValidationError, match="已有发放记录"):
        services.material_delete(material=book, actor=personas["city"])
    assert Material.objects.filter(pk=book.pk).exists()
