"""core.xlsx_stream behind StreamedSheet: a package openpyxl opens, laid out like titled_sheet, every value as
safe_cell would have it, text escaped, several sheets in one workbook."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from deputyhome.core import xlsx_stream
from deputyhome.core.xlsx import StreamedSheet, XlsxLimits, inspect_package, streamed_workbook, workbook_bytes

from .test_xlsx import PLAIN, RISKY

HEADERS = ["姓名", "数量", "金额", "交办日期", "答复时间", "是否重点"]
WIDTHS = [10, 6, 8, 12, 20, 8]


def export(rows, *, dates=(3,), headers=HEADERS) -> bytes:
    wb = streamed_workbook()
    sheet = StreamedSheet(wb, "建议登记册", "代表建议登记册（导出日期 2026-03-01）", headers, WIDTHS, dates=dates)
    for row in rows:
        sheet.append(row)
    return workbook_bytes(wb)


def test_the_package_opens_with_the_layout_of_titled_sheet():
    row = ["张三", 3, Decimal("12.50"), datetime.date(2026, 3, 1), datetime.datetime(2026, 3, 2, 9, 30), True]
    ws = load_workbook(io.BytesIO(export([row]))).active
    assert ws.title == "建议登记册"
    title = ws["A1"]
    assert title.value == "代表建议登记册（导出日期 2026-03-01）"
    assert (title.font.b, title.font.sz, title.alignment.horizontal) == (True, 14, "center")
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:F1"]
    assert [c.value for c in ws[2]] == HEADERS
    assert all(c.font.b and c.fill.fill_type == "solid" and c.fill.fgColor.rgb == "00F3EBDD" for c in ws[2])
    assert {k: d.width for k, d in ws.column_dimensions.items()} == dict(zip("ABCDEF", WIDTHS, strict=True))
    assert ws.freeze_panes == "A3"
    values = [c.value for c in ws[3]]
    assert values == ["张三", 3, 12.5, datetime.datetime(2026, 3, 1), datetime.datetime(2026, 3, 2, 9, 30), True]
    assert [c.data_type for c in ws[3]] == ["s", "n", "n", "d", "d", "b"]
    # A date column shows yyyy-mm-dd; a datetime elsewhere keeps its time, as openpyxl wrote it.
    assert (ws["D3"].number_format, ws["E3"].number_format) == ("yyyy-mm-dd", "yyyy-mm-dd h:mm:ss")
    assert not any(c.font.b or c.quotePrefix for c in ws[3])


def test_risky_text_is_text_with_the_quote_prefix_and_plain_text_is_not():
    ws = load_workbook(io.BytesIO(export([RISKY, PLAIN], headers=RISKY))).active
    for row in (2, 3):  # the header row goes through the same guard
        cells = list(ws[row])
        assert [c.value for c in cells] == RISKY
        assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert ws["A2"].font.b and ws["A2"].fill.fgColor.rgb == "00F3EBDD"  # and keeps the header's style
    plain = list(ws[4])[: len(PLAIN)]
    assert [c.value for c in plain[:-1]] == PLAIN[:-1] and plain[-1].value is None  # "" is an empty cell
    assert not any(c.quotePrefix for c in plain)


def test_text_is_escaped_and_characters_xml_cannot_hold_are_dropped():
    text = "<b>&amp;\"'</b>"
    row = [text, "恩施\x01市\x0b", " 前后空格 ", "一\r\n二\t三", "\x01", "在原位", "\x01=1+1"]
    content = export([row], headers=["a"] * 7)
    ws = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in ws[3]] == [text, "恩施市", " 前后空格 ", "一\r\n二\t三", None, "在原位", "=1+1"]
    assert ws["G3"].quotePrefix and not ws["F3"].quotePrefix
    read_only = load_workbook(io.BytesIO(content), read_only=True).active
    assert next(read_only.iter_rows(min_row=3, values_only=True))[:3] == (text, "恩施市", " 前后空格 ")


def test_empty_cells_keep_the_following_cells_in_their_columns():
    rows = [[None, "b", "", None, 5, None], ["a", None, None, None, None, "f"]]
    ws = load_workbook(io.BytesIO(export(rows))).active
    assert [c.value for c in ws[3]] == [None, "b", None, None, 5, None]
    assert [c.value for c in ws[4]] == ["a", None, None, None, None, "f"]
    assert ws.max_row == 4


def test_numbers_keep_their_value_and_other_objects_are_refused():
    row = [-7, 0.1, Decimal("1E+3"), 2**40, False, float("nan")]
    ws = load_workbook(io.BytesIO(export([row]))).active
    assert [c.value for c in ws[3]][:5] == [-7, 0.1, 1000, 2**40, False]
    assert ws["F3"].value == "nan"  # a number Excel cannot hold is written as its text
    wb = streamed_workbook()
    sheet = StreamedSheet(wb, "表", "标题", ["a"], [10])
    with pytest.raises(TypeError, match="object"):
        sheet.append([object()])


def test_an_aware_datetime_is_written_in_local_time():
    aware = timezone.make_aware(datetime.datetime(2026, 3, 1, 8, 0), datetime.UTC)
    ws = load_workbook(io.BytesIO(export([[None, None, None, None, aware]]))).active
    assert ws["E3"].value == timezone.localtime(aware).replace(tzinfo=None)


def test_two_sheets_in_one_workbook_with_print_titles():
    wb = streamed_workbook()
    first = StreamedSheet(wb, "代表's", "第一张", ["甲", "乙"], [10, 12])
    first.sheet.print_title_rows = "2:2"
    first.append(["一", 1])
    second = StreamedSheet(wb, "第二张", "第二张", ["丙"], [30], dates=(0,))
    second.append([datetime.date(2026, 1, 2)])
    second.append([datetime.date(2026, 1, 3)])
    content = workbook_bytes(wb)
    assert workbook_bytes(wb) == content  # finished once
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["代表's", "第二张"]
    a, b = book.worksheets
    assert [c.value for c in a[3]] == ["一", 1] and a.print_title_rows == "$2:$2"
    assert [r[0].value for r in b.iter_rows(min_row=3)] == [
        datetime.datetime(2026, 1, 2),
        datetime.datetime(2026, 1, 3),
    ]
    assert b["A3"].number_format == "yyyy-mm-dd" and b.freeze_panes == "A3" and b.column_dimensions["A"].width == 30
    assert b.print_title_rows is None
    with pytest.raises(ValueError, match="already finished"):
        StreamedSheet(wb, "第三张", "第三张", ["丁"], [10])


def test_the_package_is_a_valid_spreadsheetml_package():
    content = export([["张三", 1]])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        assert set(archive.namelist()) == {
            "[Content_Types].xml",
            "_rels/.rels",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "xl/styles.xml",
            "xl/worksheets/sheet1.xml",
        }
        types = archive.read("[Content_Types].xml").decode()
    assert 'PartName="/xl/worksheets/sheet1.xml"' in types and 'PartName="/xl/styles.xml"' in types
    # Our own import's inspection reads it: well-formed XML, no DOCTYPE, the cells where they are.
    limits = XlsxLimits(10**7, 100, 20, 100, 20, 1000)
    [shape] = inspect_package(content, limits)
    assert (shape.title, shape.last_row, shape.last_column, shape.merged_cells) == ("建议登记册", 3, 6, 6)


def test_bad_titles_are_refused():
    wb = xlsx_stream.StreamWorkbook()
    wb.add_sheet("表")
    for title in ("表", "a/b", "x" * 32, ""):
        with pytest.raises(ValueError):
            wb.add_sheet(title)
