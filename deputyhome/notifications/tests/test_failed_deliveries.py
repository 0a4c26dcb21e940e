"""发送失败的通知: what the SMS platform or the mail server failed to send is kept, shown to the system administrator
(who it was for and where, masked; not what it said), and sent again by hand or by `notifications_retry`."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputyhome.audit.models import AuditEvent
from deputyhome.notifications import services
from deputyhome.notifications.choices import Channel
from deputyhome.notifications.models import Notification, NumberSms
from deputyhome.notifications.services import RETRIED, deliver
from deputyhome.testing import SlowSms, after_commit, home_tiles

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_outbox")]

PAGE = reverse("notifications:failed")
BROKEN = "deputyhome.testing.BrokenSms"
SLOW = "deputyhome.testing.SlowSms"
SUBJECT = "建议逾期未答复：城区停车难"


def _failed_sms(settings, users, subject: str = SUBJECT) -> None:
    """`subject` sent by SMS to `users` while the gateway was down."""
    settings.SMS_BACKEND = BROKEN
    with after_commit():
        deliver(users=users, subject=subject, sms=True)
    settings.SMS_BACKEND = "deputyhome.notifications.services.LocmemSmsBackend"


def test_the_system_administrator_sees_a_failure_and_sends_it_again(personas, client, settings):
    deputy = personas["deputy"]
    _failed_sms(settings, [deputy])
    [note] = Notification.objects.filter(sent_ok=False)
    assert note.channel == Channel.SMS and note.error == "gateway down" and note.tries == 1
    admin = personas["sysadmin"]
    assert home_tiles(client, admin)["7天内发送失败的通知"] == 1

    assert f'href="{PAGE}"' in client.get(reverse("accounts:user_list")).content.decode()  # hangs off 用户管理
    html = client.get(PAGE).content.decode()
    phone = deputy.deputy.phone
    assert f"{phone[:3]}****{phone[-4:]}" in html and phone not in html
    assert deputy.username in html and "gateway down" in html
    assert SUBJECT not in html  # the message is the users' business, the channel the administrator's

    # Still down: the row says so, tried twice.
    settings.SMS_BACKEND = BROKEN
    response = client.post(PAGE, {"id": note.pk}, follow=True)
    assert "发送成功0条，失败1条" in response.content.decode()
    note.refresh_from_db()
    assert not note.sent_ok and note.tries == 2
    # Back up: sent, gone from the list and the home page, audited with its actor.
    settings.SMS_BACKEND = "deputyhome.notifications.services.LocmemSmsBackend"
    response = client.post(PAGE, {"id": note.pk}, follow=True)
    assert "发送成功1条，失败0条" in response.content.decode()
    assert services.outbox == [(phone, SUBJECT)]
    note.refresh_from_db()
    assert note.sent_ok and note.error == "" and note.tries == 3
    assert "没有未发出的电子邮件和短信" in client.get(PAGE).content.decode()
    assert "7天内发送失败的通知" not in home_tiles(client, admin)
    events = AuditEvent.objects.filter(action=RETRIED).order_by("pk")
    assert [(e.actor, e.success) for e in events] == [(admin, False), (admin, True)]


def test_a_slow_platform_holds_the_page_no_longer_than_its_time(personas, client, settings, monkeypatch):
    """A platform that answers, but slowly: the administrator's 全部发送 starts no message once its time is spent
    (`IN_REQUEST_SECONDS`); those left are untouched, not counted as tried, and the page says so."""
    for n in range(6):
        _failed_sms(settings, [personas["deputy"]], f"第{n}条")
    settings.SMS_BACKEND = SLOW
    monkeypatch.setattr(services, "IN_REQUEST_SECONDS", 2.5 * SlowSms.SECONDS)
    client.force_login(personas["sysadmin"])
    html = client.post(PAGE, follow=True).content.decode()
    sent = len(services.outbox)
    assert 1 <= sent <= 3, sent
    assert (
        f"发送成功{sent}条，失败0条，未发送{6 - sent}条（发送较慢，其中{6 - sent}条本次未及发送，请稍后再发送）" in html
    )
    tries = Notification.objects.filter(channel=Channel.SMS).values_list("sent_ok", "tries")
    assert sorted(tries) == sorted([(False, 1)] * (6 - sent) + [(True, 2)] * sent)


def test_a_channel_still_down_is_given_up_after_three_running_failures(personas, client, settings):
    """With the platform down each try waits for its timeout: the fourth and later are not tried this round."""
    for n in range(5):
        _failed_sms(settings, [personas["deputy"]], f"第{n}条")
    assert Notification.objects.filter(sent_ok=False).count() == 5
    settings.SMS_BACKEND = BROKEN
    client.force_login(personas["sysadmin"])
    html = client.post(PAGE, follow=True).content.decode()
    assert "发送成功0条，失败3条，未发送2条（短信连续3次失败，本次不再尝试" in html
    assert sorted(Notification.objects.filter(channel=Channel.SMS).values_list("tries", flat=True)) == [1, 1, 2, 2, 2]


def test_e_mails_are_sent_again_to_the_users_address(personas, client):
    user = personas["city"]
    user.email = "officer@example.gov.cn"
    user.save()
    Notification.objects.create(
        user=user, channel=Channel.EMAIL, subject="交办提醒", body="请交办", sent_ok=False, error="SMTP down"
    )
    client.force_login(personas["sysadmin"])
    html = client.get(PAGE + "?channel=email").content.decode()
    assert "o***@example.gov.cn" in html and "officer@" not in html
    assert "没有未发出的电子邮件和短信" in client.get(PAGE + "?channel=sms").content.decode()
    client.post(PAGE + "?channel=email")
    [sent] = mail.outbox
    assert sent.to == ["officer@example.gov.cn"] and sent.subject == "交办提醒"
    assert Notification.objects.get(channel=Channel.EMAIL).sent_ok


@pytest.mark.parametrize("persona", ["city", "township", "secadmin", "auditor", "deputy", "unit", "leader"])
def test_only_the_system_administrator(personas, client, settings, persona):
    _failed_sms(settings, [personas["deputy"]])
    client.force_login(personas[persona])
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE).status_code == 403
    assert Notification.objects.get(sent_ok=False).tries == 1 and not AuditEvent.objects.filter(action=RETRIED)
    assert "发送失败的通知" not in client.get(reverse("core:dashboard")).content.decode()


def test_a_channel_not_offered_is_refused(personas, client):
    client.force_login(personas["sysadmin"])
    response = client.get(PAGE + "?channel=fax")
    assert response.status_code == 400 and "渠道只能是短信或电子邮件" in response.content.decode()


def test_the_command_sends_again_the_failures_of_the_day_up_to_five_tries(personas, settings):
    deputy = personas["deputy"]
    with time_machine.travel(timezone.now() - datetime.timedelta(hours=30)):
        _failed_sms(settings, [deputy], "昨天以前的")
    _failed_sms(settings, [deputy], "今天的")
    _failed_sms(settings, [deputy], "试过五次的")
    Notification.objects.filter(subject="试过五次的").update(tries=5)
    out = io.StringIO()
    call_command("notifications_retry", stdout=out)
    assert "发送成功1条，失败0条" in out.getvalue()
    assert [text for _phone, text in services.outbox] == ["今天的"]
    assert AuditEvent.objects.get(action=RETRIED).actor_name == "定时任务 notifications_retry"
    call_command("notifications_retry", stdout=out)
    assert "没有需要重发的通知" in out.getvalue()


def test_the_page_reads_as_many_queries_for_few_failures_as_for_more(personas, client, settings, city):
    from deputyhome.accounts.models import User

    client.force_login(personas["sysadmin"])
    counts = []
    for n in (2, 12):
        for i in range(n):  # a clerk each (reached on the unit's phone), and a deputy
            clerk = User.objects.create(username=f"c{n}-{i}", role="unit_clerk", unit=city.unit_a)
            _failed_sms(settings, [clerk, personas["deputy"]] if i == 0 else [clerk])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_row_taken_by_another_round_is_sent_once(personas, settings):
    """The command and an administrator's click read the same failed row: the first to claim it sends it."""
    _failed_sms(settings, [personas["deputy"]])
    mine = list(Notification.objects.filter(sent_ok=False).select_related("user__deputy", "user__unit"))
    theirs = list(Notification.objects.filter(sent_ok=False).select_related("user__deputy", "user__unit"))
    assert services.deliveries_send(notes=theirs, actor="定时任务").sent == 1
    result = services.deliveries_send(notes=mine, actor=personas["sysadmin"])
    assert (result.sent, result.skipped) == (0, 1)
    assert len(services.outbox) == 1 and Notification.objects.get(channel=Channel.SMS).tries == 2


