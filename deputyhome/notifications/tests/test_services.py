"""Sending: idempotent by key, e-mail and SMS channels, failures recorded, one SMS per shared number."""

from __future__ import annotations

import logging

import pytest
from django.core import mail

from deputyhome.notifications.choices import Channel
from deputyhome.notifications.models import Notification
from deputyhome.notifications.services import LoggingSmsBackend, deliver, notification_mark_all_read, notify
from deputyhome.testing import after_commit

pytestmark = pytest.mark.django_db

SENT: list[tuple[str, str]] = []


class RecordingSms:
    def send(self, *, phone, text):
        SENT.append((phone, text))


@pytest.fixture(autouse=True)
def _clear():
    SENT.clear()


def test_a_key_is_sent_once_per_user_on_every_channel(personas):
    unit = personas["unit"]
    unit.email = "unit@example.cn"
    unit.save()
    args = {"users": [unit], "subject": "催办", "link": "/suggestions/1/", "key": "k:1"}
    with after_commit():
        assert notify(**args) == 1
        assert notify(**args) == 0
    assert Notification.objects.filter(user=unit, channel=Channel.IN_APP).count() == 1
    assert Notification.objects.filter(user=unit, channel=Channel.EMAIL).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["unit@example.cn"]
    assert notify(users=[unit], subject="无键的消息") == 1
    assert notify(users=[unit], subject="无键的消息") == 1  # without a key every call sends


def test_email_links_are_absolute_when_site_url_is_set(personas, settings):
    settings.SITE_URL = "https://daibiao.example.gov.cn/"
    user = personas["city"]
    user.email = "city@example.cn"
    user.save()
    with after_commit():
        notify(users=[user], subject="s", body="正文", link="/suggestions/7/")
    assert mail.outbox[0].body == "正文\n\nhttps://daibiao.example.gov.cn/suggestions/7/"


def test_a_mail_failure_is_recorded_and_does_not_stop_the_others(personas, monkeypatch):
    a, b = personas["city"], personas["supervisor"]
    for u in (a, b):
        u.email = f"{u.username}@example.cn"
        u.save()

    def fail(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("deputyhome.notifications.services.send_mail", fail)
    with after_commit():
        assert notify(users=[a, b], subject="s", key="k") == 2
    failed = Notification.objects.filter(channel=Channel.EMAIL, sent_ok=False)
    assert failed.count() == 2 and failed.first().error == "SMTP down"


def test_sms_goes_through_the_configured_backend(personas, city, settings):
    settings.SMS_BACKEND = "deputyhome.notifications.tests.test_services.RecordingSms"
    city.unit_a.phone = "13900001111"
    city.unit_a.save()
    deputy = personas["deputy"]  # a deputy's own number
    with after_commit():
        counts = deliver(users=[personas["unit"], deputy, personas["city"]], subject="逾期催办", key="k", sms=True)
    assert sorted(SENT) == sorted([("13900001111", "逾期催办"), (deputy.deputy.phone, "逾期催办")])
    assert counts == {Channel.IN_APP: 3, Channel.SMS: 2}
    assert deliver(users=[personas["unit"]], subject="逾期催办", key="k", sms=True) == {}
    assert len(SENT) == 2


def test_clerks_sharing_the_unit_phone_get_one_sms_and_a_row_each(personas, city, settings):
    settings.SMS_BACKEND = "deputyhome.notifications.tests.test_services.RecordingSms"
    city.unit_a.phone = "13900001111"
    city.unit_a.save()
    from deputyhome.accounts.models import User

    second = User.objects.create(username="unit2", role="unit_clerk", unit=city.unit_a)
    with after_commit():
        deliver(users=[personas["unit"], second], subject="s", key="k", sms=True)
    assert SENT == [("13900001111", "s")]
    assert Notification.objects.filter(channel=Channel.SMS).count() == 2


def test_default_backend_logs_a_masked_number_and_failures_are_recorded(personas, city, settings, caplog):
    city.unit_a.phone = "13900001111"
    city.unit_a.save()
    settings.SMS_BACKEND = ""  # the production default (the test suite's is LocmemSmsBackend)
    with caplog.at_level(logging.INFO, logger="deputyhome.notifications.services"), after_commit():
        notify(users=[personas["unit"]], subject="临期催办", key="a", sms=True)
    assert "SMS to 139****1111: 临期催办" in caplog.text
    with caplog.at_level(logging.INFO, logger="deputyhome.notifications.services"):
        LoggingSmsBackend().send(phone="13900001111", text="验证码为123456，编号2026001234")
    assert "验证码为******，编号2026001234" in caplog.text and "123456" not in caplog.text  # a code is not logged
    settings.SMS_BACKEND = "deputyhome.testing.BrokenSms"
    with after_commit():
        notify(users=[personas["unit"]], subject="临期催办", key="b", sms=True)
    row = Notification.objects.get(channel=Channel.SMS, key="b")
    assert not row.sent_ok and row.error == "gateway down"


def test_mark_all_read_touches_only_the_users_in_site_messages(personas):
    a, b = personas["city"], personas["supervisor"]
    notify(users=[a, b], subject="s", key="k")
    assert notification_mark_all_read(user=a) == 1
    assert Notification.objects.get(user=b).read_at is None
