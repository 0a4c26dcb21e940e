"""Fixtures for the opinions tests: a temporary MEDIA_ROOT, images, an opinion in each township."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_BASE_URL = ""
    return settings.MEDIA_ROOT


def files_in(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def image_bytes(fmt: str = "JPEG", size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def jpeg():
    return lambda name="photo.jpg": SimpleUploadedFile(name, image_bytes("JPEG"), content_type="image/jpeg")


@pytest.fixture
def make_opinion(city):
    """An opinion left on a station's public page (station A by default), through the service."""
    from deputyhome.opinions import services

    def _make(station=None, deputy=None, content="村口路灯坏了三个月，晚上出行不便。", address="10.0.0.1", **extra):
        data = {"content": content, "consent": True, **extra}
        return services.opinion_submit(
            data=data,
            station=station if station is not None or deputy is not None else city.station_a,
            deputy=deputy,
            client_address=address,
        )

    return _make