def test_a_disabled_account_gets_nothing_and_a_bad_choice_sends_nothing(personas, client, settings):
    deputy = personas["deputy"]
    _failed_sms(settings, [deputy])
    deputy.is_active = False
    deputy.save(update_fields=["is_active"])
    client.force_login(personas["sysadmin"])
    html = client.post(PAGE, {"id": "x1"}, follow=True).content.decode()
    assert "没有要重新发送的通知" in html and Notification.objects.get(channel=Channel.SMS).tries == 1
    client.post(PAGE)
    note = Notification.objects.get(channel=Channel.SMS)
    assert not services.outbox and not note.sent_ok and note.error == "账号已停用"


# SMS to numbers (a deputy's old phone told of a change) -------------------------------------------------------------


def _numbers(n: int, django_capture_on_commit_callbacks) -> list[str]:
    phones = [f"1390000{i:04d}" for i in range(n)]
    with django_capture_on_commit_callbacks(execute=True):
        services.sms_to_numbers(messages=[(p, f"第{i}条") for i, p in enumerate(phones)], purpose="手机号变更提醒")
    return phones


def test_a_large_batch_sends_a_few_at_once_and_the_command_the_rest(
    personas, client, django_capture_on_commit_callbacks
):
    """A roster import that changes many phones does not wait for each SMS: 20 go out after the commit, the command
    sends the rest; the administrator sees them waiting, and on the home page once they are overdue."""
    phones = _numbers(services.AT_ONCE + 5, django_capture_on_commit_callbacks)
    assert [p for p, _text in services.outbox] == phones[: services.AT_ONCE]
    assert NumberSms.objects.filter(sent_at__isnull=True, tries=0).count() == 5
    client.force_login(personas["sysadmin"])
    html = client.get(PAGE).content.decode()
    assert html.count("排队等待发送") == 5 and "139****0024" in html and "1390000024" not in html
    assert "7天内发送失败的通知" not in home_tiles(client, personas["sysadmin"])  # waiting, not late
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        assert home_tiles(client, personas["sysadmin"])["7天内发送失败的通知"] == 5  # the command has not run
    out = io.StringIO()
    call_command("notifications_retry", stdout=out)
    assert "发往号码的短信：发送成功5条" in out.getvalue()
    assert [p for p, _text in services.outbox] == phones
    assert not NumberSms.objects.filter(sent_at__isnull=True).exists()
    assert AuditEvent.objects.get(action=RETRIED).object_repr == "发往号码的短信"


