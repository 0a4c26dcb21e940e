"""备用码: a staff member who has used some up sees how many are left and gets ten new ones for a current code from
the phone; the old ones stop working; a backup code, a wrong code, another role or an unverified session get none."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken

from deputyhome.accounts.otp_devices import EncryptedTOTPDevice, HashedStaticDevice
from deputyhome.accounts.otp_services import otp_enrol_confirm, totp_device_create
from deputyhome.audit.models import AuditEvent
from deputyhome.conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("settings_otp")]
URL = reverse("accounts:otp_backup_codes")


@pytest.fixture
def settings_otp():
    with override_settings(OTP_REQUIRED=True):
        yield


def _code(device: EncryptedTOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _wrong(device: EncryptedTOTPDevice) -> str:
    return "000000" if _code(device) != "000000" else "111111"


def _codes_on(html: str) -> list[str]:
    return re.findall(r"<li><code>([^<]+)</code></li>", html)


@pytest.fixture
def enrolled(personas):
    """The township officer with a confirmed phone and ten backup codes."""
    user = personas["township"]
    device = totp_device_create(user=user)
    codes = otp_enrol_confirm(user=user, device=device, code=_code(device))
    device.refresh_from_db()
    device.last_t = -1  # as if the enrolment were half a minute ago: a code is accepted once in its time step
    device.save()
    return user, device, codes


def _later(device: EncryptedTOTPDevice) -> None:
    """Time passes: the code of a new step, and no wait after a wrong one (django-otp slows guessing down)."""
    device.refresh_from_db()
    device.last_t = -1
    device.throttle_reset(commit=False)
    device.save()


def _signed_in(client, user, code: str):
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    return client.post(reverse("accounts:otp_verify"), {"code": code})


def test_a_backup_code_login_says_how_many_are_left_and_new_ones_replace_the_old(client, enrolled):
    user, device, old = enrolled
    response = _signed_in(client, user, old[0])
    assert response.status_code == 302
    assert "还剩9个" in client.get(response["Location"]).content.decode()
    page = client.get(URL).content.decode()
    assert "您还有 <strong>9</strong> 个未用的备用码" in page
    assert 'data-confirm="重新生成后原有备用码全部作废，确定吗？"' in page
    assert "查看剩余数量、重新生成" in client.get(reverse("accounts:password_change")).content.decode()

    _later(device)  # the backup code was first tried against the phone's device, a failure it throttles
    done = client.post(URL, {"code": _code(device)})
    assert done.status_code == 200 and "原有备用码全部作废" in done.content.decode()
    new = _codes_on(done.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert StaticToken.objects.filter(device__user=user).count() == 10
    event = AuditEvent.objects.get(action="auth.otp_backup_codes", success=True)
    assert event.actor_id == user.pk
    assert not any(code in event.detail for code in new)  # the codes exist in plain text on that page only

    static = HashedStaticDevice.objects.get(user=user)
    assert static.verify_token(new[0])
    assert not static.verify_token(old[1])  # void (tried last: a failure makes the device wait before the next try)


def test_a_wrong_code_or_a_backup_code_gets_none_and_changes_nothing(client, enrolled):
    user, device, old = enrolled
    assert _signed_in(client, user, _code(device)).status_code == 302
    _later(device)
    before = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    for code in (_wrong(device), old[1]):
        response = client.post(URL, {"code": code})
        assert response.status_code == 400
        assert "动态验证码不正确（备用码不能用于这一步）" in response.content.decode()
        assert not _codes_on(response.content.decode())
        _later(device)
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == before
    assert AuditEvent.objects.filter(action="auth.otp_backup_codes", success=False).count() == 2
    assert not AuditEvent.objects.filter(action="auth.otp_backup_codes", success=True).exists()
    assert client.post(URL, {"code": ""}).status_code == 400  # empty: the field's own message, nothing written


def test_only_a_verified_staff_member_with_a_phone_reaches_the_page(client, personas, enrolled):
    user, device, _old = enrolled
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    response = client.post(URL, {"code": _code(device)})  # password only: the second factor first
    assert response.status_code == 302 and reverse("accounts:otp_verify") in response["Location"]
    assert not AuditEvent.objects.filter(action="auth.otp_backup_codes").exists()

    client.force_login(personas["deputy"])  # deputies have no second factor and no backup codes
    assert client.get(URL).status_code == 404

    client.force_login(personas["city"])  # staff who never enrolled are sent to enrol
    with override_settings(OTP_REQUIRED=False):
        response = client.get(URL)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:otp_setup")
