"""转请市级办理: a township congress's desk forwards a matter of its suggestion to a city unit, with a due date of
its own; the unit answers; the township, the city's officers, the unit and the deputy all see it, nobody else."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.audit.models import AuditEvent
from deputyhome.conftest import PASSWORD
from deputyhome.core import workdays
from deputyhome.notifications.models import Notification
from deputyhome.organisation.choices import CongressLevel, RegionKind, UnitKind
from deputyhome.organisation.models import Congress, HandlingUnit, Region
from deputyhome.suggestions import selectors
from deputyhome.suggestions import services as sv
from deputyhome.suggestions.choices import Action, ForwardStatus, State
from deputyhome.suggestions.models import Event, Forward
from deputyhome.suggestions.workflow import IllegalTransition
from deputyhome.testing import home_tiles


def _user(username: str, role: str, **anchor) -> User:
    user = User(username=username, role=role, display_name=username, **anchor)
    user.set_password(PASSWORD)
    user.save()
    return user


def another_town(city, name: str) -> Region:
    """A second town (code 422801102) under the city, with its current congress: its officer is not 白杨坪镇's."""
    region = Region.objects.create(code="422801102", name=name, kind=RegionKind.TOWN, parent=city.city)
    Congress.objects.create(
        level=CongressLevel.TOWNSHIP,
        term=19,
        name=f"{name}第十九届人民代表大会",
        region=region,
        start_date=datetime.date(2021, 10, 1),
    )
    return region


@pytest.fixture
def town(city, people, categories):
    """白杨坪镇's congress at work: its officer, its office, a township deputy's suggestion it registered and
    assigned, a city unit (region = the city) with its clerk, and another township's officer."""
    cats, _ = categories
    office = HandlingUnit.objects.create(name="白杨坪镇农业服务中心", kind=UnitKind.GOVERNMENT, region=city.township_b)
    transport = HandlingUnit.objects.create(name="市交通运输局", kind=UnitKind.GOVERNMENT, region=city.city)
    other_region = another_town(city, "龙凤镇")
    deputy = _user("tdeputy", Role.DEPUTY, deputy=city.deputies_b[0])
    officer = people["township_b"]
    s = sv.suggestion_create(
        author=deputy.deputy,
        data={"title": "关于硬化洞下槽村通组公路的建议", "proposals": "硬化", "congress": city.township_congress_b},
        actor=deputy,
    )
    sv.suggestion_submit(suggestion=s, actor=deputy)
    sv.suggestion_register(suggestion=s, category=cats["其他"], actor=officer)
    sv.suggestion_assign(suggestion=s, lead_unit=office, actor=officer)
    return {
        "s": s,
        "office": office,
        "transport": transport,
        "officer": officer,
        "deputy": deputy,
        "clerk": _user("transport", Role.UNIT_CLERK, unit=transport),
        "office_clerk": _user("office", Role.UNIT_CLERK, unit=office),
        "other_officer": _user("longfeng", Role.TOWNSHIP_OFFICER, region=other_region),
    }


def _forward(town, unit=None, note="请将该路段纳入全市农村公路提档升级计划", **kwargs):
    return sv.suggestion_forward_up(
        suggestion=town["s"], unit=unit or town["transport"], note=note, actor=town["officer"], **kwargs
    )


def _page(client, user, s) -> tuple[int, str]:
    client.force_login(user)
    r = client.get(s.get_absolute_url())
    return r.status_code, r.content.decode()


def _section(html: str) -> str:
    return html[html.index('<section id="forwards">') : html.index("</section>", html.index('id="forwards"'))]


