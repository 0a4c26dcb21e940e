"""Checks on uploaded files, by their content and size, before anything is stored.

A file renamed to .jpg is not an image: Pillow must be able to open and verify it. Documents
are recognised by their first bytes (PDF, Office/OFD zip containers, old Office files).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_PHOTO_PIXELS = 60_000_000
PHOTO_FORMATS = {"JPEG": "JPG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WEBP"}
DOCUMENT_SIGNATURES = (
    (b"%PDF-", (".pdf",)),
    (b"PK\x03\x04", (".docx", ".xlsx", ".pptx", ".ofd", ".wps")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", (".doc", ".xls", ".ppt", ".wps")),
)
DOCUMENT_EXTENSIONS = tuple(ext for _sig, exts in DOCUMENT_SIGNATURES for ext in exts)


def _mb(n: int) -> str:
    return f"{n // (1024 * 1024)}MB"


def check_photo(f: UploadedFile) -> None:
    """Refuse anything that is not a JPG, PNG, GIF or WEBP image of at most 10MB."""
    name = f.name or "（未命名）"
    if f.size is not None and f.size > MAX_PHOTO_BYTES:
        raise ValidationError(f"照片“{name}”超过 {_mb(MAX_PHOTO_BYTES)}，请压缩后再上传。")
    if not f.size:
        raise ValidationError(f"照片“{name}”是空文件。")
    try:
        f.seek(0)
        with Image.open(f) as img:
            fmt = img.format
            width, height = img.size
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            f"照片“{name}”不是有效的图片文件（文件内容无法识别为图片），仅支持 JPG、PNG、GIF、WEBP 格式。"
        ) from exc
    finally:
        f.seek(0)
    if fmt not in PHOTO_FORMATS:
        raise ValidationError(f"照片“{name}”的格式（{fmt}）不支持，仅支持 JPG、PNG、GIF、WEBP 格式。")
    if width * height > MAX_PHOTO_PIXELS:
        raise ValidationError(f"照片“{name}”像素过大（{width}×{height}），请缩小后再上传。")


def check_document(f: UploadedFile) -> None:
    """Refuse anything but PDF, Word/Excel/WPS/OFD documents of at most 20MB whose content matches the name."""
    name = f.name or "（未命名）"
    if f.size is not None and f.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(f"文件“{name}”超过 {_mb(MAX_DOCUMENT_BYTES)}。")
    lower = name.lower()
    if not lower.endswith(DOCUMENT_EXTENSIONS):
        raise ValidationError(f"文件“{name}”的类型不允许，可上传 PDF、Word、Excel、WPS 或 OFD 文件。")
    f.seek(0)
    head = f.read(8)
    f.seek(0)
    for signature, extensions in DOCUMENT_SIGNATURES:
        if head.startswith(signature) and lower.endswith(extensions):
            return
    raise ValidationError(f"文件“{name}”的内容与扩展名不符或已损坏，请检查后重新上传。")
