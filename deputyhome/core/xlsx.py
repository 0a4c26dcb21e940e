"""Spreadsheets in and out: exports that never carry a formula, imports inspected before they are opened.

Out
---
Every .xlsx export writes text that users typed. openpyxl turns a string beginning with "="
into a formula (and "#N/A" into an error value), and Excel re-reads a cell beginning with
=, +, -, @, a tab or a carriage return as a formula as soon as somebody edits it. `safe_cell`
writes such a string as a string cell (data type "s") with Excel's quote prefix: the visible
text is unchanged, Excel shows it as text, and reading the file back (the roster import)
gives the same text. Characters that XML cannot hold (control characters pasted from other
programs) are dropped instead of failing the export.

In
--
An .xlsx is a zip of XML parts; openpyxl would unpack and parse whatever it is given, and
a few kilobytes can ask it for gigabytes (a zip bomb, or a single merged range
A1:XFD1048576, which openpyxl fills with 17 billion cell objects). `inspect_package` reads
the zip's directory and streams each XML part through expat, without building any tree,
and refuses, with a Chinese message saying what and where:

* a file that is not a zip (an .xls, an HTML page or a CSV renamed to .xlsx: sniffed and named),
* an encrypted entry, a compression method other than stored/deflate, too many entries,
* more than `max_uncompressed` bytes in all, or an entry compressed more than `max_ratio` : 1
  (zipfile never inflates an entry past its declared size, so these bounds hold),
* a zip without xl/workbook.xml (a .docx renamed, say),
* XML with a DOCTYPE or entity declarations (Excel never writes them), or malformed XML,
* a worksheet with a cell or merged range past `max_rows` rows or `max_columns` columns, or
  more than `max_cells` cells and merged cells in all.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter

from . import xlsx_stream
from .uploads import sniff, sniff_zip
from .xlsx_stream import FORMULA_STARTS

# ---------------------------------------------------------------------------
# Out: no formulas in exports


def safe_cell(value: Any) -> Any:
    """`value` as it should go into a worksheet: risky text becomes a plain string cell.

    Non-text values are returned unchanged. Use it for every value that comes from users:
    `safe_sheet(sheet).append([...])`, `sheet.append(safe_row([...]))`, or
    `sheet.append([..., safe_cell(text), ...])`.
    """
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not (text.startswith(FORMULA_STARTS) or text in ERROR_CODES):
        return text
    cell = Cell(None)  # bound to the worksheet by append()
    cell._value = text  # noqa: SLF001 - set without openpyxl's type guessing, which would make it a formula
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def safe_row(values) -> list[Any]:
    return [safe_cell(v) for v in values]


class _SafeSheet:
    __slots__ = ("sheet",)

    def __init__(self, sheet) -> None:
        self.sheet = sheet

    def append(self, values) -> None:
        self.sheet.append(safe_row(values))


def safe_sheet(sheet) -> _SafeSheet:
    """`safe_sheet(sheet).append(row)`: `sheet.append(row)` with every value through `safe_cell`.

    The exports write their rows this way, so that guarding a row changes only the line that writes it.
    """
    return _SafeSheet(sheet)


HEADER_FILL = PatternFill("solid", fgColor="F3EBDD")


def titled_sheet(sheet, title: str, heading: str, headers: Sequence[str], widths: Sequence[int]):
    """`sheet` laid out as every export lays it out: a merged, bold heading in row 1, the column
    headers (bold, shaded, with these widths) in row 2, and rows 1-2 frozen. Returns the sheet."""
    sheet.title = title
    safe_sheet(sheet).append([heading])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(headers), 1))
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    safe_sheet(sheet).append(list(headers))
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=2, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    return sheet


class StreamedSheet:
    """A streamed worksheet (`core.xlsx_stream`) laid out like `titled_sheet`.

    Rows go into the file as they are appended, so memory stays flat whatever the number of rows; every value
    follows `safe_cell`'s rules. `dates`: the 0-based columns whose dates and datetimes show as yyyy-mm-dd.
    `sheet.print_title_rows = "2:2"` repeats the header row on every printed page.
    """

    __slots__ = ("dates", "sheet")

    def __init__(self, workbook, title: str, heading: str, headers: Sequence[str], widths: Sequence[int], dates=()):
        last = get_column_letter(max(len(headers), 1))
        self.sheet = workbook.add_sheet(title, widths=widths, freeze="A3", merged=[f"A1:{last}1"])
        self.dates = frozenset(dates)
        self.sheet.append([heading], style=xlsx_stream.TITLE)
        self.sheet.append(headers, style=xlsx_stream.HEADER)

    def append(self, values) -> None:
        self.sheet.append(values, dates=self.dates)


def streamed_workbook() -> xlsx_stream.StreamWorkbook:
    """A workbook for an export of any length (sheets through `StreamedSheet`)."""
    return xlsx_stream.StreamWorkbook(header_fill=HEADER_FILL.fgColor.rgb[2:])


def workbook_bytes(workbook) -> bytes:
    """The workbook (openpyxl's or a streamed one) as .xlsx bytes."""
    if isinstance(workbook, xlsx_stream.StreamWorkbook):
        return workbook.finish()
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# In: look inside before opening


class XlsxRefused(ValueError):
    """The package cannot be opened safely; the message says why, in Chinese."""


@dataclass(frozen=True)
class XlsxLimits:
    max_uncompressed: int
    max_ratio: int
    max_entries: int
    max_rows: int
    max_columns: int
    max_cells: int


@dataclass
class SheetShape:
    title: str
    cells: int = 0  # <c> elements, with or without a value
    merged_cells: int = 0  # cells covered by merged ranges
    last_row: int = 0  # the last row holding a cell or a merged range
    last_column: int = 0


SAVE_AS = "请在 Excel 或 WPS 中打开，“另存为”Excel 工作簿（.xlsx）后再导入。"
RATIO_FLOOR = 1024 * 1024  # entries smaller than this are not judged by their compression ratio
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
_XML = (".xml", ".rels", ".vml")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def inspect_package(content: bytes, limits: XlsxLimits) -> list[SheetShape]:
    """Refuse an .xlsx that is not one or that would be absurd to open; the worksheets' shapes otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise XlsxRefused(_not_a_workbook(content)) from None
    with archive:
        _check_directory(infos, limits)
        names = {info.filename for info in infos}
        if "xl/workbook.xml" not in names:
            raise XlsxRefused(
                f"文件不是有效的 .xlsx 文件：它是{sniff_zip(names)}，不是 Excel 工作簿（缺少 xl/workbook.xml）。{SAVE_AS}"
            )
        sheets = _worksheets(archive, names)
        budget = [limits.max_cells]
        shapes = []
        for info in infos:
            if not info.filename.lower().endswith(_XML):
                continue
            title = sheets.get(info.filename)
            shape = SheetShape(title) if title is not None else None
            _scan(archive, info, shape, limits, budget)
            if shape is not None:
                shapes.append(shape)
    return shapes


def _not_a_workbook(content: bytes) -> str:
    what = sniff(content[:4096])
    if what == "zip 压缩包":
        return f"文件不是有效的 .xlsx 文件：压缩结构已损坏（文件可能没有传完整）。{SAVE_AS}"
    if what == "无法识别的文件":
        return f"文件不是有效的 .xlsx 文件：无法识别文件内容，文件可能已损坏。{SAVE_AS}"
    return f"文件不是有效的 .xlsx 文件：它实际上是{what}，只是扩展名为 .xlsx。{SAVE_AS}"


def _check_directory(infos: list[zipfile.ZipInfo], limits: XlsxLimits) -> None:
    if len(infos) > limits.max_entries:
        raise XlsxRefused(
            f"文件不是正常的 Excel 工作簿：压缩包内有 {len(infos)} 个部件（正常的名册不超过几十个，上限 {limits.max_entries} 个）。{SAVE_AS}"
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise XlsxRefused(f"文件已加密，无法读取。请在 Excel 中取消密码，{SAVE_AS}")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise XlsxRefused(f"文件不是 Excel 生成的 .xlsx（部件“{info.filename}”使用了不支持的压缩方式）。{SAVE_AS}")
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > limits.max_ratio:
            raise XlsxRefused(
                f"文件异常，拒绝读取：部件“{info.filename}”压缩了 {ratio:.0f} 倍（解压后 {_mb(info.file_size)}），"
                f"正常的名册不超过 {limits.max_ratio} 倍，这样的文件可能是恶意构造的“压缩炸弹”。"
            )
    if total > limits.max_uncompressed:
        raise XlsxRefused(
            f"文件解压后有 {_mb(total)}，超过上限 {_mb(limits.max_uncompressed)}：请删除多余的工作表、图片和空行，"
            "或分成几个文件导入。"
        )


def _worksheets(archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Zip entry name → sheet title, from xl/workbook.xml and its relationships."""
    ids: dict[str, str] = {}  # relationship id → title
    targets: dict[str, str] = {}  # relationship id → entry name

    def on_sheet(name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local == "sheet":
            rid = next((v for k, v in attrs.items() if k.rsplit(" ", 1)[-1] == "id"), "")
            ids[rid] = attrs.get("name", "")

    def on_rel(name: str, attrs: dict[str, str]) -> None:
        if name.rsplit(" ", 1)[-1] == "Relationship" and attrs.get("Type", "").endswith("/worksheet"):
            target = attrs.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            targets[attrs.get("Id", "")] = path

    _parse(archive, archive.getinfo("xl/workbook.xml"), on_sheet)
    if "xl/_rels/workbook.xml.rels" in names:
        _parse(archive, archive.getinfo("xl/_rels/workbook.xml.rels"), on_rel)
    return {path: ids[rid] for rid, path in targets.items() if rid in ids and path in names}


def _parse(archive: zipfile.ZipFile, info: zipfile.ZipInfo, start=None, end=None, text=None) -> None:
    """Stream one XML part through expat; no DOCTYPE, no entities."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(*_args: Any) -> None:
        raise XlsxRefused(f"文件含有 Excel 不会写入的内容（部件“{info.filename}”中有 DOCTYPE 或实体声明），拒绝读取。")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    if start is not None:
        parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1 << 16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise XlsxRefused(
            f"文件已损坏：部件“{info.filename}”第{exc.lineno}行第{exc.offset + 1}个字符处不是有效的 XML。{SAVE_AS}"
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
        raise XlsxRefused(f"文件已损坏：部件“{info.filename}”无法解压（文件可能没有传完整）。{SAVE_AS}") from None


def _scan(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, shape: SheetShape | None, limits: XlsxLimits, budget: list[int]
) -> None:
    if shape is None:
        _parse(archive, info)
        return
    where = f"工作表「{shape.title}」"
    state = {"row": 0, "col": 0}

    def too_far(row: int, col: int) -> None:
        if row > limits.max_rows:
            raise XlsxRefused(
                f"{where}的单元格一直延伸到第 {row} 行，超过上限 {limits.max_rows} 行："
                "请删除表格下方多余的行（包括只设了格式的空行），或分成几个文件导入。"
            )
        if col > limits.max_columns:
            raise XlsxRefused(
                f"{where}的单元格一直延伸到第 {get_column_letter(min(col, 16384))} 列，超过上限 {limits.max_columns} 列"
                f"（{get_column_letter(limits.max_columns)} 列）：请删除右侧多余的列后再导入。"
            )

    def spend(n: int) -> None:
        budget[0] -= n
        if budget[0] < 0:
            raise XlsxRefused(
                f"{where}的单元格过多（全部工作表合计超过 {limits.max_cells} 个，含合并单元格）：请删除多余的工作表、行和列，"
                "或分成几个文件导入。"
            )

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local == "c":
            ref = attrs.get("r")
            if ref:
                row, col = _ref(ref, info)
                state["row"] = row or state["row"]
            else:
                row, col = state["row"], state["col"] + 1
            state["col"] = col
            shape.cells += 1
            spend(1)
            too_far(row, col)
            shape.last_row = max(shape.last_row, row)
            shape.last_column = max(shape.last_column, col)
        elif local == "row":
            r = attrs.get("r", "")
            state["row"] = int(r) if r.isdigit() else state["row"] + 1
            state["col"] = 0
        elif local == "mergeCell":
            ref = attrs.get("ref", "")
            first, _, last = ref.partition(":")
            row1, col1 = _ref(first, info)
            row2, col2 = _ref(last, info) if last else (row1, col1)
            too_far(max(row1, row2), max(col1, col2))
            area = (abs(row2 - row1) + 1) * (abs(col2 - col1) + 1)
            shape.merged_cells += area
            spend(area)
            shape.last_row = max(shape.last_row, row1, row2)
            shape.last_column = max(shape.last_column, col1, col2)

    _parse(archive, info, start)


def _ref(ref: str, info: zipfile.ZipInfo) -> tuple[int, int]:
    m = _REF.match(ref)
    if not m:
        raise XlsxRefused(f"文件已损坏：部件“{info.filename}”中有无效的单元格地址“{ref[:20]}”。{SAVE_AS}")
    return int(m[2]), column_index_from_string(m[1].upper())
