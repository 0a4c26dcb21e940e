"""A deputy's record export writes titles and places as text, never as formulas (core.xlsx.safe_cell)."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from .conftest import YEAR

pytestmark = pytest.mark.django_db

TITLE = "=1+1"
STATION = '@HYPERLINK("http://x")'


def test_user_text_in_the_record_export_stays_text(city, personas, login, session, suggestion_factory, held_report):
    d = city.deputies_a[0]
    s = suggestion_factory(d, personas["city"], number=7, session=session)
    s.title = TITLE
    s.save(update_fields=["title"])
    city.station_a.name = STATION
    city.station_a.save(update_fields=["name"])
    held_report(d, city.station_a, datetime.date(YEAR, 5, 20), personas["city"], voters=50, votes=(45, 4, 1))
    response = login(personas["city"]).get(f"/records/deputies/{d.pk}/export.xlsx?year={YEAR}", follow=True)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    for text in (TITLE, STATION):
        found = [c for c in cells if c.value == text]
        assert found and {c.data_type for c in found} == {"s"}, text
    assert not [c.coordinate for c in cells if c.data_type == "f"]
