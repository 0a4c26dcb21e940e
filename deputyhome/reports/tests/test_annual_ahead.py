"""The annual statistics API (/api/v1/stats/annual) and the clerk's text page read the year's report figures
computed ahead per scope and year (reports.precomputed.annual_texts): served from the snapshot on the second
request, computed again after an audited write (a voter report held, a saved text), each scope its own."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputyhome.figures.models import FigureSnapshot
from deputyhome.reports import precomputed

from .conftest import hold_report

pytestmark = pytest.mark.django_db


def _api(client, year: int) -> dict:
    response = client.get(f"{reverse('reports:stats_annual')}?year={year}")
    assert response.status_code == 200
    return response.json()


def _sections(data: dict) -> str:
    return "\n".join(p for s in data["sections"] for p in [s["heading"], *s["paragraphs"]])


def test_the_api_is_served_from_the_snapshot_and_computed_again_after_a_write(login, personas, city):
    year = timezone.localdate().year
    officer = personas["city"]
    client = login(officer)
    with CaptureQueriesContext(connection) as first:
        data = _api(client, year)
    assert data["computed_at"] and "五、存在的问题" in _sections(data)
    reports_before = data["sections"]
    snapshot = FigureSnapshot.objects.get(name=precomputed.ANNUAL, key=precomputed.panel_key("city_officer", year))
    with CaptureQueriesContext(connection) as second:
        assert _api(client, year)["sections"] == reports_before
    assert len(second) < len(first) - 10  # a dozen apps' statistics not gathered again

    hold_report(city, officer, year)
    assert _api(client, year)["computed_at"] != data["computed_at"]
    assert FigureSnapshot.objects.get(pk=snapshot.pk).as_of_event > snapshot.as_of_event


def test_a_saved_text_shows_at_once_in_the_api_and_the_page_and_only_for_its_scope(login, personas):
    year = timezone.localdate().year
    url = f"{reverse('reports:annual_text')}?year={year}"
    clerk = login(personas["township"])
    assert clerk.get(url).status_code == 200 and "乡镇的问题。" not in _sections(_api(clerk, year))
    assert clerk.post(url, {"problems": "乡镇的问题。", "next_steps": "乡镇的打算。"}).status_code == 302
    assert "乡镇的问题。" in _sections(_api(clerk, year))
    assert "乡镇的问题。" in clerk.get(url).content.decode()
    # Another township's and the city's reports keep their own drafts.
    assert "乡镇的问题。" not in _sections(_api(login(personas["township_b"]), year))
    assert "乡镇的问题。" not in _sections(_api(login(personas["city"]), year))
    keys = set(FigureSnapshot.objects.filter(name=precomputed.ANNUAL).values_list("key", flat=True))
    assert len(keys) == 3


def test_the_text_page_reads_its_drafts_from_the_snapshot(login, personas):
    year = timezone.localdate().year
    url = f"{reverse('reports:annual_text')}?year={year}"
    client = login(personas["city"])
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200
    assert len(second) < len(first) - 10
    assert FigureSnapshot.objects.filter(name=precomputed.ANNUAL).count() == 1
