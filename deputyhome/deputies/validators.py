"""Checks for Chinese ID numbers and phone numbers, shared by forms and the roster import."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError

# The masks live in core (the generic services mask the audit rows with them); re-exported for the
# ledgers and the pages that have always imported them from here.
from deputyhome.core.masking import mask_id_number as mask_id_number
from deputyhome.core.masking import mask_phone as mask_phone

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
# Mobile numbers (1 + 10 digits) or landlines with an area code (0718-8888888).
_PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def id_check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalise_id_number(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def id_number_problem(value: str) -> str | None:
    """Why `value` is not a valid 18-digit resident ID number (GB 11643-1999), or None."""
    if not _ID_RE.match(value):
        return "应为18位，前17位为数字，末位为数字或X"
    try:
        born = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "其中的出生日期不存在"
    if born.year < 1900 or born > datetime.date.today():  # noqa: DTZ011 - a calendar date, no time zone
        return "其中的出生日期不合理"
    if id_check_digit(value[:17]) != value[17]:
        return "校验码不正确"
    return None


def validate_id_number(value: str) -> None:
    problem = id_number_problem(normalise_id_number(value))
    if problem:
        raise ValidationError(f"身份证号{problem}。", code="invalid_id_number")


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s()（）]", "", value or "").replace("—", "-")


def validate_phone(value: str) -> None:
    if value and not _PHONE_RE.match(normalise_phone(value)):
        raise ValidationError("联系电话格式不正确：手机号为11位，固定电话如 0718-8888888。", code="invalid_phone")
