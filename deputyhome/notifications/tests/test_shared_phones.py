"""Users who share a phone (the clerks of one unit are reached on the unit's) get one SMS, and each user's row says
what became of it: sent, or failed with the platform's error, and sent again once for all of them."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from deputyhome.accounts.models import User
from deputyhome.notifications import services
from deputyhome.notifications.choices import Channel
from deputyhome.notifications.models import Notification
from deputyhome.notifications.services import deliver
from deputyhome.testing import after_commit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_outbox")]

PHONE = "13900001111"
LOCMEM = "deputyhome.notifications.services.LocmemSmsBackend"


@pytest.fixture
def clerks(personas, city):
    """The unit's two clerks, and a deputy with a phone of their own."""
    city.unit_a.phone = PHONE
    city.unit_a.save()
    second = User.objects.create(username="unit2", role="unit_clerk", unit=city.unit_a)
    return [personas["unit"], second, personas["deputy"]]


def _sms_rows() -> dict[str, Notification]:
    return {n.user.username: n for n in Notification.objects.filter(channel=Channel.SMS).select_related("user")}


def _send(settings, users, backend: str) -> None:
    settings.SMS_BACKEND = backend
    with after_commit():
        deliver(users=users, subject="催办：城区停车难", key="k", sms=True)
    settings.SMS_BACKEND = LOCMEM


def test_one_sms_for_the_shared_phone_and_each_row_says_it_was_sent(settings, clerks):
    _send(settings, clerks, LOCMEM)
    assert sorted(services.outbox) == sorted(
        [(PHONE, "催办：城区停车难"), (clerks[2].deputy.phone, "催办：城区停车难")]
    )
    rows = _sms_rows()
    assert len(rows) == 3 and all(r.sent_ok and r.tries == 1 and not r.error for r in rows.values())
    assert rows["unit2"].sent_with == rows["unit"] and rows["unit"].sent_with is None


def test_a_failed_sms_to_a_shared_phone_is_failed_on_every_row_and_sent_again_once(settings, client, personas, clerks):
    _send(settings, clerks[:2], "deputyhome.testing.BrokenSms")
    rows = _sms_rows()
    # Before, the second clerk's row said 发送成功 although nothing reached the phone.
    assert [(r.sent_ok, r.error, r.tries) for r in rows.values()] == [(False, "gateway down", 1)] * 2

    client.force_login(personas["sysadmin"])
    page = reverse("notifications:failed")
    html = client.get(page).content.decode()
    assert html.count("139****1111") == 2 and "与同号的接收人共用一条短信" in html
    # 重新发送 on the second clerk's row sends the one SMS, for both.
    response = client.post(page, {"id": rows["unit2"].pk}, follow=True)
    assert "发送成功1条，失败0条" in response.content.decode()
    assert services.outbox == [(PHONE, "催办：城区停车难")]
    assert [(r.sent_ok, r.error, r.tries) for r in _sms_rows().values()] == [(True, "", 2)] * 2
    assert "没有未发出的电子邮件和短信" in client.get(page).content.decode()


def test_the_command_sends_a_shared_phone_one_sms(settings, clerks):
    _send(settings, clerks[:2], "deputyhome.testing.BrokenSms")
    out = io.StringIO()
    call_command("notifications_retry", stdout=out)
    assert "发送成功1条，失败0条" in out.getvalue() and services.outbox == [(PHONE, "催办：城区停车难")]
    assert all(r.sent_ok and r.tries == 2 for r in _sms_rows().values())
    call_command("notifications_retry", stdout=out)
    assert "没有需要重发的通知" in out.getvalue()


def test_a_rider_whose_carrier_can_no_longer_be_sent_goes_on_its_own(settings, clerks):
    """The first clerk's account stopped while the platform was down: the second clerk still gets the SMS."""
    _send(settings, clerks[:2], "deputyhome.testing.BrokenSms")
    first = clerks[0]
    first.is_active = False
    first.save(update_fields=["is_active"])
    call_command("notifications_retry", stdout=io.StringIO())
    rows = _sms_rows()
    assert services.outbox == [(PHONE, "催办：城区停车难")]
    assert (rows["unit2"].sent_ok, rows["unit2"].sent_with) == (True, None)
    assert (rows["unit"].sent_ok, rows["unit"].error) == (False, "账号已停用")
    # Sent again, the stopped account's row stays failed on its own: the second clerk's is not touched.
    call_command("notifications_retry", stdout=io.StringIO())
    rows = _sms_rows()
    assert rows["unit2"].sent_ok and not rows["unit"].sent_ok and len(services.outbox) == 1
