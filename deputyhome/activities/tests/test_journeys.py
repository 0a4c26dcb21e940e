"""Journeys a new user hit (issue 14): the 活动统计 year selector works without inline script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def test_year_selector_is_a_get_form_with_a_visible_button(login, personas):
    html = login(personas["city"]).get(reverse("activities:stats")).content.decode()
    start = html.rindex('<form method="get"', 0, html.index('name="year"'))
    form = html[start : html.index("</form>", start)]
    assert "onchange" not in form and "<noscript>" not in form
    assert re.search(r'<button type="submit"[^>]*>查看</button>', form)
    assert "data-autosubmit" in form and "js/forms.js" in html


def test_no_template_has_an_inline_event_handler():
    """CSP (script-src 'self') blocks inline handlers: behaviour belongs in static files."""
    found = []
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for n, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE_HANDLER.search(line):
                found.append(f"{template.relative_to(settings.BASE_DIR)}:{n}")
    assert not found, found
