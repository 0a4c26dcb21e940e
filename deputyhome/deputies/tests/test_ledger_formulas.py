"""Formula injection on the way out: text users typed is exported as text, never as a formula.

A deputy whose 工作单位及职务 reads =HYPERLINK("http://x") must come out of the ledger as a
string cell (openpyxl reads data type "s", not "f") showing the same text, and the ledger must
import again unchanged.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from deputyhome.deputies.ledgers import deputies_workbook
from deputyhome.deputies.models import Deputy
from deputyhome.deputies.roster import LEDGER_HEADERS, roster_import

pytestmark = pytest.mark.django_db

HOSTILE = {
    "employer_title": '=HYPERLINK("http://x")',
    "ethnicity": "+土家族",
    "education": "@大学",
}


def test_user_text_is_exported_as_text_and_reimports_unchanged(city, personas):
    deputy = city.deputies_a[0]
    Deputy.objects.filter(pk=deputy.pk).update(**HOSTILE)
    content, _filename, rows = deputies_workbook(user=personas["city"])

    sheet = load_workbook(io.BytesIO(content)).active
    header = [c.value for c in sheet[2]]
    assert header == LEDGER_HEADERS
    line = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == deputy.name)
    for field, text in HOSTILE.items():
        cell = line[header.index(str(Deputy._meta.get_field(field).verbose_name))]
        assert cell.value == text
        assert cell.data_type == "s"
        assert cell.quotePrefix
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]

    result = roster_import(content=content, filename="台账.xlsx", actor=personas["city"])
    assert result.issues == [] and not result.file_error
    assert (result.created, result.updated, result.unchanged) == (0, 0, rows)
    deputy.refresh_from_db()
    assert {f: getattr(deputy, f) for f in HOSTILE} == HOSTILE
