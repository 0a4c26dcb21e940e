"""The annual report as a Word document (python-docx): A4, 仿宋 body, numbered tables and charts, page numbers."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from deputyhome.accounts.choices import ScopeKind

from . import charts
from .annual_charts import CHART_SECTIONS, report_charts
from .annual_levels import levels_part
from .annual_text import SECTION_KEYS, num, report_tables, section_texts


def _east_asian(run_or_style, name: str) -> None:
    from docx.oxml.ns import qn

    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _page_number_footer(section) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")


# A cell's paragraph and run as the tables set them: no indent, no space after, 1.15 lines (the body's exact 28pt
# would make tall rows), 10.5 pt.
_CELL_PPR = '<w:spacing w:after="0" w:line="276" w:lineRule="auto"/><w:ind w:firstLine="0"/>'
_CELL_SIZE = '<w:sz w:val="21"/>'


def _body_rows(rows: list[list[Any]], widths: list[int]) -> str:
    """The table's body rows as WordprocessingML, written as text and parsed once: python-docx's cell-by-cell
    calls took seconds for a province's thousand townships."""
    out = []
    for values in rows:
        bold = "<w:b/>" if values and values[0] == "合计" else ""
        cells = []
        for index, (value, width) in enumerate(zip(values, widths, strict=True)):
            jc = "left" if index == 0 else "center"
            text = escape(num(value))
            cells.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                f'<w:p><w:pPr>{_CELL_PPR}<w:jc w:val="{jc}"/></w:pPr>'
                f'<w:r><w:rPr>{bold}{_CELL_SIZE}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:tc>'
            )
        out.append(f"<w:tr>{''.join(cells)}</w:tr>")
    return "".join(out)


def _table(document, caption: str, headers: list[str], rows: list[list[Any]], number: int) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Cm, Pt

    title = document.add_paragraph(style="Caption Zh")
    title.add_run(f"表{number}  {caption}")
    title.paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # A wider first column for names (乡镇、承办单位), the rest shared out; 15.6 cm is the text width.
    first = 4.6 if len(headers) > 2 else 7.8
    rest = (15.6 - first) / max(len(headers) - 1, 1)
    widths = [Cm(first if index == 0 else rest) for index in range(len(headers))]
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for cell, header, width in zip(table.rows[0].cells, headers, widths, strict=True):
        cell.width = width
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run(header)
        run.bold = True
        run.font.size = Pt(10.5)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.line_spacing = 1.15
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), "F3EBDD")
        cell._tc.get_or_add_tcPr().append(shading)
    # The header row repeats on every page of a long table.
    header_props = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_props.append(repeat)
    if rows:
        body = parse_xml(f"<w:tbl {nsdecls('w')}>{_body_rows(rows, [w.twips for w in widths])}</w:tbl>")
        table._tbl.extend(list(body))
    document.add_paragraph()


def _chart(document, chart: charts.BarChart, number: int) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    image = charts.png(chart, with_title=False)
    width, height = charts.png_size(image)
    # Full text width, but a tall chart (19 townships) no taller than about two thirds of a page.
    if 15.5 * height / width > 15:
        document.add_picture(io.BytesIO(image), height=Cm(15))
    else:
        document.add_picture(io.BytesIO(image), width=Cm(15.5))
    picture = document.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.first_line_indent = Pt(0)
    # The body's exact 28pt line height would crop the picture to one line.
    picture.paragraph_format.line_spacing = 1.0
    picture.paragraph_format.keep_with_next = True  # with its caption below
    caption = document.add_paragraph(style="Caption Zh")
    caption.add_run(f"图{number}  {chart.title}")


def _styles(document) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    _east_asian(normal, "仿宋")
    normal.paragraph_format.first_line_indent = Pt(28)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    for name, size, font in (("Heading 1", 16, "黑体"), ("Title", 22, "宋体")):
        style = document.styles[name]
        style.font.size = Pt(size)
        style.font.bold = name == "Title"
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.name = "Times New Roman"
        _east_asian(style, font)
        style.paragraph_format.first_line_indent = Pt(0) if name == "Title" else Pt(28)
        style.paragraph_format.space_before = Pt(12)
        style.paragraph_format.space_after = Pt(6)
    document.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = document.styles.add_style("Caption Zh", WD_STYLE_TYPE.PARAGRAPH)
    caption.base_style = normal
    caption.font.size = Pt(10.5)
    caption.font.bold = True
    _east_asian(caption, "黑体")
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.first_line_indent = Pt(0)
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.space_after = Pt(4)
    caption.paragraph_format.line_spacing = 1.15


def signature(figures: dict[str, Any]) -> str:
    """Who hands the report in: the committee's 代表工作委员会, or the township's 人大 for a township."""
    if figures["scope"] == ScopeKind.CITY:
        return f"{figures['place']}人大常委会代表工作委员会"
    if figures["scope"] == ScopeKind.REGION:
        return f"{figures['place']}人大"
    return figures["place"]


def build_docx(figures: dict[str, Any], closing: list[tuple[str, list[str]]]) -> bytes:
    """The report as a .docx: title, the four parts (text, tables, charts), then `closing` (存在的问题 and
    下一步工作, as the clerk edited them), signed with the committee's name and the date."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.2), Cm(2.8)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _styles(document)
    _page_number_footer(section)
    document.core_properties.title = figures["title"]
    document.core_properties.author = "代表之家"
    document.core_properties.language = "zh-CN"

    document.add_paragraph(figures["title"], style="Title")
    subtitle = document.add_paragraph(
        f"（数据截至{figures['as_of']:%Y年%-m月%-d日} · 数据范围：{figures['scope_label']}"
        f"{'' if figures['scope'] == ScopeKind.CITY else '（' + figures['place'] + '）'}）"
    )
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.paragraph_format.first_line_indent = Pt(0)
    document.add_paragraph(
        f"{figures['year']}年，{figures['place']}人大工作坚持创新代表工作机制，夯实践行全过程人民民主的代表履职平台，"
        "努力为人大代表履职行权创造条件，让代表可“回家”、能“回家”、常“回家”、想“回家”。现将全年代表工作情况报告如下。"
    )

    tables = report_tables(figures)
    chart_map = report_charts(figures)
    table_no = chart_no = 0
    for key, (heading, paragraphs) in zip(SECTION_KEYS, section_texts(figures), strict=True):
        document.add_paragraph(heading, style="Heading 1")
        for text in paragraphs:
            document.add_paragraph(text)
        for caption, headers, rows in tables[key]:
            table_no += 1
            _table(document, caption, headers, rows, table_no)
        for chart_key in CHART_SECTIONS[key]:
            if chart_key in chart_map:
                chart_no += 1
                _chart(document, chart_map[chart_key], chart_no)
    if part := levels_part(figures):  # closes part 四: the suggestions by congress level
        document.add_paragraph(part["heading"], style="Heading 2")
        for text in part["paragraphs"]:
            document.add_paragraph(text)
        if part["rows"]:
            _table(document, part["caption"], part["headers"], part["rows"], table_no + 1)

    for heading, paragraphs in closing:
        document.add_paragraph(heading, style="Heading 1")
        for text in paragraphs:
            document.add_paragraph(text)
    document.add_paragraph()
    for line in (signature(figures), f"{figures['today']:%Y年%-m月%-d日}"):
        signed = document.add_paragraph(line)
        signed.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        signed.paragraph_format.first_line_indent = Pt(0)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
