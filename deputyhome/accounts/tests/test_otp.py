"""The TOTP second factor for staff and administrators: enrolment, verification, backup codes."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp

from deputyhome.accounts.otp_devices import EncryptedTOTPDevice as TOTPDevice
from deputyhome.audit.models import AuditEvent
from deputyhome.conftest import PASSWORD


def _login(client, username):
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.django_db
@override_settings(OTP_REQUIRED=True)
def test_the_second_factor_pages_show_no_menu(client, personas):
    """Before the second factor, every menu entry would lead back to enrolment: the header has 退出 only."""
    _login(client, "township")
    header = client.get(reverse("accounts:otp_setup")).content.decode().split("</header>")[0]
    assert 'class="mainnav"' not in header and "修改密码" not in header and "退出" in header
    device = TOTPDevice.objects.get(user=personas["township"])
    client.post(reverse("accounts:otp_setup"), {"code": _code(device)})
    header = client.get(reverse("deputies:list")).content.decode().split("</header>")[0]
    assert 'class="mainnav"' in header and "修改密码" in header


@pytest.mark.django_db
@override_settings(OTP_REQUIRED=True)
def test_the_key_the_enrolment_page_hands_out_is_audited_once(client, personas):
    """The first view of 绑定动态验证码 makes the key it shows (a secret handed out): one audit row, in the user's name.
    Seeing the page again shows the same key and writes nothing."""
    _login(client, "township")
    first = client.get(reverse("accounts:otp_setup"))
    again = client.get(reverse("accounts:otp_setup"))
    [device] = TOTPDevice.objects.filter(user=personas["township"])
    assert first.status_code == again.status_code == 200 and not device.confirmed
    [started] = AuditEvent.objects.filter(action="auth.otp_enrol_start")
    assert started.actor_id == personas["township"].pk and started.success
    assert started.detail == "已生成待绑定的动态验证码密钥"


@pytest.mark.django_db
@override_settings(OTP_REQUIRED=True)
def test_staff_enrol_then_verify_every_session(client, personas):
    _login(client, "township")
    response = client.get(reverse("deputies:list"))
    assert response.status_code == 302 and reverse("accounts:otp_setup") in response["Location"]
    page = client.get(reverse("accounts:otp_setup"))
    assert "data:image/svg+xml;base64," in page.content.decode()
    device = TOTPDevice.objects.get(user=personas["township"])
    bad = client.post(reverse("accounts:otp_setup"), {"code": "000000" if _code(device) != "000000" else "111111"})
    assert bad.status_code == 400 and "验证码不正确" in bad.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down guessing after a wrong code
    device.throttle_reset()
    done = client.post(reverse("accounts:otp_setup"), {"code": _code(device)})
    codes = [
        line.split("<code>")[1].split("</code>")[0] for line in done.content.decode().split("<li>") if "<code>" in line
    ]
    assert len(codes) == 10
    assert client.get(reverse("deputies:list")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.otp_enrol", success=True).exists()

    # A new session asks for the code again; a backup code works once.
    client.logout()
    _login(client, "township")
    response = client.get(reverse("deputies:list"))
    assert reverse("accounts:otp_verify") in response["Location"]
    assert client.post(reverse("accounts:otp_verify"), {"code": codes[0]}).status_code == 302
    assert client.get(reverse("deputies:list")).status_code == 200
    client.logout()
    _login(client, "township")
    assert client.post(reverse("accounts:otp_verify"), {"code": codes[0]}).status_code == 400  # used up
    assert AuditEvent.objects.filter(action="auth.otp_verify", success=False).exists()


@pytest.mark.django_db
@override_settings(OTP_REQUIRED=True)
@pytest.mark.parametrize("persona", ["city", "unit", "supervisor", "leader", "sysadmin", "auditor"])
def test_every_staff_and_admin_role_needs_the_second_factor(client, personas, persona):
    _login(client, persona)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302 and "/accounts/otp/" in response["Location"]


@pytest.mark.django_db
@override_settings(OTP_REQUIRED=True)
def test_deputies_are_not_asked(client, personas):
    _login(client, "deputy")
    assert client.get(reverse("core:dashboard")).status_code == 200
