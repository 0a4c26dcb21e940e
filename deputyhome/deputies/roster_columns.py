"""The roster's columns and its values: normalising cells, reading and writing birth months, levels, constituencies.

Pure functions, unit-tested without a database; the reading, the checking and the ledgers use them.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from deputyhome.organisation.choices import CongressLevel

from .choices import Gender, MandateStatus
from .models import Mandate

# ---------------------------------------------------------------------------
# Columns


ROW_ID_HEADER = "系统编号"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False  # the column must be present and every row must fill it


COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", ("代表姓名", "名字"), required=True),
    Column("gender", "性别", (), required=True),
    Column("ethnicity", "民族", (), required=True),
    Column("birth", "出生年月", ("出生年月日", "出生日期", "出生时间", "生日"), required=True),
    Column("party", "政治面貌", ("党派",), required=True),
    Column("education", "文化程度", ("学历",)),
    Column(
        "employer_title",
        "工作单位及职务",
        ("工作单位及职位", "工作单位和职务", "工作单位、职务", "单位及职务", "工作单位职务", "工作单位"),
    ),
    Column("levels", "代表层级", ("层级", "代表级别", "级别", "代表类别"), required=True),
    Column("constituency", "选区", ("所在选区", "选举单位")),
    Column("group", "所在小组", ("代表小组", "所属小组", "所属代表小组", "小组", "小组名称"), required=True),
    Column("phone", "联系电话", ("电话", "手机", "手机号", "手机号码", "联系方式")),
    Column("id_number", "身份证号", ("身份证号码", "公民身份号码", "公民身份证号码", "身份证"), required=True),
    Column("township", "所属乡镇", ("乡镇", "乡镇街道", "所属乡镇街道", "所在乡镇")),
    # The deputy's row id, written by our ledgers: a masked ledger re-imports by it (no alias: a committee's
    # own "编号" or "序号" column is a serial number, never taken for it).
    Column("row_id", ROW_ID_HEADER),
)
BY_KEY = {c.key: c for c in COLUMNS}
# A deputy's particulars beside the name and the ID number, which identify the person: what the roster
# import updates and what the deputy's form edits.
PARTICULARS = ("gender", "ethnicity", "birth_date", "party", "education", "employer_title", "phone")
IMPORT_HEADERS = [c.header for c in COLUMNS if c.key not in ("township", "row_id")]
LEDGER_HEADERS = [c.header for c in COLUMNS]

LEVEL_ORDER = [CongressLevel.PROVINCE, CongressLevel.PREFECTURE, CongressLevel.CITY, CongressLevel.TOWNSHIP]
LEVEL_LABEL = {
    CongressLevel.PROVINCE: "省",
    CongressLevel.PREFECTURE: "州",
    CongressLevel.CITY: "市",
    CongressLevel.TOWNSHIP: "乡",
}
_LEVEL_WORDS = {"省": CongressLevel.PROVINCE, "州": CongressLevel.PREFECTURE, "市": CongressLevel.CITY}
_LEVEL_WORDS.update(dict.fromkeys(("乡", "镇", "乡镇"), CongressLevel.TOWNSHIP))


# ---------------------------------------------------------------------------
# Normalisation and parsing (pure functions, unit-tested without a database)

_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")
_SPACES = re.compile(r"\s+")


def clean_text(value: Any) -> str:
    """A cell as text: NFKC (full-width → half-width), invisible characters dropped, spaces collapsed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    text = unicodedata.normalize("NFKC", str(value))
    text = _INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def clean_name(value: Any) -> str:
    """Names carry no spaces: "张 三" → "张三"; the various middle dots become "·"."""
    text = _SPACES.sub("", clean_text(value))
    return re.sub("[•・‧∙]", "·", text)


def clean_key(value: Any) -> str:
    """Text compared as a key (group and township names): no spaces at all."""
    return _SPACES.sub("", clean_text(value))


def header_key(value: Any) -> str:
    """A header cell reduced for matching: notes in brackets, spaces, asterisks and colons go."""
    text = clean_text(value)
    text = re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", text)
    return re.sub(r"[\s*※:]", "", text)


