"""Separation of the three administrators: nobody takes over another administrator's account, and a
password set by an administrator is a one-time password."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.accounts.otp_devices import EncryptedTOTPDevice as TOTPDevice
from deputyhome.accounts.otp_services import totp_device_create
from deputyhome.audit.models import AuditEvent
from deputyhome.conftest import PASSWORD
from deputyhome.testing import change_password_when_asked

NEW_PASSWORD = "Takeover-2026!x"
ADMINS = ("sysadmin", "secadmin", "auditor")


@pytest.fixture
def admins(personas):
    """The three administrators plus a second of each, so that 'another of the same role' is covered."""
    out = {name: personas[name] for name in ADMINS}
    for name, role in (
        ("sysadmin2", Role.SYSTEM_ADMIN),
        ("secadmin2", Role.SECURITY_ADMIN),
        ("auditor2", Role.AUDIT_ADMIN),
    ):
        user = User(username=name, role=role, display_name=name)
        user.set_password(PASSWORD)
        user.save()
        out[name] = user
    return out


def _verified_login(client, user: User) -> None:
    """Log in with the password and the second factor, as production asks of an administrator."""
    client.force_login(user)
    device = totp_device_create(user=user, name="t", confirmed=True)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post(reverse("accounts:otp_verify"), {"code": code}).status_code == 302


def _act(client, action: str, target: User):
    if action == "set_password":
        data = {"username": target.username, "display_name": target.display_name, "is_active": "on"}
        return client.post(reverse("accounts:user_update", args=[target.pk]), {**data, "password": NEW_PASSWORD})
    if action == "edit":
        data = {"username": target.username, "display_name": "改过的名字", "is_active": "on"}
        return client.post(reverse("accounts:user_update", args=[target.pk]), data)
    if action == "disable":
        return client.post(
            reverse("accounts:user_update", args=[target.pk]),
            {"username": target.username, "display_name": target.display_name},
        )
    if action == "change_role":
        return client.post(reverse("accounts:user_role", args=[target.pk]), {"role": Role.UNASSIGNED})
    if action == "reset":
        return client.post(reverse("accounts:user_reset", args=[target.pk]))
    raise AssertionError(action)


MATRIX = [
    (actor, target, action)
    for actor in ADMINS
    for target in ("sysadmin", "secadmin", "auditor", "sysadmin2", "secadmin2", "auditor2")
    if target != actor
    for action in ("set_password", "reset", "change_role", "disable", "edit")
    # The security administrator's reset of an administrator account is the sanctioned way (tested below).
    if not (actor == "secadmin" and action == "reset")
]


@pytest.mark.django_db
@pytest.mark.parametrize(("actor", "target", "action"), MATRIX)
def test_no_administrator_acts_on_another_administrators_account(client, admins, actor, target, action):
    victim = admins[target]
    before = User.objects.values().get(pk=victim.pk)
    client.force_login(admins[actor])
    response = _act(client, action, victim)
    assert response.status_code in (403, 404), (response.status_code, response.content.decode()[:300])
    assert User.objects.values().get(pk=victim.pk) == before
    refusal = AuditEvent.objects.filter(actor=admins[actor], success=False).order_by("-seq").first()
    assert refusal is not None, "the refusal was not audited"


@pytest.mark.django_db
def test_sysadmin_still_keeps_ordinary_accounts(client, personas):
    client.force_login(personas["sysadmin"])
    target = personas["township"]
    response = client.post(
        reverse("accounts:user_update", args=[target.pk]),
        {"username": target.username, "display_name": "新名字", "is_active": "on", "password": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD) and target.password_one_time_until is not None


def _created_by_the_system_administrator(client, personas, username: str, display_name: str) -> None:
    client.force_login(personas["sysadmin"])
    data = {"username": username, "display_name": display_name, "is_active": "on", "password": NEW_PASSWORD}
    client.post(reverse("accounts:user_create"), data)


@pytest.mark.django_db
def test_a_password_set_by_an_administrator_must_be_changed_at_the_first_login(client, personas):
    _created_by_the_system_administrator(client, personas, "newclerk", "新用户")
    user = User.objects.get(username="newclerk")
    assert user.password_one_time_until is not None
    client.logout()
    client.post(reverse("accounts:login"), {"username": "newclerk", "password": NEW_PASSWORD})
    change_password_when_asked(client, "core:dashboard", NEW_PASSWORD, "Mine-Own-2026!y")
    user.refresh_from_db()
    assert user.password_one_time_until is None
    assert client.get(reverse("core:dashboard")).status_code == 200


@pytest.mark.django_db
def test_a_one_time_password_expires_after_72_hours(client, personas):
    _created_by_the_system_administrator(client, personas, "late", "迟到")
    client.logout()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=73)):
        response = client.post(reverse("accounts:login"), {"username": "late", "password": NEW_PASSWORD})
        assert response.status_code == 200
        assert "初始密码已过期" in response.content.decode()
        assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.login_refused", object_repr="late", success=False).exists()


@pytest.mark.django_db
@override_settings(OTP_REQUIRED=True)
def test_the_security_administrator_resets_an_administrator_with_a_one_time_password(client, admins):
    target = admins["auditor"]
    totp_device_create(user=target, name="t", confirmed=True)
    _verified_login(client, admins["secadmin"])
    response = client.post(reverse("accounts:user_reset", args=[target.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    html = response.content.decode()
    password = html.split('<code class="one-time">')[1].split("</code>")[0]
    target.refresh_from_db()
    assert target.check_password(password) and target.password_one_time_until is not None
    # The second factor stays: the one who reset the password still cannot sign in as the target.
    assert TOTPDevice.objects.filter(user=target, confirmed=True).exists()
    assert AuditEvent.objects.filter(action="user.reset_password", object_id=str(target.pk), success=True).exists()


@pytest.mark.django_db
@override_settings(OTP_REQUIRED=True)
def test_no_reset_of_an_administrator_without_a_second_factor(client, admins):
    """Otherwise the one who resets would enrol their own second factor on the target's account."""
    target = admins["sysadmin"]
    _verified_login(client, admins["secadmin"])
    response = client.post(reverse("accounts:user_reset", args=[target.pk]))
    assert response.status_code == 403
    before = target.password
    target.refresh_from_db()
    assert target.password == before
    assert AuditEvent.objects.filter(action="user.reset_password", object_id=str(target.pk), success=False).exists()
