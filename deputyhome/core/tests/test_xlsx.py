"""core.xlsx: exported text is never a formula; the package inspection's own edge cases."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from deputyhome.core.xlsx import XlsxLimits, XlsxRefused, inspect_package, safe_cell, safe_row

RISKY = [
    '=HYPERLINK("http://x","点这里")',
    "=1+1",
    "+86 138 0000 0000",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=cmd|' /C calc'!A0",
    "\r=1",
    "#N/A",
    "#REF!",
    "=",
]
PLAIN = ["张三", "恩施市某单位 职员", "1975.03", "a=b", "A-1", "—", ""]


def round_trip(values: list[object]) -> list:
    wb = Workbook()
    wb.active.append(safe_row(values))
    buffer = io.BytesIO()
    wb.save(buffer)
    return list(load_workbook(io.BytesIO(buffer.getvalue())).active[1])


def test_risky_text_is_written_as_text_with_the_same_value():
    cells = round_trip(RISKY)
    assert [c.value for c in cells] == RISKY
    assert {c.data_type for c in cells} == {"s"}
    assert all(c.quotePrefix for c in cells)


def test_plain_values_are_unchanged():
    values = [*PLAIN, 42, 3.5, Decimal("1.5"), datetime.date(2026, 3, 1), None, True]
    assert safe_row(values) == values
    cells = round_trip(PLAIN)
    assert [c.value for c in cells[:-1]] == PLAIN[:-1]
    assert not any(c.quotePrefix for c in cells)


def test_characters_xml_cannot_hold_are_dropped_not_fatal():
    assert safe_cell("恩施\x0b市\x00") == "恩施市"
    assert round_trip(["\x01=1"])[0].data_type == "s"


LIMITS = XlsxLimits(
    max_uncompressed=1_000_000, max_ratio=100, max_entries=50, max_rows=100, max_columns=20, max_cells=1000
)


def package(sheet_xml: str, *, rels: bool = True, compression=zipfile.ZIP_DEFLATED) -> bytes:
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook {ns} {rns}><sheets><sheet name="名册" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        if rels:
            archive.writestr(
                "xl/_rels/workbook.xml.rels",
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"'
                ' Target="/xl/worksheets/sheet1.xml"/></Relationships>',
            )
        archive.writestr("xl/worksheets/sheet1.xml", f"<worksheet {ns}><sheetData>{sheet_xml}</sheetData></worksheet>")
    return buffer.getvalue()


def test_shapes_follow_cells_without_addresses():
    xml = '<row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row><row r="7"><c r="C7"/></row>'
    [shape] = inspect_package(package(xml), LIMITS)
    assert (shape.title, shape.cells, shape.last_row, shape.last_column) == ("名册", 3, 7, 3)


def test_absolute_relationship_targets_are_resolved():
    with pytest.raises(XlsxRefused, match="工作表「名册」的单元格一直延伸到第 101 行"):
        inspect_package(package('<row r="101"><c r="A101"/></row>'), LIMITS)


def test_bad_cell_address():
    with pytest.raises(XlsxRefused, match="无效的单元格地址“1A”"):
        inspect_package(package('<row r="1"><c r="1A"/></row>'), LIMITS)


def test_unsupported_compression():
    with pytest.raises(XlsxRefused, match="不支持的压缩方式"):
        inspect_package(package("", compression=zipfile.ZIP_BZIP2), LIMITS)
