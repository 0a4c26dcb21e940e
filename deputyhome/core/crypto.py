"""Encryption of personal data at rest (ID numbers, phones).

AES-SIV (RFC 5297, deterministic authenticated encryption) with a 512-bit key from the
environment (FIELD_ENCRYPTION_KEY, base64). Its synthetic IV is a keyed pseudo-random function
(S2V over AES-CMAC) of the plaintext and the column name, so the same value in the same column
always encrypts to the same text: that is the keyed hash that equality look-ups, `__in` queries
and unique constraints (duplicate checks) use, without any plaintext in the database. The column
name is bound as associated data, so a ciphertext cannot be moved to another column.

Stored form: "siv1:" + urlsafe base64. Values without the prefix are read as plaintext (rows from
before encryption); the migration that introduced encryption rewrote them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "siv1:"


@lru_cache(maxsize=4)
def _cipher(raw_key: str) -> AESSIV:
    return AESSIV(_key(raw_key))


def _key(raw_key: str) -> bytes:
    if raw_key:
        key = base64.urlsafe_b64decode(raw_key.encode() + b"=" * (-len(raw_key) % 4))
        if len(key) != 64:
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY 须为64字节密钥的 base64 编码。")
    else:
        # Development and tests only (settings refuse to start production without the key).
        key = hashlib.sha512(b"deputyhome-field-key:" + settings.SECRET_KEY.encode()).digest()
    return key


def cipher() -> AESSIV:
    return _cipher(getattr(settings, "FIELD_ENCRYPTION_KEY", ""))


def keyed_hash(value: str, context: str) -> bytes:
    """HMAC-SHA256 of a value that is only ever compared, never read back (backup codes), under a key
    derived from the field key and bound to the context."""
    raw = _key(getattr(settings, "FIELD_ENCRYPTION_KEY", ""))
    derived = hmac.new(raw, b"deputyhome-keyed-hash:" + context.encode(), hashlib.sha256).digest()
    return hmac.new(derived, value.encode(), hashlib.sha256).digest()


def encrypt(value: str, context: str) -> str:
    token = cipher().encrypt(value.encode(), [context.encode()])
    return PREFIX + base64.urlsafe_b64encode(token).decode().rstrip("=")


def decrypt(value: str, context: str) -> str:
    if not value.startswith(PREFIX):
        return value
    body = value[len(PREFIX) :]
    token = base64.urlsafe_b64decode(body.encode() + b"=" * (-len(body) % 4))
    try:
        return cipher().decrypt(token, [context.encode()]).decode()
    except InvalidTag as exc:
        raise ValueError(f"无法解密 {context}：密钥不符或数据被改动") from exc


class EncryptedCharField(models.CharField):
    """A CharField stored encrypted; exact and `in` look-ups and unique constraints still work."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_length", 120)
        super().__init__(*args, **kwargs)

    @property
    def context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "" or (isinstance(value, str) and value.startswith(PREFIX)):
            return value
        return encrypt(str(value), self.context)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value, self.context)
