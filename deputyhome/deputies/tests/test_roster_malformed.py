"""A battery of broken roster files, each uploaded through the real import page by a city officer.

For every file: no server error, a Chinese message that says what is wrong and where, and
nothing written — the deputies, mandates, memberships and audit rows are counted before and
after, and no upload is left behind in MEDIA_ROOT/roster-uploads (only a valid file is kept,
as the preview's token file, until it is confirmed).

Cases already covered elsewhere (an .xls by name, a .txt, a broken zip, missing columns, a
file over ROSTER_MAX_BYTES: test_roster_views, test_roster_files) are not repeated here.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from openpyxl import Workbook

from deputyhome.audit.models import AuditEvent
from deputyhome.deputies.models import Deputy, GroupMembership, Mandate
from deputyhome.deputies.roster import IMPORT_HEADERS
from deputyhome.deputies.roster_views import SESSION_KEY, UPLOAD_DIR

from .test_roster_files import people, plain_xlsx, roster_csv

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings


def counts():
    return (
        Deputy.objects.count(),
        Mandate.objects.count(),
        GroupMembership.objects.count(),
        AuditEvent.objects.count(),
    )


def kept_files(settings) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / UPLOAD_DIR
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def officer(city, personas, login):
    return login(personas["city"])


def refused(client, settings, content: bytes, name: str) -> str:
    """Upload a file that must be refused as a whole; return the message shown."""
    before = counts()
    response = client.post(reverse("roster:import"), {"file": SimpleUploadedFile(name, content, content_type=XLSX)})
    assert response.status_code == 200
    html = response.content.decode()
    result = response.context["result"]
    form = response.context["form"]
    if result is None:  # refused by the upload form itself (an empty file)
        message = " ".join(form.errors["file"])
    else:
        message = result.file_error
        assert message, [str(i) for i in result.issues]
        assert not result.issues and not result.rows
    assert escape(message) in html
    assert "未写入任何数据" in html or result is None
    assert "确认导入" not in html
    assert counts() == before
    assert kept_files(settings) == []
    assert SESSION_KEY not in client.session
    return message


def row_issues(client, settings, content: bytes, name: str = "名册.xlsx") -> list[str]:
    """Upload a file whose rows must be refused; return the issues as "第N行「列」：…"."""
    before = counts()
    response = client.post(reverse("roster:import"), {"file": SimpleUploadedFile(name, content, content_type=XLSX)})
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.file_error
    html = response.content.decode()
    for issue in result.issues:
        assert escape(issue.message) in html
    assert "确认导入" not in html
    assert counts() == before
    assert kept_files(settings) == []
    return [str(i) for i in result.issues]


def accepted(client, settings, content: bytes, name: str) -> None:
    """The file previews; nothing is written, and only the preview's token file is kept."""
    before = counts()
    response = client.post(reverse("roster:import"), {"file": SimpleUploadedFile(name, content, content_type=XLSX)})
    assert response.status_code == 200
    assert "确认导入" in response.content.decode(), response.context.get("result") and [
        str(i) for i in response.context["result"].issues
    ]
    assert counts() == before
    kept = client.session[SESSION_KEY]
    assert [p.name for p in kept_files(settings)] == [Path(kept["path"]).name]


# ---------------------------------------------------------------------------
# Building broken .xlsx packages


def rows_of(city, n: int = 3) -> list[dict[str, object]]:
    return [p.cells() for p in people(city, n)]


