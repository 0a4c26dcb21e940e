"""换届: a congress's term ends on the eve of the next one's first meeting; its mandates end, deputies who hold no
other seat leave their groups, the next congress becomes the current one, and the new roster imports onto it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputyhome.audit.models import AuditEvent, AuditItem
from deputyhome.deputies import services
from deputyhome.deputies.choices import MandateEndReason, MandateStatus
from deputyhome.deputies.models import GroupMembership, Mandate
from deputyhome.deputies.roster import roster_import
from deputyhome.deputies.services.term_change import chinese_number, next_name, term_change, term_change_plan
from deputyhome.notifications.models import Notification
from deputyhome.organisation.choices import CongressLevel, RegionKind
from deputyhome.organisation.models import Congress, Region
from deputyhome.testing import add_deputies, register_rows

from .test_roster_files import plain_xlsx, xlsx_rows
from .test_roster_import import _required_columns

pytestmark = pytest.mark.django_db

OPENED = datetime.date(2026, 11, 20)  # the twelfth congress's first meeting (before the tests' "today")
LAST_DAY = OPENED - datetime.timedelta(days=1)


def _data(**over):
    return {"term": 12, "name": "", "start_date": OPENED, **over}


def _state():
    return (
        list(Mandate.objects.order_by("pk").values_list("status", "end_date", "end_reason")),
        list(GroupMembership.objects.order_by("pk").values_list("end_date", flat=True)),
        list(Congress.objects.order_by("pk").values_list("name", "is_current", "end_date")),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(
    "n, text", [(1, "一"), (10, "十"), (11, "十一"), (12, "十二"), (19, "十九"), (20, "二十"), (21, "二十一")]
)
def test_chinese_numbers_of_terms(n, text):
    assert chinese_number(n) == text


def test_the_new_name_follows_the_old(city):
    assert next_name(city.city_congress, 12) == "恩施市第十二届人民代表大会"
    assert next_name(city.township_congress_b, 20) == "白杨坪镇第二十届人民代表大会"


def test_term_change_ends_the_term_its_mandates_and_the_groups_of_those_leaving(city, personas):
    old = city.city_congress
    both = city.deputies_b[0]  # a city and a township deputy: keeps the group
    assert term_change_plan(congress=old, data=_data()).mandates == 8

    new = term_change(congress=old, data=_data(), actor=personas["city"])

    old.refresh_from_db()
    assert (old.is_current, old.end_date) == (False, LAST_DAY)
    assert (new.name, new.term, new.level, new.region, new.start_date, new.is_current) == (
        "恩施市第十二届人民代表大会",
        12,
        CongressLevel.CITY,
        city.city,
        OPENED,
        True,
    )
    for m in Mandate.objects.filter(congress=old):
        assert (m.status, m.end_date, m.end_reason) == (MandateStatus.ENDED, LAST_DAY, MandateEndReason.TERM_END)
    township = Mandate.objects.get(congress=city.township_congress_b)
    assert (township.status, township.end_date) == (MandateStatus.ACTIVE, None)
    left = {m.deputy_id: m.end_date for m in GroupMembership.objects.all()}
    assert left.pop(both.pk) is None
    assert set(left.values()) == {LAST_DAY}

    event = AuditEvent.objects.get(action="congress.term_change")
    assert event.changes["mandates_ended"] == 8 and event.changes["memberships_ended"] == 7
    assert AuditItem.objects.filter(event=event).count() == 15
    assert "恩施市第十一届人民代表大会于2026-11-19届满" in event.detail
    assert AuditEvent.objects.filter(action="congress.update", object_id=str(old.pk)).exists()
    assert AuditEvent.objects.filter(action="congress.create", object_id=str(new.pk)).exists()


def test_a_mandate_already_ending_earlier_keeps_its_end_and_an_ended_one_is_left(city, personas):
    resigned, ending = Mandate.objects.filter(congress=city.city_congress).order_by("pk")[:2]
    resigned.status, resigned.end_date, resigned.end_reason = MandateStatus.ENDED, datetime.date(2024, 1, 1), "resigned"
    resigned.save()
    ending.end_date = datetime.date(2026, 11, 1)
    ending.save()

    term_change(congress=city.city_congress, data=_data(), actor=personas["city"])

    resigned.refresh_from_db()
    ending.refresh_from_db()
    assert (resigned.end_date, resigned.end_reason) == (datetime.date(2024, 1, 1), "resigned")
    assert (ending.status, ending.end_date) == (MandateStatus.ENDED, datetime.date(2026, 11, 1))


def test_the_next_congress_registered_beforehand_becomes_the_current_one(city, personas):
    registered = Congress.objects.create(
        level=CongressLevel.CITY, term=12, name="恩施市第十二届人民代表大会", region=city.city, is_current=False
    )
    plan = term_change_plan(congress=city.city_congress, data=_data())
    assert plan.existing == registered and plan.name == registered.name

    new = term_change(congress=city.city_congress, data=_data(), actor=personas["city"])

    assert new.pk == registered.pk
    registered.refresh_from_db()
    assert (registered.is_current, registered.start_date) == (True, OPENED)
    assert Congress.objects.filter(level=CongressLevel.CITY, is_current=True).get() == registered


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"term": 11}, "term", "新一届的届次须大于第11届"),
        ({"start_date": datetime.date(2021, 10, 1)}, "start_date", "须晚于本届开始日期（2021-10-01）"),
        ({"start_date": datetime.date(2999, 1, 1)}, "start_date", "开幕日期不能晚于今天"),
        ({"name": "白杨坪镇第十九届人民代表大会"}, "name", "已被其他人民代表大会使用"),
    ],
)
def test_a_wrong_term_change_says_what_and_where_and_writes_nothing(city, personas, change, field, message):
    before = _state()
    with pytest.raises(ValidationError) as caught:
        term_change(congress=city.city_congress, data=_data(**change), actor=personas["city"])
    assert message in " ".join(caught.value.message_dict[field])
    assert _state() == before


def test_a_mandate_begun_after_the_last_day_is_named_and_nothing_is_written(city, personas):
    late = Mandate.objects.filter(congress=city.city_congress).select_related("deputy").first()
    late.start_date = OPENED
    late.save()
    before = _state()
    with pytest.raises(ValidationError) as caught:
        term_change(congress=city.city_congress, data=_data(), actor=personas["city"])
    assert f"1名代表（{late.deputy.name}）" in caught.value.message_dict["start_date"][0]
    assert _state() == before


def test_a_term_ended_cannot_end_again(city, personas):
    term_change(congress=city.city_congress, data=_data(), actor=personas["city"])
    before = _state()
    with pytest.raises(ValidationError, match="已不是本届"):
        term_change(congress=city.city_congress, data=_data(term=13), actor=personas["city"])
    assert _state() == before


def test_the_change_takes_the_same_queries_for_a_larger_congress(city, personas):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            term_change(congress=Congress.objects.get(is_current=True, level="city"), data=data, actor=personas["city"])
        return len(ctx.captured_queries)

    # The first write of a process reads what later ones find cached: the township's term changes first.
    term_change(congress=city.township_congress_b, data=_data(term=20), actor=personas["city"])
    data = _data()
    small = queries()
    Congress.objects.filter(term=12).update(is_current=False)
    Congress.objects.filter(pk=city.city_congress.pk).update(is_current=True)
    Mandate.objects.update(status=MandateStatus.ACTIVE, end_date=None, end_reason="")
    GroupMembership.objects.update(end_date=None)
    add_deputies(60, congress=city.city_congress, group=city.group_a, region=city.township_a)
    data = _data(term=13, start_date=OPENED + datetime.timedelta(days=1))
    assert queries() == small


def test_the_new_roster_imports_onto_the_new_term(city, personas):
    """The journey after 换届: a re-elected deputy gets a mandate in the new congress from its first day and a group
    again; the one not re-elected keeps their record, with no group and no seat."""
    again, gone = city.deputies_a[1], city.deputies_a[2]
    new = term_change(congress=city.city_congress, data=_data(), actor=personas["city"])

    result = roster_import(
        content=plain_xlsx([_required_columns(again, city.group_a)]), filename="十二届.xlsx", actor=personas["city"]
    )

    assert result.applied, [str(i) for i in result.issues]
    seat = again.mandates.get(congress=new)
    assert (seat.status, seat.start_date) == (MandateStatus.ACTIVE, OPENED)
    assert again.memberships.filter(end_date__isnull=True, group=city.group_a).exists()
    assert not gone.mandates.filter(status=MandateStatus.ACTIVE).exists()
    assert not gone.memberships.filter(end_date__isnull=True).exists()
    assert gone.mandates.get(congress=city.city_congress).end_reason == MandateEndReason.TERM_END


def test_the_register_tells_sitting_deputies_from_former_ones(city, personas, login):
    term_change(congress=city.city_congress, data=_data(), actor=personas["city"])
    client = login(personas["city"])

    def names(**params) -> dict[str, str]:
        rows = register_rows(client.get(reverse("deputies:list"), params).content.decode())
        return {row[0]: row[5] for row in rows}  # 姓名 → 代表层级

    everyone = names()
    assert len(everyone) == 8
    assert everyone.pop(city.deputies_b[0].name) == "乡"  # still a township deputy
    assert set(everyone.values()) == {"已离任"}
    assert set(names(serving="yes")) == {city.deputies_b[0].name}
    assert len(names(serving="no")) == 7
    exported = xlsx_rows(client.get(reverse("roster:export_deputies") + "?serving=no", follow=True).content)
    assert {r[0] for r in exported[2:]} == {d.name for d in [*city.deputies_a, *city.deputies_b[1:]]}


def test_the_administrator_is_told_of_the_logins_of_deputies_leaving_and_finds_them(city, personas, login):
    """The group leader's and the deputy's logins belong to deputies leaving: the change keeps them (accounts are
    the system administrator's) and tells the administrator, whose user register lists them."""
    assert term_change_plan(congress=city.city_congress, data=_data()).accounts == 2
    term_change(congress=city.city_congress, data=_data(), actor=personas["city"])

    note = Notification.objects.get(user=personas["sysadmin"], channel="in_app")
    assert note.subject == "2个账号的代表本人已离任，请复核" and "届满（换届）" in note.body
    client = login(personas["sysadmin"])
    listed = {row[0] for row in register_rows(client.get(note.link).content.decode())}
    assert listed == {"group", "deputy"}
    others = {
        row[0]
        for row in register_rows(client.get(reverse("accounts:user_list"), {"former_deputy": "false"}).content.decode())
    }
    assert "group" not in others and {"city", "township", "sysadmin"} <= others
    assert personas["group"].__class__.objects.get(pk=personas["group"].pk).is_active


# The page -------------------------------------------------------------------------------------------------


def _url(congress) -> str:
    return reverse("deputies:term_change", args=[congress.pk])


def _form(**over) -> dict:
    return {"term": "12", "name": "", "start_date": OPENED.isoformat(), **over}


def test_the_clerk_checks_then_confirms(city, personas, login):
    client = login(personas["city"])
    page = client.get(city.city_congress.get_absolute_url()).content.decode()
    assert _url(city.city_congress) in page and "第11届（本届）" in page
    assert "<dt>在任代表</dt><dd>8</dd>" in page

    form = client.get(_url(city.city_congress)).content.decode()
    assert 'value="恩施市第十二届人民代表大会"' in form and 'value="12"' in form

    preview = client.post(_url(city.city_congress), _form())
    text = preview.content.decode()
    assert preview.status_code == 200
    assert "任期截至 2026-11-19，终止代表资格 <strong>8</strong> 个" in text
    assert "<strong>7</strong> 名代表不再担任其他人大代表" in text
    assert not Congress.objects.filter(term=12).exists()

    # Confirming other values than those checked shows their preview again, and changes nothing.
    checked = f"12||{OPENED:%Y-%m-%d}"
    other = client.post(_url(city.city_congress), _form(start_date="2026-11-21", checked=checked))
    assert other.status_code == 200 and "任期截至 2026-11-20" in other.content.decode()
    assert not Congress.objects.filter(term=12).exists()

    done = client.post(_url(city.city_congress), _form(checked=checked), follow=True)
    new = Congress.objects.get(term=12, level=CongressLevel.CITY)
    assert done.redirect_chain[-1][0] == new.get_absolute_url()
    assert "已换届" in done.content.decode() and "第12届（本届）" in done.content.decode()
    assert _url(new) in done.content.decode()
    old_page = client.get(city.city_congress.get_absolute_url()).content.decode()
    assert "第11届（已届满）" in old_page and _url(city.city_congress) not in old_page
    assert "<dt>在任代表</dt><dd>0</dd>" in old_page
    assert client.get(_url(city.city_congress)).status_code == 302


def test_a_bad_form_is_answered_with_its_errors_and_writes_nothing(city, personas, login):
    client = login(personas["city"])
    before = _state()
    response = client.post(_url(city.city_congress), _form(term="11", start_date="2999-01-01", checked="x"))
    text = response.content.decode()
    assert response.status_code == 400
    assert "新一届的届次须大于第11届" in text and "开幕日期不能晚于今天" in text
    assert _state() == before


@pytest.mark.parametrize("role", ["township", "township_b", "group", "deputy", "unit", "supervisor", "leader"])
def test_only_the_committee_staff_change_a_term(city, personas, login, role):
    client = login(personas[role])
    before = _state()
    assert client.get(_url(city.city_congress)).status_code in (403, 404)
    assert client.post(_url(city.city_congress), _form(checked=f"12||{OPENED:%Y-%m-%d}")).status_code in (403, 404)
    assert _state()[:3] == before[:3]
    assert _url(city.city_congress) not in client.get(city.city_congress.get_absolute_url()).content.decode()


def test_a_missing_congress_is_404(city, personas, login):
    assert login(personas["city"]).get(reverse("deputies:term_change", args=[99999])).status_code == 404


def test_a_township_congress_changes_term_alone(city, personas, login):
    """The township's own term: its mandates end, the city's stay, and its deputy who sits in the city keeps the
    group."""
    client = login(personas["city"])
    tcb = city.township_congress_b
    client.post(_url(tcb), _form(term="20", checked=f"20||{OPENED:%Y-%m-%d}"))
    tcb.refresh_from_db()
    assert not tcb.is_current
    assert Congress.objects.get(term=20).region == city.township_b
    assert Mandate.objects.filter(congress=city.city_congress, status=MandateStatus.ACTIVE).count() == 8
    assert GroupMembership.objects.filter(end_date__isnull=True).count() == 8


def test_a_township_officer_changes_their_own_congress_term(city, personas, login):
    """The township's presidium staff change their congress's term through the page; the officer of another
    township is refused it, and nobody of a township is offered the city's."""
    tcb = city.township_congress_b
    own = login(personas["township_b"])
    assert _url(tcb) in own.get(tcb.get_absolute_url()).content.decode()
    assert _url(city.city_congress) not in own.get(city.city_congress.get_absolute_url()).content.decode()
    checked = f"20||{OPENED:%Y-%m-%d}"
    assert "终止代表资格" in own.post(_url(tcb), _form(term="20")).content.decode()
    done = own.post(_url(tcb), _form(term="20", checked=checked), follow=True)
    new = Congress.objects.get(term=20, level=CongressLevel.TOWNSHIP)
    assert done.redirect_chain[-1][0] == new.get_absolute_url() and "已换届" in done.content.decode()
    assert new.is_current and new.region == city.township_b
    assert AuditEvent.objects.filter(action="congress.term_change", actor=personas["township_b"]).count() == 1
    assert _url(new) in own.get(new.get_absolute_url()).content.decode()  # the new term is theirs too


def test_another_township_officer_may_not_change_the_term(city, personas, login):
    tcb = city.township_congress_b
    other = login(personas["township"])
    before = _state()
    assert _url(tcb) not in other.get(tcb.get_absolute_url()).content.decode()
    assert other.get(_url(tcb)).status_code == 403
    assert other.post(_url(tcb), _form(term="20", checked=f"20||{OPENED:%Y-%m-%d}")).status_code == 403
    assert _state()[:3] == before[:3]  # the refusals are audited; nothing else is written


def test_another_city_has_its_own_congress(city, personas):
    """A prefecture's cities each change their own term: the other city's congress is untouched."""
    other = Region.objects.create(code="422802", name="利川市", kind=RegionKind.CITY)
    lichuan = Congress.objects.create(
        level=CongressLevel.CITY,
        term=11,
        name="利川市第十一届人民代表大会",
        region=other,
        start_date=timezone.localdate(),
    )
    term_change(congress=city.city_congress, data=_data(), actor=personas["city"])
    lichuan.refresh_from_db()
    assert lichuan.is_current and lichuan.end_date is None


# A mandate ended in the term ---------------------------------------------------------------------------------

LEFT = datetime.date(2026, 6, 30)


def test_a_deputy_whose_only_seat_ends_leaves_the_group_and_the_administrator_is_told(city, personas, login):
    """Through the mandate form: the deputy who moved away leaves the group on the mandate's last day."""
    deputy = personas["deputy"].deputy
    mandate = deputy.mandates.get()
    form = {
        "congress": mandate.congress_id,
        "constituency": mandate.constituency,
        "start_date": mandate.start_date.isoformat(),
        "end_date": LEFT.isoformat(),
        "status": MandateStatus.ENDED,
        "end_reason": MandateEndReason.MOVED,
    }
    response = login(personas["city"]).post(reverse("deputies:mandate_update", args=[mandate.pk]), form)
    assert response.status_code == 302

    membership = deputy.memberships.get()
    assert membership.end_date == LEFT
    assert AuditEvent.objects.filter(action="groupmembership.update", object_id=str(membership.pk)).count() == 1
    note = Notification.objects.get(user=personas["sysadmin"], channel="in_app")
    assert deputy.name in note.body and "调离本行政区域" in note.body


def test_a_deputy_still_sitting_elsewhere_keeps_the_group(city, personas):
    both = city.deputies_b[0]
    services.mandate_update(
        mandate=both.mandates.get(congress=city.city_congress),
        data={"status": MandateStatus.ENDED, "end_date": LEFT, "end_reason": MandateEndReason.RESIGNED},
        actor=personas["city"],
    )
    assert both.memberships.get().end_date is None
    assert not Notification.objects.exists()


def test_a_mandate_edited_but_not_ended_leaves_the_group_alone(city, personas):
    deputy = city.deputies_a[1]
    services.mandate_update(mandate=deputy.mandates.get(), data={"constituency": "新选区"}, actor=personas["city"])
    assert deputy.memberships.get().end_date is None


def test_an_ended_mandate_edited_later_moves_nobody(city, personas):
    """A former deputy's old mandate corrected years later (its constituency) leaves their later membership alone."""
    deputy = city.deputies_a[1]
    mandate = deputy.mandates.get()
    Mandate.objects.filter(pk=mandate.pk).update(status=MandateStatus.ENDED, end_date=LEFT, end_reason="resigned")
    GroupMembership.objects.filter(deputy=deputy).update(end_date=datetime.date(2026, 7, 31))
    mandate.refresh_from_db()
    services.mandate_update(mandate=mandate, data={"constituency": "更正后的选区"}, actor=personas["city"])
    assert deputy.memberships.get().end_date == datetime.date(2026, 7, 31)
    assert not Notification.objects.exists()
