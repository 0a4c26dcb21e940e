"""The scores export writes unit names as text, never as formulas (core.xlsx.safe_cell)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .conftest import D

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("deputyhome.supervision.tests.urls"),
    pytest.mark.usefixtures("june"),
]

HOSTILE = '=HYPERLINK("http://x","承办单位")'


def test_a_unit_named_like_a_formula_is_exported_as_text(login, people, city, course):
    course.closed(city.unit_a, on=D(2026, 1, 20), code="A", result="satisfied")
    city.unit_a.name = HOSTILE
    city.unit_a.save(update_fields=["name"])
    response = login(people["city"]).get(f"{reverse('supervision:scores_export')}?year=2026", follow=True)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    named = [c for c in cells if c.value == HOSTILE]
    assert len(named) == 2  # the ranking and the breakdown
    assert {c.data_type for c in named} == {"s"}
    assert not [c.coordinate for c in cells if c.data_type == "f"]
