"""Tracking codes (查询码) given to citizens for their opinions.

12 characters from a 31-letter alphabet without 0/O, 1/I/L (about 59 bits, drawn with
`secrets`): unguessable, and easy to read out on the phone or copy from a screen. Shown in
groups of four (ABCD-EFGH-JKMN); input is accepted in any case, with or without spaces and
hyphens.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12
_VALID = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(value: str) -> str:
    """The code as stored, from what a person typed; "" when it cannot be a code."""
    cleaned = re.sub(r"[\s\-－—_]", "", value or "").upper()
    return cleaned if _VALID.match(cleaned) else ""


def display(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
