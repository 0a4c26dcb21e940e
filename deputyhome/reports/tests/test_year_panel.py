"""The year's figures page (/records/year/) read from its panel computed ahead per scope (reports.precomputed):
served from the snapshot on the second view, computed again after an audited write or when the day has passed,
and each scope its own."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deputyhome.accounts import scopes
from deputyhome.figures.models import FigureSnapshot
from deputyhome.reports import precomputed

from .conftest import hold_report

pytestmark = pytest.mark.django_db
URL = "/records/year/"


def _reports_held(html: str) -> str:
    """The value of the tile 向选民述职（场）."""
    before = html[: html.index('<div class="l">向选民述职（场）</div>')]
    return before[before.rindex('<div class="n">') + len('<div class="n">') :].split("<", 1)[0]


def test_served_from_the_snapshot_and_computed_again_after_a_write(login, personas, city):
    officer = personas["city"]
    client = login(officer)
    with CaptureQueriesContext(connection) as first:
        html = client.get(URL).content.decode()
    assert "数据计算于" in html and _reports_held(html) == "0"
    key = precomputed.panel_key("city_officer", timezone.localdate().year)
    snapshot = FigureSnapshot.objects.get(name=precomputed.YEAR_PANEL, key=key)
    with CaptureQueriesContext(connection) as second:
        assert client.get(URL).status_code == 200
    assert len(second) < len(first) - 10  # a dozen apps' statistics not gathered again
    assert FigureSnapshot.objects.get(pk=snapshot.pk).as_of_event == snapshot.as_of_event

    hold_report(city, officer, timezone.localdate().year)
    html = client.get(URL).content.decode()
    assert _reports_held(html) == "1"
    assert FigureSnapshot.objects.get(pk=snapshot.pk).as_of_event > snapshot.as_of_event


def test_each_scope_has_its_own_panel(login, personas, city):
    a = login(personas["township"]).get(URL).content.decode()
    b = login(personas["township_b"]).get(URL).content.decode()
    assert city.township_a.name in a and city.township_a.name not in b
    assert city.township_b.name in b
    keys = set(FigureSnapshot.objects.filter(name=precomputed.YEAR_PANEL).values_list("key", flat=True))
    assert {k.split(":")[0] for k in keys} == {
        scopes.scope_key(personas["township"]),
        scopes.scope_key(personas["township_b"]),
    }
    # The city's users share one panel per role, whatever their own region.
    assert scopes.scope_key(personas["city"]) == "city_officer"


def test_a_new_day_computes_the_panel_again(login, personas, city):
    tz = ZoneInfo("Asia/Shanghai")
    client = login(personas["city"])
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10, 0, tzinfo=tz), tick=False):
        assert "数据截至 2026年6月1日" in client.get(URL).content.decode()
    with time_machine.travel(datetime.datetime(2026, 6, 2, 9, 0, tzinfo=tz), tick=False):
        assert "数据截至 2026年6月2日" in client.get(URL).content.decode()
        assert FigureSnapshot.objects.get(key="city_officer:2026").value["as_of"] == "2026-06-02"


def test_unit_clerks_get_no_panel(login, personas):
    assert login(personas["unit"]).get(URL).status_code == 403
    assert not FigureSnapshot.objects.exists()


def test_the_refresh_keeps_this_years_city_panels_computed(personas):
    from django.core.management import call_command

    call_command("refresh_figures")
    keys = set(FigureSnapshot.objects.filter(name=precomputed.YEAR_PANEL).values_list("key", flat=True))
    year = timezone.localdate().year
    assert keys == {f"city_officer:{year}", f"leader:{year}", f"supervisor:{year}"}


def test_the_schedule_refreshes_the_city_panels_and_leaves_a_scopes_own_for_its_next_view(login, personas, city):
    from deputyhome.figures import cache

    year = timezone.localdate().year
    login(personas["township"]).get(URL)
    township_key = precomputed.panel_key(scopes.scope_key(personas["township"]), year)
    stored = FigureSnapshot.objects.get(name=precomputed.YEAR_PANEL, key=township_key)
    hold_report(city, personas["city"], year)
    done = {(name, key) for name, key, _ in cache.refresh()}
    assert (precomputed.YEAR_PANEL, precomputed.panel_key("city_officer", year)) in done
    assert (precomputed.YEAR_PANEL, township_key) not in done
    assert FigureSnapshot.objects.get(pk=stored.pk).as_of_event == stored.as_of_event
    # Its next view computes it again, with the new report.
    assert _reports_held(login(personas["township"]).get(URL).content.decode()) == "1"


def test_opening_a_deputys_edit_form_leaves_the_panel_computed(login, personas, city):
    """The edit form records that the deputy's personal data was shown (an audit event on the deputy): a read, which
    must not make the city's figures stale."""
    from deputyhome.audit.models import AuditEvent

    client = login(personas["city"])
    client.get(URL)
    key = precomputed.panel_key("city_officer", timezone.localdate().year)
    snapshot = FigureSnapshot.objects.get(name=precomputed.YEAR_PANEL, key=key)
    assert client.get(f"/deputies/{city.deputies_a[0].pk}/edit/").status_code == 200
    assert AuditEvent.objects.filter(action="personal_data.reveal", success=True).exists()
    client.get(URL)
    assert FigureSnapshot.objects.get(pk=snapshot.pk).computed_at == snapshot.computed_at


def test_the_charts_are_kept_as_data_and_drawn_when_read(login, personas, city):
    """A snapshot outlives a change of the drawing: it keeps what the charts show, not their SVG."""
    html = login(personas["city"]).get(URL).content.decode()
    assert 'class="chart" role="img"' in html and "<svg" in html and "style=" not in html
    stored = FigureSnapshot.objects.get(name=precomputed.YEAR_PANEL).value
    kept = [chart for section in stored["sections"] for chart in section["charts"]]
    assert kept and all(isinstance(chart, dict) and chart["title"] for chart in kept)
    assert "<svg" not in str(stored)
