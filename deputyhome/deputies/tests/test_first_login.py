"""首次登录短信验证: a deputy's account with a one-time password reaches nothing, not even the password change, before
it types the code sent to the phone on the deputy's record. Whoever else holds the one-time password (the system
administrator, the officer handing the slip over) cannot sign in first."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputyhome.accounts import services as account_services
from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.audit.models import AuditEvent
from deputyhome.deputies import first_login
from deputyhome.deputies.models import FirstLoginCode
from deputyhome.deputies.services import first_login_codes as codes
from deputyhome.notifications import services as notifications
from deputyhome.testing import change_password_when_asked, register_rows, sms_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_outbox")]

PAGE = reverse("deputies:first_login")
NEW = "Deputy-Own-2026!"


def _account(deputy, *, role=Role.DEPUTY, username="rd-first") -> tuple[User, str]:
    """An account tied to `deputy` whose password the system administrator has just set (a one-time password, as
    in the account's form): (account, password)."""
    admin, _ = User.objects.get_or_create(username="sys-first", defaults={"role": Role.SYSTEM_ADMIN})
    user = User.objects.create_user(username=username, password="Unused-2026-x!", deputy=deputy, role=role)
    password = "Slip-Password-2026!"
    account_services.user_set_password(user=user, password=password, actor=admin)
    user.refresh_from_db()
    assert user.password_one_time_until
    return user, password


def _signed_in(client, user: User, password: str) -> None:
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": password})
    assert response.status_code == 302


def _send(client) -> str:
    """获取验证码; the code the deputy's phone received."""
    assert client.post(PAGE, {"action": "send"}).status_code == 302
    return sms_code(notifications.outbox[-1][0])


def _verify(client, code: str):
    return client.post(PAGE, {"action": "verify", "code": code})


def test_the_deputy_types_the_code_from_their_phone_then_sets_a_password(city, client):
    deputy = city.deputies_a[1]
    user, password = _account(deputy)
    _signed_in(client, user, password)
    # Nothing but the code page: not the deputy's own page, not the password change.
    for page in ("deputies:me", "accounts:password_change", "core:dashboard"):
        response = client.get(reverse(page))
        assert response.status_code == 302 and response["Location"] == PAGE, page
    html = client.get(PAGE).content.decode()
    assert "首次登录验证" in html and "138****" + deputy.phone[-4:] in html and deputy.phone not in html
    assert 'name="code"' not in html  # no code to type before one is sent

    code = _send(client)
    [(phone, text)] = notifications.outbox
    assert phone == deputy.phone and f"验证码为{code}" in text and "10分钟" in text
    assert 'name="code"' in client.get(PAGE).content.decode()
    # The code is kept as a digest only, and nowhere in the audit trail.
    [row] = FirstLoginCode.objects.filter(user=user)
    assert code not in row.digest
    assert not any(code in (e.detail or "") for e in AuditEvent.objects.all())
    assert AuditEvent.objects.get(action=codes.SENT).detail == f"首次登录验证码已发送至138****{deputy.phone[-4:]}"

    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = _verify(client, wrong)
    assert response.status_code == 400 and "验证码不正确，还可再试4次。" in response.content.decode()
    assert AuditEvent.objects.filter(action=codes.CHECKED, success=False).count() == 1
    response = _verify(client, "12ab")
    assert response.status_code == 400 and "验证码是6位数字" in response.content.decode()
    assert FirstLoginCode.objects.get(user=user).tries == 1  # a malformed code is not a try

    response = _verify(client, code)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=codes.CHECKED, success=True).count() == 1
    assert FirstLoginCode.objects.get(user=user).used_at is not None
    change_password_when_asked(client, "deputies:me", password, NEW)
    assert client.get(deputy.get_absolute_url()).status_code == 200
    assert client.get(PAGE).status_code == 302  # nothing more to check
    # The next login, with the deputy's own password, asks for no code.
    client.logout()
    _signed_in(client, user, NEW)
    assert client.get(deputy.get_absolute_url()).status_code == 200
    assert len(notifications.outbox) == 1


