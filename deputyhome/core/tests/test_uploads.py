"""Uploads checked by content (core.uploads): the name is a claim, the bytes decide."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from deputyhome.core import uploads


def image(fmt: str, size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(buffer, format=fmt)
    return buffer.getvalue()


def office(main: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main, "<x/>")
    return buffer.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
GOOD = {
    "建议.pdf": b"%PDF-1.7\n1 0 obj\n",
    "建议.docx": office("word/document.xml"),
    "统计.xlsx": office("xl/workbook.xml"),
    "旧稿.doc": OLE,
    "旧表.xls": OLE,
    "现场.jpg": image("JPEG"),
    "现场.JPEG": image("JPEG"),
    "现场.png": image("PNG"),
    "说明.txt": "关于西门社区停车难的说明\r\n".encode("utf-8-sig"),
    "说明GBK.txt": "关于西门社区停车难的说明\r\n".encode("gbk"),
}


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize("name", GOOD)
def test_real_files_pass(name):
    f = upload(name, GOOD[name])
    uploads.check_attachment(f)
    assert f.tell() == 0  # left ready to be stored


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("建议.pdf", b"<html><body>not a pdf</body></html>", "它不是 PDF，而是网页（HTML）文件"),
        ("建议.pdf", image("PNG"), "它不是 PDF，而是图片"),
        ("建议.docx", OLE, "旧版 Office 文件或设置了打开密码的文件"),
        ("建议.docx", office("xl/workbook.xml"), "它实际上是Excel 工作簿（.xlsx）"),
        ("统计.xlsx", office("word/document.xml"), "它实际上是Word 文档（.docx）"),
        ("统计.xlsx", b"PK\x03\x04 cut short", "压缩结构已损坏或已加密"),
        ("统计.xlsx", "姓名,性别\n张三,男\n".encode(), "它实际上是文本文件（如 CSV）"),
        ("旧表.xls", office("xl/workbook.xml"), "它不是旧版 Office 文件，而是zip 压缩包"),
        ("旧稿.doc", b"MZ\x90\x00\x03", "它不是旧版 Office 文件，而是可执行程序"),
        ("现场.jpg", b"MZ\x90\x00 a program", "不是有效的图片文件"),
        ("现场.jpg", image("PNG"), "它是 PNG 格式的图片"),
        ("现场.png", image("JPEG")[:200], "不是有效的图片文件"),
        ("说明.txt", b"\x00\x01\x02\x03binary", "它不是文本文件"),
        ("说明.txt", bytes(range(0x80, 0x100)) * 4, "无法识别文字编码"),
    ],
)
def test_renamed_or_broken_files_are_refused_with_what_they_are(name, content, expected):
    with pytest.raises(ValidationError) as exc:
        uploads.check_attachment(upload(name, content))
    message = exc.value.messages[0]
    assert message.startswith(f"附件“{name}”")
    assert expected in message


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("病毒.exe", b"MZ", "的类型不允许"),
        ("空.pdf", b"", "是空文件"),
        ("页面.html", b"<html>", "的类型不允许"),
    ],
)
def test_type_and_empty(name, content, expected):
    with pytest.raises(ValidationError, match=expected):
        uploads.check_attachment(upload(name, content))


def test_size_limit():
    f = upload("大.pdf", b"%PDF-1.4")
    f.size = uploads.MAX_DOCUMENT_BYTES + 1
    with pytest.raises(ValidationError, match="超过 20MB"):
        uploads.check_attachment(f)


def test_documents_of_activities_need_their_main_part():
    uploads.check_document(upload("调研报告.docx", office("word/document.xml")))
    uploads.check_document(upload("版式.ofd", office("OFD.xml")))
    uploads.check_document(upload("旧稿.wps", OLE))
    with pytest.raises(ValidationError, match="内容与扩展名不符"):
        uploads.check_document(upload("调研报告.docx", office("other/part.xml")))
    with pytest.raises(ValidationError, match="类型不允许"):
        uploads.check_document(upload("照片.jpg", image("JPEG")))


def test_photos():
    uploads.check_photo(upload("a.webp", image("WEBP")))
    with pytest.raises(ValidationError, match="格式（BMP）不支持"):
        uploads.check_photo(upload("a.bmp", image("BMP")))
    with pytest.raises(ValidationError, match="不是有效的图片文件"):
        uploads.check_photo(upload("a.jpg", b"%PDF-1.4"))


@pytest.mark.parametrize(
    ("head", "what"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Office 文件"),
        (b"%PDF-1.4", "PDF 文件"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html>", "网页（HTML）文件"),
        (
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            "Excel 2003 XML 表格",
        ),
        (b"\xff\xfeA\x00", "UTF-16"),
        ("姓名,性别".encode("gbk"), "文本文件"),
        (b"\x00\x01\x02", "无法识别的文件"),
    ],
)
def test_sniff(head, what):
    assert what in uploads.sniff(head)
