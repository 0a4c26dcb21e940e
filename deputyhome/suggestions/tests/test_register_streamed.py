"""The register export is streamed: the same queries for 3 suggestions and for 300 (chunks of 2,000)."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from deputyhome.suggestions.ledger import register_file
from deputyhome.suggestions.models import CoSigner, Suggestion
from deputyhome.suggestions.selectors import suggestion_list
from deputyhome.suggestions.tests.registered import registered_suggestion

pytestmark = pytest.mark.django_db


def _clone(s: Suggestion, count: int, start: int) -> None:
    """`count` copies of a registered suggestion with their co-signers (tests may write rows directly)."""
    copies = []
    for i in range(count):
        copy = Suggestion.objects.get(pk=s.pk)
        copy.pk, copy.number, copy.title = None, start + i, f"{s.title}{start + i}"
        copy.public_token = f"t{start + i}"
        copies.append(copy)
    Suggestion.objects.bulk_create(copies)
    cosigners = list(CoSigner.objects.filter(suggestion=s))
    CoSigner.objects.bulk_create(
        [CoSigner(suggestion=c, deputy=x.deputy, confirmed_at=x.confirmed_at) for c in copies for x in cosigners]
    )


def _export(user) -> tuple[int, list[tuple]]:
    qs = suggestion_list(user=user).filter(number__isnull=False).order_by("year", "session_id", "number")
    with CaptureQueriesContext(connection) as ctx:
        file = register_file(qs=qs)
    rows = list(load_workbook(io.BytesIO(file.content), read_only=True).active.iter_rows(min_row=3, values_only=True))
    assert file.rows == len(rows)
    return len(ctx.captured_queries), rows


def test_the_register_costs_the_same_queries_for_3_suggestions_and_300(city, people, session, categories):
    s = registered_suggestion(people, session, categories)
    s.refresh_from_db()
    _clone(s, 2, 1000)
    small, rows = _export(people["city"])
    assert len(rows) == 3
    assert rows[0][3].startswith("关于停车难的建议") and rows[0][6] == "城乡建设与管理"
    _clone(s, 297, 2000)
    large, rows = _export(people["city"])
    assert len(rows) == 300
    assert small == large