def test_a_failed_sms_to_a_number_is_kept_and_sent_again_by_hand(
    personas, client, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = BROKEN
    [phone] = _numbers(1, django_capture_on_commit_callbacks)
    row = NumberSms.objects.get()
    assert (row.sent_at, row.error, row.tries) == (None, "gateway down", 1)
    client.force_login(personas["sysadmin"])
    assert home_tiles(client, personas["sysadmin"])["7天内发送失败的通知"] == 1
    assert "gateway down" in client.get(PAGE).content.decode()
    settings.SMS_BACKEND = "deputyhome.notifications.services.LocmemSmsBackend"
    html = client.post(PAGE, {"number": "x"}, follow=True).content.decode()
    assert "没有要重新发送的通知" in html and not services.outbox
    html = client.post(PAGE, {"number": row.pk}, follow=True).content.decode()
    assert "发送成功1条" in html and services.outbox == [(phone, "第0条")]
    row.refresh_from_db()
    assert row.sent_at is not None and row.error == "" and row.tries == 2
    assert "没有未发出的短信" in client.get(PAGE).content.decode()


def test_sms_to_numbers_are_the_system_administrators_alone(personas, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # queued, the commit's sending not run
        services.sms_to_numbers(messages=[("13900000001", "x")], purpose="手机号变更提醒")
    client.force_login(personas["city"])
    assert client.post(PAGE, {"numbers": "all"}).status_code == 403
    assert NumberSms.objects.get().tries == 0 and not services.outbox


# E-mails and SMS to users: queued in the write, sent after its commit -------------------------------------------------


def _deputies_with_logins(city, n: int) -> list:
    from deputyhome.accounts.models import User
    from deputyhome.testing import add_deputies

    deputies = add_deputies(n, congress=city.city_congress, group=city.group_a, region=city.township_a, serial=700)
    for i, d in enumerate(deputies):
        d.phone = f"1370000{i:04d}"
        d.save(update_fields=["phone"])
    return [User.objects.create(username=f"rd{i}", role="deputy", deputy=d) for i, d in enumerate(deputies)]


def test_a_reminder_to_many_answers_at_once_and_the_command_sends_the_rest(
    personas, client, city, django_capture_on_commit_callbacks
):
    """Nothing leaves before the commit; of what one transaction queued (here in many calls) 20 go out right after
    it, the rest wait for the command, listed as waiting (not failed) until they are overdue."""
    users = _deputies_with_logins(city, services.AT_ONCE + 5)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for user in users:  # one call each, one batch
            deliver(users=[user], subject="请于年底前到家站接待选民", sms=True)
        assert not services.outbox  # not before the commit
    phones = [u.deputy.phone for u in users]
    assert [p for p, _text in services.outbox] == phones[: services.AT_ONCE]
    waiting = Notification.objects.filter(channel=Channel.SMS, sent_ok=False)
    assert waiting.count() == 5 and set(waiting.values_list("tries", "error")) == {(0, "")}
    admin = personas["sysadmin"]
    client.force_login(admin)
    assert client.get(PAGE).content.decode().count("排队等待发送") == 5
    assert "7天内发送失败的通知" not in home_tiles(client, admin)  # waiting, not late
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        assert home_tiles(client, admin)["7天内发送失败的通知"] == 5  # the command has not run
    out = io.StringIO()
    call_command("notifications_retry", stdout=out)
    assert "通知：发送成功5条，失败0条" in out.getvalue()
    assert [p for p, _text in services.outbox] == phones
    assert not Notification.objects.filter(sent_ok=False).exists()


def test_after_a_write_a_slow_platform_is_given_its_time_and_the_command_the_rest(
    personas, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """The sending after a commit runs in the officer's request: with a slow platform it starts no message once
    `IN_REQUEST_SECONDS` are spent; the rest stay queued (not tried) and the command sends them."""
    settings.SMS_BACKEND = SLOW
    monkeypatch.setattr(services, "IN_REQUEST_SECONDS", 2.5 * SlowSms.SECONDS)
    phones = _numbers(services.AT_ONCE, django_capture_on_commit_callbacks)
    sent = len(services.outbox)
    assert 1 <= sent <= 3, sent
    assert [p for p, _text in services.outbox] == phones[:sent]
    assert NumberSms.objects.filter(sent_at__isnull=True, tries=0, error="").count() == services.AT_ONCE - sent
    settings.SMS_BACKEND = "deputyhome.notifications.services.LocmemSmsBackend"
    out = io.StringIO()
    call_command("notifications_retry", stdout=out)  # the command has no time limit
    assert f"发往号码的短信：发送成功{services.AT_ONCE - sent}条" in out.getvalue()
    assert [p for p, _text in services.outbox] == phones


def test_a_write_rolled_back_sends_nothing(personas, django_capture_on_commit_callbacks):
    deputy = personas["deputy"]
    deputy.email = "deputy@example.cn"
    deputy.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            deliver(users=[deputy], subject="已交办", sms=True)
            raise RuntimeError("the write failed after the notice")
        deliver(users=[deputy], subject="已答复", sms=True)  # the next write's batch is its own
    assert services.outbox == [(deputy.deputy.phone, "已答复")]
    assert [m.subject for m in mail.outbox] == ["已答复"]
    assert not Notification.objects.filter(subject="已交办").exists()


def test_a_sending_that_breaks_after_the_commit_leaves_the_write_done(personas, settings, caplog):
    """An SMS backend that cannot even be loaded does not turn a done write into an error page: logged, the message
    waits for the command."""
    settings.SMS_BACKEND = "deputyhome.no_such_module.Sms"
    with after_commit():
        deliver(users=[personas["deputy"]], subject="已交办", sms=True)
    note = Notification.objects.get(channel=Channel.SMS)
    assert (note.sent_ok, note.tries) == (False, 0) and "no_such_module" in caplog.text
