"""TOTP keys and backup codes at rest: the raw columns hold no secret, verification still works, and a
changed FIELD_ENCRYPTION_KEY refuses the login with a message (and a log line), never a 500."""

from __future__ import annotations

import base64
import binascii
import logging

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp

from deputyhome.audit.models import AuditEvent
from deputyhome.conftest import PASSWORD

NOW = 1_800_000_000  # a fixed instant, so that each step uses a fresh TOTP time step
OTHER_KEY = base64.urlsafe_b64encode(bytes(range(64))).decode()


def _login(client, username):
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})


def _code_from_secret(secret: str) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def _enrol(client, username):
    """Enrol through the pages as a user would: the secret and the codes are what the pages show once."""
    _login(client, username)
    page = client.get(reverse("accounts:otp_setup")).content.decode()
    secret = page.split("可手动输入密钥：<code>")[1].split("</code>")[0]
    done = client.post(reverse("accounts:otp_setup"), {"code": _code_from_secret(secret)})
    codes = [
        line.split("<code>")[1].split("</code>")[0] for line in done.content.decode().split("<li>") if "<code>" in line
    ]
    assert len(codes) == 10
    client.logout()
    return secret, codes


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
@override_settings(OTP_REQUIRED=True)
def test_the_database_holds_no_totp_key_and_no_backup_code(client, personas):
    user = personas["township"]
    with time_machine.travel(NOW, tick=False):
        secret, codes = _enrol(client, "township")
    hex_key = binascii.hexlify(base64.b32decode(secret + "=" * (-len(secret) % 8))).decode()

    [stored_key] = _raw("SELECT key FROM otp_totp_totpdevice WHERE user_id = %s", [user.pk])
    assert stored_key.startswith("siv1:")
    assert hex_key not in stored_key.lower() and secret not in stored_key.upper()
    tokens = _raw(
        "SELECT t.token FROM otp_static_statictoken t JOIN otp_static_staticdevice d ON d.id = t.device_id"
        " WHERE d.user_id = %s",
        [user.pk],
    )
    assert len(tokens) == 10
    assert not set(codes) & {token.lower() for token in tokens}

    # Verification still works: the TOTP code of a new session (a later one: a code counts once), a backup code once.
    with time_machine.travel(NOW + 60, tick=False):
        _login(client, "township")
        assert client.post(reverse("accounts:otp_verify"), {"code": _code_from_secret(secret)}).status_code == 302
    client.logout()
    _login(client, "township")
    assert client.post(reverse("accounts:otp_verify"), {"code": codes[3]}).status_code == 302
    client.logout()
    _login(client, "township")
    assert client.post(reverse("accounts:otp_verify"), {"code": codes[3]}).status_code == 400  # used up
    # The stored hash itself is no code: someone who reads the table cannot log in with it.
    stored = _raw(
        "SELECT t.token FROM otp_static_statictoken t JOIN otp_static_staticdevice d ON d.id = t.device_id"
        " WHERE d.user_id = %s",
        [user.pk],
    )
    assert client.post(reverse("accounts:otp_verify"), {"code": stored[0]}).status_code == 400


@pytest.mark.django_db
@override_settings(OTP_REQUIRED=True)
def test_a_changed_field_key_refuses_the_login_with_a_message(client, personas, caplog):
    with time_machine.travel(NOW, tick=False):
        secret, _codes = _enrol(client, "township")
    with (
        override_settings(FIELD_ENCRYPTION_KEY=OTHER_KEY),
        caplog.at_level(logging.ERROR),
        time_machine.travel(NOW + 60, tick=False),
    ):
        _login(client, "township")
        response = client.post(reverse("accounts:otp_verify"), {"code": _code_from_secret(secret)})
        assert response.status_code == 400
        assert "密钥" in response.content.decode()
        # Still not verified: every page leads back to the second factor.
        assert reverse("accounts:otp_verify") in client.get(reverse("core:dashboard"))["Location"]
    assert any("township" in r.getMessage() and r.levelno >= logging.ERROR for r in caplog.records)
    assert AuditEvent.objects.filter(action="auth.otp_verify", success=False, detail__contains="密钥").exists()


@pytest.mark.django_db
def test_the_admin_shows_no_second_factor_pages(client, personas):
    from django.contrib import admin
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from deputyhome.accounts.otp_services import totp_device_create

    assert not admin.site.is_registered(TOTPDevice) and not admin.site.is_registered(StaticDevice)
    # Even the verified system administrator, for whom the admin opens, finds no such page.
    client.force_login(personas["sysadmin"])
    device = totp_device_create(user=personas["sysadmin"], confirmed=True)
    assert client.post(reverse("accounts:otp_verify"), {"code": f"{totp(device.bin_key):06d}"}).status_code == 302
    assert client.get("/django-admin/").status_code == 200
    for url in ("/django-admin/otp_totp/totpdevice/", "/django-admin/otp_static/staticdevice/"):
        assert client.get(url).status_code == 404


@pytest.mark.django_db
@override_settings(OTP_REQUIRED=True)
def test_enrolment_replaces_a_half_enrolled_device_whose_key_no_longer_decrypts(client, personas):
    from deputyhome.accounts.otp_devices import EncryptedTOTPDevice
    from deputyhome.accounts.otp_services import totp_device_create

    with override_settings(FIELD_ENCRYPTION_KEY=OTHER_KEY):
        stale = totp_device_create(user=personas["township"])
    _login(client, "township")
    page = client.get(reverse("accounts:otp_setup"))
    assert page.status_code == 200 and "可手动输入密钥" in page.content.decode()
    [device] = EncryptedTOTPDevice.objects.filter(user=personas["township"])
    assert device.pk != stale.pk and device.bin_key
    [replaced] = AuditEvent.objects.filter(action="auth.otp_enrol_start")
    assert replaced.detail == "待绑定的动态验证码密钥无法解密，已作废并重新生成"
