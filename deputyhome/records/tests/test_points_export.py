"""The points export is the points page, every row: the same ranking (computed ahead), ranks, names and totals,
read in chunks, whatever the number of deputies."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from deputyhome.core.tests.reading import read
from deputyhome.records import exports
from deputyhome.testing import add_deputies, register_rows

from .conftest import YEAR


def _export(client, query: str) -> list[tuple]:
    response = client.get(f"/records/points/export.xlsx?{query}", follow=True)
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))[2:]


def _page(client, query: str) -> list[tuple]:
    rows = register_rows(read(client, f"/records/points/?{query}").html)
    return [(int(r[0]), r[1], float(r[-1])) for r in rows]  # 名次, 代表, 积分 (to the period's end)


def test_the_export_is_the_pages_ranking_every_row(city, personas, login, session, monkeypatch):
    add_deputies(30, congress=city.city_congress, group=city.group_b, region=city.township_b)
    monkeypatch.setattr(exports, "CHUNK", 7)  # several chunks, one crossing a tie
    client = login(personas["city"])
    for query in (f"year={YEAR}", f"year={YEAR}&township={city.township_b.pk}", f"year={YEAR}&quarter=1"):
        exported = _export(client, query)
        shown = [(r[0], r[1], float(r[5 if "quarter" in query else 4])) for r in exported]
        pages = []
        for number in (1, 2):
            pages += _page(client, f"{query}&page={number}")
        assert shown == pages, query
    assert len(_export(client, f"year={YEAR}")) == 38
