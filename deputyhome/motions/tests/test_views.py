"""The motions' pages: every role meets only its own scope (refusals audited), a constant number of queries per
page, the filing form with its deputy picker, the register export, the statistics API."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputyhome.audit.models import AuditEvent
from deputyhome.audit.services import REFUSAL_ACTION
from deputyhome.motions import services
from deputyhome.motions.choices import Decision, DelegationRole, MotionState
from deputyhome.motions.models import Motion

from .conftest import at, joint_motion
from .seating import seat_delegations

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(cg):
    """Motion A led by a deputy of 六角亭街道 (township A) with ten signers of A and B, accepted; motion B at
    白杨坪镇's own congress, led there."""
    with at(9):
        a, cosigners = joint_motion(cg, 10, lead=cg.city.deputies_a[1], avoid=[cg.personas["deputy"].deputy_id])
        for d in cosigners:
            services.motion_confirm(motion=a, actor=cg.users[d.pk])
        b, _ = joint_motion(
            cg, 5, session=cg.township_session, lead=cg.city.deputies_b[1], title="关于修缮村组道路的议案"
        )
    with at(10, 15):
        a = services.motion_check(motion=a, within_powers=True, actor=cg.personas["city"])
    return a, b, cosigners


def _refusals() -> int:
    return AuditEvent.objects.filter(action=REFUSAL_ACTION).count()


def test_outside_its_scope_every_role_is_refused_and_audited(cg, filed, client):
    a, b, cosigners = filed
    not_a_signer = cg.personas["deputy"]  # deputies_a[3]: a deputy of A who signed neither
    assert not_a_signer.deputy_id not in {d.pk for d in cosigners} | {a.lead_id}
    cases = [
        (cg.personas["township_b"], a),  # an officer of another township
        (cg.personas["township"], b),
        (cg.personas["unit"], a),  # a handling unit's clerk
        (not_a_signer, a),  # a deputy who did not sign
        (cg.personas["liaison"], a),
        (cg.personas["sysadmin"], a),
    ]
    for user, motion in cases:
        client.force_login(user)
        for url in (
            reverse("motions:detail", args=[motion.pk]),
            reverse("motions:edit", args=[motion.pk]),
        ):
            before = _refusals()
            response = client.get(url)
            assert response.status_code in (403, 404), (user.username, url, response.status_code)
            assert _refusals() == before + 1, (user.username, url)
        before = _refusals()
        response = client.post(reverse("motions:act", args=[motion.pk, "decide"]), {"decide-decision": "converted"})
        assert response.status_code in (403, 404) and _refusals() == before + 1
        # Nor in the list, its search or its export.
        listed = client.get(reverse("motions:list"), {"q": motion.title[:6]})
        assert motion.title not in listed.content.decode(errors="replace")
    motion = Motion.objects.get(pk=a.pk)
    assert motion.state == MotionState.ACCEPTED  # nothing was decided


def test_those_in_scope_open_it(cg, filed, client):
    a, b, cosigners = filed
    for user in (cg.personas["city"], cg.personas["township"], cg.users[cosigners[0].pk], cg.users[a.lead_id]):
        client.force_login(user)
        assert client.get(reverse("motions:detail", args=[a.pk])).status_code == 200, user.username
    client.force_login(cg.personas["township_b"])
    assert client.get(reverse("motions:detail", args=[b.pk])).status_code == 200
    # A signer from B sees motion A (they signed it); B's officer sees B's deputies' signatures, not A's motion.
    b_signer = next(d for d in cosigners if d.region_id == cg.city.township_b.pk)
    client.force_login(cg.users[b_signer.pk])
    assert client.get(reverse("motions:detail", args=[a.pk])).status_code == 200


def test_the_register_filters_by_township(cg, client):
    """The 乡镇（街道） filter keeps the motions whose region (the lead deputy's) lies within the chosen township."""
    with at(9):
        joint_motion(cg, 10, lead=cg.city.deputies_a[1], title="关于六角亭街道背街小巷改造的议案")
        joint_motion(cg, 10, lead=cg.city.deputies_b[1], title="关于白杨坪镇茶叶产业的议案")
    client.force_login(cg.personas["city"])
    url = reverse("motions:list")

    def titles(**params) -> set[str]:
        html = client.get(url, params).content.decode()
        return {t for t in ("关于六角亭街道背街小巷改造的议案", "关于白杨坪镇茶叶产业的议案") if t in html}

    assert titles() == {"关于六角亭街道背街小巷改造的议案", "关于白杨坪镇茶叶产业的议案"}
    assert titles(region=cg.city.township_a.pk) == {"关于六角亭街道背街小巷改造的议案"}
    assert titles(region=cg.city.township_b.pk) == {"关于白杨坪镇茶叶产业的议案"}
    assert titles(region="") == titles()