@pytest.mark.django_db
def test_township_forwards_the_city_unit_answers_and_everyone_concerned_sees_it(
    client, city, people, town, django_capture_on_commit_callbacks
):
    s, officer, clerk = town["s"], town["officer"], town["clerk"]
    code, html = _page(client, officer, s)
    assert code == 200 and 'id="forward-up"' in html
    form = _section(html)
    # The unit select offers the city's units only: never the township's own offices.
    assert "市交通运输局" in form and "市住房和城乡建设局" in form and "白杨坪镇农业服务中心" not in form
    default_due = workdays.due_after_months(timezone.localdate(), sv.policy_for(timezone.localdate()).handling_months)
    assert f'value="{default_due:%Y-%m-%d}"' in form

    due = timezone.localdate() + datetime.timedelta(days=20)
    data = {
        "forward-unit": town["transport"].pk,
        "forward-due_on": f"{due:%Y-%m-%d}",
        "forward-note": "纳入提档升级计划",
    }
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("suggestions:forward_up", args=[s.pk]), data)
    assert r.status_code == 302
    f = Forward.objects.get(suggestion=s)
    assert (f.unit, f.due_on, f.status, f.forwarded_by, f.note) == (
        town["transport"],
        due,
        ForwardStatus.PENDING,
        officer,
        "纳入提档升级计划",
    )
    s.refresh_from_db()
    assert s.state == State.ASSIGNED  # the township's own course goes on
    told = set(Notification.objects.filter(subject__contains=s.title).values_list("user__username", flat=True))
    assert {"transport", "city"} <= told and "unit_b" not in told

    # The city unit sees it in its inbox and on the page (read-only for the suggestion), and answers there.
    assert home_tiles(client, clerk)["乡镇转来待答复"] == 1
    code, html = _page(client, clerk, s)
    assert code == 200 and 'id="forward-answer"' in html and 'id="forward-up"' not in html
    assert "可办理的操作" not in html  # no step of the township's course
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("suggestions:forward_answer", args=[f.pk]), {"answer-answer": "已列入2027年计划"})
    assert r.status_code == 302
    f.refresh_from_db()
    assert (f.status, f.answer, f.answered_by, f.answered_on) == (
        ForwardStatus.ANSWERED,
        "已列入2027年计划",
        clerk,
        timezone.localdate(),
    )
    assert Notification.objects.filter(user=officer, subject__contains="已答复转办事项").exists()
    assert home_tiles(client, clerk)["乡镇转来待答复"] == 0

    # Both sides, the city's officers (read-only) and the deputy see the forward and the answer.
    for user in (officer, clerk, people["city"], town["deputy"]):
        code, html = _page(client, user, s)
        section = _section(html)
        assert code == 200 and "市交通运输局" in section and "已列入2027年计划" in section, user
        assert "已答复" in section and 'id="forward-answer"' not in html and "撤回转办" not in section
    _, html = _page(client, people["city"], s)
    assert 'id="forward-up"' not in html
    actions = list(Event.objects.filter(suggestion=s).values_list("action", flat=True))
    assert actions[-2:] == [Action.FORWARD_UP, Action.FORWARD_ANSWER]


@pytest.mark.django_db
def test_city_officer_can_neither_forward_a_township_suggestion_nor_answer(client, people, town):
    s, city_officer = town["s"], people["city"]
    with pytest.raises(PermissionDenied):
        sv.suggestion_forward_up(suggestion=s, unit=town["transport"], note="x", actor=city_officer)
    client.force_login(city_officer)
    data = {"forward-unit": town["transport"].pk, "forward-due_on": "2099-01-01", "forward-note": "x"}
    assert client.post(reverse("suggestions:forward_up", args=[s.pk]), data).status_code == 403
    assert not Forward.objects.exists()
    f = _forward(town)
    assert client.post(reverse("suggestions:forward_answer", args=[f.pk]), {"answer-answer": "答"}).status_code == 403
    with pytest.raises(PermissionDenied):
        sv.forward_answer(forward=f, answer="答", actor=city_officer)
    assert client.post(reverse("suggestions:forward_withdraw", args=[f.pk])).status_code == 403
    # The township's own office is no city unit: it cannot answer either.
    with pytest.raises(PermissionDenied):
        sv.forward_answer(forward=f, answer="答", actor=town["office_clerk"])
    f.refresh_from_db()
    assert f.status == ForwardStatus.PENDING and f.answer == ""


@pytest.mark.django_db
def test_another_township_and_another_unit_get_404(client, people, town):
    s, f = town["s"], _forward(town)
    for user in (town["other_officer"], people["unit_b"]):
        client.force_login(user)
        assert client.get(s.get_absolute_url()).status_code == 404, user
        assert (
            client.post(reverse("suggestions:forward_answer", args=[f.pk]), {"answer-answer": "答"}).status_code == 404
        )
        assert client.post(reverse("suggestions:forward_withdraw", args=[f.pk])).status_code == 404
    client.force_login(town["other_officer"])
    data = {"forward-unit": town["transport"].pk, "forward-due_on": "2099-01-01", "forward-note": "x"}
    assert client.post(reverse("suggestions:forward_up", args=[s.pk]), data).status_code == 404
    assert Forward.objects.count() == 1
    refused = AuditEvent.objects.filter(success=False, object_id=str(f.pk), object_type="suggestions.forward")
    assert refused.count() == 4  # each out-of-scope lookup of the forward is audited


@pytest.mark.django_db
def test_a_unit_answers_once(client, town):
    f = _forward(town)
    sv.forward_answer(forward=f, answer="已办", actor=town["clerk"])
    with pytest.raises(ValidationError, match="已答复，不能再答复"):
        sv.forward_answer(forward=f, answer="再答", actor=town["clerk"])
    client.force_login(town["clerk"])
    r = client.post(reverse("suggestions:forward_answer", args=[f.pk]), {"answer-answer": "再答"}, follow=True)
    assert "不能再答复" in r.content.decode()
    f.refresh_from_db()
    assert f.answer == "已办"


