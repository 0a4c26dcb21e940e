"""The points export is the points page, every row: the same ranking (computed ahead), ranks, names and totals,
read in chunks, whatever the number of deputies."""

from __future__ import annotations

import datetime
import io

from openpyxl import load_workbook

from deputyhome.core.tests.reading import read
from deputyhome.records import exports, selectors
from deputyhome.testing import add_deputies, register_rows

from .conftest import YEAR, make_held_report, make_suggestion


def _sheet(client, query: str) -> list[tuple]:
    """The export's rows as written: the heading, the column headers, then a deputy a row."""
    response = client.get(f"/records/points/export.xlsx?{query}", follow=True)
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def _export(client, query: str) -> list[tuple]:
    return _sheet(client, query)[2:]


def _page(client, query: str) -> list[tuple]:
    rows = register_rows(read(client, f"/records/points/?{query}").html)
    return [(int(r[0]), r[1], float(r[-1])) for r in rows]  # 名次, 代表, 积分 (to the period's end)


def test_the_export_is_the_pages_ranking_every_row(city, personas, login, session, monkeypatch):
    add_deputies(30, congress=city.city_congress, group=city.group_b, region=city.township_b)
    monkeypatch.setattr(exports, "POINTS_CHUNK", 7)  # several chunks, one crossing a tie
    client = login(personas["city"])
    for query in (f"year={YEAR}", f"year={YEAR}&township={city.township_b.pk}", f"year={YEAR}&quarter=1"):
        exported = _export(client, query)
        shown = [(r[0], r[1], float(r[5 if "quarter" in query else 4])) for r in exported]
        pages = []
        for number in (1, 2):
            pages += _page(client, f"{query}&page={number}")
        assert shown == pages, query
    assert len(_export(client, f"year={YEAR}")) == 38


def test_each_items_columns_are_the_deputys_own_card(city, personas, login, session, monkeypatch):
    """The item columns (count, points) under each item's heading are that deputy's line for that item, as the live
    ranking scores them: deputies with different figures, several sharing the same, over chunks."""
    a, b = city.deputies_a[0], city.deputies_a[1]
    for number in (1, 2, 3, 4, 5):  # five led: over the cap of 20 points
        make_suggestion(a, personas["city"], number=number, session=session)
    make_suggestion(b, personas["city"], number=6, session=session)
    make_held_report(b, city.station_a, datetime.date(YEAR, 3, 2), personas["township"], voters=30)
    monkeypatch.setattr(exports, "POINTS_CHUNK", 3)
    _title, headers, *exported = _sheet(login(personas["city"]), f"year={YEAR}")
    heading = list(headers)
    _scheme, live = selectors.points_rows(selectors.PointsQuery(year=YEAR), user=personas["city"])
    cards = {row.deputy.name: row.card for row in live}
    assert len(cards) == len(live) == len(exported) == 8
    for row in exported:
        card = cards[row[1]]
        assert row[4] == card.total
        for line in card.lines:
            at = heading.index(f"{line.spec.label}（数量）")
            assert (row[at], row[at + 1]) == (line.count, line.earned), (row[1], line.spec.label)
    led = {row[1]: row[heading.index("领衔提出建议（立案）（积分）")] for row in exported}
    assert (led[a.name], led[b.name]) == (20, 5)
