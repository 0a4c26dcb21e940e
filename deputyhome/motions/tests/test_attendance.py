"""Attendance at a session: a deputy's request for leave and the staff's decision, the staff recording a delegation
in one go (all or nothing, one audit row), the pages and their scopes, the session page's figures."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputyhome.audit.models import AuditEvent
from deputyhome.motions import services
from deputyhome.motions.choices import AttendanceStatus, LeaveState
from deputyhome.motions.models import SessionAttendance
from deputyhome.notifications.models import Notification

from .conftest import at
from .seating import seat_delegations

pytestmark = pytest.mark.django_db

P, E, A = AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT


def cg_commit():
    """Run the on-commit callbacks (the notifications) of the block."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def _audit(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# Leave ---------------------------------------------------------------------------------------------------


def test_a_request_for_leave_approved(cg):
    seat_delegations(cg)
    deputy = cg.city.deputies_a[2]
    with at(7):  # the day before the session opens
        row = services.session_leave_request(
            session=cg.session, deputy=deputy, reason="  因病请假 ", actor=cg.users[deputy.pk]
        )
    assert (row.leave_state, row.status, row.reason) == (LeaveState.PENDING, "", "因病请假")
    with at(7), pytest.raises(ValidationError, match="正在等待审批"):
        services.session_leave_request(session=cg.session, deputy=deputy, reason="又请", actor=cg.users[deputy.pk])
    with at(8, 9), pytest.raises(ValidationError, match="只有本次会议的工作人员"):
        services.session_leave_decide(attendance=row, approve=True, actor=cg.personas["township"])
    with at(8, 9), pytest.raises(ValidationError, match="只能由代表本人"):
        services.session_leave_request(
            session=cg.session, deputy=cg.city.deputies_a[3], reason="代请", actor=cg.users[deputy.pk]
        )
    city = cg.personas["city"]
    with cg_commit(), at(8, 9):
        row = services.session_leave_decide(attendance=row, approve=True, actor=city)
    row.refresh_from_db()
    assert (row.status, row.leave_state, row.leave_decided_by) == (E, LeaveState.APPROVED, city)
    assert _audit("session_attendance.leave_request") == 1 and _audit("session_attendance.leave_decide") == 1
    assert Notification.objects.filter(user=cg.users[deputy.pk], subject__contains="已获批准").exists()
    with at(8, 9), pytest.raises(ValidationError, match="已经处理"):
        services.session_leave_decide(attendance=row, approve=False, refusal="x", actor=city)
    with at(9), pytest.raises(ValidationError, match="已获批准"):
        services.session_leave_request(session=cg.session, deputy=deputy, reason="再请", actor=cg.users[deputy.pk])


def test_a_request_for_leave_refused_needs_a_reason_and_may_be_made_again(cg):
    deputy = cg.city.deputies_b[2]  # sits in the city congress (no delegation yet): a mandate is enough
    user, city = cg.users[deputy.pk], cg.personas["city"]
    with at(9):
        row = services.session_leave_request(session=cg.session, deputy=deputy, reason="家中有急事", actor=user)
        with pytest.raises(ValidationError, match="不予批准时须填写理由"):
            services.session_leave_decide(attendance=row, approve=False, refusal="  ", actor=city)
        row.refresh_from_db()
        assert row.leave_state == LeaveState.PENDING and _audit("session_attendance.leave_decide") == 0
        row = services.session_leave_decide(
            attendance=row, approve=False, refusal="会议议程重要，请按时参会", actor=city
        )
    assert (row.leave_state, row.status, row.leave_refusal) == (LeaveState.REFUSED, "", "会议议程重要，请按时参会")
    with at(10):
        row = services.session_leave_request(session=cg.session, deputy=deputy, reason="确有急事", actor=user)
    assert (row.leave_state, row.leave_refusal, row.leave_decided_by) == (LeaveState.PENDING, "", None)
    assert SessionAttendance.objects.count() == 1


def test_who_may_ask_for_leave_and_when(cg):
    outsider = cg.city.deputies_a[0]  # a deputy of 六角亭街道: no mandate in 白杨坪镇's own congress
    with at(9), pytest.raises(ValidationError, match="不是白杨坪镇第十九届人民代表大会第三次会议的代表"):
        services.session_leave_request(
            session=cg.township_session, deputy=outsider, reason="出差", actor=cg.users[outsider.pk]
        )
    d = cg.city.deputies_a[1]
    with at(12), pytest.raises(ValidationError, match="已于2026年01月11日闭幕"):
        services.session_leave_request(session=cg.session, deputy=d, reason="出差", actor=cg.users[d.pk])
    with at(9), pytest.raises(ValidationError, match="请填写请假事由"):
        services.session_leave_request(session=cg.session, deputy=d, reason=" ", actor=cg.users[d.pk])
    assert not SessionAttendance.objects.exists() and _audit("session_attendance.leave_request") == 0


