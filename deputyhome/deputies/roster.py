"""Importing the deputies' roster (代表名册) from .xlsx or .csv: read, check every row, then apply.

The file has the shape committees keep: 姓名、性别、民族、出生年月、政治面貌、文化程度、
工作单位及职务、代表层级、选区、所在小组、联系电话、身份证号, optionally 所属乡镇 (our own
exports add it). Reading is tolerant (title rows above the header, merged cells, full-width
characters, stray spaces, many ways of writing a birth month); checking is strict.

Update semantics (what a row means)
-----------------------------------
The ID number is the key. For every row:

* ID number not in the database → **create**: a new deputy, one mandate per level in
  代表层级 (in the current congress of that level; for 乡 the congress of the group's
  township), starting on the congress's start date (today if it has none), and a
  membership of 所在小组 starting today with the role 组员.
* ID number in the database under the same name → compared field by field with the
  stored deputy, their mandates in the resolved congresses and their current group.
  Identical → **unchanged** (nothing is written); different → **update**: changed personal
  fields are updated, a missing mandate is added, a changed 选区 is corrected, and a new
  group ends the current membership yesterday and starts a new one today as 组员.
  Values are compared after the same normalisation the import applies (NFKC, spaces), a
  birth month without a day matches any day of that month, and a column that is absent
  from the file is not compared at all (an empty cell in a present column does mean
  "empty", and the preview shows such a value being cleared). So exporting the deputies ledger and importing it
  again changes nothing.
* ID number in the database under another name → error ("身份证号已属于代表 X").
* The same ID number twice in the file → error on the later row.

The import never ends a mandate or removes anyone: a deputy who currently holds a
mandate at a level the row does not list is an error, to be handled on the deputy's page
(ending a mandate needs a reason and a date). 所在小组 is required: every deputy enters a
home and a station (进家入站), and the group decides the township and so the scope.

选区 is one text for all the row's levels, or per level as "市：第3选区；乡：第5选区"
(what the export writes when a deputy's constituencies differ).

All or nothing: every row is checked first; if any row has a problem nothing is written
and every problem is reported as (row as numbered in the spreadsheet, column, message).
The apply step checks again inside its transaction, because the database may have changed
since the preview, and goes through the deputies' services, so each change has its audit
row; one summary row `roster.import` records the counts.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from deputyhome.audit.services import record
from deputyhome.core.xlsx import XlsxLimits, XlsxRefused, inspect_package
from deputyhome.organisation.choices import CONGRESS_KINDS, CongressLevel
from deputyhome.organisation.models import Congress, DeputyGroup, Region
from deputyhome.organisation.selectors import group_list

from . import services
from .choices import Gender, GroupRole, MandateStatus
from .models import Deputy, GroupMembership, Mandate
from .selectors import deputy_list
from .validators import id_number_problem, normalise_phone, validate_phone

# ---------------------------------------------------------------------------
# Columns


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
)
BY_KEY = {c.key: c for c in COLUMNS}
IMPORT_HEADERS = [c.header for c in COLUMNS if c.key != "township"]
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

HEADER_SCAN_ROWS = 10
PREVIEW_ROWS = 50
# A sheet may reach this many rows past ROSTER_MAX_ROWS (title rows, blank rows) before it is refused unread.
ROW_SLACK = 1000

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

# ---------------------------------------------------------------------------
# Reading the file
#
# Malformed files are refused as a whole, before any row is checked, with a message that
# says what is wrong and where: not a real .xlsx (an .xls, a web page or a CSV renamed; the
# zip and its sheets are inspected before openpyxl opens them, see core.xlsx), a zip bomb, a
# sheet reaching too far, a CSV in an unknown encoding (UTF-8 with or without a BOM and
# GB18030/GBK are read; UTF-16, Big5 and binary files are named), no header, missing or
# repeated columns, no data rows, too many rows. Formula and error cells in the columns
# that are read are reported per cell when the rows are checked ("第12行「姓名」：是公式").


class RosterFileError(Exception):
    """The file as a whole cannot be used; the message says why, in Chinese."""


@dataclass(frozen=True)
class BadCell:
    """A spreadsheet cell whose value cannot be taken as typed: a formula, or an error such as #N/A."""

    kind: str  # "formula" | "error"
    text: str

    def __str__(self) -> str:
        return self.text

    @property
    def message(self) -> str:
        shown = self.text if len(self.text) <= 40 else self.text[:40] + "…"
        if self.kind == "formula":
            return f"是公式（{shown}），导入只接受数值：请复制该列，“选择性粘贴→数值”后再导入"
        return f"是错误值 {shown}，请更正该单元格"


