"""Reading a roster file (sheet → rows): find the header and the data rows of an .xlsx or .csv.

Malformed files are refused as a whole, before any row is checked, with a message that
says what is wrong and where: not a real .xlsx (an .xls, a web page or a CSV renamed; the
zip and its sheets are inspected before openpyxl opens them, see core.xlsx), a zip bomb, a
sheet reaching too far, a CSV in an unknown encoding (UTF-8 with or without a BOM and
GB18030/GBK are read; UTF-16, Big5 and binary files are named), no header, missing or
repeated columns, no data rows, too many rows. Formula and error cells in the columns
that are read are reported per cell when the rows are checked ("第12行「姓名」：是公式").
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from deputyhome.core.xlsx import XlsxLimits, XlsxRefused, inspect_package

from .roster_columns import BY_KEY, COLUMNS, clean_text, match_header

HEADER_SCAN_ROWS = 10
# A sheet may reach this many rows past ROSTER_MAX_ROWS (title rows, blank rows) before it is refused unread.
ROW_SLACK = 1000


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
    grids = [_csv_grid(content)] if is_csv else xlsx_grids(content)
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


def xlsx_grids(content: bytes) -> list[list[list[Any]]]:
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
