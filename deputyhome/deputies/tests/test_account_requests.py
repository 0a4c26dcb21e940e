"""申请开通代表账号: a city or township officer sees on a deputy's page whether the deputy has a login and asks the
administrators for one; the administrators are told (with the deputy's number the role form asks for); audited;
not asked twice within a week, nor for a deputy with a login or without a seat; nobody else may ask."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputyhome.audit.models import AuditEvent
from deputyhome.deputies.models import AccountRequest, Mandate
from deputyhome.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _ask(client, deputy):
    return client.post(reverse("deputies:account_request", args=[deputy.pk]), follow=True)


def _notes(user):
    return list(Notification.objects.filter(user=user, channel="in_app").order_by("pk"))


def test_the_officer_asks_and_the_administrators_are_told(city, personas, client):
    deputy = city.deputies_a[2]  # group A's 联络员 (a deputy), without a login
    client.force_login(personas["township"])
    page = client.get(deputy.get_absolute_url()).content.decode()
    assert "未开通" in page and reverse("deputies:account_request", args=[deputy.pk]) in page

    response = _ask(client, deputy)
    assert f"已申请为{deputy.name}开通登录账号" in response.content.decode()
    event = AuditEvent.objects.get(action="deputy.account_request")
    assert event.actor == personas["township"] and event.object_id == str(deputy.pk)
    assert AccountRequest.objects.get(done_at__isnull=True).deputy == deputy
    [to_sys] = _notes(personas["sysadmin"])
    assert to_sys.subject == f"申请开通代表账号：{deputy.name}"
    assert to_sys.link == reverse("deputies:accounts_open") and f"代表编号 {deputy.pk}" in to_sys.body
    # The security administrator is told once the account is made (test_account_batches).
    assert not _notes(personas["secadmin"]) and not _notes(personas["city"])

    # Asked: the page says when, without the button; asked again within the week: refused, nothing sent.
    page = client.get(deputy.get_absolute_url()).content.decode()
    assert "已于" in page and reverse("deputies:account_request", args=[deputy.pk]) not in page
    assert "7天内不再重复申请" in _ask(client, deputy).content.decode()
    assert AuditEvent.objects.filter(action="deputy.account_request").count() == 1
    assert len(_notes(personas["sysadmin"])) == 1

    # A week later, a reminder may be sent (a request of its own).
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        client.force_login(personas["township"])  # the session of a week ago has expired
        page = client.get(deputy.get_absolute_url()).content.decode()
        assert "已于" not in page and reverse("deputies:account_request", args=[deputy.pk]) in page
        _ask(client, deputy)
    assert len(_notes(personas["sysadmin"])) == 2


def test_not_for_a_deputy_with_a_login_or_without_a_seat(city, personas, client):
    client.force_login(personas["city"])
    with_login = city.deputies_a[3]  # the "deputy" persona's
    page = client.get(with_login.get_absolute_url()).content.decode()
    assert "已开通（deputy，人大代表）" in page
    assert "已有登录账号（deputy）" in _ask(client, with_login).content.decode()

    gone = city.deputies_b[2]
    Mandate.objects.filter(deputy=gone).update(end_date=datetime.date(2026, 1, 1), status="ended")
    assert (
        reverse("deputies:account_request", args=[gone.pk]) not in client.get(gone.get_absolute_url()).content.decode()
    )
    assert "今天没有代表资格" in _ask(client, gone).content.decode()
    assert not AuditEvent.objects.filter(action="deputy.account_request").exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("persona", ["group", "liaison", "deputy", "unit", "supervisor", "leader", "sysadmin"])
def test_only_the_officers_may_ask(city, personas, client, persona):
    deputy = city.deputies_a[2]
    client.force_login(personas[persona])
    assert client.post(reverse("deputies:account_request", args=[deputy.pk])).status_code in (403, 404)
    assert not AuditEvent.objects.filter(action="deputy.account_request").exists()
    assert "申请开通" not in client.get(deputy.get_absolute_url()).content.decode()


def test_not_for_another_townships_deputy(city, personas, client):
    client.force_login(personas["township"])  # township A's officer
    assert client.post(reverse("deputies:account_request", args=[city.deputies_b[1].pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="deputy.account_request").exists()


def test_the_page_reads_the_same_queries_with_or_without_requests(city, personas, client):
    client.force_login(personas["city"])
    deputy = city.deputies_a[2]

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(deputy.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    _ask(client, city.deputies_a[1])
    _ask(client, deputy)
    assert queries() == before


def test_the_register_finds_the_deputies_without_a_login(city, personas, client):
    from deputyhome.testing import register_rows

    client.force_login(personas["city"])

    def names(**params) -> set[str]:
        return {row[0] for row in register_rows(client.get(reverse("deputies:list"), params).content.decode())}

    everyone = names()
    with_login = {city.deputies_a[0].name, city.deputies_a[3].name}  # the group leader's and the deputy's
    assert names(login="yes") == with_login
    assert names(login="no") == everyone - with_login
    # Not a question for a group leader: no such filter, the parameter ignored.
    client.force_login(personas["group"])
    page = client.get(reverse("deputies:list")).content.decode()
    assert 'name="login"' not in page
    assert names(login="yes") == names()
