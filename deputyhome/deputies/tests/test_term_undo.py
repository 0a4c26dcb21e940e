"""撤销换届: a term change made by mistake is taken back, everything as it was, while nothing has been built on it;
refused, saying why, once it has."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from deputyhome.audit.models import AuditEvent, AuditItem
from deputyhome.deputies import services
from deputyhome.deputies.models import GroupMembership, Mandate
from deputyhome.deputies.services.term_change import term_change
from deputyhome.deputies.services.term_undo import term_change_undo, term_undo_plan
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.models import Congress
from deputyhome.testing import register_rows

from .test_term_change import OPENED, _data

pytestmark = pytest.mark.django_db


def _state():
    return (
        list(Mandate.objects.order_by("pk").values_list("status", "end_date", "end_reason")),
        list(GroupMembership.objects.order_by("pk").values_list("end_date", flat=True)),
        list(Congress.objects.filter(is_current=True).order_by("pk").values_list("pk", flat=True)),
        list(Congress.objects.order_by("pk").values_list("name", "start_date", "end_date")),
    )


def _undo_url(congress) -> str:
    return reverse("deputies:term_undo", args=[congress.pk])


def test_undoing_puts_every_mandate_membership_and_congress_back(city, personas):
    old = city.city_congress
    ending = Mandate.objects.filter(congress=old).order_by("pk").first()  # one ending before the term: kept apart
    ending.end_date = datetime.date(2026, 11, 1)
    ending.save()
    before = _state()
    new = term_change(congress=old, data=_data(), actor=personas["city"])
    assert _state() != before

    plan = term_undo_plan(congress=new)
    assert (plan.old, len(plan.mandates), len(plan.memberships), plan.created) == (old, 8, 7, True)
    back = term_change_undo(congress=new, actor=personas["city"])

    assert back.old == old and _state()[:3] == before[:3]
    new.refresh_from_db()
    assert not new.is_current and new.start_date == OPENED  # kept as the registered next term
    event = AuditEvent.objects.get(action="congress.term_change_undo")
    assert event.object_id == str(old.pk) and event.changes["items"] == 15
    assert AuditItem.objects.filter(event=event).count() == 15
    # Made again with the right day, the change reuses the congress kept.
    again = term_change(
        congress=old, data=_data(start_date=OPENED - datetime.timedelta(days=2)), actor=personas["city"]
    )
    assert again.pk == new.pk and again.is_current
    assert Mandate.objects.filter(congress=old, end_date=OPENED - datetime.timedelta(days=3)).count() == 7


def test_a_congress_registered_beforehand_goes_back_to_what_it_was(city, personas):
    registered = Congress.objects.create(
        level=CongressLevel.CITY, term=12, name="恩施市第十二届人民代表大会（筹）", region=city.city, is_current=False
    )
    before = _state()
    new = term_change(
        congress=city.city_congress, data=_data(name="恩施市第十二届人民代表大会"), actor=personas["city"]
    )
    assert new.pk == registered.pk and new.name == "恩施市第十二届人民代表大会"
    term_change_undo(congress=new, actor=personas["city"])
    assert _state() == before


def test_the_undo_is_refused_once_the_change_is_built_on(city, personas):
    by = personas["city"]
    new = term_change(congress=city.city_congress, data=_data(), actor=by)
    deputy = city.deputies_a[0]
    mandate = services.mandate_create(
        data={"deputy": deputy, "congress": new, "start_date": OPENED}, actor=by
    )  # the new roster, begun
    with pytest.raises(ValidationError, match="换届后已在恩施市第十二届人民代表大会登记1个代表资格"):
        term_undo_plan(congress=new)
    Mandate.objects.filter(pk=mandate.pk).delete()
    assert term_undo_plan(congress=new)
    ended = Mandate.objects.filter(congress=city.city_congress).order_by("pk").first()
    services.mandate_update(mandate=ended, data={"end_reason": "resigned"}, actor=by)
    before = _state()
    with pytest.raises(ValidationError, match="已有1项代表资格或小组成员记录被修改"):
        term_change_undo(congress=new, actor=by)
    assert _state() == before
    with pytest.raises(ValidationError, match="没有可撤销的换届"):
        term_undo_plan(congress=city.township_congress_b)  # never changed here


def test_the_clerk_reads_what_the_undo_does_then_confirms(city, personas, login):
    client = login(personas["city"])
    new = term_change(congress=city.city_congress, data=_data(), actor=personas["city"])
    page = client.get(new.get_absolute_url()).content.decode()
    assert _undo_url(new) in page and "撤销换届" in page
    assert _undo_url(city.city_congress) not in client.get(city.city_congress.get_absolute_url()).content.decode()
    form = client.get(_undo_url(new)).content.decode()
    assert "<strong>8</strong> 个代表资格" in form and "<strong>7</strong> 名代表回到原小组" in form
    done = client.post(_undo_url(new), follow=True)
    assert done.redirect_chain[-1][0] == city.city_congress.get_absolute_url()
    text = done.content.decode()
    assert "已撤销换届" in text and "第11届（本届）" in text
    assert Mandate.objects.filter(congress=city.city_congress, status="active").count() == 8
    nothing = client.get(_undo_url(new))
    assert nothing.status_code == 200 and "没有可撤销的换届" in nothing.content.decode()
    refused = client.post(_undo_url(new))
    assert refused.status_code == 400 and "没有可撤销的换届" in refused.content.decode()


@pytest.mark.parametrize("role", ["township", "township_b", "group", "deputy", "unit", "supervisor", "leader"])
def test_only_those_who_change_a_term_undo_it(city, personas, login, role):
    new = term_change(congress=city.city_congress, data=_data(), actor=personas["city"])
    client = login(personas[role])
    before = _state()
    assert client.get(_undo_url(new)).status_code in (403, 404)
    assert client.post(_undo_url(new)).status_code in (403, 404)
    assert _state() == before
    assert _undo_url(new) not in client.get(new.get_absolute_url()).content.decode()


def test_the_administrators_review_is_withdrawn_and_asked_again_when_made_again(city, personas, login):
    """The change asks the system administrator to review 2 logins; the administrator disables them (停用离任代表账号);
    the undo withdraws the notice and names the accounts to enable again; the change made again asks again."""
    from deputyhome.accounts.models import User
    from deputyhome.notifications.models import Notification

    admin = personas["sysadmin"]
    new = term_change(congress=city.city_congress, data=_data(), actor=personas["city"])
    review = Notification.objects.get(user=admin, channel="in_app")
    assert review.read_at is None and review.subject == "2个账号的代表本人已离任，请复核"
    client = login(admin)
    page = client.get(reverse("accounts:former_deputies")).content.decode()
    confirmed = page.split('name="confirmed" value="')[1].split('"')[0]
    assert client.post(reverse("accounts:former_deputies"), {"confirmed": confirmed}).status_code == 302
    assert not User.objects.get(username="deputy").is_active

    term_change_undo(congress=new, actor=personas["city"])
    review.refresh_from_db()
    assert review.read_at is not None  # withdrawn from the administrator's 待办
    told = Notification.objects.filter(user=admin, channel="in_app", read_at__isnull=True).get()
    assert told.subject == "撤销换届：恩施市第十一届人民代表大会恢复为本届，2个已停用的代表账号待恢复"
    assert "（deputy、group）" in told.body and "重新启用" in told.body
    assert told.link == reverse("accounts:seated_deputies")
    assert {row[0] for row in register_rows(client.get(told.link).content.decode())} == {"deputy", "group"}

    # The administrator enables them again; the change, made again, asks again (its own notice).
    page = client.get(told.link).content.decode()
    confirmed = page.split('name="confirmed" value="')[1].split('"')[0]
    assert client.post(told.link, {"confirmed": confirmed}).status_code == 302
    term_change(congress=city.city_congress, data=_data(), actor=personas["city"])
    again = Notification.objects.filter(user=admin, channel="in_app", read_at__isnull=True).order_by("pk")
    assert again.count() == 2 and again.last().subject == "2个账号的代表本人已离任，请复核"