@pytest.mark.django_db
def test_a_city_suggestion_is_not_forwarded(client, city, people, categories):
    cats, _ = categories
    deputy, staff = people["deputy"], people["city"]
    s = sv.suggestion_create(
        author=deputy.deputy, data={"title": "关于城区停车的建议", "proposals": "建"}, actor=deputy
    )
    sv.suggestion_submit(suggestion=s, actor=deputy)
    sv.suggestion_register(suggestion=s, category=cats["其他"], actor=staff)
    with pytest.raises(ValidationError) as caught:
        sv.suggestion_forward_up(suggestion=s, unit=city.unit_a, note="x", actor=staff)
    assert "不能转请市级办理" in caught.value.messages[0]
    client.force_login(staff)
    data = {"forward-unit": city.unit_a.pk, "forward-due_on": "2099-01-01", "forward-note": "x"}
    r = client.post(reverse("suggestions:forward_up", args=[s.pk]), data, follow=True)
    assert "不能转请市级办理" in r.content.decode()
    assert 'id="forward-up"' not in r.content.decode()
    assert not Forward.objects.exists()


@pytest.mark.django_db
def test_bad_input_and_wrong_moments_write_nothing(client, city, people, town):
    s, officer = town["s"], town["officer"]
    client.force_login(officer)
    url = reverse("suggestions:forward_up", args=[s.pk])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for data, message in (
        (
            {"forward-unit": town["transport"].pk, "forward-due_on": f"{yesterday:%Y-%m-%d}", "forward-note": "x"},
            "答复期限不能早于今天",
        ),
        (
            {"forward-unit": town["office"].pk, "forward-due_on": "2099-01-01", "forward-note": "x"},
            "所选的“市级承办单位”不存在或不在您的管辖范围内",
        ),
        (
            {"forward-unit": town["transport"].pk, "forward-due_on": "2099-01-01", "forward-note": " "},
            "这个字段是必填项",
        ),
    ):
        r = client.post(url, data)
        assert r.status_code == 400 and message in r.content.decode(), message
    with pytest.raises(ValidationError, match="不是市级承办单位"):
        _forward(town, unit=town["office"])
    assert not Forward.objects.exists()
    events = Event.objects.filter(suggestion=s).count()

    _forward(town)
    with pytest.raises(ValidationError, match="请勿重复转办"):
        _forward(town)
    other = _forward(town, unit=city.unit_a)  # one pending forward per unit, several units at once
    sv.forward_withdraw(forward=other, actor=officer, note="已另行协调")
    assert Forward.objects.get(pk=other.pk).status == ForwardStatus.WITHDRAWN
    with pytest.raises(ValidationError, match="已撤回，不能再答复"):
        sv.forward_answer(forward=other, answer="答", actor=people["unit"])
    _forward(town, unit=city.unit_a)  # withdrawn: it may be forwarded again
    assert Event.objects.filter(suggestion=s).count() == events + 4

    # A suggestion not yet registered is not forwarded: the desk screens it first.
    draft = sv.suggestion_create(
        author=town["deputy"].deputy,
        data={"title": "草稿", "proposals": "建", "congress": city.township_congress_b},
        actor=town["deputy"],
    )
    sv.suggestion_submit(suggestion=draft, actor=town["deputy"])
    with pytest.raises(IllegalTransition, match="不能执行“转请市级办理”"):
        sv.suggestion_forward_up(suggestion=draft, unit=town["transport"], note="x", actor=officer)


@pytest.mark.django_db
def test_withdraw_on_the_page_and_the_audit_trail(client, town, django_capture_on_commit_callbacks):
    s, officer = town["s"], town["officer"]
    f = _forward(town)
    code, html = _page(client, officer, s)
    assert 'data-confirm="确定要撤回转请市交通运输局办理吗？"' in html
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("suggestions:forward_withdraw", args=[f.pk])).status_code == 302
    f.refresh_from_db()
    assert f.status == ForwardStatus.WITHDRAWN and f.withdrawn_on == timezone.localdate()
    assert Notification.objects.filter(user=town["clerk"], subject__contains="撤回转办").exists()
    rows = AuditEvent.objects.filter(object_type="suggestions.suggestion", object_id=str(s.pk), success=True)
    trail = list(rows.filter(action__startswith="suggestion.forward").order_by("pk").values_list("action", "changes"))
    assert [a for a, _ in trail] == ["suggestion.forward_up", "suggestion.forward_withdraw"]
    assert trail[0][1]["forward"] == f.pk and trail[0][1]["unit"] == "市交通运输局"
    assert trail[1][1]["status"] == ["pending", "withdrawn"]
    # The clerk's link from the notification still opens the page: the forward shows as withdrawn.
    code, html = _page(client, town["clerk"], s)
    assert code == 200 and "已撤回" in _section(html) and 'id="forward-answer"' not in html