def test_the_export_holds_only_the_users_scope(cg, filed, client):
    a, b, _ = filed
    client.force_login(cg.personas["township_b"])
    first = client.get(reverse("motions:export"))
    assert first.status_code == 302
    response = client.get(first["Location"])
    assert response.status_code == 200
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    titles = {row[3] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert titles == {b.title}
    assert AuditEvent.objects.filter(action="export.motion_register").exists()
    client.force_login(cg.personas["unit"])
    assert client.get(reverse("motions:export")).status_code == 403


def _register(client) -> list[tuple]:
    import io

    from openpyxl import load_workbook

    response = client.get(reverse("motions:export"), follow=True)
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, values_only=True))


def test_the_register_export_rows_and_its_queries(cg, filed, client):
    a, b, cosigners = filed
    client.force_login(cg.personas["city"])
    rows = {row[3]: row for row in _register(client)}
    assert set(rows) == {a.title, b.title}
    row_a = rows[a.title]
    assert row_a[:8] == (
        2026,
        a.session.name,
        a.number,
        a.title,
        a.get_kind_display(),
        a.lead.name,
        None,
        "、".join(d.name for d in cosigners),  # the confirmed co-signers, in the order they were listed
    )
    assert row_a[9] == a.get_state_display() and row_a[8] == "2026-01-09 10:00"
    assert rows[b.title][7] is None  # listed, none confirmed yet
    # One more motion, one of its co-signers confirmed and one withdrawn after confirming: the same queries.
    with CaptureQueriesContext(connection) as before:
        _register(client)
    with at(9, 11):
        c, (x, y, *_rest) = joint_motion(cg, 10, lead=cg.city.deputies_a[2], title="关于建设城区停车场的议案")
        for d in (x, y):
            services.motion_confirm(motion=c, actor=cg.users[d.pk])
        services.motion_unsign(motion=c, actor=cg.users[y.pk])
    with CaptureQueriesContext(connection) as after:
        rows = {row[3]: row for row in _register(client)}
    assert len(rows) == 3 and len(after) == len(before)
    assert rows[c.title][7] == x.name


def test_a_deputy_files_a_motion_through_the_form_with_the_picker(cg, client):
    lead = cg.city.deputies_a[1]
    client.force_login(cg.users[lead.pk])
    with at(9):
        page = client.get(reverse("motions:create"))
        assert page.status_code == 200 and "联名代表" in page.content.decode()
        found = client.get(
            reverse("motions:deputy_search"),
            {"field": "cosigners", "cosigners_q": cg.city.deputies_b[2].name[:2], "session": cg.session.pk},
        )
        assert cg.city.deputies_b[2].name in found.content.decode()
        cosigners = [d.pk for d in cg.deputies if d.pk != lead.pk][:9]
        response = client.post(
            reverse("motions:create"),
            {
                "session": cg.session.pk,
                "kind": "joint",
                "title": "关于加快老旧小区改造的议案",
                "grounds": "老旧小区设施老化。",
                "plan": "三年内完成改造。",
                "cosigners": cosigners,
            },
        )
        assert response.status_code == 302
        m = Motion.objects.get(title="关于加快老旧小区改造的议案")
        assert m.state == MotionState.DRAFT and m.signers.count() == 10
        client.post(reverse("motions:act", args=[m.pk, "file"]))
    m.refresh_from_db()
    assert m.state == MotionState.FILED and m.number == 1