def _header(html: str) -> str:
    return html.split('<header class="topbar">')[1].split("</header>")[0]


def test_the_pages_on_the_way_in_show_no_menu(city, client):
    """首次登录验证 and the password change after it hold the session: the menu, 通知 and 修改密码 would lead back,
    so the header shows the account and 退出 only; once through, the menu is back."""
    user, password = _account(city.deputies_a[1])
    _signed_in(client, user, password)
    for step in ("first login", "password change"):
        page = PAGE if step == "first login" else reverse("accounts:password_change")
        header = _header(client.get(page).content.decode())
        assert 'class="mainnav"' not in header and "修改密码" not in header and "通知" not in header, step
        assert "退出" in header and str(user) in header, step
        if step == "first login":
            assert _verify(client, _send(client)).status_code == 302
    change_password_when_asked(client, "deputies:me", password, NEW)
    header = _header(client.get(reverse("deputies:me"), follow=True).content.decode())
    assert 'class="mainnav"' in header and "修改密码" in header


def test_whoever_else_holds_the_password_cannot_sign_in_first(city, client):
    """The system administrator set the password (and knows it); signed in with it, they reach nothing: the code goes
    to the deputy's phone. A code typed in the deputy's session does not open another session."""
    deputy = city.deputies_a[1]
    user, password = _account(deputy)
    _signed_in(client, user, password)
    code = _send(client)
    assert notifications.outbox[-1][0] == deputy.phone

    from django.test import Client

    insider = Client()
    _signed_in(insider, user, password)
    assert _verify(client, code).status_code == 302  # the deputy, in their own session
    for page in ("deputies:me", "accounts:password_change"):
        assert insider.get(reverse(page))["Location"] == PAGE
    # The code is used up: the insider cannot type it again.
    response = _verify(insider, code)
    assert response.status_code == 400 and "验证码已失效" in response.content.decode()


def test_a_code_lasts_ten_minutes_and_five_tries(city, client):
    user, password = _account(city.deputies_a[1])
    _signed_in(client, user, password)
    code = _send(client)
    with time_machine.travel(timezone.now() + codes.CODE_LIFETIME + datetime.timedelta(seconds=1)):
        response = _verify(client, code)
        assert response.status_code == 400 and "验证码已失效" in response.content.decode()
        code = _send(client)
        for _ in range(codes.TRIES):
            _verify(client, f"{(int(code) + 1) % 10**6:06d}")
        response = _verify(client, code)  # the right code, after five wrong ones
        assert response.status_code == 400 and "验证码已失效" in response.content.decode()
        assert client.get(reverse("deputies:me"))["Location"] == PAGE


def test_a_new_code_after_a_minute_voids_the_old_one_and_five_a_day(city, client):
    user, password = _account(city.deputies_a[1])
    _signed_in(client, user, password)
    start = timezone.now()
    old = _send(client)
    assert client.post(PAGE, {"action": "send"}, follow=True).content.decode().count("秒后再重新获取") == 1
    assert len(notifications.outbox) == 1  # refused: not a minute yet
    with time_machine.travel(start + datetime.timedelta(seconds=61)):
        new = _send(client)
        assert len(notifications.outbox) == 2
        if new != old:
            assert _verify(client, old).status_code == 400  # the earlier code is void
    for minute in (3, 5, 7):
        with time_machine.travel(start + datetime.timedelta(minutes=minute)):
            html = client.post(PAGE, {"action": "send"}, follow=True).content.decode()
            assert "验证码已发送至" in html, minute
    assert len(notifications.outbox) == codes.SENDS_PER_DAY
    with time_machine.travel(start + datetime.timedelta(minutes=9)):
        html = client.post(PAGE, {"action": "send"}, follow=True).content.decode()
        assert "24小时内已发送5次验证码" in html and len(notifications.outbox) == 5
        assert AuditEvent.objects.filter(action=codes.SENT, success=False).count() == 1
    with time_machine.travel(start + datetime.timedelta(days=1, minutes=1)):
        _signed_in(client, user, password)  # the session ended after 12 hours
        code = _send(client)
        assert len(notifications.outbox) == 6
        assert _verify(client, code).status_code == 302