# The staff's record ------------------------------------------------------------------------------------------


def test_recording_a_delegation_in_one_go(cg):
    a, _ = seat_delegations(cg)
    city, ds = cg.personas["city"], cg.city.deputies_a
    with at(7):
        services.session_leave_request(session=cg.session, deputy=ds[5], reason="因公出差", actor=cg.users[ds[5].pk])
    entries = [(ds[0], P), (ds[1], P), (ds[2], A), (ds[4], E), (ds[5], E)]
    with at(8, 8, 30):
        n = services.session_attendance_record(
            session=cg.session, entries=entries, reasons={ds[4].pk: "因病请假"}, delegation=a, actor=city
        )
    assert n == 5
    rows = {r.deputy_id: r for r in SessionAttendance.objects.all()}
    assert [rows[d.pk].status for d, _ in entries] == [P, P, A, E, E]
    assert rows[ds[4].pk].reason == "因病请假" and rows[ds[5].pk].reason == "因公出差"  # the request's reason
    assert rows[ds[5].pk].leave_state == LeaveState.APPROVED and rows[ds[5].pk].leave_decided_by == city
    assert rows[ds[0].pk].recorded_by == city and ds[3].pk not in rows
    (event,) = AuditEvent.objects.filter(action="session_attendance.record")
    assert event.changes[f"{ds[2].name}（{ds[2].pk}）"] == ["未登记", "缺席"]
    assert event.changes[f"{ds[4].name}（{ds[4].pk}）"] == ["未登记", "请假：因病请假"]
    # The same again changes nothing and writes no audit row; a change writes one.
    with at(9):
        assert services.session_attendance_record(session=cg.session, entries=entries, delegation=a, actor=city) == 0
        assert (
            services.session_attendance_record(session=cg.session, entries=[(ds[2], P)], delegation=a, actor=city) == 1
        )
    assert _audit("session_attendance.record") == 2


def test_a_non_member_is_refused_and_nothing_is_written(cg):
    a, _ = seat_delegations(cg)
    city = cg.personas["city"]
    stranger = cg.city.deputies_b[1]  # B's delegation, not A's
    with at(8), pytest.raises(ValidationError) as exc:
        services.session_attendance_record(
            session=cg.session, entries=[(cg.city.deputies_a[0], P), (stranger, P)], delegation=a, actor=city
        )
    assert exc.value.messages == [f"{stranger.name}不是六角亭街道代表团在会议期间的成员，不能在此登记。"]
    assert not SessionAttendance.objects.exists() and _audit("session_attendance.record") == 0


def test_one_bad_entry_refuses_the_lot(cg):
    a, _ = seat_delegations(cg)
    city, ds = cg.personas["city"], cg.city.deputies_a
    with at(8), pytest.raises(ValidationError) as exc:
        services.session_attendance_record(
            session=cg.session, entries=[(ds[0], P), (ds[1], E), (ds[2], "late"), (ds[0], A)], delegation=a, actor=city
        )
    assert exc.value.messages == [
        f"{ds[1].name}：请假须填写请假事由。",
        f"{ds[2].name}：出席情况“late”无效，请选择出席、请假或缺席。",
        f"{ds[0].name}：重复登记。",
    ]
    assert not SessionAttendance.objects.exists()
    with at(7), pytest.raises(ValidationError, match="尚未开幕"):
        services.session_attendance_record(session=cg.session, entries=[(ds[0], P)], delegation=a, actor=city)
    with at(8), pytest.raises(ValidationError, match="只有本次会议的工作人员"):
        services.session_attendance_record(
            session=cg.session, entries=[(ds[0], P)], delegation=a, actor=cg.personas["township"]
        )
    assert not SessionAttendance.objects.exists() and _audit("session_attendance.record") == 0


# Pages -------------------------------------------------------------------------------------------------------


