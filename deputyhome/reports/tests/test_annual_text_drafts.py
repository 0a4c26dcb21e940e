"""The annual report's editing page reads its drafts from a snapshot per scope and year (`reports.precomputed`,
the figure `reports.annual` it shares with the statistics API):
writing them gathers every app's figures for the year (over a second city-wide at province scale), so the page
computes them at its first view and again only after an audited write on a source app, or on another day."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputyhome.deputies import services as deputy_services
from deputyhome.figures.models import FigureSnapshot
from deputyhome.reports import precomputed

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def _get(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("reports:annual_text"), {"year": YEAR})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def _drafts(html: str) -> str:
    """The drafts shown for comparison, without the stamp."""
    block = html.split('<details class="card">', 1)[1].split("</details>", 1)[0]
    return block.split("</p>", 1)[1]


def test_the_drafts_come_from_a_snapshot_until_a_write(client, city, personas):
    client.force_login(personas["city"])
    computed, html = _get(client)
    served, again = _get(client)
    assert served < computed - 10 and "数据计算于" in again
    assert _drafts(again) == _drafts(html) and "存在的问题" in _drafts(html)
    assert FigureSnapshot.objects.filter(name=precomputed.ANNUAL, key=f"city_officer:{YEAR}").exists()

    deputy_services.mandate_update(
        mandate=city.deputies_a[0].mandates.get(), data={"constituency": "六角亭第1选区"}, actor=personas["city"]
    )
    recomputed, _ = _get(client)
    assert recomputed > served + 10


def test_each_scope_has_its_own_drafts(client, city, personas):
    for persona in ("city", "township", "township_b"):
        client.force_login(personas[persona])
        _get(client)
    keys = set(FigureSnapshot.objects.filter(name=precomputed.ANNUAL).values_list("key", flat=True))
    assert len(keys) == 3 and f"city_officer:{YEAR}" in keys
