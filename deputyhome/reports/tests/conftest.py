"""Fixtures for the reports tests: the full demo city, built once per module."""

from __future__ import annotations

import pytest

# Queries `reports.selectors.overview` runs for a city-wide user, however big the city.
OVERVIEW_QUERIES = 6


@pytest.fixture(scope="module")
def demo_city(demo):
    """The demo city (1,338 deputies), loaded once for the module (the shared `demo` fixture)."""
    return demo