def test_the_staff_tick_a_delegation(cg, client):
    a, _ = seat_delegations(cg)
    ds = cg.city.deputies_a
    client.force_login(cg.personas["city"])
    url = reverse("motions:delegation_attendance", args=[a.pk])
    with at(8):
        html = client.get(url).content.decode()
        assert html.count('type="radio"') == 6 * 3 and ds[5].name in html
        response = client.post(url, {f"status_{ds[0].pk}": P, f"status_{ds[1].pk}": E, f"reason_{ds[1].pk}": ""})
        assert response.status_code == 400 and "请假须填写请假事由。" in response.content.decode()
        response = client.post(url, {f"status_{cg.city.deputies_b[0].pk}": P})
        assert response.status_code == 400 and "不是六角亭街道代表团在会议期间的成员" in response.content.decode()
        assert not SessionAttendance.objects.exists()
        post = {f"status_{d.pk}": P for d in ds[:5]} | {f"status_{ds[5].pk}": E, f"reason_{ds[5].pk}": "因公出差"}
        assert client.post(url, post).status_code == 302
        assert SessionAttendance.objects.filter(status=P).count() == 5
        assert SessionAttendance.objects.get(deputy=ds[5]).reason == "因公出差"
        page = client.get(reverse("motions:session_detail", args=[cg.session.pk]))
    row = next(d for d in page.context["delegations"] if d.pk == a.pk)
    assert (row.member_count, row.present, row.excused, row.absent, row.not_recorded) == (6, 5, 1, 0, 0)


def test_scopes_of_the_attendance_pages(cg, client):
    a, b = seat_delegations(cg)
    d = cg.city.deputies_b[2]
    with at(9):
        request = services.session_leave_request(session=cg.session, deputy=d, reason="出差", actor=cg.users[d.pk])
    pages = {
        "tick_b": reverse("motions:delegation_attendance", args=[b.pk]),
        "tick_a": reverse("motions:delegation_attendance", args=[a.pk]),
        "requests": reverse("motions:session_leave_requests", args=[cg.session.pk]),
        "decide": reverse("motions:session_leave_decide", args=[cg.session.pk, request.pk]),
        "leave_b": reverse("motions:session_leave", args=[cg.township_session.pk]),
        "requests_b": reverse("motions:session_leave_requests", args=[cg.township_session.pk]),
    }
    post_tick = {f"status_{cg.city.deputies_b[0].pk}": A}
    # 六角亭街道's officer: sees their delegation but is not the city congress's staff (403); B's is not theirs (404).
    client.force_login(cg.personas["township"])
    with at(9):
        assert client.get(pages["tick_b"]).status_code == 404
        assert client.post(pages["tick_b"], post_tick).status_code == 404
        assert client.get(pages["tick_a"]).status_code == 403
        assert client.get(pages["requests"]).status_code == 403
        assert client.post(pages["decide"], {"action": "approve"}).status_code == 403
        assert client.get(pages["requests_b"]).status_code == 404
    # A deputy of A: not B's delegation, not 白杨坪镇's own session.
    client.force_login(cg.personas["deputy"])
    with at(9):
        assert client.get(pages["tick_b"]).status_code == 404
        assert client.post(pages["tick_b"], post_tick).status_code == 404
        assert client.post(pages["leave_b"], {"reason": "出差"}).status_code == 404
        assert client.post(pages["decide"], {"action": "approve"}).status_code == 403
    # 白杨坪镇's officer runs its own congress's session, not the city's.
    client.force_login(cg.personas["township_b"])
    with at(9):
        assert client.get(pages["requests_b"]).status_code == 200
        assert client.get(pages["tick_b"]).status_code == 403
        assert client.post(pages["decide"], {"action": "approve"}).status_code == 403
    assert not SessionAttendance.objects.exclude(pk=request.pk).exists()
    request.refresh_from_db()
    assert request.leave_state == LeaveState.PENDING


