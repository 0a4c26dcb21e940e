"""Uploaded files checked by their content, before anything is stored. Shared by every app.

A file's name is a claim; its bytes decide. A photo must open and verify in Pillow; a PDF
starts with %PDF-; an Office file is a zip holding its main part (word/document.xml,
xl/workbook.xml, ...) or, for the old formats, an OLE compound file; a text file decodes as
UTF-8 or GB18030 and holds no NUL bytes. Every refusal is a ValidationError whose message
names the file and says what is wrong, in Chinese. The checks only read: callers store the
file after every file of the request has passed, so a refusal leaves nothing behind.

`sniff` says what a file really is ("旧版 Excel（.xls）文件", "网页（HTML）文件", ...), so
that a refusal can tell the user what they uploaded instead of only that it is wrong.
"""

from __future__ import annotations

import zipfile
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_PHOTO_PIXELS = 60_000_000
PHOTO_FORMATS = {"JPEG": "JPG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WEBP"}

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office files (.doc/.xls/.ppt/.wps), and encrypted new ones
ZIP = b"PK\x03\x04"
PDF = b"%PDF-"

# The part a zip-based document cannot be without.
ZIP_MAIN_PART = {
    ".docx": "word/document.xml",
    ".xlsx": "xl/workbook.xml",
    ".pptx": "ppt/presentation.xml",
    ".ofd": "OFD.xml",
}
IMAGE_FORMAT_OF = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF", ".webp": "WEBP"}
TEXT_EXTENSIONS = (".txt",)

# Activities' outputs: reports and documents.
DOCUMENT_EXTENSIONS = (".pdf", ".docx", ".xlsx", ".pptx", ".ofd", ".wps", ".doc", ".xls", ".ppt")
# Attachments of suggestions and replies.
ATTACHMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".txt")


def _mb(n: int) -> str:
    return f"{n // (1024 * 1024)}MB"