_HEADER_INDEX: dict[str, str] = {}
for _col in COLUMNS:
    for _alias in (_col.header, *_col.aliases):
        _HEADER_INDEX[header_key(_alias)] = _col.key


def match_header(value: Any) -> str | None:
    return _HEADER_INDEX.get(header_key(value))


class BirthDateError(ValueError):
    """The birth month cannot be read; the message says why, in Chinese."""


@dataclass(frozen=True)
class Birth:
    date: datetime.date
    has_day: bool  # False when only year and month were given: the day is stored as 1

    def matches(self, stored: datetime.date | None) -> bool:
        if stored is None:
            return False
        if self.has_day:
            return stored == self.date
        return (stored.year, stored.month) == (self.date.year, self.date.month)


_DATE_TEXT = re.compile(
    r"^(\d{4})\s*[./\-年]\s*(\d{1,2})\s*(?:[./\-月]\s*(?:(\d{1,2})\s*日?)?)?"
    r"(?:\s*[T ]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")
_FORMS = "如 1975.03、1975年3月、1975-03-15"


def _make_birth(year: int, month: int, day: int | None, shown: str) -> Birth:
    if not 1 <= month <= 12:
        raise BirthDateError(f"「{shown}」中的月份不存在")
    try:
        date = datetime.date(year, month, day or 1)
    except ValueError:
        raise BirthDateError(f"「{shown}」不是存在的日期") from None
    if year < 1900:
        raise BirthDateError(f"「{shown}」早于1900年，不合理")
    if date > timezone.localdate():
        raise BirthDateError(f"「{shown}」晚于今天，不合理")
    return Birth(date, has_day=day is not None)


def parse_birth(value: Any, id_birth: datetime.date | None = None) -> Birth:
    """Read a birth month as people write it, or as Excel stores it.

    Text: 1975.03, 1975.3, 1975年3月, 1975-03, 1975/3, 197503, 1975-03-15, 1975年3月15日,
    19750315. Excel: a date cell, a serial number, or a number such as 1975.03. A number
    1975.1 is ambiguous (Excel drops the 0 of 1975.10); the month of the ID number, if
    given, decides between January and October.
    """
    if value is None or (isinstance(value, str) and not clean_text(value)):
        raise BirthDateError("必填")
    if isinstance(value, bool):
        raise BirthDateError(f"无法识别，应为年月，{_FORMS}")
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return _make_birth(value.year, value.month, value.day if value.day != 1 else None, f"{value:%Y-%m-%d}")
    if isinstance(value, (int, float)):
        return _parse_birth_number(value, id_birth)
    text = clean_text(value)
    if m := _DATE_TEXT.match(text):
        return _make_birth(int(m[1]), int(m[2]), int(m[3]) if m[3] else None, text)
    if m := _DATE_DIGITS.match(text):
        return _make_birth(int(m[1]), int(m[2]), int(m[3]) if m[3] else None, text)
    if re.fullmatch(r"\d{5}", text):  # an Excel serial number that reached a CSV as text
        return _parse_birth_number(int(text), id_birth)
    if re.fullmatch(r"\d{4}(年)?", text):
        raise BirthDateError(f"「{text}」缺少月份，{_FORMS}")
    raise BirthDateError(f"无法识别「{text}」，应为年月，{_FORMS}")


def _parse_birth_number(value: int | float, id_birth: datetime.date | None) -> Birth:
    from openpyxl.utils.datetime import from_excel

    if isinstance(value, float) and not value.is_integer():
        if 1900 <= value < 2100:
            whole, frac = repr(value).split(".")
            if len(frac) > 2:
                raise BirthDateError(f"无法识别「{value}」，应为年月，{_FORMS}")
            if frac == "1":
                if id_birth is None or id_birth.month not in (1, 10):
                    raise BirthDateError(
                        f"「{value}」在 Excel 中是数字，分不清是1月还是10月，请写作 {whole}.01 或 {whole}.10（设为文本格式）"
                    )
                return _make_birth(int(whole), id_birth.month, None, repr(value))
            return _make_birth(int(whole), int(frac), None, repr(value))
        if 1 <= value < 80000:
            serial = from_excel(value).date()
            return _make_birth(serial.year, serial.month, serial.day if serial.day != 1 else None, f"{serial}")
        raise BirthDateError(f"无法识别「{value}」，应为年月，{_FORMS}")
    number = int(value)
    digits = str(number)
    if len(digits) in (6, 8) and 1900 <= int(digits[:4]) < 2100:
        return _make_birth(int(digits[:4]), int(digits[4:6]), int(digits[6:]) if len(digits) == 8 else None, digits)
    if len(digits) == 4:
        raise BirthDateError(f"「{digits}」缺少月份，{_FORMS}")
    if 1 <= number < 80000:
        serial = from_excel(number).date()
        return _make_birth(serial.year, serial.month, serial.day if serial.day != 1 else None, f"{serial}")
    raise BirthDateError(f"无法识别「{digits}」，应为年月，{_FORMS}")


