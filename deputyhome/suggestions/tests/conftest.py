"""Fixtures for the suggestion workflow: the small city, its personas, a co-unit clerk and a session."""

from __future__ import annotations

import pytest

from deputyhome.conftest import PASSWORD
from deputyhome.testing import congress_session, suggestion_categories, suggestion_people


@pytest.fixture
def session(city):
    return congress_session(city)


@pytest.fixture
def people(personas, city):
    """Personas plus a clerk of unit B (the court) and a cosigning deputy with a login."""
    return suggestion_people(personas, city, PASSWORD)


@pytest.fixture
def categories(db):
    return suggestion_categories()
