"""A small streaming .xlsx writer: rows go as XML text straight into the zip entry of their sheet.

openpyxl's write-only mode builds a cell object per value and serialises it through an XML library (about 80,000
cells/s here); the exports write plain rows, so this module writes the SpreadsheetML itself. The zip is on a
BytesIO; a sheet's part is opened when the sheet is added and its rows are deflated a few hundred at a time, so
memory holds the compressed file and one batch of rows. Sheets are written one after another (adding one finishes
the previous); `finish()` adds the workbook, relationships, styles and content types and returns the bytes.

Values as openpyxl writes them: text as an inline string, escaped, without the characters XML cannot hold; text a
spreadsheet would read as a formula or an error (FORMULA_STARTS, ERROR_CODES) with Excel's quote prefix, as
`core.xlsx.safe_cell`; int, float, Decimal, bool; date, datetime (an aware one in local time) and time as serial
numbers with a date format; None and "" as no cell."""

from __future__ import annotations

import datetime
import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384
BATCH = 256  # rows joined before each write into the compressor

# Style ids: the order of the cellXfs in styles_xml.
DEFAULT, DATE, DATETIME, TIME, TITLE, HEADER, QUOTED, TITLE_QUOTED, HEADER_QUOTED = range(9)
_QUOTED = {DEFAULT: QUOTED, TITLE: TITLE_QUOTED, HEADER: HEADER_QUOTED, DATE: QUOTED, DATETIME: QUOTED, TIME: QUOTED}
# XML 1.0 cannot hold these: the C0 controls but tab, newline and carriage return (as openpyxl's
# ILLEGAL_CHARACTERS_RE), U+FFFE, U+FFFF and lone surrogates.
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NEEDS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff&<>\r]")
_STARTS, _ERRORS = frozenset(FORMULA_STARTS), frozenset(ERROR_CODES)
LETTERS = [get_column_letter(i) for i in range(1, MAX_COLUMNS + 1)]
_EPOCH = datetime.date(1899, 12, 30).toordinal()

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_XF = '<xf numFmtId="{}" fontId="{}" fillId="{}" borderId="0" xfId="0"{}>{}</xf>'
_CENTRE = '<alignment horizontal="center"/>'


def _xf(fmt=0, font=0, fill=0, quote=False, centre=False) -> str:
    attrs = (' applyNumberFormat="1"' if fmt else "") + (' applyFont="1"' if font else "")
    attrs += (' applyFill="1"' if fill else "") + (' applyAlignment="1"' if centre else "")
    attrs += ' quotePrefix="1"' if quote else ""
    return _XF.format(fmt, font, fill, attrs, _CENTRE if centre else "")


