"""The deputies ledger is streamed: the same queries at 20 deputies and at 1,020, and memory that does not grow
with the rows (openpyxl write-only, values in chunks)."""

from __future__ import annotations

import io
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from deputyhome.deputies.ledgers import deputies_workbook
from deputyhome.deputies.roster import roster_import

from .test_roster_files import people, plain_xlsx

pytestmark = pytest.mark.django_db


def _export(user) -> tuple[int, int, int]:
    """(queries, rows in the file, peak bytes allocated while building it)."""
    tracemalloc.start()
    try:
        with CaptureQueriesContext(connection) as ctx:
            content, _name, count = deputies_workbook(user=user)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    rows = load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(min_row=3, values_only=True)
    assert count == sum(1 for _ in rows)
    return len(ctx.captured_queries), count, peak


def test_the_ledger_costs_the_same_queries_and_memory_for_20_deputies_and_1020(city, personas):
    roster_import(content=plain_xlsx([p.cells() for p in people(city, 12)]), filename="a.xlsx", actor=personas["city"])
    small = _export(personas["city"])
    persons = people(city, 1000, start=12)
    roster_import(content=plain_xlsx([p.cells() for p in persons]), filename="b.xlsx", actor=personas["city"])
    large = _export(personas["city"])
    assert (small[1], large[1]) == (20, 1020)  # 8 deputies of the small city, then the imported ones
    assert small[0] == large[0]
    # 50 times the rows, not 50 times the memory: the rows stream to a temporary file, one chunk at a time.
    assert large[2] < small[2] + 8 * 1024 * 1024, (small[2], large[2])