def _ext(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


# ---------------------------------------------------------------------------
# What is this file really?


def sniff(head: bytes) -> str:
    """A short Chinese description of what the first bytes of a file show it to be."""
    if head.startswith(OLE):
        return "旧版 Office 文件（如 .xls、.doc）或设置了打开密码的 Office 文件"
    if head.startswith(PDF):
        return "PDF 文件"
    if head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8\xff") or head[:4] in (b"GIF8", b"RIFF"):
        return "图片"
    if head.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        return "压缩包"
    if head.startswith(b"MZ"):
        return "可执行程序"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "Unicode（UTF-16）文本文件"
    text = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith((b"<html", b"<!doctype html", b"<table", b"<head", b"<meta", b"<body")):
        return "网页（HTML）文件（有些系统导出的“Excel”实际上是网页）"
    if text.startswith(b"<?xml"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in head:
            return "Excel 2003 XML 表格"
        return "XML 文件"
    if head.startswith(ZIP):
        return "zip 压缩包"
    if b"\x00" not in head and _decodes(head):
        return "文本文件（如 CSV）"
    return "无法识别的文件"


def sniff_zip(names: set[str]) -> str:
    """What a zip is, from the names of its entries."""
    if "xl/workbook.xml" in names:
        return "Excel 工作簿（.xlsx）"
    if "word/document.xml" in names:
        return "Word 文档（.docx）"
    if "ppt/presentation.xml" in names:
        return "PowerPoint 演示文稿（.pptx）"
    if "OFD.xml" in names:
        return "OFD 版式文档"
    if "content.xml" in names and "mimetype" in names:
        return "OpenDocument 文档（如 .ods、.odt）"
    return "普通的 zip 压缩包"


def _decodes(data: bytes) -> bool:
    """UTF-8 (with or without a BOM) or GB18030; a multi-byte character cut at the end is forgiven."""
    for encoding in ("utf-8-sig", "gb18030"):
        for trim in range(4):
            try:
                (data[:-trim] if trim else data).decode(encoding)
            except UnicodeDecodeError:
                continue
            return True
    return False


def _zip_names(f: IO[bytes]) -> set[str] | None:
    """The entry names of a zip, or None if it is not a readable, unencrypted zip."""
    try:
        with zipfile.ZipFile(f) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None
    if any(info.flag_bits & 0x1 for info in infos):
        return None
    return {info.filename for info in infos}


# ---------------------------------------------------------------------------
# The checks


def check_photo(f: UploadedFile, *, max_bytes: int = MAX_PHOTO_BYTES) -> None:
    """Refuse anything that is not a JPG, PNG, GIF or WEBP image of at most 10MB."""
    name = f.name or "（未命名）"
    if f.size is not None and f.size > max_bytes:
        raise ValidationError(f"照片“{name}”超过 {_mb(max_bytes)}，请压缩后再上传。")
    if not f.size:
        raise ValidationError(f"照片“{name}”是空文件。")
    fmt, width, height = _image(f, name, what="照片", hint="，仅支持 JPG、PNG、GIF、WEBP 格式")
    if fmt not in PHOTO_FORMATS:
        raise ValidationError(f"照片“{name}”的格式（{fmt}）不支持，仅支持 JPG、PNG、GIF、WEBP 格式。")
    if width * height > MAX_PHOTO_PIXELS:
        raise ValidationError(f"照片“{name}”像素过大（{width}×{height}），请缩小后再上传。")


# What Pillow raises on a file that is not an image it can read safely.
IMAGE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError)


def image_facts(f: UploadedFile) -> tuple[str, int, int] | None:
    """The format and size Pillow reads from the file's content (verified, the file rewound), or None when the
    content is not an image it can read safely."""
    try:
        f.seek(0)
        with Image.open(f) as img:
            fmt = img.format
            width, height = img.size
            img.verify()
    except IMAGE_ERRORS:
        return None
    finally:
        f.seek(0)
    return fmt or "", width, height


def _image(f: UploadedFile, name: str, *, what: str, hint: str = "") -> tuple[str, int, int]:
    facts = image_facts(f)
    if facts is None:
        raise ValidationError(f"{what}“{name}”不是有效的图片文件（文件内容无法识别为图片）{hint}。")
    return facts


def check_document(f: UploadedFile) -> None:
    """Refuse anything but PDF, Word/Excel/PowerPoint/WPS/OFD documents of at most 20MB whose content matches the name."""
    check_file(
        f,
        extensions=DOCUMENT_EXTENSIONS,
        max_bytes=MAX_DOCUMENT_BYTES,
        what="文件",
        kinds="PDF、Word、Excel、WPS 或 OFD 文件",
    )


def check_attachment(f: UploadedFile) -> None:
    """Attachments of suggestions and replies: PDF, Word, Excel, JPG/PNG images or text, each at most 20MB."""
    check_file(
        f,
        extensions=ATTACHMENT_EXTENSIONS,
        max_bytes=MAX_DOCUMENT_BYTES,
        what="附件",
        kinds="PDF、Word、Excel、图片或文本文件",
    )


def check_file(f: UploadedFile, *, extensions: tuple[str, ...], max_bytes: int, what: str, kinds: str) -> None:
    """Size, extension, then the content the extension promises; ValidationError in Chinese otherwise."""
    name = f.name or "（未命名）"
    ext = _ext(name)
    if ext not in extensions:
        raise ValidationError(f"{what}“{name}”的类型不允许，可上传{kinds}。")
    if f.size is not None and f.size > max_bytes:
        raise ValidationError(f"{what}“{name}”超过 {_mb(max_bytes)}。")
    if not f.size:
        raise ValidationError(f"{what}“{name}”是空文件。")
    f.seek(0)
    head = f.read(4096)
    f.seek(0)
    problem = _content_problem(f, ext, head, name, what)
    if problem:
        raise ValidationError(f"{what}“{name}”的内容与扩展名不符或已损坏：{problem}请检查后重新上传。")


def _content_problem(f: UploadedFile, ext: str, head: bytes, name: str, what: str) -> str:
    """ "" when the content is what the extension says; otherwise what it really is, as a sentence."""
    actual = sniff(head)
    if ext == ".pdf":
        return "" if head.startswith(PDF) else f"它不是 PDF，而是{actual}。"
    if ext in (".doc", ".xls", ".ppt"):
        return "" if head.startswith(OLE) else f"它不是旧版 Office 文件，而是{actual}。"
    if ext == ".wps":
        if head.startswith(OLE):
            return ""
        if head.startswith(ZIP) and _zip_names(f) is not None:
            return ""
        return f"它不是 WPS 文档，而是{actual}。"
    if ext in ZIP_MAIN_PART:
        if head.startswith(OLE):
            return "它是旧版 Office 文件或设置了打开密码的文件：请另存为不加密的新格式。"
        if not head.startswith(ZIP):
            return f"它实际上是{actual}。"
        try:
            names = _zip_names(f)
        finally:
            f.seek(0)
        if names is None:
            return "压缩结构已损坏或已加密。"
        if ZIP_MAIN_PART[ext] not in names:
            return f"它实际上是{sniff_zip(names)}。"
        return ""
    if ext in IMAGE_FORMAT_OF:
        fmt, _w, _h = _image(f, name, what=what)
        if fmt != IMAGE_FORMAT_OF[ext]:
            return f"它是 {PHOTO_FORMATS.get(fmt, fmt)} 格式的图片。"
        return ""
    if ext in TEXT_EXTENSIONS:
        f.seek(0)
        data = f.read()
        f.seek(0)
        if b"\x00" in data:
            return f"它不是文本文件，而是{actual}。"
        if not _decodes(data):
            return "无法识别文字编码，请另存为 UTF-8 或 GBK 编码。"
        return ""
    return f"无法核对 {ext} 文件的内容。"  # pragma: no cover - every allowed extension is handled above