def styles_xml(header_fill: str) -> str:
    """The styles the exports use: the cellXfs in the order of the ids above."""
    xfs = [
        _xf(),
        _xf(fmt=164),
        _xf(fmt=165),
        _xf(fmt=21),
        _xf(font=1, centre=True),
        _xf(font=2, fill=2),
        _xf(quote=True),
        _xf(font=1, centre=True, quote=True),
        _xf(font=2, fill=2, quote=True),
    ]
    font = '<font>{}<sz val="{}"/><name val="Calibri"/><family val="2"/></font>'
    return (
        f"{_HEAD}<styleSheet {_NS}>"
        '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
        '<numFmt numFmtId="165" formatCode="yyyy-mm-dd h:mm:ss"/></numFmts>'
        f'<fonts count="3">{font.format("", 11)}{font.format("<b/>", 14)}{font.format("<b/>", 11)}</fonts>'
        '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
        f'<fill><patternFill patternType="solid"><fgColor rgb="00{header_fill}"/><bgColor indexed="64"/></patternFill>'
        "</fill></fills>"
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def _escape_special(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def escape(text: str) -> str:
    """`text` as XML element content: the characters XML cannot hold dropped, & < > escaped, \\r kept."""
    return _escape_special(ILLEGAL.sub("", text)) if _NEEDS.search(text) else text


def _attr(text: str) -> str:
    return escape(text).replace('"', "&quot;")


def _serial(value: datetime.date) -> float | int:
    """Excel's serial number of a date or datetime (1900 system, as openpyxl's to_excel)."""
    days = value.toordinal() - _EPOCH
    if 0 < days <= 60:  # Excel's 29 February 1900
        days -= 1
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = timezone.localtime(value)
        return days + (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400
    return days


def _cell(ref: str, value: Any, style: int, date_column: bool) -> str:
    """A cell that is not text: a number, a boolean, a date, a datetime or a time. `ref`: its r attribute or ""."""
    kind = ""
    if type(value) is bool:
        number, kind = int(value), ' t="b"'
    elif isinstance(value, (int, float, Decimal)):
        number = repr(value) if isinstance(value, float) else str(value)
        if isinstance(value, (float, Decimal)) and not math.isfinite(value):  # no number for it: its text
            return f'<c{ref} t="inlineStr"><is><t>{number}</t></is></c>'
    elif isinstance(value, datetime.date):
        if style == DEFAULT:
            style = DATETIME if isinstance(value, datetime.datetime) and not date_column else DATE
        number = _serial(value)
    elif isinstance(value, datetime.time):
        style = TIME if style == DEFAULT else style
        number = (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400
    else:
        raise TypeError(f"cannot write a {type(value).__name__} to a worksheet cell")
    s = f' s="{style}"' if style else ""
    return f"<c{ref}{s}{kind}><v>{number}</v></c>"


class StreamSheet:
    """One worksheet being written: `append(values)` adds a row. `print_title_rows` ("2:2") repeats rows on
    every printed page."""

    def __init__(self, book: StreamWorkbook, index: int, title: str, *, widths=(), freeze=None, merged=()):
        self.index, self.title, self.rows, self.print_title_rows = index, title, 0, None
        self._merged, self._pending = list(merged), []
        self._part = book.archive.open(f"xl/worksheets/sheet{index}.xml", "w")
        head = [_HEAD, f'<worksheet {_NS} xmlns:r="{_R}">']
        if freeze:
            row, col = coordinate_to_tuple(freeze)
            pane = f' xSplit="{col - 1}"' if col > 1 else ""
            pane += f' ySplit="{row - 1}"' if row > 1 else ""
            active = "bottomRight" if row > 1 and col > 1 else ("bottomLeft" if row > 1 else "topRight")
            head.append(
                f'<sheetViews><sheetView workbookViewId="0"><pane{pane} topLeftCell="{freeze}" activePane="{active}"'
                f' state="frozen"/><selection pane="{active}" activeCell="{freeze}" sqref="{freeze}"/></sheetView>'
                "</sheetViews>"
            )
        head.append('<sheetFormatPr defaultRowHeight="15"/>')
        if widths:
            cols = (f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1) if w)
            head.append(f"<cols>{''.join(cols)}</cols>")
        head.append("<sheetData>")
        self._part.write("".join(head).encode())

    def append(self, values: Iterable[Any], *, style: int = DEFAULT, dates: Sequence[int] | frozenset = ()) -> None:
        """One row. `style` for every cell; `dates`: the 0-based columns whose dates and datetimes show as
        yyyy-mm-dd."""
        self.rows += 1
        r = self.rows
        if r > MAX_ROWS:
            raise ValueError(f"a worksheet holds at most {MAX_ROWS} rows")
        out = [f'<row r="{r}">']
        s = f' s="{style}"' if style else ""
        after = 0  # a cell names its column only after an empty one; otherwise it is the next column
        try:
            for col, value in enumerate(values):
                if value is None or value == "":
                    continue
                ref = "" if col == after else f' r="{LETTERS[col]}{r}"'
                after = col + 1
                if type(value) is not str and not isinstance(value, str):
                    out.append(_cell(ref, value, style, col in dates))
                    continue
                text = value
                if _NEEDS.search(value):
                    value = ILLEGAL.sub("", value)
                    text = _escape_special(value)
                    if not value:  # nothing left: an empty cell, which keeps its place
                        out.append(f"<c{ref}/>")
                        continue
                first = value[:1]
                # The formula guard, as safe_cell: risky text stays text, with the quote prefix.
                quoted = f' s="{_QUOTED[style]}"' if first in _STARTS or value in _ERRORS else s
                space = ' xml:space="preserve"' if first.isspace() or value[-1:].isspace() else ""
                out.append(f'<c{ref}{quoted} t="inlineStr"><is><t{space}>{text}</t></is></c>')
        except IndexError:
            raise ValueError(f"a worksheet holds at most {MAX_COLUMNS} columns") from None
        out.append("</row>")
        self._pending.append("".join(out))
        if len(self._pending) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        self._part.write("".join(self._pending).encode("utf-8", "replace"))
        self._pending.clear()

    def close(self) -> None:
        if self._part.closed:
            return
        self._flush()
        tail = ["</sheetData>"]
        if self._merged:
            refs = "".join(f'<mergeCell ref="{ref}"/>' for ref in self._merged)
            tail.append(f'<mergeCells count="{len(self._merged)}">{refs}</mergeCells>')
        tail.append('<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/></worksheet>')
        self._part.write("".join(tail).encode())
        self._part.close()


_BAD_TITLE = re.compile(r"[\\*?:/\[\]]")


class StreamWorkbook:
    """A workbook written as it goes: `add_sheet(...)`, then the sheet's `append`, then `finish()` → bytes."""

    def __init__(self, *, header_fill: str = "F3EBDD", compresslevel: int | None = None) -> None:
        self.header_fill = header_fill
        self._buffer = io.BytesIO()
        self.archive = zipfile.ZipFile(self._buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self.sheets: list[StreamSheet] = []
        self._content: bytes | None = None

    def add_sheet(self, title: str, *, widths=(), freeze=None, merged=()) -> StreamSheet:
        if self._content is not None:
            raise ValueError("the workbook is already finished")
        if not title or len(title) > 31 or _BAD_TITLE.search(title) or title.startswith("'") or title.endswith("'"):
            raise ValueError(f"invalid worksheet title {title!r}")
        if any(s.title.lower() == title.lower() for s in self.sheets):
            raise ValueError(f"a worksheet is already named {title!r}")
        if self.sheets:
            self.sheets[-1].close()
        sheet = StreamSheet(self, len(self.sheets) + 1, title, widths=widths, freeze=freeze, merged=merged)
        self.sheets.append(sheet)
        return sheet

    def __del__(self) -> None:  # abandoned by an error: close the open part, or zipfile complains when collected
        if self._content is None and self.sheets:
            self.sheets[-1]._part.close()
            self.archive.close()

    def finish(self) -> bytes:
        """The .xlsx file's bytes (the workbook cannot take more rows afterwards)."""
        if self._content is not None:
            return self._content
        if not self.sheets:
            self.add_sheet("Sheet")
        self.sheets[-1].close()
        sheets = "".join(
            f'<sheet name="{_attr(s.title)}" sheetId="{s.index}" r:id="rId{s.index}"/>' for s in self.sheets
        )
        names = "".join(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{s.index - 1}">{_print_titles(s)}</definedName>'
            for s in self.sheets
            if s.print_title_rows
        )
        rels = "".join(
            f'<Relationship Id="rId{s.index}" Type="{_R}/worksheet" Target="worksheets/sheet{s.index}.xml"/>'
            for s in self.sheets
        )
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{s.index}.xml" ContentType="{_CT}.worksheet+xml"/>'
            for s in self.sheets
        )
        parts = {
            "xl/workbook.xml": f'{_HEAD}<workbook {_NS} xmlns:r="{_R}"><bookViews><workbookView activeTab="0"/>'
            f"</bookViews><sheets>{sheets}</sheets>{f'<definedNames>{names}</definedNames>' if names else ''}</workbook>",
            "xl/_rels/workbook.xml.rels": f'{_HEAD}<Relationships xmlns="{_PKG}">{rels}'
            f'<Relationship Id="rId{len(self.sheets) + 1}" Type="{_R}/styles" Target="styles.xml"/></Relationships>',
            "xl/styles.xml": styles_xml(self.header_fill),
            "_rels/.rels": f'{_HEAD}<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
            f'Type="{_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
            "[Content_Types].xml": f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>{overrides}'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/></Types>',
        }
        for name, xml in parts.items():
            self.archive.writestr(name, xml.encode())
        self.archive.close()
        self._content = self._buffer.getvalue()
        self._buffer = io.BytesIO()
        return self._content


def _print_titles(sheet: StreamSheet) -> str:
    """'title'!$2:$2 for print_title_rows "2:2" (quotes in the title doubled), XML-escaped."""
    first, _, last = sheet.print_title_rows.partition(":")
    return _attr("'" + sheet.title.replace("'", "''") + f"'!${first}:${last or first}")