def rezip(content: bytes, change: Callable[[str, bytes], bytes | None], extra: dict[str, bytes] | None = None) -> bytes:
    """Copy an .xlsx entry by entry; `change(name, data)` returns the new data (None drops the entry)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = change(info.filename, source.read(info))
            if data is not None:
                target.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def with_sheet(content: bytes, edit: Callable[[str], str]) -> bytes:
    def change(name: str, data: bytes) -> bytes:
        return edit(data.decode()).encode() if name == "xl/worksheets/sheet1.xml" else data

    return rezip(content, change)


def sheet_rows_xml(first: int, last: int) -> str:
    return "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x</t></is></c></row>' for r in range(first, last + 1)
    )


def plain_zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def encrypted_flag(content: bytes) -> bytes:
    """Mark every entry as encrypted (general-purpose flag bit 0), as a password-protected zip has."""
    data = bytearray(content)
    for signature, offset in ((b"PK\x01\x02", 8), (b"PK\x03\x04", 6)):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            data[at + offset] |= 0x01
            start = at + 4
    return bytes(data)


# ---------------------------------------------------------------------------
# Not an .xlsx at all, whatever its name says


def test_xls_renamed_to_xlsx(officer, media):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"Workbook" * 50
    message = refused(officer, media, ole, "代表名册.xlsx")
    assert "不是有效的 .xlsx 文件" in message
    assert "旧版 Office 文件（如 .xls、.doc）" in message
    assert "另存为" in message


def test_html_table_renamed_to_xlsx(officer, media):
    html = "<html><head><meta charset='utf-8'></head><body><table><tr><td>姓名</td><td>性别</td></tr></table></body></html>"
    message = refused(officer, media, html.encode(), "名册导出.xlsx")
    assert "网页（HTML）文件" in message


def test_csv_renamed_to_xlsx(officer, media, city):
    message = refused(officer, media, roster_csv(rows_of(city)), "名册.xlsx")
    assert "文本文件（如 CSV）" in message


def test_docx_renamed_to_xlsx(officer, media):
    docx = plain_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    message = refused(officer, media, docx, "名册.xlsx")
    assert "Word 文档（.docx）" in message and "缺少 xl/workbook.xml" in message


def test_plain_zip_renamed_to_xlsx(officer, media):
    message = refused(officer, media, plain_zip({"名册/readme.txt": "说明".encode()}), "名册.xlsx")
    assert "普通的 zip 压缩包" in message


def test_truncated_xlsx(officer, media, city):
    content = plain_xlsx(rows_of(city))
    message = refused(officer, media, content[: len(content) // 2], "名册.xlsx")
    assert "压缩结构已损坏" in message


def test_xlsx_renamed_to_csv(officer, media, city):
    message = refused(officer, media, plain_xlsx(rows_of(city)), "名册.csv")
    assert "扩展名改回 .xlsx" in message


def test_empty_xlsx_file(officer, media):
    message = refused(officer, media, b"", "名册.xlsx")
    assert "空" in message


def test_workbook_without_any_cell(officer, media):
    buffer = io.BytesIO()
    Workbook().save(buffer)
    assert refused(officer, media, buffer.getvalue(), "名册.xlsx") == "文件中没有数据。"


# ---------------------------------------------------------------------------
# Hostile or absurd packages: refused before openpyxl builds anything


def test_zip_bomb(officer, media, city):
    # 60 MB of blanks inside the sheet: a few tens of kilobytes on the wire.
    bomb = with_sheet(
        plain_xlsx(rows_of(city)), lambda xml: xml.replace("</sheetData>", "</sheetData>" + " " * 60_000_000)
    )
    assert len(bomb) < 200_000
    message = refused(officer, media, bomb, "名册.xlsx")
    assert "xl/worksheets/sheet1.xml" in message and "压缩炸弹" in message


def test_too_large_once_unpacked(officer, media, city):
    media.ROSTER_XLSX_MAX_UNCOMPRESSED = 10_000
    message = refused(officer, media, plain_xlsx(rows_of(city)), "名册.xlsx")
    assert "解压后有" in message and "超过上限" in message


def test_too_many_entries(officer, media, city):
    extra = {f"xl/media/image{i}.bin": b"x" for i in range(600)}
    content = rezip(plain_xlsx(rows_of(city)), lambda _n, data: data, extra)
    message = refused(officer, media, content, "名册.xlsx")
    assert "个部件" in message and "500" in message


def test_encrypted_entries(officer, media, city):
    message = refused(officer, media, encrypted_flag(plain_xlsx(rows_of(city))), "名册.xlsx")
    assert "文件已加密" in message


def test_doctype_and_entities_refused(officer, media, city):
    def add_doctype(xml: str) -> str:
        laughs = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        if "?>" in xml:
            head, _, rest = xml.partition("?>")
            return head + "?>" + laughs + rest
        return laughs + xml

    message = refused(officer, media, with_sheet(plain_xlsx(rows_of(city)), add_doctype), "名册.xlsx")
    assert "DOCTYPE" in message and "xl/worksheets/sheet1.xml" in message


def test_malformed_xml(officer, media, city):
    broken = with_sheet(plain_xlsx(rows_of(city)), lambda xml: xml.replace("</sheetData>", "</sheetDat>"))
    message = refused(officer, media, broken, "名册.xlsx")
    assert "不是有效的 XML" in message and "xl/worksheets/sheet1.xml" in message


def test_one_cell_in_the_last_row_of_excel(officer, media, city):
    far = with_sheet(
        plain_xlsx(rows_of(city)),
        lambda xml: xml.replace("</sheetData>", sheet_rows_xml(1048576, 1048576) + "</sheetData>"),
    )
    message = refused(officer, media, far, "名册.xlsx")
    assert "工作表「Sheet」" in message and "第 1048576 行" in message and "21000" in message


def test_one_cell_in_the_last_column_of_excel(officer, media, city):
    far = with_sheet(
        plain_xlsx(rows_of(city)),
        lambda xml: xml.replace("</sheetData>", '<row r="9"><c r="XFD9"><v>1</v></c></row></sheetData>'),
    )
    message = refused(officer, media, far, "名册.xlsx")
    assert "第 XFD 列" in message and "CV" in message


def _with_merged_range(city, ref: str) -> bytes:
    """The roster of the small city, with one merged range `ref` on its sheet."""
    merge = f'</sheetData><mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'
    return with_sheet(plain_xlsx(rows_of(city)), lambda xml: xml.replace("</sheetData>", merge))


def test_merged_range_over_the_whole_sheet(officer, media, city):
    # openpyxl would create a cell object for each of the 17 billion cells of this range.
    message = refused(officer, media, _with_merged_range(city, "A1:XFD1048576"), "名册.xlsx")
    assert "延伸到第 1048576 行" in message


def test_merged_range_too_many_cells(officer, media, city):
    message = refused(officer, media, _with_merged_range(city, "A5:CV20000"), "名册.xlsx")
    assert "单元格过多" in message and "500000" in message


def test_very_large_sheet_refused_before_it_is_read(officer, media, city):
    # 25000 rows at the real limits: refused from the package inspection, not after loading.
    big = with_sheet(
        plain_xlsx(rows_of(city)), lambda xml: xml.replace("</sheetData>", sheet_rows_xml(5, 25000) + "</sheetData>")
    )
    message = refused(officer, media, big, "名册.xlsx")
    assert "延伸到第 21001 行" in message and "分成几个文件" in message


def test_too_many_data_rows(officer, media, city):
    media.ROSTER_MAX_ROWS = 30
    message = refused(officer, media, plain_xlsx(rows_of(city, 40)), "名册.xlsx")
    assert message == "数据行过多：40 行，一次最多导入 30 行。"


def test_too_many_cells(officer, media, city):
    media.ROSTER_XLSX_MAX_CELLS = 100
    message = refused(officer, media, plain_xlsx(rows_of(city, 20)), "名册.xlsx")
    assert "单元格过多" in message


# ---------------------------------------------------------------------------
# Formula and error cells


def test_formula_cells_are_refused_by_cell(officer, media, city):
    rows = rows_of(city, 4)
    rows[1]["姓名"] = '=CONCATENATE("张","三")'
    rows[2]["出生年月"] = '=TEXT(DATE(1975,3,1),"yyyy.mm")'
    issues = row_issues(officer, media, plain_xlsx(rows))
    assert len(issues) == 2
    assert issues[0].startswith('第3行「姓名」：是公式（=CONCATENATE("张","三")）')
    assert "选择性粘贴→数值" in issues[0]
    assert issues[1].startswith("第4行「出生年月」：是公式")


def test_error_values_are_refused_by_cell(officer, media, city):
    rows = rows_of(city, 3)
    rows[0]["民族"] = "#N/A"
    rows[2]["联系电话"] = "#REF!"
    issues = row_issues(officer, media, plain_xlsx(rows))
    assert issues == [
        "第2行「民族」：是错误值 #N/A，请更正该单元格",
        "第4行「联系电话」：是错误值 #REF!，请更正该单元格",
    ]


def test_formulas_in_columns_that_are_not_read_do_not_matter(officer, media, city):
    rows = rows_of(city, 3)
    for k, cells in enumerate(rows, start=2):
        cells["序号"] = f"=ROW()-1+{k}*0"
    accepted(officer, media, plain_xlsx(rows, headers=["序号", *IMPORT_HEADERS]), "名册.xlsx")


# ---------------------------------------------------------------------------
# Impossible dates


def test_impossible_dates_are_named_by_row_and_column(officer, media, city):
    rows = rows_of(city, 5)
    rows[0]["出生年月"] = "1975.13"
    rows[1]["出生年月"] = "1975年2月30日"
    rows[2]["出生年月"] = "2090-01"
    rows[3]["出生年月"] = "1875.03"
    issues = row_issues(officer, media, plain_xlsx(rows))
    assert issues == [
        "第2行「出生年月」：「1975.13」中的月份不存在",
        "第3行「出生年月」：「1975年2月30日」不是存在的日期",
        "第4行「出生年月」：「2090-01」晚于今天，不合理",
        "第5行「出生年月」：「1875.03」早于1900年，不合理",
    ]


# ---------------------------------------------------------------------------
# Wrong, repeated and missing columns; empty and header-only files


def test_a_different_spreadsheet_entirely(officer, media):
    wb = Workbook()
    wb.active.append(["商品名称", "单价", "数量", "金额"])
    wb.active.append(["打印纸", 25, 10, 250])
    buffer = io.BytesIO()
    wb.save(buffer)
    message = refused(officer, media, buffer.getvalue(), "采购清单.xlsx")
    assert message.startswith("没有找到表头")
    assert "第1行是「商品名称、单价、数量、金额」" in message and "可能不是代表名册" in message


def test_repeated_and_missing_columns_in_one_message(officer, media):
    headers = ["姓名", "性别", "民族", "出生年月", "政治面貌", "姓名", "身份证号", "手机", "联系电话"]
    content = ",".join(headers) + "\n" + ",".join("x" * len(headers)) + "\n"
    message = refused(officer, media, content.encode(), "名册.csv")
    assert message == (
        "第1行的表头有问题：表头中「姓名」出现了两次（第A列和第F列）；表头中「联系电话」出现了两次（第H列和第I列）；"
        "缺少必需的列：「代表层级」、「所在小组」。请对照导入模板更正表头后再导入。"
    )


@pytest.mark.parametrize("name", ["名册.xlsx", "名册.csv"])
def test_header_only(officer, media, name):
    csv_header = (",".join(IMPORT_HEADERS) + "\r\n").encode("utf-8-sig")
    content = csv_header if name.endswith(".csv") else plain_xlsx([])
    assert refused(officer, media, content, name) == "表头（第1行）下面没有数据行。"


@pytest.mark.parametrize("content", [b"", b" \r\n\r\n", "\ufeff".encode() + b"\r\n"])
def test_empty_csv(officer, media, content):
    message = refused(officer, media, content, "名册.csv")
    assert "空" in message


# ---------------------------------------------------------------------------
# CSV encodings


def test_utf16_with_bom(officer, media, city):
    message = refused(officer, media, roster_csv(rows_of(city), encoding="utf-16"), "名册.csv")
    assert "UTF-16" in message and "CSV UTF-8" in message


def test_utf16_without_bom(officer, media, city):
    message = refused(officer, media, roster_csv(rows_of(city), encoding="utf-16-le"), "名册.csv")
    assert "UTF-16" in message


def test_big5(officer, media):
    text = (
        "姓名,性別,民族,出生年月,政治面貌,代表層級,所在小組,身份證號\n王大明,男,漢族,1975.03,群眾,市,第一代表小組,1\n"
    )
    message = refused(officer, media, text.encode("big5"), "名冊.csv")
    assert "Big5" in message


def test_utf8_with_a_stray_gbk_line(officer, media, city):
    content = roster_csv(rows_of(city, 4), encoding="utf-8", title=False)
    lines = content.split(b"\n")
    lines[3] = "王五,男,汉族".encode("gbk") + b"," + lines[3]
    message = refused(officer, media, b"\n".join(lines), "名册.csv")
    assert "大部分是 UTF-8" in message and "第4行" in message


def test_binary_with_nul_bytes(officer, media):
    garbage = bytes((i * 37 + 11) % 256 for i in range(3000))
    message = refused(officer, media, garbage, "名册.csv")
    assert "不是文本格式的 CSV（第2行含有二进制内容" in message


def test_binary_without_nul_bytes(officer, media):
    message = refused(officer, media, bytes(range(0x80, 0x100)) * 8, "名册.csv")
    assert "无法识别 CSV 文件的编码（第1行" in message


def test_control_characters(officer, media):
    message = refused(officer, media, b"\x01\x02\x03abc,def\r\n" * 5, "名册.csv")
    assert "第1行含有控制字符" in message


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_bom_and_gb18030_are_read(officer, media, city, encoding):
    accepted(officer, media, roster_csv(rows_of(city), encoding=encoding), "名册.csv")


# ---------------------------------------------------------------------------
# Broken CSV structure


def test_unbalanced_quote(officer, media, city):
    content = roster_csv(rows_of(city), title=False) + '王五,"男,汉族\n'.encode() + b"x" * 140_000
    message = refused(officer, media, content, "名册.csv")
    assert message.startswith("CSV 文件格式有误（第")
    assert "引号不成对" in message


def test_too_many_columns_in_a_csv_line(officer, media, city):
    content = roster_csv(rows_of(city), title=False) + ("," * 300 + "\n").encode()
    message = refused(officer, media, content, "名册.csv")
    assert "第5行有 301 列" in message


def test_csv_too_long(officer, media, city):
    content = roster_csv(rows_of(city), title=False) + b"\n" * 30_000 + "张三,男\n".encode()
    message = refused(officer, media, content, "名册.csv")
    assert "延伸到第 30005 行" in message