@dataclass
class Table:
    columns: dict[str, int]  # column key → 0-based index
    letters: dict[str, str]  # column key → "A", "B", ... (or the CSV column number)
    rows: list[tuple[int, list[Any]]]  # (row number as in the spreadsheet, raw values)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _sheet_row_limit() -> int:
    return settings.ROSTER_MAX_ROWS + ROW_SLACK


def read_table(content: bytes, filename: str) -> Table:
    """Find the header and the data rows of an .xlsx or .csv roster, or raise RosterFileError."""
    name = (filename or "").lower()
    if len(content) > settings.ROSTER_MAX_BYTES:
        raise RosterFileError(f"文件过大：不能超过 {settings.ROSTER_MAX_BYTES // (1024 * 1024)} MB。")
    if name.endswith(".xls"):
        raise RosterFileError("不支持旧版 Excel（.xls）文件：请在 Excel 中“另存为”.xlsx 格式后再导入。")
    if not (name.endswith(".xlsx") or name.endswith(".csv")):
        raise RosterFileError("只能导入 .xlsx 或 .csv 文件。")
    if not content.removeprefix(b"\xef\xbb\xbf").strip():
        raise RosterFileError("文件是空的。")
    is_csv = name.endswith(".csv")
    grids = [_csv_grid(content)] if is_csv else _xlsx_grids(content)
    best = _find_header(grids)
    if best is None:
        if not any(any(clean_text(v) for v in row) for grid in grids for row in grid):
            raise RosterFileError("文件中没有数据。")
        hint = _csv_encoding_hint(content) if is_csv else ""
        if hint:
            raise RosterFileError(hint)
        raise RosterFileError(
            f"没有找到表头：前{HEADER_SCAN_ROWS}行中没有包含「姓名」「身份证号」「代表层级」等列名的一行"
            f"（{_first_row(grids)}），这可能不是代表名册。请使用导入模板。"
        )
    _, header_index, grid = best
    columns: dict[str, int] = {}
    repeated: dict[str, list[int]] = {}
    for index, value in enumerate(grid[header_index]):
        key = match_header(value)
        if key is None:
            continue
        if key in columns:
            repeated.setdefault(key, [columns[key]]).append(index)
            continue
        columns[key] = index
    problems = []
    for key, indexes in repeated.items():
        times = "两" if len(indexes) == 2 else str(len(indexes))
        where = "和".join(f"第{_letter(i)}列" for i in indexes)
        problems.append(f"表头中「{BY_KEY[key].header}」出现了{times}次（{where}）")
    missing = [c.header for c in COLUMNS if c.required and c.key not in columns]
    if missing:
        problems.append("缺少必需的列：" + "、".join(f"「{h}」" for h in missing))
    if problems:
        raise RosterFileError(
            f"第{header_index + 1}行的表头有问题：" + "；".join(problems) + "。请对照导入模板更正表头后再导入。"
        )
    rows = []
    for number, row in enumerate(grid[header_index + 1 :], start=header_index + 2):
        if any(clean_text(v) for v in row):
            rows.append((number, row))
    if not rows:
        raise RosterFileError(f"表头（第{header_index + 1}行）下面没有数据行。")
    if len(rows) > settings.ROSTER_MAX_ROWS:
        raise RosterFileError(f"数据行过多：{len(rows)} 行，一次最多导入 {settings.ROSTER_MAX_ROWS} 行。")
    return Table(columns=columns, letters={k: _letter(i) for k, i in columns.items()}, rows=rows)


def _find_header(grids: list[list[list[Any]]]) -> tuple[int, int, list[list[Any]]] | None:
    """(matches, header row index, grid) of the best header row in the first sheet that has one."""
    best: tuple[int, int, list[list[Any]]] | None = None
    for grid in grids:
        for index, row in enumerate(grid[:HEADER_SCAN_ROWS]):
            hits = len({match_header(v) for v in row if match_header(v)})
            if hits >= 3 and (best is None or hits > best[0]):
                best = (hits, index, grid)
        if best:
            break
    return best