def test_a_deputy_asks_for_leave_and_the_staff_refuse_it_from_their_list(cg, client):
    seat_delegations(cg)
    deputy_user = cg.personas["deputy"]
    session_url = reverse("motions:session_detail", args=[cg.session.pk])
    client.force_login(deputy_user)
    with at(7):
        html = client.get(session_url).content.decode()
        assert "我的出席情况" in html and "尚未登记" in html and 'name="reason"' in html
        response = client.post(reverse("motions:session_leave", args=[cg.session.pk]), {"reason": ""})
        assert response.status_code == 400 and "请填写请假事由。" in response.content.decode()
        response = client.post(reverse("motions:session_leave", args=[cg.session.pk]), {"reason": "因公出差"})
        assert response.status_code == 302
        assert "请假申请（因公出差）待审批" in client.get(session_url).content.decode()
    row = SessionAttendance.objects.get(deputy_id=deputy_user.deputy_id)
    client.force_login(cg.personas["city"])
    decide = reverse("motions:session_leave_decide", args=[cg.session.pk, row.pk])
    with at(7, 15):
        html = client.get(reverse("motions:session_leave_requests", args=[cg.session.pk])).content.decode()
        assert (
            "因公出差" in html
            and "data-confirm" in html
            and "（1件待审批）" in client.get(session_url).content.decode()
        )
        client.post(decide, {"action": "refuse", "refusal": ""})
        row.refresh_from_db()
        assert row.leave_state == LeaveState.PENDING
        assert client.post(decide, {"action": "refuse", "refusal": "首日有重要议程"}).status_code == 302
    row.refresh_from_db()
    assert row.leave_state == LeaveState.REFUSED
    client.force_login(deputy_user)
    with at(7, 16):
        assert "请假未获批准：首日有重要议程" in client.get(session_url).content.decode()


@pytest.mark.parametrize("who", ["city", "deputy"])
def test_the_session_page_runs_constant_queries_with_attendance(cg, client, who):
    seat_delegations(cg)
    client.force_login(cg.personas[who])
    url = reverse("motions:session_detail", args=[cg.session.pk])
    with at(9):
        client.get(url)
        with CaptureQueriesContext(connection) as two:
            assert client.get(url).status_code == 200
    _more = _delegations_more(cg, 4)
    with at(9), CaptureQueriesContext(connection) as six:
        response = client.get(url)
    if who == "city":
        assert len(response.context["delegations"]) == 6 == _more + 2
    assert len(six) == len(two), [q["sql"] for q in six.captured_queries]


def _delegations_more(cg, n: int) -> int:
    """`n` more delegations of one new deputy each, recorded absent."""
    from deputyhome.testing import add_deputies

    city = cg.personas["city"]
    added = add_deputies(n, congress=cg.city.city_congress, group=cg.city.group_a, region=cg.city.township_a)
    for i, deputy in enumerate(added):
        d = services.delegation_create(data={"session": cg.session, "name": f"第{i}代表团"}, actor=city)
        services.delegation_members_add(
            delegation=d, deputies=[deputy], start_date=cg.session.start_date, head=deputy, actor=city
        )
        with at(8):
            services.session_attendance_record(session=cg.session, entries=[(deputy, A)], delegation=d, actor=city)
    return n


# A session without delegations (a township congress's): one sheet -------------------------------------------


def test_a_township_session_is_ticked_on_one_sheet(cg, client):
    from deputyhome.deputies.models import Deputy

    session, officer = cg.township_session, cg.personas["township_b"]
    seated = list(Deputy.objects.filter(mandates__congress=session.congress).order_by("pk"))  # 白杨坪镇's congress
    sheet = reverse("motions:session_attendance", args=[session.pk])
    detail = reverse("motions:session_detail", args=[session.pk])
    client.force_login(officer)
    with at(9):
        page = client.get(detail).content.decode()
        assert "乡镇人民代表大会不设代表团" in page and "会议期间的代表 6 人" in page and f'href="{sheet}"' in page
        assert "新增代表团" not in page
        html = client.get(sheet).content.decode()
        assert len(seated) == 6 and all(f'name="status_{d.pk}"' in html for d in seated)
        assert f'name="status_{cg.city.deputies_a[0].pk}"' not in html  # no mandate of the township congress
        # Bad input, all refused with the deputy named, nothing written.
        response = client.post(sheet, {f"status_{seated[0].pk}": P, f"status_{seated[1].pk}": E})
        assert response.status_code == 400 and f"{seated[1].name}：请假须填写请假事由。" in response.content.decode()
        response = client.post(sheet, {f"status_{cg.city.deputies_a[0].pk}": P})
        assert response.status_code == 400 and f"不是{session.name}的代表" in response.content.decode()
        assert client.post(sheet, {}).status_code == 400
        assert not SessionAttendance.objects.exists() and not _audit("session_attendance.record")
        post = {f"status_{d.pk}": P for d in seated[:3]} | {
            f"status_{seated[3].pk}": E,
            f"reason_{seated[3].pk}": "因病",
        }
        response = client.post(sheet, post | {f"status_{seated[4].pk}": A})
        assert response.status_code == 302 and response["Location"] == sheet
        page = client.get(detail).content.decode()
    assert "出席 3，请假 1，缺席 1，未登记 1" in page
    assert SessionAttendance.objects.filter(session=session, status=P).count() == 3
    assert SessionAttendance.objects.get(deputy=seated[3]).reason == "因病"
    event = AuditEvent.objects.get(action="session_attendance.record")
    assert (event.object_id, event.actor_id, len(event.changes)) == (str(session.pk), officer.pk, 5)