def format_birth(date: datetime.date | None) -> str:
    """How the ledger writes a birth date: 1975.03, or 1975.03.15 when the day is known."""
    if date is None:
        return ""
    return f"{date:%Y.%m}" if date.day == 1 else f"{date:%Y.%m.%d}"


def parse_levels(text: str) -> list[str]:
    """'市、乡', '市级', '省人大代表', '州 市' → congress levels in canonical order; ValueError if unknown."""
    tokens = [t for t in re.split(r"[、,，;；/\s]+", clean_text(text)) if t]
    if not tokens:
        raise ValueError("必填，如“市”或“市、乡”")
    found: set[str] = set()
    for token in tokens:
        core = re.sub(r"级?(?:人大代表|代表)?$", "", token)
        level = _LEVEL_WORDS.get(core)
        if level is None:
            raise ValueError(f"无法识别「{token}」，应为省、州、市、乡中的一项或多项，如“市、乡”")
        found.add(level)
    return [lv for lv in LEVEL_ORDER if lv in found]


def format_levels(levels: Iterable[str]) -> str:
    present = set(levels)
    return "、".join(LEVEL_LABEL[lv] for lv in LEVEL_ORDER if lv in present)


_CONSTITUENCY_PART = re.compile(r"^(省|州|市|乡)级?:\s*(.*)$")


def parse_constituency(text: str, levels: list[str]) -> dict[str, str]:
    """One constituency for all levels, or per level as '市：第3选区；乡：第5选区'."""
    text = clean_text(text)
    parts = [p.strip() for p in text.split(";") if p.strip()]
    matches = [_CONSTITUENCY_PART.match(p) for p in parts]
    if parts and all(matches):
        out = dict.fromkeys(levels, "")
        for m in matches:
            level = _LEVEL_WORDS[m[1]]
            if level not in levels:
                raise ValueError(f"「{m[1]}」不在代表层级中")
            out[level] = m[2].strip()
        return out
    return dict.fromkeys(levels, text)


def format_constituency(by_level: dict[str, str]) -> str:
    values = set(by_level.values())
    if len(values) <= 1:
        return values.pop() if values else ""
    return "；".join(f"{LEVEL_LABEL[lv]}：{by_level[lv]}" for lv in LEVEL_ORDER if by_level.get(lv))


GENDERS = {"男": Gender.MALE, "女": Gender.FEMALE}

MAX_ROW_ID = 2**31 - 1  # ids are bounded everywhere (core/converters.py): a larger number is no row of ours
ROW_ID_PROBLEM = "应为本系统导出名册中的编号（正整数），请勿修改此列；新增代表留空"


def parse_row_id(value: Any) -> int | None:
    """系统编号 as the ledger writes it: a positive whole number, None for an empty cell, ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(ROW_ID_PROBLEM)
    text = clean_text(value)
    if not text:
        return None
    if not re.fullmatch(r"\d{1,10}", text) or not 1 <= int(text) <= MAX_ROW_ID:
        raise ValueError(ROW_ID_PROBLEM)
    return int(text)


def current_levels(mandates: Iterable[Mandate], on: datetime.date) -> dict[str, str]:
    """{level: constituency} of the mandates in force on `on`: what the ledger writes."""
    out: dict[str, str] = {}
    for mandate in mandates:
        if mandate.status != MandateStatus.ACTIVE:
            continue
        if mandate.start_date <= on and (mandate.end_date is None or mandate.end_date >= on):
            out.setdefault(mandate.congress.level, mandate.constituency)
    return out
