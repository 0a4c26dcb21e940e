"""A deputy's photo is checked by content: an image Pillow can read, in a format we serve, of sane size."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from deputyhome.deputies.forms import DeputyForm
from deputyhome.testing import make_id_number

pytestmark = pytest.mark.django_db


def image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (6, 8), (120, 20, 20)).save(buffer, format=fmt)
    return buffer.getvalue()


def form(personas, photo: SimpleUploadedFile) -> DeputyForm:
    born = datetime.date(1975, 3, 15)
    data = {
        "name": "向红",
        "gender": "F",
        "ethnicity": "土家族",
        "birth_date": "1975-03-15",
        "party": "群众",
        "id_number": make_id_number(901, born, area="422823"),
    }
    return DeputyForm(data, {"photo": photo}, user=personas["city"])


def test_a_real_photo_is_taken(personas):
    f = form(personas, SimpleUploadedFile("向红.jpg", image("JPEG"), content_type="image/jpeg"))
    assert f.is_valid(), f.errors


def test_an_image_in_a_format_we_do_not_serve_is_refused(personas):
    f = form(personas, SimpleUploadedFile("向红.bmp", image("BMP"), content_type="image/bmp"))
    assert not f.is_valid()
    assert "格式（BMP）不支持" in f.errors["photo"][0]


def test_a_renamed_file_is_refused(personas):
    f = form(personas, SimpleUploadedFile("向红.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg"))
    assert not f.is_valid()
    assert "photo" in f.errors
