"""A deputy's phone on the record changed: the old number hears of it (the code of 首次登录验证 goes to the number on
the record, so a number changed behind the deputy's back must not go unnoticed)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from deputyhome.accounts.models import User
from deputyhome.audit.models import AuditEvent
from deputyhome.deputies.models import AccountRequest, Deputy
from deputyhome.deputies.roster import roster_import
from deputyhome.deputies.roster_columns import PARTICULARS
from deputyhome.deputies.services import account_batches, deputy_update, phone_changes
from deputyhome.notifications import services as notifications
from deputyhome.notifications.models import Notification, NumberSms

from .test_account_batches import OPEN, RENEW, _ask, _confirmed, _open
from .test_roster_files import plain_xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_outbox")]

NEW = "13912345678"


def _form(deputy: Deputy, **changed) -> dict:
    data = {"name": deputy.name, "id_number": deputy.id_number, "address": deputy.address}
    data.update({f: getattr(deputy, f) for f in PARTICULARS})
    data["birth_date"] = deputy.birth_date.isoformat()
    return {**data, **changed}


def test_an_officer_changes_the_phone_of_a_deputy_with_a_login(
    city, personas, client, django_capture_on_commit_callbacks
):
    deputy = city.deputies_a[3]  # personas["deputy"]'s
    old = deputy.phone
    client.force_login(personas["township"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("deputies:update", args=[deputy.pk]), _form(deputy, phone=NEW))
    assert response.status_code == 302
    deputy.refresh_from_db()
    assert deputy.phone == NEW
    [(to, text)] = notifications.outbox
    assert to == old and "139****5678" in text and NEW not in text
    assert deputy.name not in text  # a number typed wrong was somebody else's
    [note] = Notification.objects.filter(user=personas["deputy"], channel="in_app")
    assert note.subject == "您登记的手机号已修改" and "township" in note.body


def test_only_deputies_with_a_login_or_one_asked_for_are_told(city, personas, django_capture_on_commit_callbacks):
    without, asked = city.deputies_a[1], city.deputies_a[2]
    AccountRequest.objects.create(deputy=asked, asked_by=personas["township"])
    with django_capture_on_commit_callbacks(execute=True):
        deputy_update(deputy=without, data={"phone": "13900000001"}, actor=personas["township"])
        deputy_update(deputy=asked, data={"phone": "13900000002"}, actor=personas["township"])
        deputy_update(deputy=asked, data={"address": "新地址"}, actor=personas["township"])  # the phone unchanged
    assert [to for to, _text in notifications.outbox] == [asked.phone]
    # A disabled login is nobody's to tell.
    User.objects.filter(pk=personas["deputy"].pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        deputy_update(deputy=city.deputies_a[3], data={"phone": "13900000003"}, actor=personas["township"])
    assert len(notifications.outbox) == 1


def test_a_change_rolled_back_tells_nobody(city, personas, django_capture_on_commit_callbacks):
    """The notice waits for the commit: a later step that fails (an import's next row, say) undoes the change, and
    nobody is told of a number that never changed."""
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        deputy_update(deputy=city.deputies_a[3], data={"phone": NEW}, actor=personas["city"])
        raise RuntimeError("a later step failed")
    assert not callbacks and not notifications.outbox and not NumberSms.objects.exists()
    assert Deputy.objects.get(pk=city.deputies_a[3].pk).phone != NEW


def test_a_roster_import_tells_the_old_numbers_of_the_deputies_with_a_login(
    city, personas, django_capture_on_commit_callbacks
):
    with_login, without = city.deputies_a[3], city.deputies_a[2]
    rows = []
    for deputy, phone in ((with_login, "13911110000"), (without, "13922220000")):
        rows.append(
            {
                "姓名": deputy.name,
                "性别": deputy.get_gender_display(),
                "民族": deputy.ethnicity,
                "出生年月": f"{deputy.birth_date:%Y.%m}",
                "政治面貌": deputy.party,
                "代表层级": "市",
                "所在小组": city.group_a.name,
                "联系电话": phone,
                "身份证号": deputy.id_number,
            }
        )
    old = with_login.phone
    with django_capture_on_commit_callbacks(execute=True):
        result = roster_import(content=plain_xlsx(rows), filename="a.xlsx", actor=personas["city"])
    assert result.applied and result.updated == 2
    assert [(to, "139****0000" in text) for to, text in notifications.outbox] == [(old, True)]


def test_a_gateway_failure_keeps_the_change(city, personas, settings, caplog, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "deputyhome.testing.BrokenSms"
    with django_capture_on_commit_callbacks(execute=True):
        deputy_update(deputy=city.deputies_a[3], data={"phone": NEW}, actor=personas["city"])
    assert Deputy.objects.get(pk=city.deputies_a[3].pk).phone == NEW
    [sms] = NumberSms.objects.all()  # kept, to be sent again (发送失败的通知, notifications_retry)
    assert (sms.sent_at, sms.error, sms.tries, sms.purpose) == (None, "gateway down", 1, "手机号变更提醒")
    assert "(手机号变更提醒) to 138****" in caplog.text


def test_a_number_changed_before_the_account_is_asked_for_is_told_when_it_is_opened(
    city, personas, client, django_capture_on_commit_callbacks
):
    """Decision 151. An officer who changes a deputy's phone to a number of their own, then asks for the account,
    would get the first-login code: the change tells nobody then (no login, none asked for), but the record keeps
    the number replaced, every page of the account's way says so, and the opening tells that number."""
    deputy, other = city.deputies_a[1], city.deputies_a[2]
    old = deputy.phone
    client.force_login(personas["township"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("deputies:update", args=[deputy.pk]), _form(deputy, phone=NEW)).status_code == 302
    assert not notifications.outbox
    deputy.refresh_from_db()
    assert deputy.phone_before == old and deputy.phone_changed_at is not None
    today = f"{timezone.localdate():%m-%d}"
    page = client.get(deputy.get_absolute_url()).content.decode()
    assert (
        "139****5678</dd>" not in page
        and f"（{timezone.localdate():%Y-%m-%d}变更；首次登录验证码发到这个号码）" in page
    )

    html = client.get(reverse("deputies:account_request_batch") + "?login=no").content.decode()
    assert f"已登记（{today}变更）" in html
    _ask(client)
    client.force_login(personas["sysadmin"])
    html = client.get(OPEN).content.decode()
    assert f"验证码发至代表登记的手机（手机号{today}变更，开通时短信告知原号码）" in html
    assert "1名代表的手机号30天内变更过" in html
    with django_capture_on_commit_callbacks(execute=True):
        lines = {line[3]: line for line in _open(client)}
    assert lines[deputy.pk][7] == f"验证码发至代表登记的手机（手机号{today}变更，已安排短信告知原号码，请当面核对）"
    assert lines[other.pk][7] == "验证码发至代表登记的手机"
    [(to, text)] = notifications.outbox
    assert to == old and "账号已开通" in text and "139****5678" in text and NEW not in text
    event = AuditEvent.objects.get(action=account_batches.CREATED)
    assert event.detail.endswith("其中1名代表的手机号30天内变更过，已安排短信告知原号码")


def test_a_number_deleted_then_another_typed_still_tells_the_first(city, personas, django_capture_on_commit_callbacks):
    """Deleting the phone, then typing another, must not lose the deputy's number; nor may a deletion go unsaid (no
    phone, no code at the first login)."""
    typed, deleted, again = city.deputies_a[1], city.deputies_a[2], city.deputies_a[0]
    first, second, third = typed.phone, deleted.phone, again.phone
    with django_capture_on_commit_callbacks(execute=True):  # each update commits (and tells) in its own request
        deputy_update(deputy=typed, data={"phone": ""}, actor=personas["township"])
        deputy_update(deputy=typed, data={"phone": NEW}, actor=personas["township"])
        deputy_update(deputy=deleted, data={"phone": ""}, actor=personas["township"])
        deputy_update(deputy=again, data={"phone": ""}, actor=personas["township"])  # deleted, typed again: no change
        deputy_update(deputy=again, data={"phone": third}, actor=personas["township"])
    notifications.outbox.clear()
    assert not phone_changes.recently_changed(Deputy.objects.get(pk=again.pk))
    for deputy in (typed, deleted):
        AccountRequest.objects.create(deputy=deputy, asked_by=personas["township"])
    with django_capture_on_commit_callbacks(execute=True):
        account_batches.deputy_accounts_create(
            actor=personas["sysadmin"], confirmed=account_batches.logins_digest([typed.pk, deleted.pk])
        )
    told = dict(notifications.outbox)
    assert set(told) == {first, second}
    assert "发送至139****5678" in told[first]
    assert "本号码已于" in told[second] and "删除，首次登录不再短信验证" in told[second]


def test_an_old_change_is_not_told_and_a_renewal_tells_a_recent_one(
    city, personas, client, django_capture_on_commit_callbacks
):
    deputy, other = city.deputies_a[1], city.deputies_a[2]
    old = deputy.phone
    with time_machine.travel(timezone.now() - datetime.timedelta(days=31)):
        deputy_update(deputy=other, data={"phone": "13900000009"}, actor=personas["township"])
    deputy_update(deputy=deputy, data={"phone": NEW}, actor=personas["township"])
    client.force_login(personas["township"])
    assert "变更；首次登录" not in client.get(other.get_absolute_url()).content.decode()
    assert "变更；首次登录" in client.get(deputy.get_absolute_url()).content.decode()
    _ask(client)
    client.force_login(personas["sysadmin"])
    with django_capture_on_commit_callbacks(execute=True):
        _open(client)
    assert [to for to, _text in notifications.outbox] == [old]  # not the change of 31 days ago

    notifications.outbox.clear()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=account_batches.HANDOVER_DAYS, hours=1)):
        client.force_login(personas["sysadmin"])
        assert "开通时短信告知原号码" in client.get(RENEW).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(RENEW, {"confirmed": _confirmed(client, RENEW)}).status_code == 200
    [(to, text)] = notifications.outbox
    assert to == old and "开通单已重新生成" in text
    assert AuditEvent.objects.get(action=account_batches.RENEWED).detail.endswith("已安排短信告知原号码")
