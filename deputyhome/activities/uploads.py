"""Checks on uploaded photos and documents, by their content and size: see deputyhome.core.uploads.

Kept as this app's name for them; the checks themselves are shared with the other apps.
"""

from __future__ import annotations

from deputyhome.core.uploads import (
    DOCUMENT_EXTENSIONS,
    MAX_DOCUMENT_BYTES,
    MAX_PHOTO_BYTES,
    MAX_PHOTO_PIXELS,
    PHOTO_FORMATS,
    check_document,
    check_photo,
)

__all__ = [
    "DOCUMENT_EXTENSIONS",
    "MAX_DOCUMENT_BYTES",
    "MAX_PHOTO_BYTES",
    "MAX_PHOTO_PIXELS",
    "PHOTO_FORMATS",
    "check_document",
    "check_photo",
]
