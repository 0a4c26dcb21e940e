"""The register of suggestions writes titles as text, never as formulas (core.xlsx.safe_cell)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from deputyhome.suggestions.tests.registered import registered_suggestion

pytestmark = pytest.mark.django_db

TITLE = '=HYPERLINK("http://x","关于停车难的建议")'


def test_a_title_like_a_formula_is_exported_as_text(client, city, people, session, categories):
    registered_suggestion(people, session, categories, TITLE)
    client.force_login(people["city"])
    response = client.get(reverse("suggestions:register_export"), follow=True)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row]
    titles = [c for c in cells if c.value == TITLE]
    assert len(titles) == 1 and titles[0].data_type == "s"
    assert not [c.coordinate for c in cells if c.data_type == "f"]