def _first_row(grids: list[list[list[Any]]]) -> str:
    """The first non-empty row, shortened, so the user sees what was read where a header was expected."""
    for grid in grids:
        for number, row in enumerate(grid[:HEADER_SCAN_ROWS], start=1):
            cells = [clean_text(v) for v in row if clean_text(v)]
            if cells:
                text = "、".join(cells)
                return f"第{number}行是「{text[:60]}{'…' if len(text) > 60 else ''}」"
    return "前几行是空的"


def _xlsx_grids(content: bytes) -> list[list[list[Any]]]:
    """Every worksheet as a grid of values, merged ranges filled from their top-left cell.

    Formula and error cells become BadCell. The package is inspected first (core.xlsx), so
    that no sheet is larger than the limits when openpyxl builds it.
    """
    from openpyxl import load_workbook

    limits = XlsxLimits(
        max_uncompressed=settings.ROSTER_XLSX_MAX_UNCOMPRESSED,
        max_ratio=settings.ROSTER_XLSX_MAX_RATIO,
        max_entries=settings.ROSTER_XLSX_MAX_ENTRIES,
        max_rows=_sheet_row_limit(),
        max_columns=settings.ROSTER_MAX_COLUMNS,
        max_cells=settings.ROSTER_XLSX_MAX_CELLS,
    )
    try:
        inspect_package(content, limits)
    except XlsxRefused as exc:
        raise RosterFileError(str(exc)) from None
    try:
        # data_only=False: a formula is seen as a formula (and refused), not as the value Excel last cached.
        workbook = load_workbook(io.BytesIO(content), data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds of errors on damaged files; all mean the same to the user
        raise RosterFileError(
            "无法读取该 Excel 文件：文件可能已损坏或加密。请在 Excel 中另存为 .xlsx 后再导入。"
        ) from None
    grids = []
    try:
        for sheet in workbook.worksheets:
            grid = [[_cell_value(cell) for cell in row] for row in sheet.iter_rows()]
            width = max((len(row) for row in grid), default=0)
            for merged in sheet.merged_cells.ranges:
                top = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(grid) else None
                for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
                    row = grid[r]
                    last = min(merged.max_col, width)
                    if len(row) < last:
                        row.extend([None] * (last - len(row)))
                    for c in range(merged.min_col - 1, last):
                        row[c] = top
            grids.append(grid)
    finally:
        workbook.close()
    return grids


def _cell_value(cell) -> Any:
    if cell.data_type == "f":
        value = cell.value
        text = value if isinstance(value, str) else getattr(value, "text", None) or "="
        return BadCell("formula", str(text))
    if cell.data_type == "e":
        return BadCell("error", str(cell.value))
    return cell.value


_UTF16_MESSAGE = (
    "CSV 文件是 Unicode（UTF-16）编码，无法读取：请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”，"
    "或在记事本中“另存为”并把编码选为 UTF-8 后再导入。"
)


def _csv_grid(content: bytes) -> list[list[Any]]:
    head = content[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(head):
        raise RosterFileError(_UTF16_MESSAGE)
    if head.startswith(b"PK\x03\x04"):
        raise RosterFileError(
            "文件不是 CSV：它是 Excel（.xlsx）等压缩格式的文件，只是扩展名为 .csv。请把扩展名改回 .xlsx 后再导入。"
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterFileError(
            "文件不是 CSV：它是旧版 Excel（.xls）文件，只是扩展名为 .csv。请在 Excel 中“另存为”.xlsx 后再导入。"
        )
    if b"\x00" in content:
        line = content[: content.index(b"\x00")].count(b"\n") + 1
        raise RosterFileError(
            f"文件不是文本格式的 CSV（第{line}行含有二进制内容，可能是其他文件改了扩展名）：Excel 文件请保存为 .xlsx。"
        )
    text = _decode_csv(content)
    control = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)
    if control:
        line = text[: control.start()].count("\n") + 1
        raise RosterFileError(
            f"文件不是文本格式的 CSV（第{line}行含有控制字符，可能是其他文件改了扩展名，或编码不对）：请保存为 UTF-8 或 GBK 编码的 CSV。"
        )
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    limit = _sheet_row_limit()
    grid: list[list[Any]] = []
    try:
        for row in reader:
            if len(row) > settings.ROSTER_MAX_COLUMNS:
                raise RosterFileError(
                    f"CSV 文件第{reader.line_num}行有 {len(row)} 列，超过上限 {settings.ROSTER_MAX_COLUMNS} 列：请检查分隔符和引号。"
                )
            if not any(cell.strip() for cell in row):
                continue  # blank lines are skipped when the rows are read; keeping them costs memory
            if reader.line_num > limit:
                raise RosterFileError(
                    f"CSV 文件一直延伸到第 {reader.line_num} 行，超过上限 {limit} 行：一次最多导入 {settings.ROSTER_MAX_ROWS} 行数据，请分成几个文件导入。"
                )
            # Keep the spreadsheet's row numbers even when a quoted cell spans lines.
            while len(grid) < reader.line_num - 1:
                grid.append([])
            grid.append(row)
    except csv.Error as exc:
        raise RosterFileError(f"CSV 文件格式有误（第{reader.line_num}行）：{_csv_problem(exc)}") from None
    return grid


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a byte-order mark: the NUL bytes of its ASCII characters all fall on one parity."""
    parity = [i % 2 for i, b in enumerate(head) if b == 0]
    on_odd = sum(parity)
    return (
        len(parity) >= 4 and len(parity) * 20 >= len(head) and max(on_odd, len(parity) - on_odd) * 10 >= len(parity) * 9
    )


def _decode_csv(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError as exc:
        if hint := _csv_encoding_hint(content):
            raise RosterFileError(hint) from None
        line = content[: exc.start].count(b"\n") + 1
        raise RosterFileError(
            f"无法识别 CSV 文件的编码（第{line}行有既不是 UTF-8 也不是 GBK 的字节）：请保存为 UTF-8 或 GBK 编码的 CSV。"
        ) from None


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"有一个单元格超过 {csv.field_size_limit() // 1024} KB，多半是引号不成对，把后面的内容都当成了一个单元格"
    if "unexpected end of data" in text or "EOF" in text:
        return "文件在引号内结束，多半是引号不成对"
    return "引号或分隔符不规范，请用 Excel 打开后重新保存为 CSV"


def _csv_encoding_hint(content: bytes) -> str:
    """When no header was found in a CSV: is it in an encoding we do not read? Say which, if so."""
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as exc:
        mostly = content.decode("utf-8", errors="replace")
        if _text_has_header(mostly):
            line = content[: exc.start].count(b"\n") + 1
            return (
                f"CSV 文件大部分是 UTF-8 编码，但第{line}行有不是 UTF-8 的字节（可能混入了其他编码的文字）："
                "请检查该行，把文件另存为 UTF-8 编码后再导入。"
            )
    else:
        return ""
    try:
        big5 = content.decode("big5")
    except UnicodeDecodeError:
        return ""
    if _text_has_header(big5.translate(_TRADITIONAL)):
        return "CSV 文件是繁体中文 Big5 编码，无法直接读取：请另存为 UTF-8 或 GBK 编码的 CSV 后再导入。"
    return ""


# The traditional forms of the characters in our headers, to recognise a Big5 roster's header.
_TRADITIONAL = str.maketrans("別證號層級組話聯區選單職務電鄉鎮屬碼學歷黨", "别证号层级组话联区选单职务电乡镇属码学历党")


def _text_has_header(text: str) -> bool:
    for line in text.splitlines()[:HEADER_SCAN_ROWS]:
        cells = re.split(r"[,\t]", line)
        if len({match_header(c) for c in cells if match_header(c)}) >= 3:
            return True
    return False


# ---------------------------------------------------------------------------
# Checking


@dataclass(frozen=True)
class Issue:
    row: int
    column: str  # the column header in Chinese ("" for the row as a whole)
    message: str
    letter: str = ""

    def __str__(self) -> str:
        where = f"第{self.row}行「{self.column}」" if self.column else f"第{self.row}行"
        return f"{where}：{self.message}"


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class RowPlan:
    """What one valid row will do."""

    row: int
    name: str
    id_number: str
    action: str = "create"  # create | update | unchanged
    deputy: Deputy | None = None
    deputy_data: dict[str, Any] = field(default_factory=dict)  # all fields (create) or the changed ones
    group: DeputyGroup | None = None
    township: Region | None = None
    move_from: GroupMembership | None = None  # the membership to end when the group changes
    join_group: bool = False
    new_mandates: list[tuple[Congress, str]] = field(default_factory=list)
    fixed_mandates: list[tuple[Mandate, str]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return {"create": "新增", "update": "更新", "unchanged": "无变化"}[self.action]


@dataclass
class RosterResult:
    filename: str
    file_error: str = ""
    issues: list[Issue] = field(default_factory=list)
    rows: list[RowPlan] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.issues and bool(self.rows)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def preview_rows(self) -> list[RowPlan]:
        return [r for r in self.rows if r.action != "unchanged"][:PREVIEW_ROWS]


class _Lookups:
    """Everything the row loop needs, fetched in a handful of queries before it starts."""

    def __init__(self, actor, id_numbers: list[str]):
        self.today = timezone.localdate()
        regions = {r.pk: r for r in Region.objects.only("id", "code", "name", "kind")}
        by_code = {r.code: r for r in regions.values()}
        self.township_of_region = {
            pk: by_code.get(r.code[:9]) if len(r.code) >= 9 else None for pk, r in regions.items()
        }
        self.groups: dict[str, DeputyGroup] = {}
        for group in DeputyGroup.objects.select_related("station"):
            self.groups[clean_key(group.name)] = group
        self.groups_in_scope = set(group_list(user=actor).values_list("pk", flat=True))
        self.congresses: dict[str, list[Congress]] = {}
        for congress in Congress.objects.filter(is_current=True).select_related("region"):
            self.congresses.setdefault(congress.level, []).append(congress)
        self.deputies: dict[str, Deputy] = {}
        self.deputies_in_scope: set[int] = set()
        self.mandates: dict[int, list[Mandate]] = {}
        self.memberships: dict[int, list[GroupMembership]] = {}
        in_scope = deputy_list(user=actor).prefetch_related(None)
        for chunk in _chunks(sorted(set(id_numbers)), 500):
            found = list(Deputy.objects.filter(id_number__in=chunk))
            self.deputies.update({d.id_number: d for d in found})
            pks = [d.pk for d in found]
            self.deputies_in_scope.update(in_scope.filter(pk__in=pks).values_list("pk", flat=True))
            for mandate in Mandate.objects.filter(deputy_id__in=pks).select_related("congress"):
                self.mandates.setdefault(mandate.deputy_id, []).append(mandate)
            upcoming = GroupMembership.objects.filter(deputy_id__in=pks).exclude(end_date__lt=self.today)
            for membership in upcoming.select_related("group").order_by("start_date", "id"):
                self.memberships.setdefault(membership.deputy_id, []).append(membership)

    def township_of(self, group: DeputyGroup) -> Region | None:
        return self.township_of_region.get(group.station.region_id)

    def congress_for(self, level: str, township: Region | None) -> tuple[Congress | None, str]:
        label = LEVEL_LABEL[level]
        if level == CongressLevel.TOWNSHIP:
            if township is None:
                return None, "所在小组的站点不在任何乡镇，无法确定乡级人大"
            if township.kind not in CONGRESS_KINDS:
                return None, f"{township.name}不设乡级人民代表大会，不能有乡级代表"
            found = [c for c in self.congresses.get(level, []) if c.region_id == township.pk]
            if not found:
                return None, f"{township.name}没有登记本届乡级人民代表大会，请先在“人代会”中登记"
        else:
            code = township.code if township else ""
            found = [c for c in self.congresses.get(level, []) if c.region is None or code.startswith(c.region.code)]
            if not found:
                return None, f"没有登记本届{label}级人民代表大会，请先在“人代会”中登记"
        if len(found) > 1:
            return None, f"登记了多个本届{label}级人民代表大会（{'、'.join(c.name for c in found)}），请先更正"
        return found[0], ""


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


_TEXT_FIELDS = {
    # key: (model field, max length, required)
    "ethnicity": ("ethnicity", 20, True),
    "party": ("party", 20, True),
    "education": ("education", 20, False),
    "employer_title": ("employer_title", 200, False),
}


def _field_label(name: str) -> str:
    return str(Deputy._meta.get_field(name).verbose_name)


def _shown(name: str, value: Any) -> str:
    if name == "gender":
        return Gender(value).label if value else ""
    if name == "birth_date":
        return format_birth(value)
    return str(value or "")


def check_table(table: Table, *, actor, filename: str) -> RosterResult:
    """Check every row against the rules and the database; write nothing."""
    result = RosterResult(filename=filename)
    raw_ids = []
    id_col = table.columns["id_number"]
    for _, values in table.rows:
        raw_ids.append(clean_key(values[id_col] if id_col < len(values) else "").upper())
    present = [i for i in raw_ids if i]
    if present and all("*" in i for i in present):
        result.file_error = "这是脱敏导出的名册（身份证号、电话含*号），不能用于导入：请由能查看完整信息的工作人员导出名册后修改、导入。"
        return result
    look = _Lookups(actor, raw_ids)
    first_row_of: dict[str, int] = {}
    for number, values in table.rows:
        issues: list[Issue] = []
        plan = _check_row(number, values, table, look, first_row_of, issues)
        result.issues.extend(issues)
        if plan is not None and not issues:
            result.rows.append(plan)
    if result.issues:
        result.rows = []
    return result


def _check_row(
    number: int,
    values: list[Any],
    table: Table,
    look: _Lookups,
    first_row_of: dict[str, int],
    issues: list[Issue],
) -> RowPlan | None:
    def raw(key: str) -> Any:
        index = table.columns.get(key)
        if index is None or index >= len(values):
            return None
        return values[index]

    def fail(key: str, message: str) -> None:
        if len(message) > 300:  # messages quote cell values; a cell may hold anything
            message = message[:300] + "…"
        issues.append(Issue(number, BY_KEY[key].header, message, table.letters.get(key, "")))

    # A formula or an error value is reported as such; the rest of the row is checked once it is a value.
    bad = False
    for key in table.columns:
        value = raw(key)
        if isinstance(value, BadCell):
            fail(key, value.message)
            bad = True
    if bad:
        return None

    present = table.columns.keys()
    data: dict[str, Any] = {}

    name = clean_name(raw("name"))
    if not name:
        fail("name", "必填")
    elif len(name) > 50:
        fail("name", "不能超过50个字")
    data["name"] = name

    gender = clean_key(raw("gender"))
    if not gender:
        fail("gender", "必填，填“男”或“女”")
    elif gender not in GENDERS:
        fail("gender", f"「{gender}」无效，填“男”或“女”")
    else:
        data["gender"] = GENDERS[gender]

    for key, (model_field, limit, required) in _TEXT_FIELDS.items():
        if key not in present:
            continue
        text = clean_text(raw(key))
        if required and not text:
            fail(key, "必填")
        elif len(text) > limit:
            fail(key, f"不能超过{limit}个字")
        data[model_field] = text

    # ID number before the birth month: the month of a number like 1975.1 depends on it.
    id_raw = raw("id_number")
    id_number = clean_key(id_raw).upper()
    id_birth = None
    if not id_number:
        fail("id_number", "必填")
    elif "*" in id_number:
        fail("id_number", "身份证号已脱敏（含*号）：脱敏导出的名册不能导入，请使用完整身份证号")
    elif problem := id_number_problem(id_number):
        hint = (
            "（该单元格是数字格式，Excel 只保留15位有效数字：请把该列设为文本后重新录入）"
            if isinstance(id_raw, (int, float))
            else ""
        )
        fail("id_number", problem + hint)
    else:
        id_birth = datetime.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
        if id_number in first_row_of:
            fail("id_number", f"与第{first_row_of[id_number]}行的身份证号重复")
        else:
            first_row_of[id_number] = number
    data["id_number"] = id_number

    birth = None
    try:
        birth = parse_birth(raw("birth"), id_birth)
    except BirthDateError as exc:
        fail("birth", str(exc))
    if birth is not None:
        data["birth_date"] = birth.date
        if id_birth is not None and (birth.date.year, birth.date.month) != (id_birth.year, id_birth.month):
            fail("birth", f"与身份证号中的出生年月（{id_birth.year}年{id_birth.month}月）不一致")

    if "phone" in present:
        phone = normalise_phone(clean_text(raw("phone")))
        if "*" in phone:
            fail("phone", "联系电话已脱敏（含*号），请填写完整号码")
            phone = ""
        try:
            validate_phone(phone)
        except ValidationError as exc:
            fail("phone", exc.messages[0].rstrip("。"))
        else:
            if len(phone) > 20:
                fail("phone", "过长")
        data["phone"] = phone

    levels: list[str] = []
    try:
        levels = parse_levels(raw("levels"))
    except ValueError as exc:
        fail("levels", str(exc))

    constituencies: dict[str, str] = {}
    if "constituency" in present and levels:
        try:
            constituencies = parse_constituency(raw("constituency"), levels)
        except ValueError as exc:
            fail("constituency", str(exc))
        if any(len(c) > 100 for c in constituencies.values()):
            fail("constituency", "不能超过100个字")

    group = township = None
    group_name = clean_key(raw("group"))
    if not group_name:
        fail("group", "必填：每位代表须编入一个代表小组")
    elif (group := look.groups.get(group_name)) is None:
        fail("group", f"没有名为「{clean_text(raw('group'))}」的代表小组（须与系统中的小组名称完全一致）")
    elif group.pk not in look.groups_in_scope:
        fail("group", "小组不在您的管辖范围内")
        group = None
    else:
        township = look.township_of(group)
        given = clean_key(raw("township"))
        if given and (township is None or given != clean_key(township.name)):
            where = township.name if township else "未设置乡镇"
            fail("township", f"「{given}」与所在小组所属乡镇（{where}）不一致")

    congresses: dict[str, Congress] = {}
    if group is not None:
        for level in levels:
            congress, problem = look.congress_for(level, township)
            if congress is None:
                fail("levels", problem)
            else:
                congresses[level] = congress

    deputy = look.deputies.get(id_number) if id_number else None
    if deputy is not None:
        if deputy.pk not in look.deputies_in_scope:
            fail("id_number", "该身份证号的代表不在您的管辖范围内")
        elif name and clean_name(deputy.name) != name:
            fail("id_number", f"身份证号已属于代表 {deputy.name}")
    if issues:
        return None

    plan = RowPlan(row=number, name=name, id_number=id_number, group=group, township=township, deputy=deputy)
    if deputy is None:
        plan.deputy_data = {
            "education": "",
            "employer_title": "",
            "phone": "",
            **data,
            "region": township,
        }
        plan.new_mandates = [(congresses[lv], constituencies.get(lv, "")) for lv in levels]
        plan.join_group = True
        return plan

    _compare(plan, deputy, data, birth, levels, congresses, constituencies, "constituency" in present, look, fail)
    if issues:
        return None
    plan.action = "update" if plan.changes else "unchanged"
    return plan


def _compare(plan, deputy, data, birth, levels, congresses, constituencies, has_constituency, look, fail) -> None:
    """Fill the plan with the differences between a row and the stored deputy."""
    for name, new in data.items():
        if name in ("name", "id_number"):
            continue
        old = getattr(deputy, name)
        if name == "birth_date":
            same = birth.matches(old)
        elif name == "phone":
            same = normalise_phone(clean_text(old)) == new
        elif name == "gender":
            same = old == new
        else:
            same = clean_text(old) == new
        if not same:
            plan.deputy_data[name] = new
            plan.changes.append(Change(_field_label(name), _shown(name, old), _shown(name, new)))

    mandates = look.mandates.get(deputy.pk, [])
    by_congress = {m.congress_id: m for m in mandates}
    for level in levels:
        congress = congresses[level]
        constituency = constituencies.get(level, "")
        mandate = by_congress.get(congress.pk)
        if mandate is None:
            plan.new_mandates.append((congress, constituency))
            plan.changes.append(Change("代表资格", "", f"{congress.name}（新增）"))
        elif mandate.status != MandateStatus.ACTIVE or (mandate.end_date and mandate.end_date < look.today):
            fail("levels", f"该代表在{congress.name}的代表资格已终止，导入不能恢复")
        elif has_constituency and clean_text(mandate.constituency) != constituency:
            plan.fixed_mandates.append((mandate, constituency))
            plan.changes.append(Change(f"选区（{LEVEL_LABEL[level]}级）", mandate.constituency, constituency))
    wanted = {c.pk for c in congresses.values()}
    for mandate in mandates:
        active = mandate.status == MandateStatus.ACTIVE and mandate.start_date <= look.today
        if (
            active
            and (mandate.end_date is None or mandate.end_date >= look.today)
            and mandate.congress_id not in wanted
        ):
            fail(
                "levels",
                f"该代表现任{mandate.congress.name}代表，名册中未列出；导入不终止代表资格，请在代表信息中办理",
            )

    memberships = look.memberships.get(deputy.pk, [])
    current = [m for m in memberships if m.start_date <= look.today]
    future = [m for m in memberships if m.start_date > look.today]
    if future:
        fail("group", f"该代表已安排自{future[0].start_date}起加入{future[0].group.name}，请先在代表信息中处理")
        return
    membership = current[-1] if current else None
    if membership is None:
        plan.join_group = True
        plan.changes.append(Change("所在小组", "", plan.group.name))
    elif membership.group_id != plan.group.pk:
        plan.move_from = membership
        plan.join_group = True
        plan.changes.append(Change("所在小组", membership.group.name, plan.group.name))


# ---------------------------------------------------------------------------
# Services


class _ApplyFailed(Exception):
    def __init__(self, issue: Issue):
        super().__init__(str(issue))
        self.issue = issue


def roster_preview(*, content: bytes, filename: str, actor) -> RosterResult:
    """Read and check a roster file; nothing is written."""
    try:
        table = read_table(content, filename)
    except RosterFileError as exc:
        return RosterResult(filename=filename, file_error=str(exc))
    return check_table(table, actor=actor, filename=filename)


def roster_import(*, content: bytes, filename: str, actor) -> RosterResult:
    """Check the file again and, if every row is valid, apply it in one transaction."""
    try:
        table = read_table(content, filename)
    except RosterFileError as exc:
        return RosterResult(filename=filename, file_error=str(exc))
    try:
        with transaction.atomic():
            result = check_table(table, actor=actor, filename=filename)
            if not result.ok:
                return result
            for plan in result.rows:
                _apply_row(plan, actor)
            record(
                actor=actor,
                action="roster.import",
                object_type="deputies.deputy",
                object_repr=filename[:255],
                changes={
                    "rows": len(result.rows),
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
                detail=f"名册导入：新增{result.created}人，更新{result.updated}人，无变化{result.unchanged}人",
            )
            result.applied = True
            return result
    except _ApplyFailed as exc:
        return RosterResult(filename=filename, issues=[exc.issue])


def _apply_row(plan: RowPlan, actor) -> None:
    if plan.action == "unchanged":
        return
    today = timezone.localdate()
    try:
        if plan.deputy is None:
            plan.deputy = services.deputy_create(data=plan.deputy_data, actor=actor)
        elif plan.deputy_data:
            plan.deputy = services.deputy_update(deputy=plan.deputy, data=plan.deputy_data, actor=actor)
        for congress, constituency in plan.new_mandates:
            services.mandate_create(
                data={
                    "deputy": plan.deputy,
                    "congress": congress,
                    "constituency": constituency,
                    "start_date": congress.start_date or today,
                },
                actor=actor,
            )
        for mandate, constituency in plan.fixed_mandates:
            services.mandate_update(mandate=mandate, data={"constituency": constituency}, actor=actor)
        if plan.join_group:
            _join_group(plan, actor, today)
    except (ValidationError, DatabaseError) as exc:
        message = (
            "；".join(exc.messages)
            if isinstance(exc, ValidationError)
            else "数据库拒绝了这一行，可能与其他操作冲突，请重试"
        )
        raise _ApplyFailed(Issue(plan.row, "", f"{plan.name}：{message}")) from exc


def _join_group(plan: RowPlan, actor, today: datetime.date) -> None:
    old = plan.move_from
    if old is not None:
        if old.start_date >= today:
            # Joined the old group today: correct the group rather than leave an empty period.
            services.membership_update(
                membership=old, data={"group": plan.group, "role": GroupRole.MEMBER}, actor=actor
            )
            return
        services.membership_update(membership=old, data={"end_date": today - datetime.timedelta(days=1)}, actor=actor)
    services.membership_create(
        data={"deputy": plan.deputy, "group": plan.group, "role": GroupRole.MEMBER, "start_date": today},
        actor=actor,
    )


def current_levels(mandates: Iterable[Mandate], on: datetime.date) -> dict[str, str]:
    """{level: constituency} of the mandates in force on `on`: what the ledger writes."""
    out: dict[str, str] = {}
    for mandate in mandates:
        if mandate.status != MandateStatus.ACTIVE:
            continue
        if mandate.start_date <= on and (mandate.end_date is None or mandate.end_date >= on):
            out.setdefault(mandate.congress.level, mandate.constituency)
    return out
