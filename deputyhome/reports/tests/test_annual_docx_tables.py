"""The report's tables as Word lays them out: a shaded header that repeats on every page, 10.5 pt cells with no
indent, names left and figures centred, the 合计 row bold, the widths fixed (a wide first column)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from deputyhome.reports.annual_docx import _styles, _table


def _document_with(rows):
    document = Document()
    _styles(document)
    _table(document, "各乡镇（街道）家站和代表情况", ["乡镇（街道）", "代表之家", "联络站"], rows, 3)
    buffer = io.BytesIO()
    document.save(buffer)
    return Document(io.BytesIO(buffer.getvalue()))


def test_a_tables_cells_header_and_total():
    rows = [["六角亭街道", 1, 2], ["白杨坪镇 & <新>", 0, 1234], ["合计", 1, 1236]]
    document = _document_with(rows)
    assert "表3  各乡镇（街道）家站和代表情况" in [p.text for p in document.paragraphs]
    (table,) = document.tables
    texts = [[c.text for c in row.cells] for row in table.rows]
    assert texts == [
        ["乡镇（街道）", "代表之家", "联络站"],
        ["六角亭街道", "1", "2"],
        ["白杨坪镇 & <新>", "0", "1234"],
        ["合计", "1", "1236"],
    ]
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(c._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "F3EBDD" for c in header.cells)
    assert all(r.bold for c in header.cells for r in c.paragraphs[0].runs if r.text)
    for number, row in enumerate(table.rows):
        widths = [c.width for c in row.cells]
        assert abs(widths[0] - Cm(4.6)) < Cm(0.01) and all(abs(w - Cm(5.5)) < Cm(0.01) for w in widths[1:])
        for index, cell in enumerate(row.cells):
            (paragraph,) = cell.paragraphs
            fmt = paragraph.paragraph_format
            assert fmt.first_line_indent == Pt(0) and fmt.space_after == Pt(0) and fmt.line_spacing == 1.15
            assert all(r.font.size == Pt(10.5) for r in paragraph.runs)
            if number:
                wanted = WD_ALIGN_PARAGRAPH.LEFT if index == 0 else WD_ALIGN_PARAGRAPH.CENTER
                assert paragraph.alignment == wanted
    body = table.rows[1:]
    assert [all(r.bold for c in row.cells for r in c.paragraphs[0].runs) for row in body] == [False, False, True]
    assert not any(r.bold for row in body[:2] for c in row.cells for r in c.paragraphs[0].runs)


def test_a_table_of_a_thousand_townships_keeps_every_row():
    rows = [[f"第{i}乡", i, i * 2] for i in range(1000)]
    (table,) = _document_with(rows).tables
    assert len(table.rows) == 1001
    assert [c.text for c in table.rows[-1].cells] == ["第999乡", "999", "1998"]
