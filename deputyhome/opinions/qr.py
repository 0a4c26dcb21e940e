"""QR codes for the public pages, made here (no outside service: intranets are air-gapped)."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.http import HttpRequest

from . import conf


def public_url(request: HttpRequest, path: str) -> str:
    """The absolute address of `path`: PUBLIC_BASE_URL when set (a QR code is printed once and must
    keep working, so production sets the public host), otherwise the host the request came to."""
    base = (conf.get("PUBLIC_BASE_URL") or "").rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def _code(data: str) -> qrcode.QRCode:
    # Level M survives a scuffed or partly covered print; border 4 is the standard quiet zone.
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(data)
    code.make(fit=True)
    return code


def png(data: str) -> bytes:
    out = io.BytesIO()
    _code(data).make_image().save(out)
    return out.getvalue()


def svg(data: str) -> bytes:
    out = io.BytesIO()
    _code(data).make_image(image_factory=qrcode.image.svg.SvgPathImage).save(out)
    return out.getvalue()
