"""Photos from the public: checked by their content, size-capped while they stream in, and re-encoded.

A citizen's photo is refused unless Pillow reads it as a JPEG or PNG of sane dimensions,
whatever its name or declared type says. An accepted photo is re-encoded, which drops its
metadata (the EXIF block of a phone photo carries the GPS position of whoever took it) and
anything smuggled after the image data; it is stored under a random name.
"""

from __future__ import annotations

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from PIL import Image, ImageOps

from deputyhome.core.uploads import IMAGE_ERRORS, image_facts

from . import conf

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png"}
TYPE_MESSAGE = "照片格式不正确：只能上传 JPG 或 PNG 格式的图片，请重新选择。"


def size_message() -> str:
    return f"照片太大：不能超过 {conf.get('OPINIONS_PHOTO_MAX_BYTES') // (1024 * 1024)}MB，请压缩或换一张后重新提交。"


class PhotoSizeLimitHandler(FileUploadHandler):
    """Stops reading an uploaded file once it passes the limit, so a huge upload never reaches disk.

    It marks the request (`request.upload_too_large`) so the form can say why the photo is
    missing. Must be installed before the request body is read (see views.public_submit).
    """

    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.received = 0
        self.limit = conf.get("OPINIONS_PHOTO_MAX_BYTES")

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                self.request.upload_too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def clean_photo(upload) -> ContentFile:
    """The photo re-encoded without metadata, under a random name; ValidationError in Chinese otherwise."""
    if upload.size > conf.get("OPINIONS_PHOTO_MAX_BYTES"):
        raise ValidationError(size_message(), code="too_large")
    facts = image_facts(upload)
    if facts is None or facts[0] not in ALLOWED_FORMATS:
        raise ValidationError(TYPE_MESSAGE, code="bad_type")
    fmt, width, height = facts
    if width * height > conf.get("OPINIONS_PHOTO_MAX_PIXELS"):
        raise ValidationError("照片像素过大，请缩小后重新提交。", code="too_many_pixels")
    try:
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if fmt == "JPEG":
                if image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                image.save(out, format="JPEG", quality=85, optimize=True)
            else:
                image.save(out, format="PNG", optimize=True)
    except IMAGE_ERRORS as exc:
        raise ValidationError(TYPE_MESSAGE, code="bad_type") from exc
    finally:
        upload.seek(0)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ALLOWED_FORMATS[fmt]}")
