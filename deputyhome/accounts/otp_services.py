"""The second factor's writes: a new TOTP device (its key encrypted), the device confirmed at enrolment, the backup
codes replaced; the start of an enrolment, the enrolment and the reissue of backup codes are audited."""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from deputyhome.audit.services import record

from .otp_devices import KEY_BYTES, EncryptedTOTPDevice, HashedStaticDevice, OTPKeyError, backup_code_hash, seal_key

if TYPE_CHECKING:
    from .models import User

log = logging.getLogger(__name__)


def totp_device_create(*, user: User, name: str = "动态验证码", confirmed: bool = False) -> EncryptedTOTPDevice:
    """A new device with a fresh random key, stored encrypted (never django-otp's plain default)."""
    return EncryptedTOTPDevice.objects.create(
        user=user, name=name, confirmed=confirmed, key=seal_key(os.urandom(KEY_BYTES))
    )


@transaction.atomic
def otp_enrol_start(*, user: User) -> EncryptedTOTPDevice:
    """The device being enrolled: the user's unconfirmed one, or a new one. A new key is audited (the enrolment page
    shows it, so it is a secret handed out); one whose key no longer decrypts is replaced (nobody can use it yet).
    The user's row is locked, so that two first views of the page at once make one device, not two."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    device = EncryptedTOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    detail = "已生成待绑定的动态验证码密钥"
    if device is not None:
        try:
            device.bin_key  # noqa: B018 (decrypts, or raises)
        except OTPKeyError:
            log.warning("Unreadable TOTP key of an unconfirmed device replaced (user %s)", user.username)
            device.delete()
            device, detail = None, "待绑定的动态验证码密钥无法解密，已作废并重新生成"
    if device is None:
        device = totp_device_create(user=user)
        record(actor=user, action="auth.otp_enrol_start", obj=user, detail=detail)
    return device


def backup_codes_replace(*, user: User, count: int = 10) -> list[str]:
    """Replaces the user's backup codes; returns the new codes, which exist in plain text only here."""
    StaticDevice.objects.filter(user=user).delete()
    device = HashedStaticDevice.objects.create(user=user, name="备用码", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(count)]
    for code in codes:
        device.token_set.create(token=backup_code_hash(code))
    return codes


@transaction.atomic
def otp_enrol_confirm(*, user: User, device: EncryptedTOTPDevice, code: str) -> list[str] | None:
    """Confirm the device with a first code; returns the new backup codes, or None if the code is wrong."""
    if not device.verify_token(code):
        record(actor=user, action="auth.otp_enrol", obj=user, success=False, detail="验证码错误")
        return None
    device.confirmed = True
    device.save()
    codes = backup_codes_replace(user=user)
    record(actor=user, action="auth.otp_enrol", obj=user, detail="已绑定动态验证码并生成10个备用码")
    return codes


@transaction.atomic
def otp_backup_codes_reissue(*, user: User, code: str) -> list[str] | None:
    """Ten new backup codes for a user who proves they hold the device (a current code from the phone, not a backup
    code); the old ones stop working. Returns the new codes, or None if the code is wrong."""
    devices = EncryptedTOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
    if not any(device.verify_token(code) for device in devices):
        record(actor=user, action="auth.otp_backup_codes", obj=user, success=False, detail="动态验证码错误")
        return None
    codes = backup_codes_replace(user=user)
    record(actor=user, action="auth.otp_backup_codes", obj=user, detail="已重新生成10个备用码，原有备用码作废")
    return codes