def test_a_gateway_failure_says_so_and_keeps_no_code(city, client, settings):
    user, password = _account(city.deputies_a[1])
    _signed_in(client, user, password)
    settings.SMS_BACKEND = "deputyhome.testing.BrokenSms"
    html = client.post(PAGE, {"action": "send"}, follow=True).content.decode()
    assert "短信发送失败" in html
    assert not FirstLoginCode.objects.filter(user=user).exists()
    [event] = AuditEvent.objects.filter(action=codes.SENT)
    assert not event.success and "gateway down" in event.detail


@pytest.mark.parametrize("case", ["no phone", "staff", "no deputy", "own password", "turned off"])
def test_who_needs_no_code(city, personas, client, settings, case):
    deputy = city.deputies_a[1]
    if case == "no phone":
        deputy.phone = ""
        deputy.save(update_fields=["phone"])
    user, password = _account(
        None if case == "no deputy" else deputy, role=Role.TOWNSHIP_OFFICER if case == "staff" else Role.DEPUTY
    )
    if case == "own password":
        account_services.user_set_password(user=user, password=NEW, actor=user)
        password = NEW
    if case == "turned off":
        settings.FIRST_LOGIN_SMS = False
    _signed_in(client, user, password)
    response = client.get(reverse("core:dashboard"))
    assert response.get("Location") != PAGE
    assert client.get(PAGE)["Location"] == reverse("core:dashboard")
    assert client.post(PAGE, {"action": "send"}).status_code == 302 and not notifications.outbox


def test_the_middleware_costs_nothing_for_everybody_else(city, personas):
    """No query for a user without a one-time password (every request of every user passes through it)."""
    request = RequestFactory().get(reverse("deputies:me"))
    request.user = User.objects.get(pk=personas["deputy"].pk)
    request.session = {}
    middleware = first_login.FirstLoginCheckMiddleware(lambda r: HttpResponse("ok"))
    with CaptureQueriesContext(connection) as queries:
        assert middleware(request).status_code == 200
    assert len(queries) == 0


def test_the_administrators_pages_and_the_slip_say_who_gets_a_code(city, personas, client):
    """The officer's request, 开通代表账号 and its 开通单 say, for each deputy, whether the first login will send a code
    (a phone on the record) and count those without; the phones themselves are never shown to the system
    administrator."""
    from deputyhome.deputies.tests.test_account_batches import ASK, OPEN, _ask, _open

    with_phone, without = city.deputies_a[1], city.deputies_a[2]
    without.phone = ""
    without.save(update_fields=["phone"])
    client.force_login(personas["township"])
    html = client.get(f"{ASK}?login=no").content.decode()  # the officer is told before asking
    assert "其中1名代表没有登记手机" in html
    # The last column (a township's officer has no township column).
    assert {row[0]: row[-1] for row in register_rows(html)} == {with_phone.name: "已登记", without.name: "未登记"}
    _ask(client)
    client.force_login(personas["sysadmin"])
    html = client.get(OPEN).content.decode()
    assert "其中1名代表没有登记手机，首次登录不能短信验证" in html and with_phone.phone not in html
    rows = {row[1]: row[6] for row in register_rows(html)}
    assert rows == {str(with_phone.pk): "验证码发至代表登记的手机", str(without.pk): "无（代表未登记手机）"}
    lines = {line[3]: line[7] for line in _open(client)}
    assert lines == {with_phone.pk: "验证码发至代表登记的手机", without.pk: "无（代表未登记手机）"}
