"""The second factor's secrets at rest: TOTP keys encrypted with the field key, backup codes as keyed hashes.

django-otp stores both in plain text (`otp_totp_totpdevice.key`, `otp_static_statictoken.token`), so
anyone who reads the database could compute every staff member's codes. These proxy models keep
django-otp's tables, throttling and verification and change only what is stored:

- the TOTP key column holds `crypto.encrypt(base32 key)` ("siv1:...", 69 characters for the 20-byte key,
  inside django-otp's 80-character column); `bin_key` decrypts it in memory for each check and for the
  QR code shown once at enrolment. A key that does not decrypt (FIELD_ENCRYPTION_KEY changed, the row
  edited, or a row still in plain text) raises `OTPKeyError`: the login is refused, never a 500;
- a backup code is stored as a keyed hash (HMAC-SHA256 under the field key, 80 bits as 16 base32
  characters, django-otp's column width): codes only need checking, never reading back, and a hash
  cannot be turned back into a code even with the key. The code typed is hashed before the look-up, so
  a stored hash read from the table is no code either.

Migration `accounts/0005` rewrote the rows stored before this.
"""

from __future__ import annotations

import base64

from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from deputyhome.core import crypto

KEY_CONTEXT = "otp_totp.totpdevice.key"
CODE_CONTEXT = "otp_static.statictoken.token"
KEY_BYTES = 20  # RFC 6238's length for HMAC-SHA1; its ciphertext fits django-otp's column


class OTPKeyError(Exception):
    """The stored TOTP key cannot be read with this FIELD_ENCRYPTION_KEY (or was never encrypted)."""


def seal_key(bin_key: bytes) -> str:
    return crypto.encrypt(base64.b32encode(bin_key).decode(), KEY_CONTEXT)


def open_key(stored: str) -> bytes:
    if not stored.startswith(crypto.PREFIX):
        raise OTPKeyError("动态验证码密钥未加密存储")
    try:
        return base64.b32decode(crypto.decrypt(stored, KEY_CONTEXT))
    except ValueError as exc:  # InvalidTag is turned into ValueError; bad base64 is a ValueError too
        raise OTPKeyError("动态验证码密钥无法解密：密钥不符或数据被改动") from exc


def backup_code_hash(code: str) -> str:
    digest = crypto.keyed_hash(code.strip().lower(), CODE_CONTEXT)
    return base64.b32encode(digest[:10]).decode().lower()


class EncryptedTOTPDevice(TOTPDevice):
    """django-otp's TOTP device whose key column holds ciphertext; the key is decrypted in memory only."""

    class Meta:
        proxy = True
        verbose_name = "动态验证码设备"

    @property
    def bin_key(self) -> bytes:
        return open_key(self.key)


class HashedStaticDevice(StaticDevice):
    """django-otp's backup-code device whose tokens are keyed hashes; a code is hashed before the look-up."""

    class Meta:
        proxy = True
        verbose_name = "备用码"

    def verify_token(self, token) -> bool:
        return super().verify_token(backup_code_hash(str(token)))