def test_the_session_sheet_is_the_staffs_of_a_session_without_delegations(cg, client):
    seat_delegations(cg)  # the city's session seats two delegations
    township_sheet = reverse("motions:session_attendance", args=[cg.township_session.pk])
    city_sheet = reverse("motions:session_attendance", args=[cg.session.pk])
    post = {f"status_{cg.city.deputies_b[1].pk}": P}
    with at(9):
        client.force_login(cg.personas["township"])  # 六角亭街道's officer: not 白杨坪镇's session
        assert client.get(township_sheet).status_code == 404
        assert client.post(township_sheet, post).status_code == 404
        client.force_login(cg.users[cg.city.deputies_b[1].pk])  # a deputy who sits in it: not its staff
        assert client.get(township_sheet).status_code == 403
        assert client.post(township_sheet, post).status_code == 403
        client.force_login(cg.personas["city"])  # the city's session is ticked a delegation at a time
        response = client.get(city_sheet)
        assert response.status_code == 302 and response["Location"].endswith(f"/sessions/{cg.session.pk}/")
        assert client.post(city_sheet, {f"status_{cg.city.deputies_a[0].pk}": P}).status_code == 302
    assert not SessionAttendance.objects.exists()


def test_the_session_sheet_runs_the_same_queries_at_two_sizes(cg, client):
    from deputyhome.testing import add_deputies

    sheet = reverse("motions:session_attendance", args=[cg.township_session.pk])
    client.force_login(cg.personas["township_b"])
    with at(9), CaptureQueriesContext(connection) as few:
        assert client.get(sheet).status_code == 200
    more = add_deputies(20, congress=cg.city.township_congress_b, group=cg.city.group_b, region=cg.city.township_b)
    with at(9), CaptureQueriesContext(connection) as many:
        html = client.get(sheet).content.decode()
    assert len(many) == len(few) and all(f'name="status_{d.pk}"' in html for d in more)


def test_a_township_congress_seats_no_delegation(cg, client):
    from deputyhome.motions.models import Delegation

    session = cg.township_session
    with pytest.raises(ValidationError, match="乡镇人民代表大会不设代表团"):
        services.delegation_create(data={"session": session, "name": "第一代表团"}, actor=cg.personas["township_b"])
    client.force_login(cg.personas["township_b"])
    response = client.post(reverse("motions:delegation_create", args=[session.pk]), {"name": "第一代表团"})
    assert response.status_code == 400 and "乡镇人民代表大会不设代表团" in response.content.decode()
    assert not Delegation.objects.exists() and not _audit("delegation.create")


def test_the_rest_are_recorded_present_in_one_go(cg, client):
    from deputyhome.deputies.models import Deputy

    session = cg.township_session
    seated = list(Deputy.objects.filter(mandates__congress=session.congress).order_by("pk"))
    sheet = reverse("motions:session_attendance", args=[session.pk])
    asking = seated[2]
    with at(8):  # a deputy asks for leave: their row waits for the staff's decision, and is not "the rest"
        services.session_leave_request(session=session, deputy=asking, reason="住院", actor=cg.users[asking.pk])
    client.force_login(cg.personas["township_b"])
    with at(9):
        assert client.post(sheet, {f"status_{seated[0].pk}": A}).status_code == 302  # recorded before: stays
        post = {f"status_{seated[1].pk}": E, f"reason_{seated[1].pk}": "外出务工", "rest": "present"}
        assert client.post(sheet, post).status_code == 302
    recorded = dict(SessionAttendance.objects.filter(session=session).values_list("deputy_id", "status"))
    assert recorded == {seated[0].pk: A, seated[1].pk: E, asking.pk: ""} | {d.pk: P for d in seated[3:]}
    with at(9):  # nothing left to record: the box alone changes nothing, and says so
        response = client.post(sheet, {"rest": "present"})
    assert response.status_code == 400 and "请至少为一名代表选择出席情况。" in response.content.decode()
