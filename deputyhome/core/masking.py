"""How personal data is shown to those who may not read it whole: the ends kept, the middle starred.

Here in core because the audit rows of the generic services (`core.services`) mask the encrypted
fields with it; the deputies' pages and ledgers use the same two functions.
"""

from __future__ import annotations


def mask_id_number(value: str) -> str:
    """4228**********123X: keep the first 4 and last 4 characters."""
    if not value:
        return ""
    return value[:4] + "*" * max(len(value) - 8, 0) + value[-4:]


def mask_phone(value: str) -> str:
    """138****5678."""
    if not value:
        return ""
    if len(value) >= 11:
        return value[:3] + "****" + value[-4:]
    return value[:2] + "*" * max(len(value) - 4, 0) + value[-2:]


def mask_email(value: str) -> str:
    """z***@example.gov.cn: the first character of the name and the domain."""
    name, at, domain = value.partition("@")
    return f"{name[:1]}***{at}{domain}" if value else ""