def test_bad_input_gets_a_chinese_message_and_writes_nothing(cg, client):
    lead = cg.city.deputies_a[1]
    client.force_login(cg.users[lead.pk])
    with at(9):
        response = client.post(
            reverse("motions:create"),
            {"session": cg.session.pk, "kind": "joint", "title": "", "cosigners": [lead.pk]},
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert "领衔代表不能同时作为联名代表" in html
    assert not Motion.objects.exists()
    with at(12):  # after the deadline: no session to choose
        html = client.get(reverse("motions:create")).content.decode()
    assert "目前没有受理议案的会议" in html


def _more_motions(cg, n: int, offset: int) -> None:
    with at(9):
        for i in range(n):
            joint_motion(cg, 10, title=f"关于第{offset + i}件事的议案")


@pytest.mark.parametrize("who", ["city", "township"])
def test_the_motion_list_and_the_session_page_run_constant_queries(cg, client, who):
    seat_delegations(cg)
    client.force_login(cg.personas[who])
    urls = [reverse("motions:list"), reverse("motions:session_detail", args=[cg.session.pk])]
    urls.append(reverse("motions:session_list"))
    _more_motions(cg, 2, 0)
    client.get(urls[0])  # warm the session
    few = {}
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        few[url] = len(ctx)
    _more_motions(cg, 12, 10)
    from deputyhome.suggestions import services as sv

    with at(9):  # and suggestions during the session
        for d in cg.deputies[:6]:
            s = sv.suggestion_create(author=d, data={"title": f"建议{d.pk}", "proposals": "x"}, actor=cg.users[d.pk])
            sv.suggestion_submit(suggestion=s, actor=cg.users[d.pk])
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert len(ctx) == few[url], (url, [q["sql"] for q in ctx.captured_queries])


def test_the_session_page_counts_by_delegation(cg, client):
    seat_delegations(cg)
    from deputyhome.motions.choices import AttendanceStatus
    from deputyhome.suggestions import services as sv

    city = cg.personas["city"]
    with at(8):
        services.session_attendance_record(
            session=cg.session,
            entries=[
                (cg.city.deputies_a[4], AttendanceStatus.EXCUSED),
                (cg.city.deputies_a[5], AttendanceStatus.PRESENT),
            ],
            reasons={cg.city.deputies_a[4].pk: "因公出差"},
            actor=city,
        )
    with at(9):
        joint_motion(cg, 10, lead=cg.city.deputies_b[0])
        for d in cg.city.deputies_a[:2]:
            s = sv.suggestion_create(author=d, data={"title": f"建议{d.pk}", "proposals": "x"}, actor=cg.users[d.pk])
            sv.suggestion_submit(suggestion=s, actor=cg.users[d.pk])
    client.force_login(city)
    response = client.get(reverse("motions:session_detail", args=[cg.session.pk]))
    rows = {d.name: d for d in response.context["delegations"]}
    a, b = rows["六角亭街道代表团"], rows["白杨坪镇代表团"]
    assert (a.member_count, a.excused, a.absent, a.motions_received, a.suggestions_received) == (6, 1, 0, 0, 2)
    assert (a.present, a.not_recorded, b.present, b.not_recorded) == (1, 4, 0, 6)
    assert (b.member_count, b.motions_received, b.suggestions_received) == (6, 1, 0)
    assert response.context["totals"]["suggestions"] == 2
    # A township officer sees their own delegation's row only.
    client.force_login(cg.personas["township"])
    response = client.get(reverse("motions:session_detail", args=[cg.session.pk]))
    assert [d.name for d in response.context["delegations"]] == ["六角亭街道代表团"]
    assert "白杨坪镇代表团" not in response.content.decode()
    # 白杨坪镇's own congress session is not 六角亭街道's to open.
    before = _refusals()
    assert client.get(reverse("motions:session_detail", args=[cg.township_session.pk])).status_code == 404
    assert _refusals() == before + 1


def test_the_heads_role_on_the_delegation_page(cg, client):
    seat_delegations(cg)
    client.force_login(cg.personas["city"])
    d = cg.session.delegations.get(name="六角亭街道代表团")
    html = client.get(reverse("motions:delegation_detail", args=[d.pk]), {"on": "2026-01-09"}).content.decode()
    assert "团长" in html and cg.city.deputies_a[0].name in html
    assert d.members.filter(role=DelegationRole.HEAD).count() == 1


def test_the_statistics_api(cg, filed, client):
    a, b, _ = filed
    with at(11, 9):
        services.motion_decide(motion=a, decision=Decision.CONVERTED, actor=cg.personas["city"])
    url = reverse("reports:stats_motions")
    assert client.get(url, {"year": 2026}).status_code == 401
    client.force_login(cg.personas["city"])
    body = client.get(url, {"year": 2026}).json()
    assert {k: body[k] for k in ("received", "on_agenda", "not_on_agenda", "converted_to_suggestions", "pending")} == {
        "received": 2,
        "on_agenda": 0,
        "not_on_agenda": 0,
        "converted_to_suggestions": 1,
        "pending": 1,
    }
    response = client.get(url, {"year": "20x6"})
    assert response.status_code == 400 and "年度参数无效" in response.json()["error"]
    client.force_login(cg.personas["township_b"])
    assert client.get(url, {"year": 2026}).json()["received"] == 1  # B's own congress's motion
    client.force_login(cg.personas["unit"])
    assert client.get(url, {"year": 2026}).status_code == 403


def test_the_rules_are_set_by_the_city_committee(cg, client):
    from deputyhome.motions.models import MotionRules

    url = reverse("motions:motion_rules_create")
    client.force_login(cg.personas["township"])
    assert client.get(url).status_code == 403
    assert client.get(reverse("motions:motion_rules_list")).status_code == 403
    client.force_login(cg.personas["city"])
    bad = client.post(url, {"congress": cg.city.city_congress.pk, "min_signers": 1, "review_months": 6})
    assert bad.status_code == 400 and not MotionRules.objects.exists()
    response = client.post(url, {"congress": cg.city.city_congress.pk, "min_signers": 12, "review_months": 3})
    assert response.status_code == 302
    assert services.rules_for(cg.city.city_congress).min_signers == 12
    assert AuditEvent.objects.filter(action="motionrules.create").exists()
    assert "恩施市第十一届人民代表大会" in client.get(reverse("motions:motion_rules_list")).content.decode()


def test_staff_seat_a_delegation_through_the_forms(cg, client):
    client.force_login(cg.personas["city"])
    response = client.post(
        reverse("motions:delegation_create", args=[cg.session.pk]),
        {"name": "六角亭街道代表团", "region": cg.city.township_a.pk},
    )
    assert response.status_code == 302
    delegation = cg.session.delegations.get()
    page = client.get(reverse("motions:member_create", args=[delegation.pk]))
    assert page.status_code == 200 and 'name="session"' in page.content.decode()
    deputy = cg.city.deputies_a[0]
    response = client.post(
        reverse("motions:member_create", args=[delegation.pk]),
        {"deputy": deputy.pk, "role": "head", "start_date": "2026-01-08", "session": cg.session.pk},
    )
    assert response.status_code == 302
    member = delegation.members.get()
    response = client.post(
        reverse("motions:member_update", args=[member.pk]),
        {"role": "head", "start_date": "2026-01-08", "end_date": "2026-01-07"},
    )
    assert response.status_code == 400 and "退出日期不能早于加入日期" in response.content.decode()
    # A township officer reads their delegation but does not arrange the city congress's delegations.
    client.force_login(cg.personas["township"])
    assert client.get(reverse("motions:delegation_detail", args=[delegation.pk])).status_code == 200
    assert client.get(reverse("motions:member_create", args=[delegation.pk])).status_code == 403


def test_the_congress_page_links_its_sessions_in_constant_queries(cg, client):
    """The congress page (organisation) links each session to its page (motions): one query for them all."""
    from deputyhome.organisation.models import Session

    client.force_login(cg.personas["city"])
    url = reverse("organisation:congress_detail", args=[cg.session.congress_id])
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        few = client.get(url)
    for number in range(1, 6):
        start = cg.session.start_date.replace(year=2020 + number)
        Session.objects.create(
            congress=cg.session.congress, number=number, name=f"第{number}次会议", start_date=start, end_date=start
        )
    with CaptureQueriesContext(connection) as more:
        many = client.get(url)
    assert few.status_code == many.status_code == 200
    assert len(more) == len(ctx), [q["sql"] for q in more.captured_queries]
    assert len(re.findall(r'href="/motions/sessions/\d+/"', many.content.decode())) == 6


def test_the_session_page_lists_twenty_motions_and_counts_them_all_in_one_query(cg, client):
    client.force_login(cg.personas["city"])
    url = reverse("motions:session_detail", args=[cg.session.pk])
    _more_motions(cg, 2, 0)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    assert "<h2>议案（2）</h2>" in html
    _more_motions(cg, 20, 10)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(many) == len(few)
    assert "<h2>议案（22）</h2>" in html
    assert html.count(">关于第") == 20 and "关于第0件事的议案" in html
