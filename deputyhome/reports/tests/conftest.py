"""Fixtures for the reports tests: the full demo city, built once per module; a write that makes figures stale."""

from __future__ import annotations

import datetime

import pytest

from deputyhome.records import services as records_services
from deputyhome.records.choices import VoterReportStatus

# Queries `reports.selectors.overview` runs for a city-wide user, however big the city.
OVERVIEW_QUERIES = 6


@pytest.fixture(scope="module")
def demo_city(demo):
    """The demo city (1,338 deputies), loaded once for the module (the shared `demo` fixture)."""
    return demo


def hold_report(city, actor, year: int):
    """A report to voters held by a deputy of township A on 1 January of `year`: a write to the records app, after
    which the year's figures are recomputed."""
    return records_services.voter_report_create(
        data={
            "deputy": city.deputies_a[0],
            "station": city.station_a,
            "date": datetime.date(year, 1, 1),
            "status": VoterReportStatus.HELD,
            "voters_present": 25,
        },
        actor=actor,
    )
