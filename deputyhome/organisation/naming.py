"""The natural order of names with numbers in them, Chinese numerals included (第一, 第二, …, 第十, 第十一)."""

from __future__ import annotations

import re

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMBER = re.compile(r"[0-9]+|[零〇一二两三四五六七八九十百千]+")


def chinese_number(text: str) -> int:
    """二十一 → 21, 十 → 10, 一百零五 → 105; plain digit runs (二〇二六 → 2026) read digit by digit."""
    if not any(c in UNITS for c in text):
        return int("".join(str(DIGITS[c]) for c in text))
    total, digit = 0, 0
    for c in text:
        if c in DIGITS:
            digit = DIGITS[c]
        else:
            total += (digit or 1) * UNITS[c]
            digit = 0
    return total + digit


def natural_key(name: str) -> str:
    """The name with every number (Arabic or Chinese) as six zero-padded digits: sorts as people count."""

    def pad(match: re.Match[str]) -> str:
        text = match.group(0)
        number = int(text) if text.isascii() and text.isdigit() else chinese_number(text)
        return f"{number:06d}"

    return _NUMBER.sub(pad, name)[:200]