@pytest.mark.django_db
def test_overdue_forwards_are_counted_and_shown_in_red(client, people, town):
    s = town["s"]
    f = _forward(town)
    assert home_tiles(client, town["clerk"])["已逾期"] == 0
    late = timezone.localdate() - datetime.timedelta(days=3)
    Forward.objects.filter(pk=f.pk).update(due_on=late)
    assert home_tiles(client, town["clerk"])["已逾期"] == 1
    assert home_tiles(client, town["clerk"])["乡镇转来待答复"] == 1
    assert home_tiles(client, people["city"])["乡镇转来事项"] == 1
    assert home_tiles(client, town["officer"])["转请市级办理待答复"] == 1
    assert home_tiles(client, people["unit_b"])["已逾期"] == 0
    red = f'<span class="bad">答复期限 {late:%Y-%m-%d} 逾期</span>'
    for user, desk in ((town["clerk"], "suggestions:inbox"), (people["city"], "suggestions:desk")):
        client.force_login(user)
        assert red in client.get(reverse(desk)).content.decode()
    _, html = _page(client, town["officer"], s)
    assert f'<span class="bad">{late:%Y-%m-%d} 已逾期</span>' in _section(html)
    sv.forward_answer(forward=f, answer="已办", actor=town["clerk"])
    assert home_tiles(client, town["clerk"])["已逾期"] == 0
    assert home_tiles(client, people["city"])["乡镇转来事项"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer", "clerk", "city", "deputy"])
def test_the_page_reads_in_the_same_number_of_queries_with_1_or_5_forwards(client, city, people, town, persona):
    user = people["city"] if persona == "city" else town[persona]
    units = [town["transport"]] + [
        HandlingUnit.objects.create(name=f"市直单位{i}", kind=UnitKind.GOVERNMENT, region=city.city) for i in range(4)
    ]

    def count() -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(town["s"].get_absolute_url()).status_code == 200
        return len(queries)

    _forward(town, unit=units[0])
    one = count()
    for unit in units[1:3]:
        _forward(town, unit=unit)
    for _ in range(2):  # answered earlier (two rounds with the unit the clerk works for)
        Forward.objects.create(
            suggestion=town["s"],
            unit=units[0],
            forwarded_by=town["officer"],
            forwarded_on=timezone.localdate(),
            due_on=timezone.localdate(),
            note="前次转办",
            status=ForwardStatus.ANSWERED,
            answer="已办",
            answered_on=timezone.localdate(),
            answered_by=town["clerk"],
        )
    assert Forward.objects.count() == 5
    assert count() == one


@pytest.mark.django_db
def test_a_forward_does_not_count_in_the_city_units_statistics(town):
    """The unit sees the township's suggestion, but its statistics count the suggestions assigned to it."""
    from deputyhome.supervision.stats import received

    _forward(town)
    year = town["s"].year
    assert received(user=town["office_clerk"], year=year).count() == 1
    assert not received(user=town["clerk"], year=year).exists()
    assert selectors.suggestion_list(user=town["clerk"]).filter(pk=town["s"].pk).exists()  # listed, not counted


@pytest.mark.django_db
def test_past_100_city_units_the_forward_searches_them_and_refuses_the_townships_own_office(client, city, town):
    from deputyhome.testing import add_places, largest_select

    add_places(city, 150)  # 150 more units without a region: the city's
    s, officer = town["s"], town["officer"]
    code, html = _page(client, officer, s)
    form = _section(html)
    assert code == 200 and largest_select(form) <= 100 and '<select name="forward-unit"' not in form
    search = reverse("core:choice_search", args=["city_unit"])
    assert f'hx-get="{search}?field=forward-unit"' in form
    found = client.get(search, {"field": "forward-unit", "forward-unit_q": "市第14"}).content.decode()
    assert 'name="forward-unit"' in found and "市第14局" in found
    assert "市交通运输局" in client.get(search, {"field": "f", "f_q": "交通"}).content.decode()
    assert "白杨坪镇农业服务中心" not in client.get(search, {"field": "f", "f_q": "白杨坪"}).content.decode()

    data = {
        "forward-unit": town["office"].pk,
        "forward-due_on": f"{timezone.localdate():%Y-%m-%d}",
        "forward-note": "x",
    }
    r = client.post(reverse("suggestions:forward_up", args=[s.pk]), data)
    assert r.status_code == 400 and "不存在或不在您的管辖范围内" in r.content.decode()
    assert not Forward.objects.exists()
