"""Fixtures for the reports tests: the full demo city, built once per module."""

from __future__ import annotations

import pytest

# Queries `reports.selectors.overview` runs for a city-wide user, however big the city.
OVERVIEW_QUERIES = 5


@pytest.fixture(scope="module")
def demo_city(shared_demo, django_db_blocker):
    """The demo city (1,338 deputies), loaded once for the module and rolled back after it.

    Tests using it take `db` as usual; their transactions nest inside this one.
    """
    with shared_demo.loaded(django_db_blocker):
        yield shared_demo.output
