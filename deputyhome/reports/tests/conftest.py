"""Fixtures for the reports tests: the full demo city, built once per module."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

# Queries `reports.selectors.overview` runs for a city-wide user, however big the city.
OVERVIEW_QUERIES = 5


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """The demo city (1,338 deputies), loaded once for the module and rolled back after it.

    Tests using it take `db` as usual; their transactions nest inside this one.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
